/**
 * How often a send and a code check rewrite the request row on PostgreSQL,
 * and whether the rewrite is a HOT update (no new index entries): read from
 * `pg_stat_xact_user_tables`, which counts the current transaction's row
 * writes, with the store's own statements run on one client inside a
 * transaction (rolled back).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWidgetW1 } from '../conformance/fixtures.ts';
import { openPool, parsePgUrl } from './db.ts';
import { openPostgresStore, type PostgresStore } from './index.ts';
import { send, verify } from './operations.ts';
import { freshSchema, testRequest } from './test-database.ts';

const db = freshSchema();
let store: PostgresStore;
let pool: pg.Pool;

const T0 = Date.UTC(2026, 0, 1);
const event = { widgetId: 'w_1', ip: '203.0.113.9', host: 'h', userAgent: 'ua', createdAt: T0 };

/**
 * Starts a transaction on `client`; the answer counts the `otp_requests` rows updated in it
 * since, and how many of those updates were HOT. (The counters may still hold the earlier
 * transactions of the connection, not yet reported: hence the difference.)
 */
async function begin(client: pg.PoolClient) {
  await client.query('BEGIN');
  const read = async () => {
    const { rows } = await client.query<{ upd: string; hot: string }>(
      `SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables
       WHERE relid = 'otp_requests'::regclass`,
    );
    return { updates: Number(rows[0]!.upd), hot: Number(rows[0]!.hot) };
  };
  const start = await read();
  return async () => {
    const now = await read();
    return { updates: now.updates - start.updates, hot: now.hot - start.hot };
  };
}

beforeAll(async () => {
  store = openPostgresStore(db.url);
  await withWidgetW1(store, T0);
  pool = openPool(parsePgUrl(db.url));
});
afterAll(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

describe('request row writes on PostgreSQL', () => {
  it('a send writes its request once, a right code rewrites it once, as a HOT update', async () => {
    const client = await pool.connect();
    try {
      const requestUpdates = await begin(client);
      const sent = await send(client, {
        limits: [],
        limitsNow: T0,
        pumping: null,
        request: testRequest('r1', T0, { codeHashes: ['right'] }),
        message: {
          id: 'm1',
          requestId: 'r1',
          widgetId: 'w_1',
          channel: 'sms',
          purpose: 'send',
          recipient: '919876543210',
          payload: 'sealed',
          createdAt: T0,
        },
        event: { ...event, kind: 'send' },
      });
      expect(sent.kind).toBe('created');
      // The message's log columns came with the INSERT: its trigger rewrote nothing.
      expect(await requestUpdates()).toEqual({ updates: 0, hot: 0 });
      const { rows } = await client.query(
        "SELECT last_message_id, delivery_status, log_channels FROM otp_requests WHERE id = 'r1'",
      );
      expect(rows[0]).toEqual({
        last_message_id: 'm1',
        delivery_status: 'pending',
        log_channels: 1,
      });

      const verified = await verify(client, {
        limits: [],
        limitsNow: T0,
        id: 'r1',
        widgetId: 'w_1',
        now: T0 + 1000,
        candidates: ['right'],
        guess: { keyPrefix: 'guess:', points: 5, seconds: 60 },
        token: { jti: 'j1', issuedAt: T0, expiresAt: T0 + 60_000 },
        event: { ...event, kind: 'verify' },
      });
      expect(verified.kind).toBe('verified');
      if (verified.kind === 'verified') expect(verified.request.attempts).toBe(0);
      // One rewrite (not the attempt, then the verification), and no index entries for it.
      expect(await requestUpdates()).toEqual({ updates: 1, hot: 1 });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('a wrong code rewrites the request once; a refusal by the guess budget not at all', async () => {
    const client = await pool.connect();
    try {
      const requestUpdates = await begin(client);
      await send(client, {
        limits: [],
        limitsNow: T0,
        pumping: null,
        request: testRequest('r2', T0, { codeHashes: ['right'] }),
        event: { ...event, kind: 'send' },
      });
      const wrong = (now: number) =>
        verify(client, {
          limits: [],
          limitsNow: T0,
          id: 'r2',
          widgetId: 'w_1',
          now,
          candidates: ['wrong'],
          guess: { keyPrefix: 'guess:', points: 1, seconds: 60 },
          event: { ...event, kind: 'verify' },
        });
      const first = await wrong(T0 + 1000);
      expect(first.kind).toBe('mismatch');
      if (first.kind === 'mismatch') expect(first.claimed.attempts).toBe(1);
      expect(await requestUpdates()).toEqual({ updates: 1, hot: 1 });
      // The budget (1 point) is spent: refused, and the request is left as it was.
      expect((await wrong(T0 + 2000)).kind).toBe('limited');
      expect(await requestUpdates()).toEqual({ updates: 1, hot: 1 });
      const { rows } = await client.query("SELECT attempts FROM otp_requests WHERE id = 'r2'");
      expect(rows[0]).toEqual({ attempts: 1 });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
