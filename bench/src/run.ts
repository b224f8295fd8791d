/**
 * `pnpm bench`: otpkit under load on loopback, beside a bare Hono JSON route
 * (the stack's ceiling) and better-auth's email-OTP sign-in (the peer).
 * Every server runs in its own process, the load generator in another.
 *
 *   pnpm bench                 full run (10 s per measurement)
 *   pnpm bench --quick         short run (3 s per measurement)
 *   pnpm bench --memory=1000000  also send that many requests to otpkit and report its RSS
 *   pnpm bench --engines=sqlite  only these engines (sqlite,postgres)
 *   pnpm bench --profile       also profile otpkit (node --cpu-prof) over a SQLite complete-flow run of
 *                              its own, and print its top self-time functions (bench/results/profiles/)
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
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  type LoadGenerator,
  type ServerProcess,
  startLoadGenerator,
  startServerProcess,
} from './children.ts';
import { PostgresBackends } from './postgres-cpu.ts';
import { summarizeProfile } from './profile.ts';
import type { Job, JobResult } from './protocol.ts';
import { formatTable, type Row, ratioLines } from './table.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const value = (name: string) => flag(name)?.split('=')[1];
const quick = flag('quick') !== undefined;
const seconds = Number(value('seconds') ?? (quick ? 3 : 10));
const connections = Number(value('connections') ?? 32);
const memoryRequests = Number(value('memory') ?? 0);
const engines = (value('engines') ?? 'sqlite,postgres').split(',');
const profile = flag('profile') !== undefined;
const PARTS = ['ceiling', 'floor', 'peer', 'requests', 'flow', 'pair'] as const;
const only = value('only')?.split(',');
const unknownPart = only?.find((p) => !(PARTS as readonly string[]).includes(p));
if (unknownPart) throw new Error(`--only: unknown part ${unknownPart} (${PARTS.join(', ')})`);
/** Whether a part of the run was asked for (all are, without --only). */
const runs = (part: (typeof PARTS)[number]) => only === undefined || only.includes(part);
/** Extra Node options for the otpkit process only, e.g. `--node-options=--max-semi-space-size=2`. */
const nodeOptionFlags = args.filter((a) => a.startsWith('--node-options='));
// By default otpkit runs with the heap cap the README recommends for production; `--node-options=` (empty) runs it without.
const otpkitNodeOptions =
  nodeOptionFlags.length > 0
    ? nodeOptionFlags
        .map((a) => a.slice('--node-options='.length))
        .join(' ')
        .trim()
    : '--max-old-space-size=64 --max-semi-space-size=4';

/** The Node options otpkit (and the bare routes' server, for a like-for-like floor) runs with. */
const nodeFlags = otpkitNodeOptions ? otpkitNodeOptions.split(' ') : [];

const here = new URL('.', import.meta.url).pathname;
const resultsDir = join(here, '..', 'results');
const otpkitBin = join(here, '..', '..', 'server', 'bin', 'otpkit.mjs');
const baselineRef = value('baseline');
// Production (what the bench measures) refuses guessable secrets: fresh random ones per run.
const AUTHKEY = `otpk_${randomBytes(32).toString('base64url')}`;
const WEBHOOK_SECRET = randomBytes(32).toString('base64');
// One per run: the pair row's two instances share the database, so they must share its secret too.
const OTPKIT_SECRET = randomBytes(32).toString('base64');

// otpkit runs as it ships: bundled (`pnpm build`), which bin/otpkit.mjs prefers when it is up to date.
execFileSync(process.execPath, [join(here, '..', '..', 'server', 'scripts', 'build.mjs')], {
  stdio: 'inherit',
});

const rows: Row[] = [];
const log = (text: string) => process.stderr.write(`${text}\n`);

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

/** Server CPU per request of a phase, in µs. */
const perRequestUs = (cpuMs: number, r: JobResult) =>
  (cpuMs * 1000) / Math.max(1, r.requests + r.failures + (r.warmup ?? 0));

