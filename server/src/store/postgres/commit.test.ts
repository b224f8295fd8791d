/**
 * `?commit=relaxed` (the default): a send, a code check and the delivery
 * worker's claim and batch commit without waiting for their WAL flush
 * (`synchronous_commit = off` for their own transactions), a token
 * redemption and everything else wait; `?commit=durable`: everything waits.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../platform/errors.ts';
import { withWidgetW1 } from '../conformance/fixtures.ts';
import type { VerifyWrite } from '../types.ts';
import { type PostgresCounters, postgresCounters } from './counters.ts';
import { openPool, parsePgUrl } from './db.ts';
import { postgresDriver, RELAXED_COMMIT } from './driver.ts';
import { openPostgresStore, type PostgresStore } from './index.ts';
import { finishMessages, redeem, send, verify } from './operations.ts';
import { freshSchema, testRequest } from './test-database.ts';

const db = freshSchema();
const T0 = Date.UTC(2026, 0, 1);
const event = { widgetId: 'w_1', ip: null, host: null, userAgent: null, createdAt: T0 };
const message = (id: string) => ({
  id: `m_${id}`,
  requestId: id,
  widgetId: 'w_1',
  channel: 'sms' as const,
  purpose: 'send' as const,
  recipient: '919876543210',
  payload: 'sealed',
  createdAt: T0,
});
const sendWrite = (id: string) => ({
  limits: [{ key: `send:${id}`, points: 10, seconds: 60 }],
  limitsNow: T0,
  pumping: null,
  request: testRequest(id, T0),
  message: message(id),
  event: { ...event, kind: 'send' as const },
});
const verifyWrite = (id: string, jti: string): VerifyWrite => ({
  limits: [{ key: `verify:${id}`, points: 10, seconds: 60 }],
  limitsNow: T0,
  id,
  widgetId: 'w_1',
  now: T0 + 1,
  candidates: ['hash-1'],
  token: { jti, issuedAt: T0 + 1, expiresAt: T0 + 300_000 },
  event: { ...event, kind: 'verify' },
});

let store: PostgresStore;
let pool: pg.Pool;

beforeAll(async () => {
  store = openPostgresStore(db.url);
  await withWidgetW1(store, T0);
  pool = openPool(parsePgUrl(db.url), 2);
});
afterAll(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

/**
 * Runs `work` on one connection inside a transaction, and answers the
 * `synchronous_commit` its commit would have used (then rolls it back).
 */
async function commitModeOf(work: (client: pg.PoolClient) => Promise<unknown>): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    return rows[0]!.synchronous_commit;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe('the commit mode of the hot writes', () => {
  it('a relaxed send and code check commit without the flush; durable ones and a redemption wait', async () => {
    expect(
      await commitModeOf((c) => send(c, sendWrite('r1'), { relaxedCommit: RELAXED_COMMIT })),
    ).toBe('off');
    expect(await commitModeOf((c) => send(c, sendWrite('r1')))).toBe('on');

    await send(pool, sendWrite('r2'));
    expect(
      await commitModeOf((c) =>
        verify(c, verifyWrite('r2', 'j2'), { relaxedCommit: RELAXED_COMMIT }),
      ),
    ).toBe('off');
    expect(await commitModeOf((c) => verify(c, verifyWrite('r2', 'j2')))).toBe('on');

    await verify(pool, verifyWrite('r2', 'j3'));
    const redeemed = await commitModeOf(async (c) => {
      expect(
        await redeem(c, 'j3', T0 + 2, { ...event, requestId: 'r2', kind: 'verify-token' }),
      ).toMatchObject({ record: { jti: 'j3' } });
    });
    expect(redeemed).toBe('on');
  });

  it("the worker's relaxed claim and batch commit without the flush", async () => {
    await send(pool, sendWrite('r4'));
    const claimed = await commitModeOf(async (c) => {
      const queue = postgresDriver({ query: c.query.bind(c) } as unknown as pg.Pool, true);
      const rows = await queue.all<{ id: string; relaxed_commit: string }>(
        `UPDATE messages SET attempts = attempts + 1 WHERE id = 'm_r4' RETURNING id${queue.dialect.relaxedCommit}`,
      );
      expect(rows).toEqual([{ id: 'm_r4', relaxed_commit: 'off' }]);
    });
    expect(claimed).toBe('off');
    expect(postgresDriver(pool).dialect.relaxedCommit).toBe('');

    const outcome = {
      id: 'm_r4',
      now: T0 + 2,
      deliveries: [],
      kind: 'sent' as const,
      provider: 'p',
      providerMessageId: 'pm_r4',
      fallbackAt: null,
    };
    expect(await commitModeOf((c) => finishMessages(c, [outcome], RELAXED_COMMIT))).toBe('off');
    expect(await commitModeOf((c) => finishMessages(c, [outcome]))).toBe('on');
  });
});

