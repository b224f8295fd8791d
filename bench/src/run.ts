/**
 * `pnpm bench`: otpkit under load on loopback, beside a bare Hono JSON route
 * (the stack's ceiling) and better-auth's email-OTP sign-in (the peer).
 * Every server runs in its own process, the load generator in another.
 *
 *   pnpm bench                 full run (10 s per measurement)
 *   pnpm bench --quick         short run (3 s per measurement)
 *   pnpm bench --memory=1000000  also send that many requests to otpkit and report its RSS
 *   pnpm bench --engines=sqlite  only these engines (sqlite,postgres)
 *   pnpm bench --profile       also profile otpkit (node --cpu-prof) over a complete-flow run of its own
 *                              on each engine of --engines, and print its top self-time functions
 *                              (bench/results/profiles/)
 *   pnpm bench --baseline=HEAD~1  also run otpkit's SQLite flow on that commit's server, alternating
 *                              with this tree's (A/B/A/B), and print the CPU-per-flow ratio of the two
 *   pnpm bench --only=floor,flow  only these parts: ceiling, floor, peer, requests (getWidgetProcess,
 *                              sendOtpMobile, verifyOtp), flow, pair (two otpkit instances, PostgreSQL)
 *   pnpm bench --node-options=--max-old-space-size=64   Node options for the otpkit process
 *                              (default: the README's production flags,
 *                               --max-old-space-size=64 --max-semi-space-size=4; empty: none)
 *
 * Environment: BENCH_TIMELINE=1 prints the worst latency of every quarter second of each
 * half-load phase; BENCH_SERVER_LOG=<file> keeps the servers' stdout (with
 * --node-options=--trace-gc, the garbage collector's trace).
 *
 * Prints a table and writes bench/results/latest.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LoadGenerator,
  type ServerProcess,
  startLoadGenerator,
  startServerProcess,
} from './children.ts';
import {
  createWidget,
  dropPostgresSchema,
  PG_APP_NAMES,
  postgresBase,
  startOtpkit,
  waitForDeliveries,
} from './instances.ts';
import { machine, machineTicks } from './machine.ts';
import { type CpuMeter, perRequestUs, withCpu } from './measure.ts';
import {
  AUTHKEY,
  baselineRef,
  connections,
  engines,
  here,
  log,
  memoryRequests,
  nodeFlags,
  only,
  otpkitNodeOptions,
  profile,
  quick,
  resultsDir,
  runs,
  seconds,
} from './options.ts';
import { PostgresBackends } from './postgres-cpu.ts';
import { compareWithBaseline, profileFlows } from './profile-runs.ts';
import type { Job, JobResult } from './protocol.ts';
import { formatTable, type Row, ratioLines } from './table.ts';

// otpkit runs as it ships: bundled (`pnpm build`), which bin/otpkit.mjs prefers when it is up to date.
execFileSync(process.execPath, [join(here, '..', '..', 'server', 'scripts', 'build.mjs')], {
  stdio: 'inherit',
});

const rows: Row[] = [];

function row(scenario: string, engine: string, r: JobResult, extra: Partial<Row> = {}): Row {
  const out: Row = {
    scenario,
    engine,
    perSecond: r.perSecond,
    p50: r.p50,
    p99: r.p99,
    requests: r.requests,
    failures: r.failures,
    ...extra,
  };
  rows.push(out);
  log(
    `  ${scenario} (${engine}): ${r.perSecond.toFixed(0)}/s p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms` +
      `${r.failures ? `, ${r.failures} failed${r.error ? `: ${r.error}` : ''}` : ''}`,
  );
  return out;
}

/**
 * A measurement at full speed, then one at half that rate for the latency
 * under normal load, with the server's CPU per request in each.
 */
async function fullAndHalf(
  load: LoadGenerator,
  server: ServerProcess,
  job: Job & { kind: 'autocannon' },
  db?: CpuMeter,
): Promise<{
  full: JobResult;
  half: JobResult;
  cpu: { cpuUs: number; cpuUsHalf: number; dbCpuUs?: number; dbCpuUsHalf?: number };
}> {
  const full = await withCpu(server, () => load.run(job), db);
  const half = await withCpu(
    server,
    () => load.run({ ...job, rate: Math.max(1, Math.floor(full.result.perSecond / 2)) }),
    db,
  );
  return {
    full: full.result,
    half: half.result,
    cpu: {
      cpuUs: full.cpuUs,
      cpuUsHalf: half.cpuUs,
      ...(full.dbCpuUs === undefined ? {} : { dbCpuUs: full.dbCpuUs }),
      ...(half.dbCpuUs === undefined ? {} : { dbCpuUsHalf: half.dbCpuUs }),
    },
  };
}