/** Something whose CPU time is measured over a phase: a server process, or several; PostgreSQL's backends. */
interface CpuMeter {
  cpuMs(): number | Promise<number>;
}

/**
 * Runs a phase and measures the server's CPU time over it, per request (and
 * the database's, when its backends are metered).
 */
async function withCpu(
  server: CpuMeter,
  phase: () => Promise<JobResult>,
  db?: CpuMeter,
): Promise<{ result: JobResult; cpuUs: number; dbCpuUs?: number }> {
  const dbBefore = await db?.cpuMs();
  const before = await server.cpuMs();
  const result = await phase();
  const cpuUs = perRequestUs((await server.cpuMs()) - before, result);
  if (!db || dbBefore === undefined) return { result, cpuUs };
  return { result, cpuUs, dbCpuUs: perRequestUs((await db.cpuMs()) - dbBefore, result) };
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

const PG_SCHEMA = `otpkit_bench_${process.pid}_${Date.now()}`;

/**
 * Each run starts from an empty database: a temporary SQLite file, or a PostgreSQL schema of its own.
 * On PostgreSQL each otpkit instance names its connections (`application_name`), so that its
 * backends' CPU can be read from /proc.
 */
function engineUrl(engine: string, dir: string, appName: string = PG_APP_NAMES[0]): string {
  if (engine === 'sqlite') return `sqlite:${join(dir, 'otpkit.db')}`;
  if (engine === 'postgres') {
    const url = new URL(postgresBase());
    url.searchParams.set('schema', PG_SCHEMA);
    url.searchParams.set('options', `-c application_name=${appName}`);
    return url.toString();
  }
  throw new Error(`unknown engine ${engine} (sqlite or postgres)`);
}

/** The `application_name` of each otpkit instance's PostgreSQL connections (the pair row runs two). */
const PG_APP_NAMES = [`otpkit_bench_${process.pid}_a`, `otpkit_bench_${process.pid}_b`] as const;

function postgresBase(): string {
  return process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Drops the run's PostgreSQL schema (if the adapter created one). */
async function dropPostgresSchema(): Promise<void> {
  const client = new pg.Client({ connectionString: postgresBase() });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
  } catch (error) {
    log(`  could not drop schema ${PG_SCHEMA}: ${String(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function startOtpkit(
  engine: string,
  dir: string,
  receiverUrl: string,
  options: { appName?: string; profileDir?: string; bin?: string } = {},
): Promise<ServerProcess> {
  const nodeArgs = [
    ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
    ...nodeFlags,
    options.bin ?? otpkitBin,
    'serve',
  ];
  return startServerProcess(nodeArgs, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: engineUrl(engine, dir, options.appName),
    OTPKIT_DATA_DIR: dir,
    OTPKIT_SECRET,
    OTPKIT_AUTHKEY: AUTHKEY,
    OTPKIT_METRICS_TOKEN: randomBytes(32).toString('base64url'),
    // Required in production; only the token issuer and report URLs name it (nothing fetches it).
    OTPKIT_PUBLIC_URL: 'http://otpkit.bench.invalid',
    OTPKIT_WEBHOOK_URL: receiverUrl,
    OTPKIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    OTPKIT_WEBHOOK_CHANNELS: 'sms,email',
    // One load generator on one IP sends hundreds of thousands of codes: production limits
    // (30 sends per IP an hour, 2000 per widget, …) would rightly stop it after a few.
    OTPKIT_LIMIT_IP: '1000000000/3600',
    OTPKIT_LIMIT_WIDGET: '1000000000/3600',
    OTPKIT_LIMIT_COUNTRY: '1000000000/3600',
    OTPKIT_LIMIT_VERIFY_IP: '1000000000/600',
    // Every verifyAccessToken comes from the one load generator too (1200 a minute by default).
    OTPKIT_LIMIT_AUTH_IP: '1000000000/60',
    OTPKIT_PUMPING_MIN: '1000000000',
  });
}

async function createWidget(url: string): Promise<{ widgetId: string; tokenAuth: string }> {
  const res = await fetch(`${url}/api/v1/widgets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authkey: AUTHKEY },
    // No captcha: the bench measures the OTP flow, not a browser solving proof of work.
    body: JSON.stringify({
      name: 'bench',
      contactPoints: ['mobile', 'email'],
      captcha: { provider: 'none' },
    }),
  });
  if (!res.ok) throw new Error(`creating the bench widget: ${res.status} ${await res.text()}`);
  // Only the credentials: any other key of a send's body is a template variable.
  const { widgetId, tokenAuth } = (await res.json()) as { widgetId: string; tokenAuth: string };
  return { widgetId, tokenAuth };
}

