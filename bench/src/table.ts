/** The results table: rates, latencies, and ratios to the ceiling and the peer. */

export interface Row {
  scenario: string;
  engine: string;
  /** What the row is compared as: the ceiling, the peer's send or flow, or an otpkit measurement. */
  role?: 'ceiling' | 'floor' | 'peerSend' | 'peerFlow' | 'request' | 'send' | 'flow' | 'memory';
  perSecond?: number;
  p50?: number;
  p99?: number;
  /** p99 at half the measured maximum rate. */
  p99Half?: number;
  requests?: number;
  failures?: number;
  rssMb?: number;
  /** Server CPU time per request (or flow) at full speed, and at half load, in µs. */
  cpuUs?: number;
  cpuUsHalf?: number;
  /** PostgreSQL's own CPU per request (or flow), from its backends' /proc accounting, in µs. */
  dbCpuUs?: number;
  dbCpuUsHalf?: number;
  requestsServed?: number;
  skipped?: string;
}

const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`;

const pair = (full: number | undefined, half: number | undefined) =>
  full === undefined
    ? '—'
    : `${full.toFixed(0)}${half === undefined ? '' : ` / ${half.toFixed(0)}`}`;

/**
 * The CPU ratios the issue's goals are stated in, for the rows this run has:
 * otpkit's SQLite flow against the floor, PostgreSQL against SQLite, and
 * PostgreSQL's own CPU beside otpkit's (and against otpkit's whole SQLite
 * flow: on shared cores it takes from the rate whatever otpkit spends).
 */
export function ratioLines(rows: Row[]): string[] {
  const find = (scenario: string, engine: string) =>
    rows.find((r) => r.engine === engine && r.scenario.startsWith(scenario) && !r.skipped);
  const floor = rows.find((r) => r.role === 'floor');
  const sqliteFlow = find('flow (send', 'sqlite');
  const pgFlow = find('flow (send', 'postgres');
  const pairFlow = find('flow, two otpkit', 'postgres');
  const lines: string[] = [];
  const us = (n: number | undefined) => (n === undefined ? '—' : `${n.toFixed(0)} µs`);
  if (floor?.cpuUs !== undefined) {
    lines.push(
      `floor: ${(floor.perSecond ?? 0).toFixed(0)} flows/s, ${us(floor.cpuUs)} server CPU per flow`,
    );
  }
  if (sqliteFlow?.cpuUs !== undefined && floor?.cpuUs !== undefined) {
    lines.push(
      `otpkit SQLite flow CPU / floor CPU: ${ratio(sqliteFlow.cpuUs, floor.cpuUs)} (${us(sqliteFlow.cpuUs)} / ${us(floor.cpuUs)})`,
    );
  }
  for (const [name, r] of [
    ['PostgreSQL flow', pgFlow],
    ['PostgreSQL flow, two instances', pairFlow],
  ] as const) {
    if (r?.cpuUs === undefined) continue;
    const parts = [`${name}: otpkit ${us(r.cpuUs)}, PostgreSQL ${us(r.dbCpuUs)} CPU per flow`];
    if (sqliteFlow?.cpuUs !== undefined) {
      parts.push(`otpkit CPU ${ratio(r.cpuUs, sqliteFlow.cpuUs)} SQLite's`);
      parts.push(`flows/s ${ratio(r.perSecond, sqliteFlow.perSecond)} SQLite's`);
      // With otpkit, PostgreSQL and the load generator on the same cores, the database's own CPU per
      // flow takes from the rate whatever otpkit spends.
      if (r.dbCpuUs !== undefined && r === pgFlow) {
        parts.push(
          `PostgreSQL's own CPU per flow ${ratio(r.dbCpuUs, sqliteFlow.cpuUs)} otpkit's SQLite flow CPU`,
        );
      }
    }
    lines.push(parts.join('; '));
  }
  for (const scenario of ['sendOtpMobile', 'verifyOtp']) {
    const pg = rows.find((r) => r.engine === 'postgres' && r.scenario === scenario);
    const lite = rows.find((r) => r.engine === 'sqlite' && r.scenario === scenario);
    if (pg?.cpuUs === undefined) continue;
    lines.push(
      `PostgreSQL ${scenario}: otpkit ${us(pg.cpuUs)}, PostgreSQL ${us(pg.dbCpuUs)} CPU per request` +
        (lite?.cpuUs === undefined
          ? ''
          : `; otpkit CPU ${ratio(pg.cpuUs, lite.cpuUs)} SQLite's, req/s ${ratio(pg.perSecond, lite.perSecond)} SQLite's`),
    );
  }
  return lines;
}

/** A Markdown table (so it pastes into BENCHMARKS.md as it is). */
export function formatTable(rows: Row[]): string {
  const ceiling = rows.find((r) => r.role === 'ceiling')?.perSecond;
  const peerSend = rows.find((r) => r.role === 'peerSend')?.perSecond;
  const peerFlow = rows.find((r) => r.role === 'peerFlow')?.perSecond;
  const floorCpu = rows.find((r) => r.role === 'floor')?.cpuUs;
  const header = [
    'scenario',
    'engine',
    'req/s',
    'p50 ms',
    'p99 ms',
    'p99 ms @ half load',
    '× ceiling',
    '× peer',
    'failed',
    'server RSS MB',
    'server CPU µs/req (full / half)',
    'server CPU × floor',
    'PostgreSQL CPU µs/req (full / half)',
  ];
  const lines = rows.map((r) => {
    if (r.skipped) return [r.scenario, r.engine, r.skipped, '', '', '', '', '', '', '', '', '', ''];
    if (r.role === 'memory')
      return [
        `${r.scenario} (${r.requestsServed} requests)`,
        r.engine,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        ms(r.rssMb),
        '',
        '',
        '',
      ];
    const unit = r.role === 'flow' || r.role === 'peerFlow' || r.role === 'floor' ? ' flows' : '';
    const toCeiling = r.role === 'request' || r.role === 'send' ? ratio(r.perSecond, ceiling) : '—';
    const toPeer =
      r.role === 'send'
        ? ratio(r.perSecond, peerSend)
        : r.role === 'flow'
          ? ratio(r.perSecond, peerFlow)
          : '—';
    return [
      r.scenario,
      r.engine,
      `${(r.perSecond ?? 0).toFixed(0)}${unit}`,
      ms(r.p50),
      ms(r.p99),
      ms(r.p99Half),
      toCeiling,
      toPeer,
      String(r.failures ?? 0),
      ms(r.rssMb),
      pair(r.cpuUs, r.cpuUsHalf),
      r.role === 'flow' || r.role === 'peerFlow' ? ratio(r.cpuUs, floorCpu) : '—',
      pair(r.dbCpuUs, r.dbCpuUsHalf),
    ];
  });
  const table = [header, header.map(() => '---'), ...lines];
  return table.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