async function ceiling(load: LoadGenerator): Promise<void> {
  log('ceiling and floor: bare Hono routes');
  // The same V8 flags as otpkit (the young generation's size sets how often it is collected).
  const server = await startServerProcess(
    [...nodeFlags, '--import', 'tsx', join(here, 'servers/ceiling.ts')],
    {
      BENCH_RECEIVER_URL: load.receiverUrl,
    },
  );
  try {
    if (runs('ceiling')) {
      const { full, half, cpu } = await fullAndHalf(load, server, {
        kind: 'autocannon',
        scenario: 'ceiling',
        url: server.url,
        connections,
        seconds,
      });
      row('bare Hono POST /json', 'none', full, { p99Half: half.p99, role: 'ceiling', ...cpu });
    }
    if (runs('floor')) {
      // The floor: a complete flow with no work in it, through the same load generator and receiver.
      const floor = await withCpu(server, () =>
        load.run({
          kind: 'flow',
          target: 'floor',
          url: server.url,
          concurrency: connections,
          seconds,
        }),
      );
      row('floor flow (3 bare Hono requests + 1 webhook POST)', 'none', floor.result, {
        role: 'floor',
        cpuUs: floor.cpuUs,
      });
    }
  } finally {
    await server.stop();
  }
}

async function peer(load: LoadGenerator): Promise<void> {
  log('peer: better-auth email OTP on SQLite');
  const server = await startServerProcess(['--import', 'tsx', join(here, 'servers/peer.ts')], {
    BENCH_RECEIVER_URL: load.receiverUrl,
  });
  try {
    const send = await withCpu(server, () =>
      load.run({
        kind: 'autocannon',
        scenario: 'peerSend',
        url: server.url,
        connections,
        seconds,
      }),
    );
    row('better-auth send-verification-otp', 'sqlite', send.result, {
      role: 'peerSend',
      cpuUs: send.cpuUs,
    });
    const flow = await withCpu(server, () =>
      load.run({
        kind: 'flow',
        target: 'peer',
        url: server.url,
        concurrency: connections,
        seconds,
      }),
    );
    row('better-auth flow (send → code → sign-in)', 'sqlite', flow.result, {
      role: 'peerFlow',
      cpuUs: flow.cpuUs,
    });
  } finally {
    await server.stop();
  }
}

const SCENARIOS = ['getWidgetProcess', 'sendOtpMobile', 'verifyOtp', 'flow'] as const;