/** Polls the load generator until `expected` codes were delivered or none arrived for 5 s. */
async function waitForDeliveries(load: LoadGenerator, expected: number): Promise<number> {
  let last = -1;
  let still = 0;
  for (;;) {
    const { pending } = await load.run({ kind: 'status' });
    if (pending >= expected) return pending;
    still = pending === last ? still + 1 : 0;
    if (still >= 10) return pending;
    last = pending;
    await new Promise((resolve) => setTimeout(resolve, 500));
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

/**
 * `--profile`: a SQLite otpkit of its own under `node --cpu-prof`, loaded with
 * complete flows only, then stopped (the profile is written at exit) and
 * summarised: the functions with the most self time, per flow. The floor's
 * server is profiled the same way over floor flows, for comparison.
 */
async function profileFlows(load: LoadGenerator): Promise<string> {
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const out: string[] = [];
  for (const target of ['otpkit', 'floor'] as const) {
    log(`profile: ${target} under --cpu-prof, complete flows`);
    const dir = mkdtempSync(join(tmpdir(), 'otpkit-bench-profile-'));
    const profileDir = join(resultsDir, 'profiles', `${target}-flow-${Date.now()}`);
    mkdirSync(profileDir, { recursive: true });
    const profiling = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    const server =
      target === 'otpkit'
        ? await startOtpkit('sqlite', dir, load.receiverUrl, { profileDir })
        : await startServerProcess(
            [...profiling, ...nodeFlags, '--import', 'tsx', join(here, 'servers/ceiling.ts')],
            { BENCH_RECEIVER_URL: load.receiverUrl },
          );
    let flows = 0;
    let window: { fromUs: number; toUs: number } | undefined;
    try {
      const widget = target === 'otpkit' ? await createWidget(server.url) : {};
      const fromUs = nowUs();
      const r = await load.run({
        kind: 'flow',
        target,
        url: server.url,
        concurrency: connections,
        seconds,
        ...widget,
        authkey: AUTHKEY,
      });
      flows = r.requests;
      window = { fromUs, toUs: nowUs() };
      log(`  ${r.requests} flows under the profiler (${r.perSecond.toFixed(0)}/s)`);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const summary = summarizeProfile(profileDir, flows, target === 'otpkit' ? 30 : 15, window);
    writeFileSync(join(profileDir, 'top.md'), `${summary}\n`);
    out.push(
      `Profile of ${target === 'otpkit' ? "otpkit's SQLite complete flow" : 'the floor flow'} (${profileDir}):\n\n${summary}`,
    );
  }
  return out.join('\n\n');
}

/**
 * `--baseline=<ref>`: that commit's server (`git archive` of server/ into
 * bench/results/baseline, this tree's node_modules linked in, bundled by its
 * own build script) against this tree's, both on SQLite and running at once,
 * loaded with complete flows in turns (this tree, the baseline, four times
 * each after a warm-up turn, a quarter of the run's seconds a turn): a change's CPU per flow as a
 * ratio within one run, the turns interleaved so that the machine's moods
 * fall on both.
 */
async function compareWithBaseline(load: LoadGenerator, ref: string): Promise<string> {
  const repo = join(here, '..', '..');
  const base = join(resultsDir, 'baseline');
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: repo })
    .toString()
    .trim();
  log(`baseline: server/ of ${ref} (${commit})`);
  execFileSync('sh', ['-c', `git archive ${commit} server | tar -x -C '${base}'`], { cwd: repo });
  symlinkSync(join(repo, 'server', 'node_modules'), join(base, 'server', 'node_modules'));
  execFileSync(process.execPath, [join(base, 'server', 'scripts', 'build.mjs')], {
    stdio: 'inherit',
  });
  const bins = { this: otpkitBin, baseline: join(base, 'server', 'bin', 'otpkit.mjs') };
  const servers: Record<
    string,
    { server: ServerProcess; dir: string; widget: { widgetId: string; tokenAuth: string } }
  > = {};
  const lines: string[] = [];
  try {
    for (const [name, bin] of Object.entries(bins)) {
      const dir = mkdtempSync(join(tmpdir(), `otpkit-bench-ab-${name}-`));
      const server = await startOtpkit('sqlite', dir, load.receiverUrl, { bin });
      servers[name] = { server, dir, widget: await createWidget(server.url) };
    }
    const totals: Record<string, { cpuMs: number; flows: number }> = {
      this: { cpuMs: 0, flows: 0 },
      baseline: { cpuMs: 0, flows: 0 },
    };
    // Turn 0 warms each server up (JIT, caches) and is not counted.
    for (let turn = 0; turn <= 4; turn++) {
      for (const name of ['this', 'baseline']) {
        const { server, widget } = servers[name]!;
        const r = await withCpu(server, () =>
          load.run({
            kind: 'flow',
            target: 'otpkit',
            url: server.url,
            concurrency: connections,
            seconds: Math.max(1, seconds / 4),
            ...widget,
            authkey: AUTHKEY,
          }),
        );
        if (turn === 0) continue;
        totals[name]!.cpuMs += (r.cpuUs * r.result.requests) / 1000;
        totals[name]!.flows += r.result.requests;
        lines.push(
          `  turn ${turn}, ${name}: ${r.result.perSecond.toFixed(0)} flows/s, ${r.cpuUs.toFixed(0)} µs per flow`,
        );
      }
    }
    const perFlow = (name: string) =>
      (totals[name]!.cpuMs * 1000) / Math.max(1, totals[name]!.flows);
    return [
      `A/B, SQLite complete flow: this tree against ${ref} (${commit}), turns interleaved:`,
      ...lines,
      `this tree ${perFlow('this').toFixed(0)} µs, baseline ${perFlow('baseline').toFixed(0)} µs of server CPU per flow: ` +
        `this / baseline ${(perFlow('this') / perFlow('baseline')).toFixed(3)}×`,
    ].join('\n');
  } finally {
    for (const { server, dir } of Object.values(servers)) {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** CPU time of the whole machine from /proc/stat, in clock ticks: all of it, and what the hypervisor took (steal). */
function machineTicks(): { total: number; steal: number } {
  try {
    // user nice system idle iowait irq softirq steal (guest time is already counted in user).
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1, 9);
    const ticks = fields.map(Number);
    return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 };
  } catch {
    return { total: 0, steal: 0 };
  }
}
const ticksAtStart = machineTicks();

function machine(): Record<string, unknown> {
  const ticks = machineTicks();
  const total = ticks.total - ticksAtStart.total;
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch} ${release()}`,
    // Other work on the machine skews every number: the 1-minute load average when the run ended.
    loadAverage: loadavg()[0]?.toFixed(2),
    // On a virtual machine the host may take CPU time from it (steal): the share of this run's.
    stealPercent:
      total > 0 ? ((100 * (ticks.steal - ticksAtStart.steal)) / total).toFixed(1) : 'unknown',
  };
}

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
const info = machine();
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
