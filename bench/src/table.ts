/** The results table: rates, latencies, and ratios to the ceiling and the peer. */

export interface Row {
  scenario: string;
  engine: string;
  /** What the row is compared as: the ceiling, the peer's send or flow, or an otpkit measurement. */
  role?: 'ceiling' | 'peerSend' | 'peerFlow' | 'request' | 'send' | 'flow' | 'memory';
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
  requestsServed?: number;
  skipped?: string;
}

const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`;

/** A Markdown table (so it pastes into BENCHMARKS.md as it is). */
export function formatTable(rows: Row[]): string {
  const ceiling = rows.find((r) => r.role === 'ceiling')?.perSecond;
  const peerSend = rows.find((r) => r.role === 'peerSend')?.perSecond;
  const peerFlow = rows.find((r) => r.role === 'peerFlow')?.perSecond;
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
  ];
  const lines = rows.map((r) => {
    if (r.skipped) return [r.scenario, r.engine, r.skipped, '', '', '', '', '', '', '', ''];
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
      ];
    const unit = r.role === 'flow' || r.role === 'peerFlow' ? ' flows' : '';
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
      r.cpuUs === undefined
        ? '—'
        : `${r.cpuUs.toFixed(0)}${r.cpuUsHalf === undefined ? '' : ` / ${r.cpuUsHalf.toFixed(0)}`}`,
    ];
  });
  const table = [header, header.map(() => '---'), ...lines];
  return table.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
