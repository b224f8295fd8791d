/**
 * The load generator, in its own process: the runner sends it one job at a
 * time over IPC and gets the measurements back. It starts the receiver
 * (receiver.ts, a process of its own) that delivery providers post codes to,
 * so a flow reads its code the honest way: as a message that was generated,
 * hashed, queued and delivered.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import type { Job, JobResult } from './protocol.ts';
import type { Delivered } from './receiver.ts';

/** Codes delivered to the receiver, by request id (otpkit) or recipient (peer). */
const codes = new Map<string, string>();
const waiters = new Map<string, (code: string) => void>();
/** otpkit request ids with known codes, for the verifyOtp scenario. */
const pending: { reqId: string; code: string }[] = [];
let collectPending = false;

function deliver(key: string, code: string, fromOtpkit: boolean): void {
  const waiter = waiters.get(key);
  if (waiter) {
    waiters.delete(key);
    waiter(code);
    return;
  }
  if (collectPending && fromOtpkit) pending.push({ reqId: key, code });
  else codes.set(key, code);
  if (codes.size > 100_000) codes.clear();
}

function codeFor(key: string, timeoutMs = 10_000): Promise<string> {
  const known = codes.get(key);
  if (known) {
    codes.delete(key);
    return Promise.resolve(known);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(key);
      reject(new Error(`no code delivered for ${key} within ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.set(key, (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const receiver = fork(new URL('./receiver.ts', import.meta.url).pathname, [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const receiverUrl = await new Promise<string>((resolve, reject) => {
  receiver.once('exit', (code) => reject(new Error(`receiver exited (${code})`)));
  receiver.once('message', (message: { receiverUrl?: string }) => {
    if (message.receiverUrl) resolve(message.receiverUrl);
    else reject(new Error('receiver?'));
  });
});
receiver.on('message', (delivered: Delivered[]) => {
  if (!Array.isArray(delivered)) return;
  for (const [key, code, fromOtpkit] of delivered) deliver(key, code, fromOtpkit);
});

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** The result of a run measured here: rate and latency percentiles of the latencies (ms) it kept. */
function measuredResult(
  scenario: string,
  latencies: number[],
  failures: number,
  seconds: number,
): JobResult {
  latencies.sort((a, b) => a - b);
  return {
    scenario,
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
    seconds,
    pending: pending.length,
  };
}

/** Distinct Indian mobile numbers: each send is a new identifier, as real traffic is. */
let nextNumber = Math.floor(Math.random() * 1e8);
const mobile = () => `919${String(nextNumber++ % 1e9).padStart(9, '0')}`;
let nextEmail = 0;
const email = () => `bench${process.pid}-${nextEmail++}@example.com`;

/** A request of a scenario: path, method and body (a new identifier, or a pending code, each time). */
function requestFor(
  job: Job & { kind: 'autocannon' },
  pairs: { reqId: string; code: string }[],
): { path: string; method: 'GET' | 'POST'; body?: string } | undefined {
  switch (job.scenario) {
    case 'ceiling':
      return { path: '/json', method: 'POST', body: JSON.stringify({ identifier: mobile() }) };
    case 'getWidgetProcess':
      return {
        path: `/api/v5/widget/getWidgetProcess?widgetId=${job.widgetId}&tokenAuth=${job.tokenAuth}`,
        method: 'GET',
      };
    case 'sendOtpMobile':
      return {
        path: '/api/v5/widget/sendOtpMobile',
        method: 'POST',
        body: JSON.stringify({
          widgetId: job.widgetId,
          tokenAuth: job.tokenAuth,
          identifier: mobile(),
        }),
      };
    case 'verifyOtp': {
      const pair = pairs.shift();
      if (!pair) return undefined;
      return {
        path: '/api/v5/widget/verifyOtp',
        method: 'POST',
        body: JSON.stringify({
          widgetId: job.widgetId,
          tokenAuth: job.tokenAuth,
          reqId: pair.reqId,
          otp: pair.code,
        }),
      };
    }
    case 'peerSend':
      return {
        path: '/api/auth/email-otp/send-verification-otp',
        method: 'POST',
        body: JSON.stringify({ email: email(), type: 'sign-in' }),
      };
  }
}

/** Seconds a paced phase runs at its rate before it measures: the pool opens its connections, the path warms up. */
const WARMUP_SECONDS = 1;

/**
 * A fixed rate, evenly spaced (open loop): request i is due at start + i/rate
 * and is sent then whether or not earlier ones were answered, and its
 * latency counts from when it was due, so time spent queued behind a slow
 * answer is measured (no coordinated omission). autocannon's `overallRate`
 * is not this: each connection sends its share of the second as fast as it
 * can, then waits for the next second, so "half load" was full speed for
 * half of every second. The first second runs at the same rate unmeasured
 * (`WARMUP_SECONDS`): the pool's connections are new, and their opening
 * is not what the phase measures. `BENCH_TIMELINE=1` prints the worst
 * latency of every quarter second of a phase.
 */
async function paced(job: Job & { kind: 'autocannon'; rate: number }): Promise<JobResult> {
  if (job.scenario === 'sendOtpMobile') collectPending = job.collect === true;
  const pairs = job.scenario === 'verifyOtp' ? pending.splice(0, job.amount ?? pending.length) : [];
  const pool = new Pool(job.url, { connections: Math.max(job.connections, 64), pipelining: 1 });
  const latencies: number[] = [];
  const timeline: number[] = [];
  let failures = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const measureFrom = start + WARMUP_SECONDS * 1000;
  const end = measureFrom + job.seconds * 1000;
  const fire = (due: number) => {
    const request = requestFor(job, pairs);
    if (!request) return false;
    const measured = due >= measureFrom;
    const done = pool
      .request({
        path: request.path,
        method: request.method,
        ...(request.body
          ? { body: request.body, headers: { 'content-type': 'application/json' } }
          : {}),
      })
      .then(async (res) => {
        await res.body.dump();
        if (!measured) return;
        const latency = performance.now() - due;
        if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(latency);
        else failures++;
        const quarter = Math.floor((due - measureFrom) / 250);
        timeline[quarter] = Math.max(timeline[quarter] ?? 0, latency);
      })
      .catch(() => {
        if (measured) failures++;
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
    return true;
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const dueBy = Math.min(now, end);
      let more = true;
      while (more && start + (sent * 1000) / job.rate <= dueBy) {
        more = fire(start + (sent * 1000) / job.rate);
        sent++;
      }
      if (!more || now >= end) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inFlight);
  await pool.close();
  if (process.env.BENCH_TIMELINE) {
    console.error(
      `  timeline ${job.scenario} @ ${job.rate}/s, worst ms per 250 ms: ${timeline.map((v) => v.toFixed(0)).join(' ')}`,
    );
  }
  const warmup = Math.min(sent, Math.ceil(WARMUP_SECONDS * job.rate));
  return {
    ...measuredResult(
      job.scenario,
      latencies,
      failures,
      // A phase that ran out of requests (verifyOtp's codes) during its warm-up measured nothing.
      Math.max(0.001, (Math.min(performance.now(), end) - measureFrom) / 1000),
    ),
    warmup,
  };
}

async function cannon(job: Job & { kind: 'autocannon' }): Promise<JobResult> {
  if (job.rate) return paced({ ...job, rate: job.rate });
  if (job.scenario === 'sendOtpMobile') collectPending = job.collect === true;
  const verifying = job.scenario === 'verifyOtp';
  // Each verification spends one real pending request whose code was delivered.
  const pairs = verifying ? pending.splice(0, job.amount ?? pending.length) : [];
  if (verifying && pairs.length === 0) {
    throw new Error('verifyOtp: no pending requests with known codes');
  }
  let i = 0;
  const options: autocannon.Options = {
    url: job.url,
    // autocannon refuses more connections than requests: a round of the memory run whose sends
    // were few (a stalled machine) verifies its few codes on fewer connections.
    connections: verifying ? Math.min(job.connections, pairs.length) : job.connections,
    pipelining: 1,
    ...(verifying ? { amount: pairs.length } : { duration: job.seconds }),
    requests: [
      {
        setupRequest: (r) => {
          // (autocannon may ask for a request past `amount`: the pairs are then reused.)
          const request = requestFor(job, verifying ? [pairs[i++ % pairs.length]!] : [])!;
          return {
            ...r,
            method: request.method,
            path: request.path,
            ...(request.body
              ? { body: request.body, headers: { 'content-type': 'application/json' } }
              : {}),
          };
        },
      },
    ],
  };
  const result = await autocannon(options);
  // Still collecting: codes of the run's last sends arrive after it ends, and the runner waits for
  // them (status jobs) before the next job, which stops the collection (see the message handler).
  const seconds = result.duration;
  return {
    scenario: job.scenario,
    requests: result.requests.total,
    perSecond: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    seconds,
    pending: pending.length,
  };
}

/** Complete flows in a closed loop: each worker runs one flow after another. */
async function flows(job: Job & { kind: 'flow' }): Promise<JobResult> {
  // One pool per server; with several (job.more), each request goes to the next (round robin).
  const pools = [job.url, ...(job.more ?? [])].map(
    (url) => new Pool(url, { connections: job.concurrency, pipelining: 1 }),
  );
  let turn = 0;
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const pool = pools[turn++ % pools.length]!;
    const res = await pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await res.body.json()) as Record<string, unknown>;
    if (res.statusCode !== 200)
      throw new Error(`${path} ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  const otpkitFlow = async () => {
    const sent = await post('/api/v5/widget/sendOtpMobile', {
      widgetId: job.widgetId,
      tokenAuth: job.tokenAuth,
      identifier: mobile(),
    });
    const reqId = String(sent.message);
    const otp = await codeFor(reqId);
    const verified = await post('/api/v5/widget/verifyOtp', {
      widgetId: job.widgetId,
      tokenAuth: job.tokenAuth,
      reqId,
      otp,
    });
    await post(
      '/api/v5/widget/verifyAccessToken',
      { 'access-token': verified['access-token'] },
      { authkey: job.authkey ?? '' },
    );
  };
  const peerFlow = async () => {
    const to = email();
    await post('/api/auth/email-otp/send-verification-otp', { email: to, type: 'sign-in' });
    const otp = await codeFor(to);
    const signedIn = await post('/api/auth/sign-in/email-otp', { email: to, otp });
    if (typeof signedIn.token !== 'string') throw new Error('peer sign-in returned no session');
  };
  const floorFlow = async () => {
    const sent = await post('/floor/send', { identifier: mobile() });
    const reqId = String(sent.message);
    const otp = await codeFor(reqId);
    const verified = await post('/floor/verify', { reqId, otp });
    await post('/floor/verifyAccessToken', { 'access-token': verified['access-token'] });
  };
  const run = job.target === 'peer' ? peerFlow : job.target === 'floor' ? floorFlow : otpkitFlow;
  const latencies: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await run();
          latencies.push(performance.now() - t);
        } catch (error) {
          failures++;
          firstError ??= String(error);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pools.map((pool) => pool.close()));
  return {
    ...measuredResult(`${job.target}Flow`, latencies, failures, seconds),
    ...(firstError ? { error: firstError } : {}),
  };
}

/** How many delivered codes wait for the verifyOtp scenario. */
async function status(): Promise<JobResult> {
  return {
    scenario: 'status',
    requests: 0,
    perSecond: 0,
    p50: 0,
    p99: 0,
    failures: 0,
    seconds: 0,
    pending: pending.length,
  };
}

process.on('message', (job: Job) => {
  // A send job that collects turns collection on (in cannon()); any other job but a status turns it off.
  if (job.kind !== 'status') collectPending = false;
  const work = job.kind === 'status' ? status() : job.kind === 'flow' ? flows(job) : cannon(job);
  work.then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
process.send?.({ ready: true, receiverUrl });
