/**
 * `pnpm --filter @otpkit/server bench:logs`: seeds a SQLite database with
 * 1,000,000 OTP requests (90 days, three widgets, four channels, resends,
 * failures, verifications, redeemed tokens) and their messages, applies the
 * logs migration (which backfills its columns and the hourly rollup), then
 * times first pages of the log under each filter, the analytics report and a
 * full streaming export. `BENCH_ROWS` changes the size.
 *
 * Targets: any filtered first page < 100 ms; 30-day analytics < 300 ms.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyticsReport } from '../src/core/logs/analytics.ts';
import { exportLogs } from '../src/core/logs/export.ts';
import { identifierCandidates } from '../src/core/logs/query.ts';
import { LOG_FIELDS } from '../src/core/logs/view.ts';
import { Database } from '../src/store/sqlite/driver.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { LogFilter } from '../src/store/types.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 30, 12);
const ACCOUNT = 'default';
const WIDGETS = ['w_alpha_000000000000000', 'w_beta_0000000000000000', 'w_gamma_000000000000000'];

const dir = mkdtempSync(join(tmpdir(), 'otpkit-logs-bench-'));
const file = join(dir, 'logs.db');
const migrations = new URL('../src/store/sqlite/migrations/', import.meta.url);

// A database at the schema before the logs migration.
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
db.exec('CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
for (const name of readdirSync(migrations)
  .filter((f) => f.endsWith('.sql'))
  .sort()) {
  if (name >= '006') continue;
  db.exec(readFileSync(new URL(name, migrations), 'utf8'));
  db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(name, NOW);
}
db.prepare('INSERT INTO accounts VALUES (?, ?, ?)').run(ACCOUNT, 'Default', NOW);
db.prepare('INSERT INTO accounts VALUES (?, ?, ?)').run('other', 'Other', NOW);
for (const [i, id] of WIDGETS.entries()) {
  db.prepare(
    'INSERT INTO widgets (id, account_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  ).run(id, ACCOUNT, JSON.stringify({ name: `Widget ${i}` }), NOW - 100 * DAY, NOW - 100 * DAY);
}
db.prepare(
  'INSERT INTO widgets (id, account_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
).run('w_other_000000000000000', 'other', '{"name":"Other"}', NOW, NOW);

// mulberry32: a small deterministic generator, the same data on every run.
let seed = 42;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const insertRequest = db.prepare(
  `INSERT INTO otp_requests (id, widget_id, identifier, contact_point, channel, code_hashes, status, attempts,
     max_attempts, resend_count, max_resends, resend_interval_ms, ttl_ms, last_sent_at, expires_at, verified_at,
     ip, host, user_agent, demo, country, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, '[]', ?, ?, 5, ?, 3, 30000, 600000, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertMessage = db.prepare(
  `INSERT INTO messages (id, request_id, widget_id, channel, purpose, recipient, payload, status, attempts,
     next_attempt_at, provider, error, created_at, updated_at, sent_at, delivered_at)
   VALUES (?, ?, ?, ?, ?, ?, '', ?, 1, ?, 'twilio', ?, ?, ?, ?, ?)`,
);
const insertToken = db.prepare(
  `INSERT INTO access_tokens (jti, request_id, widget_id, identifier, channel, issued_at, expires_at, verified_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
);

const COUNTRIES = [
  ['IN', '91', 10],
  ['US', '1', 10],
  ['GB', '44', 10],
  ['BR', '55', 11],
] as const;
let probePhone = '';
let probeEmail = '';
let probeReqId = '';

let t = performance.now();
const seedBatch = db.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const id = i.toString(16).padStart(24, '0');
    const createdAt = NOW - 90 * DAY + Math.floor((i / ROWS) * 90 * DAY);
    const widgetId = rand() < 0.6 ? WIDGETS[0]! : rand() < 0.7 ? WIDGETS[1]! : WIDGETS[2]!;
    const email = rand() < 0.25;
    const [country, cc, len] = pick(COUNTRIES);
    const identifier = email
      ? `user${Math.floor(rand() * 400_000)}@example.com`
      : `${cc}${String(7_000_000_000 + Math.floor(rand() * 2_999_999_999)).slice(0, len)}`;
    const channel = email ? 'email' : rand() < 0.85 ? 'sms' : 'whatsapp';
    const resends = rand() < 0.8 ? 0 : rand() < 0.6 ? 1 : rand() < 0.75 ? 2 : 3;
    const verified = rand() < 0.65;
    const status = verified ? 'verified' : rand() < 0.2 ? 'superseded' : 'pending';
    const verifiedAt = verified ? createdAt + 4_000 + Math.floor(rand() * 110_000) : null;
    const demo = rand() < 0.01 ? 1 : 0;
    if (i === Math.floor(ROWS / 2)) probeReqId = id;
    if (!email && !probePhone && i > ROWS / 2) probePhone = identifier;
    if (email && !probeEmail && i > ROWS * 0.9) probeEmail = identifier;
    insertRequest.run(
      id,
      widgetId,
      identifier,
      email ? 'email' : 'mobile',
      channel,
      status,
      verified ? 1 : Math.floor(rand() * 3),
      resends,
      createdAt + resends * 30_000,
      createdAt + 600_000,
      verifiedAt,
      `10.${i % 256}.${(i >> 8) % 256}.${(i >> 16) % 256}`,
      'shop.example.com',
      'Mozilla/5.0 (bench)',
      demo,
      email ? null : country,
      createdAt,
      verifiedAt ?? createdAt + resends * 30_000,
    );
    if (demo) continue;
    for (let m = 0; m <= resends; m++) {
      const mChannel = m === 0 || email ? channel : rand() < 0.5 ? 'voice' : 'sms';
      const r = rand();
      const mStatus = r < 0.85 ? 'delivered' : r < 0.93 ? 'sent' : 'failed';
      const at = createdAt + m * 30_000;
      insertMessage.run(
        `${id}-${m}`,
        id,
        widgetId,
        mChannel,
        m === 0 ? 'send' : 'retry',
        identifier,
        mStatus,
        at,
        mStatus === 'failed' ? 'undeliverable' : null,
        at,
        at,
        mStatus === 'failed' ? null : at + 500,
        mStatus === 'delivered' ? at + 3_000 : null,
      );
    }
    if (verified && rand() < 0.7) {
      insertToken.run(
        `jti-${id}`,
        id,
        widgetId,
        identifier,
        channel,
        verifiedAt,
        verifiedAt! + 300_000,
        rand() < 0.9 ? verifiedAt! + 800 : null,
      );
    }
  }
});
for (let from = 0; from < ROWS; from += 100_000) seedBatch(from, Math.min(ROWS, from + 100_000));
const messages = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
console.log(
  `otpkit logs bench: seeded ${ROWS.toLocaleString('en')} requests and ${messages.toLocaleString('en')} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
db.close();

// The logs migration: new columns, indexes, backfill and rollup.
const store = openSqliteStore(file);
t = performance.now();
await store.migrate();
console.log(
  `  migration 006 (indexes, backfill, rollup): ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
const peek = new Database(file, { readonly: true });
const rollupRows = (peek.prepare('SELECT count(*) AS n FROM log_rollup').get() as { n: number }).n;
peek.close();
console.log(`  rollup rows: ${rollupRows.toLocaleString('en')}`);

/** Median of `runs` timings after one warm-up run. */
async function time(run: () => Promise<unknown>, runs = 7): Promise<{ ms: number; cold: number }> {
  let start = performance.now();
  await run();
  const cold = performance.now() - start;
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    start = performance.now();
    await run();
    all.push(performance.now() - start);
  }
  all.sort((a, b) => a - b);
  return { ms: all[Math.floor(all.length / 2)]!, cold };
}