describe('the commit mode of the rate-limit counters', () => {
  it('relaxed: a spend (passed or refused), a count and a refund commit without the flush', async () => {
    const opened: PostgresCounters[] = [];
    /** The counters on the transaction's connection (their sweeping timer stopped at the end). */
    const on = (c: pg.PoolClient, relaxed: string) => {
      const counters = postgresCounters({ query: c.query.bind(c) } as unknown as pg.Pool, relaxed);
      opened.push(counters);
      return counters;
    };
    const hit = [{ key: 'auth:net', points: 1, seconds: 60 }];
    try {
      const passed = await commitModeOf(async (c) => {
        expect(await on(c, RELAXED_COMMIT).hit(hit, T0)).toBeUndefined();
      });
      expect(passed).toBe('off');
      await on(pool as unknown as pg.PoolClient, '').hit(hit, T0);
      const refused = await commitModeOf(async (c) => {
        expect(await on(c, RELAXED_COMMIT).hit(hit, T0)).toMatchObject({
          kind: 'limited',
          index: 0,
        });
      });
      expect(refused).toBe('off');
      const counted = await commitModeOf(async (c) => {
        expect(await on(c, RELAXED_COMMIT).count('auth:failures', 60, T0)).toBe(1);
      });
      expect(counted).toBe('off');
      expect(await commitModeOf((c) => on(c, RELAXED_COMMIT).refund(['auth:net'], T0))).toBe('off');
      const durable = await commitModeOf(async (c) => {
        expect(await on(c, '').hit(hit, T0)).toMatchObject({ kind: 'limited' });
        await on(c, '').count('auth:failures', 60, T0);
      });
      expect(durable).toBe('on');
    } finally {
      for (const counters of opened) counters.stop();
    }
  });
});

describe('the stores of both modes', () => {
  /** The texts of the statements `work` sends. */
  async function statements(work: () => Promise<unknown>): Promise<string[]> {
    const original = pg.Client.prototype.query;
    const texts: string[] = [];
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text: string };
      texts.push(typeof q === 'string' ? q : q.text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      await work();
      return texts;
    } finally {
      pg.Client.prototype.query = original;
    }
  }
  const relaxedIn = (texts: string[]) => texts.map((t) => t.includes(RELAXED_COMMIT));

  it('relaxed (the default): send, code check, claim and batch; never a redemption', async () => {
    expect(parsePgUrl(db.url).commit).toBe('relaxed');
    expect(relaxedIn(await statements(() => store.otpRequests.send(sendWrite('r5'))))).toEqual([
      true,
    ]);
    expect(
      relaxedIn(await statements(() => store.otpRequests.verify(verifyWrite('r5', 'j5')))),
    ).toEqual([true]);
    expect(
      relaxedIn(
        await statements(() =>
          store.accessTokens.redeem('j5', T0 + 2, {
            ...event,
            requestId: 'r5',
            kind: 'verify-token',
          }),
        ),
      ),
    ).toEqual([false]);
    const resend = { channel: 'sms' as const, codeHash: 'hash-2', now: T0 + 60_000 };
    await store.otpRequests.send(sendWrite('r7'));
    expect(
      relaxedIn(
        await statements(() =>
          store.otpRequests.recordResend('r7', 'w_1', resend, { ...message('r7'), id: 'm_r7_2' }),
        ),
      ),
    ).toEqual([true]);
    expect((await store.otpRequests.get('r7'))?.codeHashes).toEqual(['hash-1', 'hash-2']);
    const claimed = await store.messages.claimDue(T0 + 1, 60_000, 10);
    expect(claimed.map((m) => m.id)).toContain('m_r5');
    expect(
      relaxedIn(await statements(() => store.messages.claimDue(T0 + 120_000, 60_000, 10))),
    ).toEqual([true]);
  });

  it('durable: none', async () => {
    const url = new URL(db.url);
    url.searchParams.set('commit', 'durable');
    const durable = openPostgresStore(url.toString());
    try {
      const texts = await statements(async () => {
        await durable.otpRequests.send(sendWrite('r6'));
        await durable.otpRequests.verify(verifyWrite('r6', 'j6'));
        await durable.messages.claimDue(T0 + 240_000, 60_000, 10);
      });
      expect(texts.length).toBeGreaterThanOrEqual(3);
      expect(relaxedIn(texts).some(Boolean)).toBe(false);
    } finally {
      await durable.close();
    }
  });

  it('refuses an unknown mode', () => {
    expect(() => parsePgUrl('postgres://u@h/db?commit=sometimes')).toThrow(ConfigError);
  });
});
