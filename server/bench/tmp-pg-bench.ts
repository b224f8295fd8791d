/**
 * `pnpm bench`: measures the OTP flow over real HTTP on loopback against a
 * fresh SQLite database, and prints throughput and latency percentiles.
 * Bounded: a fixed number of flows, then it stops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../src/server.ts';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const dir = mkdtempSync(join(tmpdir(), 'otpkit-bench-'));
const server = await startServer({
  env: {
    NODE_ENV: 'development',
    PORT: '0',
    DATABASE_URL: process.env.BENCH_DB ?? `sqlite:${join(dir, 'bench.db')}`,
    // One client on one IP sends thousands of codes: the limits would (rightly) stop it.
    OTPKIT_LIMIT_IP: '1000000/3600',
    OTPKIT_LIMIT_WIDGET: '1000000/3600',
    OTPKIT_LIMIT_COUNTRY: '1000000/3600',
    OTPKIT_LIMIT_VERIFY_IP: '1000000/600',
  },
});
// A widget without captcha: the benchmark measures the OTP flow, not proof-of-work solving.
const created = await fetch(`${server.url}/api/v1/widgets`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authkey: server.report.newAuthkey! },
  body: JSON.stringify({ name: 'bench', contactPoints: ['email'], captcha: { provider: 'none' } }),
});
const { widgetId, tokenAuth } = (await created.json()) as { widgetId: string; tokenAuth: string };
const api = `${server.url}/api/v5/widget`;

async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${api}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const timings: Record<'send' | 'verify', number[]> = { send: [], verify: [] };
let failures = 0;

async function flow(i: number): Promise<void> {
  const identifier = `bench${i}@example.com`;
  let t = performance.now();
  const sent = await post('sendOtpMobile', { widgetId, tokenAuth, identifier });
  timings.send.push(performance.now() - t);
  if (sent.status !== 200) {
    failures++;
    return;
  }
  let [message] = await server.services.store.outbox.list({ to: identifier, limit: 1 });
  for (let k = 0; !message && k < 500; k++) {
    await new Promise((r) => setTimeout(r, 5));
    [message] = await server.services.store.outbox.list({ to: identifier, limit: 1 });
  }
  const otp = message?.text.match(/\d{6}/)?.[0];
  t = performance.now();
  const verified = await post('verifyOtp', { widgetId, tokenAuth, reqId: sent.json.message, otp });
  timings.verify.push(performance.now() - t);
  if (verified.status !== 200) failures++;
}

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < FLOWS) await flow(next++);
  }),
);
const seconds = (performance.now() - started) / 1000;

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
console.log(
  `otpkit bench: ${FLOWS} send+verify flows, concurrency ${CONCURRENCY}, SQLite (WAL), loopback HTTP`,
);
console.log(
  `  throughput: ${(FLOWS / seconds).toFixed(0)} flows/s (${((FLOWS * 2) / seconds).toFixed(0)} requests/s)`,
);
for (const kind of ['send', 'verify'] as const) {
  const v = timings[kind];
  console.log(
    `  ${kind.padEnd(6)} p50 ${pct(v, 50).toFixed(2)} ms  p95 ${pct(v, 95).toFixed(2)} ms  p99 ${pct(v, 99).toFixed(2)} ms`,
  );
}
console.log(`  failures: ${failures}`);
await server.close();
rmSync(dir, { recursive: true, force: true });
process.exit(failures === 0 ? 0 : 1);