const base: LogFilter = { accountId: ACCOUNT };
const national = probePhone.replace(/^(91|1|44|55)/, '');
const pages: [string, LogFilter][] = [
  ['no filter', base],
  ['widgetId', { ...base, widgetId: WIDGETS[2]! }],
  ['reqId', { ...base, reqId: probeReqId }],
  [
    `identifier ${national} (no country code)`,
    { ...base, identifiers: identifierCandidates(national) },
  ],
  [
    `identifier ${probeEmail} (email)`,
    { ...base, identifiers: identifierCandidates(probeEmail.toUpperCase()) },
  ],
  ['last 24 h', { ...base, from: NOW - DAY }],
  ['a day 60 days ago', { ...base, from: NOW - 60 * DAY, to: NOW - 59 * DAY }],
  ['channel=voice', { ...base, channels: ['voice'] }],
  ['channel=whatsapp,voice', { ...base, channels: ['whatsapp', 'voice'] }],
  [
    'resendCount>1 & otpVerified=false',
    { ...base, resendCount: { op: 'gt', value: 1 }, otpVerified: false },
  ],
  ['resendCount=3', { ...base, resendCount: { op: 'eq', value: 3 } }],
  ['otpVerified=true', { ...base, otpVerified: true }],
  ['tokenVerified=true', { ...base, tokenVerified: true }],
  ['tokenVerified=false & otpVerified=true', { ...base, tokenVerified: false, otpVerified: true }],
  [
    'widget + voice + resend>2 + not verified',
    {
      ...base,
      widgetId: WIDGETS[2]!,
      channels: ['voice'],
      resendCount: { op: 'gt', value: 2 },
      otpVerified: false,
    },
  ],
  ['other account (no rows)', { accountId: 'other' }],
];

