/**
 * The delivery worker's batch (`messages.finish`) and a verification take the
 * same rows: each request of the batch, and the hour's `log_rollup` row that
 * the status triggers upsert. A verification takes its request, then the
 * rollup row; the batch must too, or each waits for the other (a deadlock
 * PostgreSQL breaks after `deadlock_timeout`, failing one of them).
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withWidgetW1 } from '../conformance/fixtures.ts';
import { openPostgresStore, type PostgresStore } from './index.ts';
import { freshSchema, TEST_DATABASE_URL, testRequest } from './test-database.ts';

const db = freshSchema();
let store: PostgresStore;
const T0 = Date.UTC(2026, 0, 1);
const IDS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];

beforeAll(async () => {
  store = openPostgresStore(db.url);
  await withWidgetW1(store, T0);
  for (const [i, id] of IDS.entries()) {
    const identifier = `91987654321${i}`;
    await store.otpRequests.send({
      limits: [],
      limitsNow: T0,
      pumping: null,
      request: testRequest(id, T0, { identifier, codeHashes: ['hash'], guessOwner: null }),
      message: {
        id: `m_${id}`,
        requestId: id,
        widgetId: 'w_1',
        channel: 'sms',
        purpose: 'send',
        recipient: identifier,
        payload: 'sealed',
        createdAt: T0,
      },
      event: {
        widgetId: 'w_1',
        ip: null,
        host: null,
        userAgent: null,
        createdAt: T0,
        kind: 'send',
      },
    });
  }
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

it('a batch of outcomes waits for a request a verification holds, before taking the rollup row', async () => {
  await store.messages.claimDue(T0, 60_000, 10);
  // A verification of r1, in an open transaction: it holds r1 ...
  const verification = new pg.Client({ connectionString: db.url });
  await verification.connect();
  const watcher = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await watcher.connect();
  try {
    await verification.query(`SET search_path TO ${db.schema}`);
    await verification.query('BEGIN');
    await verification.query("UPDATE otp_requests SET attempts = attempts + 1 WHERE id = 'r1'");
    // ... while the worker finishes the batch (r1's message last) ...
    const batch = store.messages.finish(
      [...IDS].reverse().map((id, n) => ({
        id: `m_${id}`,
        now: T0 + 10 + n,
        deliveries: [],
        kind: 'sent' as const,
        provider: 'webhook',
        providerMessageId: `pm_${id}`,
        fallbackAt: null,
      })),
    );
    const failed = batch.then(
      () => undefined,
      (error: Error) => error,
    );
    // ... which must be waiting for r1 (a lock), not running ahead ...
    for (let i = 0; ; i++) {
      const { rows } = await watcher.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE messages m SET%'`,
      );
      if (rows[0].n > 0) break;
      if (i > 200) throw new Error('the batch never waited for the verification');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // ... when the verification completes: its request, then the hour's rollup row.
    await verification.query("UPDATE otp_requests SET status = 'verified' WHERE id = 'r1'");
    await verification.query('COMMIT');
    expect(await failed).toBeUndefined();
  } finally {
    await verification.end();
    await watcher.end();
  }
  const sent = await Promise.all(IDS.map((id) => store.messages.listForRequest(id)));
  expect(sent.map((m) => m[0]?.status)).toEqual(IDS.map(() => 'sent'));
  const check = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await check.connect();
  try {
    const { rows } = await check.query(
      `SELECT sum(sent)::int AS sent, sum(verified)::int AS verified
       FROM ${db.schema}.log_rollup WHERE widget_id = 'w_1'`,
    );
    expect(rows).toEqual([{ sent: IDS.length, verified: 1 }]);
  } finally {
    await check.end();
  }
});