async function otpkit(load: LoadGenerator, engine: string): Promise<void> {
  log(`otpkit on ${engine}`);
  const dir = mkdtempSync(join(tmpdir(), `otpkit-bench-${engine}-`));
  let server: ServerProcess;
  try {
    server = await startOtpkit(engine, dir, load.receiverUrl);
  } catch (error) {
    const reason = String(error).includes('DATABASE_URL')
      ? `skipped: ${engine} adapter not available`
      : `skipped: otpkit did not start (${String(error).split('\n')[0]})`;
    log(`  ${reason}\n${String(error)}`);
    for (const s of SCENARIOS) rows.push({ scenario: s, engine, skipped: reason });
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  // On PostgreSQL, the CPU of this instance's backends (and of the second one's, in the pair row).
  const backends =
    engine === 'postgres' ? new PostgresBackends(postgresBase(), [...PG_APP_NAMES]) : undefined;
  await backends?.start();
  let total = 0;
  const measured = (r: JobResult, perItem = 1) => {
    total += (r.requests + r.failures + (r.warmup ?? 0)) * perItem;
    return r;
  };
  try {
    const widget = await createWidget(server.url);
    const common = { url: server.url, connections, seconds, ...widget };

    if (runs('requests')) {
      const gwp = await fullAndHalf(
        load,
        server,
        { kind: 'autocannon', scenario: 'getWidgetProcess', ...common },
        backends,
      );
      measured(gwp.full);
      measured(gwp.half);
      row('getWidgetProcess', engine, gwp.full, {
        p99Half: gwp.half.p99,
        role: 'request',
        ...gwp.cpu,
      });

      // At full speed the delivery worker falls behind the sends and delivers the backlog after the
      // run: the rate a server sustains, each send with its delivery, is the sends over the time until
      // the last of their codes arrived. Half load is half of that rate, started once the backlog is
      // delivered (half of the burst rate would be a server at about its full sustained load).
      const sendJob = {
        kind: 'autocannon' as const,
        scenario: 'sendOtpMobile' as const,
        collect: true,
        ...common,
      };
      // A send's CPU includes its delivery: each phase is measured until its last code has arrived.
      const cpuAtStart = server.cpuMs();
      const dbAtStart = await backends?.cpuMs();
      const sendFull = await load.run(sendJob);
      const drainStarted = Date.now();
      await waitForDeliveries(load, sendFull.requests);
      const sustained = sendFull.requests / (sendFull.seconds + (Date.now() - drainStarted) / 1000);
      const cpuAtHalf = server.cpuMs();
      const dbAtHalf = await backends?.cpuMs();
      const sendHalf = await load.run({ ...sendJob, rate: Math.max(1, Math.floor(sustained / 2)) });
      await waitForDeliveries(load, sendFull.requests + sendHalf.requests + (sendHalf.warmup ?? 0));
      const dbAtEnd = await backends?.cpuMs();
      const send = { full: sendFull, half: sendHalf };
      const sendCpu = {
        cpuUs: perRequestUs(cpuAtHalf - cpuAtStart, sendFull),
        cpuUsHalf: perRequestUs(server.cpuMs() - cpuAtHalf, sendHalf),
        ...(dbAtStart === undefined || dbAtHalf === undefined || dbAtEnd === undefined
          ? {}
          : {
              dbCpuUs: perRequestUs(dbAtHalf - dbAtStart, sendFull),
              dbCpuUsHalf: perRequestUs(dbAtEnd - dbAtHalf, sendHalf),
            }),
      };
      measured(send.full);
      measured(send.half);
      row('sendOtpMobile', engine, send.full, {
        p99Half: send.half.p99,
        role: 'send',
        rssMb: server.rssMb(),
        ...sendCpu,
      });
      rows.push({
        scenario: 'sendOtpMobile sustained (with each delivery)',
        engine,
        perSecond: sustained,
      });
      log(`  sendOtpMobile sustained with its deliveries (${engine}): ${sustained.toFixed(0)}/s`);

      // The delivery queue may lag behind the sends: wait until every code has reached the receiver
      // (or the count stops growing), so each verification spends a real request with its real code.
      const sent = send.full.requests + send.half.requests + (send.half.warmup ?? 0);
      const delivered = await waitForDeliveries(load, sent);
      if (delivered < sent) log(`  only ${delivered} of ${sent} codes were delivered`);
      const full = await withCpu(
        server,
        () =>
          load.run({
            kind: 'autocannon',
            scenario: 'verifyOtp',
            ...common,
            amount: Math.floor(delivered * 0.6),
          }),
        backends,
      );
      measured(full.result);
      const half = await withCpu(
        server,
        () =>
          load.run({
            kind: 'autocannon',
            scenario: 'verifyOtp',
            ...common,
            rate: Math.max(1, Math.floor(full.result.perSecond / 2)),
          }),
        backends,
      );
      measured(half.result);
      row('verifyOtp', engine, full.result, {
        p99Half: half.result.p99,
        role: 'request',
        cpuUs: full.cpuUs,
        cpuUsHalf: half.cpuUs,
        ...(full.dbCpuUs === undefined ? {} : { dbCpuUs: full.dbCpuUs }),
        ...(half.dbCpuUs === undefined ? {} : { dbCpuUsHalf: half.dbCpuUs }),
      });
    }

    const flowJob = {
      kind: 'flow' as const,
      target: 'otpkit' as const,
      url: server.url,
      concurrency: connections,
      seconds,
      ...widget,
      authkey: AUTHKEY,
    };
    if (runs('flow')) {
      const flow = await withCpu(server, () => load.run(flowJob), backends);
      measured(flow.result, 4);
      row('flow (send → code → verify → verifyAccessToken)', engine, flow.result, {
        role: 'flow',
        cpuUs: flow.cpuUs,
        ...(flow.dbCpuUs === undefined ? {} : { dbCpuUs: flow.dbCpuUs }),
        rssMb: server.rssMb(),
        requestsServed: total,
      });
    }

    if (engine === 'postgres' && runs('pair')) {
      // Two otpkit processes on the one database, each request of a flow to the next (round robin).
      const second = await startOtpkit(engine, dir, load.receiverUrl, {
        appName: PG_APP_NAMES[1],
      });
      try {
        const both: CpuMeter = { cpuMs: () => server.cpuMs() + second.cpuMs() };
        const pair = await withCpu(
          both,
          () => load.run({ ...flowJob, more: [second.url] }),
          backends,
        );
        row('flow, two otpkit instances (round robin)', engine, pair.result, {
          role: 'flow',
          cpuUs: pair.cpuUs,
          ...(pair.dbCpuUs === undefined ? {} : { dbCpuUs: pair.dbCpuUs }),
          rssMb: server.rssMb() + second.rssMb(),
        });
      } finally {
        await second.stop();
      }
    }

    if (memoryRequests > 0) {
      log(`  memory: sending about ${memoryRequests} requests`);
      const started = Date.now();
      let peak = server.rssMb();
      const samples: { requests: number; rssMb: number }[] = [];
      while (total < memoryRequests) {
        const r = await load.run({
          kind: 'autocannon',
          scenario: 'sendOtpMobile',
          collect: true,
          ...common,
          seconds: 20,
        });
        measured(r);
        if ((await waitForDeliveries(load, r.requests)) > 0) {
          measured(await load.run({ kind: 'autocannon', scenario: 'verifyOtp', ...common }));
        }
        const g = await load.run({
          kind: 'autocannon',
          scenario: 'getWidgetProcess',
          ...common,
          seconds: 5,
        });
        measured(g);
        const rss = server.rssMb();
        peak = Math.max(peak, rss);
        samples.push({ requests: total, rssMb: rss });
        log(
          `    ${total} requests, RSS ${rss.toFixed(0)} MB, ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
      }
      rows.push({
        scenario: 'memory: peak RSS under load',
        engine,
        requestsServed: total,
        rssMb: peak,
        role: 'memory',
      });
      // What the process keeps once the load stops (and the garbage collector has had a moment).
      await new Promise((resolve) => setTimeout(resolve, 5000));
      rows.push({
        scenario: 'memory: RSS 5 s after the load',
        engine,
        requestsServed: total,
        rssMb: server.rssMb(),
        role: 'memory',
      });
      memorySamples.push({ engine, samples });
    }
  } finally {
    await server.stop();
    await backends?.stop();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'postgres') await dropPostgresSchema();
  }
}

/** RSS after each round of the memory run, per engine (printed after the table, with the slope). */
const memorySamples: { engine: string; samples: { requests: number; rssMb: number }[] }[] = [];

const ticksAtStart = machineTicks();
const load = await startLoadGenerator();
const startedAt = new Date();
let profileSummary: string | undefined;
let abSummary: string | undefined;
try {
  if (runs('ceiling') || runs('floor')) await ceiling(load);
  if (runs('peer')) await peer(load);
  if (runs('requests') || runs('flow') || runs('pair') || memoryRequests > 0) {
    for (const engine of engines) await otpkit(load, engine);
  }
  if (profile) profileSummary = await profileFlows(load);
  if (baselineRef) abSummary = await compareWithBaseline(load, baselineRef);
} finally {
  await load.stop();
}
const info = machine(ticksAtStart);
const settings = { seconds, connections, quick, memoryRequests, otpkitNodeOptions, only };
console.log(
  `\notpkit bench, ${startedAt.toISOString()}: ${info.cpu} (${info.cores} cores), Node ${info.node}; ` +
    `${seconds} s per measurement, ${connections} connections; otpkit node options: ${otpkitNodeOptions || 'none'}; load average ${info.loadAverage}; CPU stolen by the host ${info.stealPercent} %\n`,
);
console.log(formatTable(rows));
const ratios = ratioLines(rows);
if (ratios.length > 0) console.log(`\n${ratios.map((line) => `- ${line}`).join('\n')}`);
for (const { engine, samples } of memorySamples) {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.requests === first.requests) continue;
  const slope = ((last.rssMb - first.rssMb) / (last.requests - first.requests)) * 100_000;
  console.log(
    `\nMemory (${engine}), RSS after each round: ${samples.map((m) => `${m.requests}: ${m.rssMb.toFixed(1)} MB`).join(', ')}; ` +
      `slope from the first round to the last ${slope.toFixed(2)} MB per 100,000 requests`,
  );
}
if (profileSummary) console.log(`\n${profileSummary}`);
if (abSummary) console.log(`\n${abSummary}`);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'latest.json'),
  `${JSON.stringify({ startedAt, machine: info, settings, rows, memorySamples }, null, 2)}\n`,
);
console.log(`\nResults: ${join(resultsDir, 'latest.json')}`);