let worstPage = 0;
console.log('\n  first page (50 entries), median of 7 runs (first run in brackets):');
for (const [name, filter] of pages) {
  let found = 0;
  const { ms, cold } = await time(async () => {
    found = (await store.logs.list(filter, { limit: 50 })).entries.length;
  });
  worstPage = Math.max(worstPage, ms);
  console.log(
    `    ${name.padEnd(48)} ${ms.toFixed(2).padStart(7)} ms  (${cold.toFixed(1)} ms)  ${found} rows`,
  );
}
{
  const first = await store.logs.list(base, { limit: 50 });
  const { ms } = await time(() => store.logs.list(base, { limit: 50, cursor: first.nextCursor! }));
  console.log(`    ${'second page (cursor)'.padEnd(48)} ${ms.toFixed(2).padStart(7)} ms`);
}

console.log('\n  analytics report:');
let worst30 = 0;
for (const [name, days, groupBy, widgetId] of [
  ['30 days by day', 30, 'day', undefined],
  ['30 days by hour', 30, 'hour', undefined],
  ['30 days by day, one widget', 30, 'day', WIDGETS[0]],
  ['90 days by day', 90, 'day', undefined],
] as const) {
  let rows = 0;
  const { ms, cold } = await time(async () => {
    const report = await analyticsReport(store, {
      accountId: ACCOUNT,
      from: NOW - days * DAY,
      to: NOW,
      groupBy,
      ...(widgetId ? { widgetId } : {}),
    });
    rows = report.series.length;
  });
  if (days === 30) worst30 = Math.max(worst30, ms);
  console.log(
    `    ${name.padEnd(48)} ${ms.toFixed(2).padStart(7)} ms  (${cold.toFixed(1)} ms)  ${rows} buckets`,
  );
}

// A full export, streamed: rows per second and how much the heap grew.
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
let peakHeap = heapBefore;
let bytes = 0;
t = performance.now();
const stream = exportLogs(store, base, {
  format: 'csv',
  fields: LOG_FIELDS,
  maskIdentifiers: true,
});
for await (const chunk of stream) {
  bytes += chunk.byteLength;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const exportS = (performance.now() - t) / 1000;
console.log(
  `\n  export, every entry as CSV (masked): ${(bytes / 1e6).toFixed(0)} MB in ${exportS.toFixed(1)} s ` +
    `(${Math.round(ROWS / exportS).toLocaleString('en')} rows/s), heap grew at most ${((peakHeap - heapBefore) / 1e6).toFixed(0)} MB`,
);

console.log(
  `\n  worst first page ${worstPage.toFixed(1)} ms (target < 100) · worst 30-day analytics ${worst30.toFixed(1)} ms (target < 300)`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
