/**
 * Two instances on one schema: a change committed through A is honoured by
 * B's very next send, code check or redemption, before B hears the
 * notification (notifications are held back here, and B's heartbeat is
 * slow), and an operation refused as stale leaves no trace.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WidgetSettings } from '../../model/widget-settings.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { SendWrite, VerifyWrite } from '../types.ts';
import { openPool, parsePgUrl } from './db.ts';
import { openPostgresStore, type PostgresStore } from './index.ts';
import * as combined from './operations.ts';
import { emptySchema, freshSchema, TEST_DATABASE_URL, testRequest } from './test-database.ts';

const db = freshSchema();
const T0 = Date.UTC(2026, 0, 1);
const opened: PostgresStore[] = [];
let admin: pg.Client;

/** An instance; its heartbeat (which would catch the change within a second) is slowed down. */
function open(): PostgresStore {
  const store = openPostgresStore(db.url, { listenHeartbeatMs: 600_000 });
  opened.push(store);
  return store;
}

// Notifications held back: what B sees between A's commit and the notification's arrival. Held
// from before B warms its cache: the channel is the database's, so other tests' changes (other
// schemas) would otherwise clear it at random.
let held = false;
const emit = pg.Client.prototype.emit;
pg.Client.prototype.emit = function (this: pg.Client, event: string | symbol, ...args: unknown[]) {
  if (held && event === 'notification') return false;
  return emit.call(this, event, ...args);
} as typeof emit;

const sendWrite = (id: string): SendWrite => ({
  limits: [{ key: `send:ip:${id}`, points: 5, seconds: 60 }],
  limitsNow: T0,
  pumping: { widgetId: 'w_1', country: 'IN', hour: 1, ceiling: 100 },
  request: { ...testRequest(id, T0), identifier: `${id}@example.com`, contactPoint: 'email' },
  event: { widgetId: 'w_1', kind: 'send', ip: null, host: null, userAgent: null, createdAt: T0 },
});
const verifyWrite = (id: string): VerifyWrite => ({
  limits: [{ key: `verify:ip:${id}`, points: 5, seconds: 60 }],
  limitsNow: T0,
  id,
  widgetId: 'w_1',
  now: T0 + 1,
  candidates: ['hash-1'],
  guess: { keyPrefix: 'verify:identifier:', points: 5, seconds: 60 },
  token: { jti: `j_${id}`, issuedAt: T0 + 1, expiresAt: T0 + 300_000 },
  event: { widgetId: 'w_1', kind: 'verify', ip: null, host: null, userAgent: null, createdAt: T0 },
});
const redeemEvent = (requestId: string) => ({
  requestId,
  widgetId: 'w_1',
  kind: 'verify-token' as const,
  ip: null,
  host: null,
  userAgent: null,
  createdAt: T0 + 2,
});

/** The error code `work` was refused with. */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof OtpkitError) return error.code;
    throw error;
  }
  return 'not refused';
}

/** What a refused operation must not have left: counters, requests, events, tokens. */
async function traces() {
  const s = db.schema;
  const { rows } = await admin.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM ${s}.rate_limits) + (SELECT count(*) FROM ${s}.send_counters)
       + (SELECT count(*) FROM ${s}.request_events) + (SELECT count(*) FROM ${s}.access_tokens)
       + (SELECT coalesce(sum(attempts), 0) FROM ${s}.otp_requests)
       + (SELECT count(*) FROM ${s}.otp_requests) AS n`,
  );
  return Number(rows[0]!.n);
}

/** Instance B with the widget, its token and an authkey cached. */
async function warmB(): Promise<PostgresStore> {
  const b = open();
  await b.widgets.get('w_1');
  for (let i = 0; !b.cacheListening(); i++) {
    if (i > 200) throw new Error('B never listened');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(await b.widgets.get('w_1')).toBeDefined();
  expect(await b.widgetTokens.use('w_1', 'th-1', T0)).toBe(true);
  expect(await b.authkeys.use('hash-k1', T0)).toBeDefined();
  return b;
}

let a: PostgresStore;

/** A pending request `r0` (code `hash-1`) and an unredeemed access token `j0` of it, through A. */
async function pendingRequestAndToken(): Promise<void> {
  await a.otpRequests.create({ ...testRequest('r0', T0), identifier: 'r0@example.com' });
  await a.accessTokens.insert({
    jti: 'j0',
    requestId: 'r0',
    widgetId: 'w_1',
    identifier: 'r0@example.com',
    channel: 'email',
    issuedAt: T0,
    expiresAt: T0 + 300_000,
    demo: false,
  });
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  const setup = openPostgresStore(db.url);
  await setup.migrate();
  await setup.close();
});

beforeEach(async () => {
  held = false;
  await emptySchema(db.schema);
  a = open();
  await a.accounts.ensureDefault('acc_1', T0);
  await a.widgets.insert({
    id: 'w_1',
    accountId: 'acc_1',
    settings: { name: 'Shop' } as unknown as WidgetSettings,
    createdAt: T0,
    updatedAt: T0,
  });
  await a.widgetTokens.insert({
    id: 't1',
    tokenHash: 'th-1',
    prefix: 'abc123',
    widgetId: 'w_1',
    label: null,
    createdAt: T0,
    lastUsedAt: null,
  });
  for (const id of ['k1', 'k2']) {
    await a.authkeys.insert({
      id,
      hash: `hash-${id}`,
      accountId: 'acc_1',
      label: null,
      prefix: id,
      createdAt: T0,
      lastUsedAt: null,
    });
  }
});

afterEach(async () => {
  held = false;
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  pg.Client.prototype.emit = emit;
  await admin.end();
  await db.drop();
});

describe('operations deciding with cached rows, two instances', () => {
  it("a widget token revoked through A: B's next send with it is refused, with no effect", async () => {
    held = true;
    const b = await warmB();
    expect(await a.widgetTokens.revoke('w_1', 't1', T0 + 1)).toBe(true);
    // B has not heard: its cache still answers the token (the window this closes).
    expect(await b.widgetTokens.use('w_1', 'th-1', T0 + 1)).toBe(true);
    const before = await traces();
    expect(await refusal(b.otpRequests.send(sendWrite('r1')))).toBe('INVALID_TOKEN_AUTH');
    expect(await traces()).toBe(before);
    // And B's cache was cleared: the token is refused at the door from now on.
    expect(await b.widgetTokens.use('w_1', 'th-1', T0 + 2)).toBe(false);
  });

  it("an authkey revoked through A: B's next send with it is refused, with no effect", async () => {
    held = true;
    const b = await warmB();
    expect(await a.authkeys.revoke('acc_1', 'k1', T0 + 1)).toBe('revoked');
    expect(await b.authkeys.use('hash-k1', T0 + 1)).toBeDefined();
    const before = await traces();
    expect(await refusal(b.otpRequests.send(sendWrite('r1')))).toBe('INVALID_AUTHKEY');
    expect(await traces()).toBe(before);
    expect(await b.authkeys.use('hash-k1', T0 + 2)).toBeUndefined();
  });

  it("a widget deleted through A: B's next send, code check and redemption are refused, with no effect", async () => {
    await pendingRequestAndToken();
    // Three B instances (a refusal clears the refused instance's cache), all unaware.
    held = true;
    const [b1, b2, b3] = [await warmB(), await warmB(), await warmB()];
    expect(await a.widgets.delete('w_1', T0 + 1)).toBe(true);
    expect(await b1.widgets.get('w_1')).toBeDefined();
    const before = await traces();
    expect(await refusal(b1.otpRequests.send(sendWrite('r1')))).toBe('WIDGET_NOT_FOUND');
    expect(await refusal(b2.otpRequests.verify(verifyWrite('r0')))).toBe('WIDGET_NOT_FOUND');
    // A redemption reports a token of a widget that is no more as an invalid token.
    expect(await refusal(b3.accessTokens.redeem('j0', T0 + 2, redeemEvent('r0')))).toBe(
      'TOKEN_INVALID',
    );
    expect(await traces()).toBe(before);
    expect(await a.accessTokens.get('j0')).toMatchObject({ verifiedAt: null });
    expect(await b1.widgets.get('w_1')).toBeUndefined();
  });

  it('a change to something else: the operation is read again, retried once, and takes effect once', async () => {
    held = true;
    const b = await warmB();
    await a.widgets.insert({
      id: 'w_2',
      accountId: 'acc_1',
      settings: { name: 'Other' } as unknown as WidgetSettings,
      createdAt: T0,
      updatedAt: T0,
    });
    const result = await b.otpRequests.send(sendWrite('r1'));
    expect(result.kind).toBe('created');
    expect((await a.events.listForRequest('r1')).map((e) => e.kind)).toEqual(['send']);
    const { rows } = await admin.query(`SELECT points FROM ${db.schema}.rate_limits`);
    expect(rows.map((r) => Number(r.points))).toEqual([1]);
  });
});

describe('a stale operation has no effect at all', () => {
  let pool: pg.Pool;
  beforeEach(() => {
    pool = openPool(parsePgUrl(db.url));
    pool.on('error', () => undefined);
  });
  afterEach(() => pool.end());

  it('send, verify and redeem carrying an old generation throw StaleRead and write nothing', async () => {
    await pendingRequestAndToken();
    // A pending request the send would supersede (otpkit_supersede_pending).
    await a.otpRequests.create({ ...testRequest('p1', T0), identifier: 'r1@example.com' });
    const now = Number(
      (await admin.query(`SELECT generation FROM ${db.schema}.otpkit_cache_generation`)).rows[0]
        .generation,
    );
    const old = now - 1;
    const before = await traces();
    await expect(combined.send(pool, sendWrite('r1'), { generation: old })).rejects.toBeInstanceOf(
      combined.StaleRead,
    );
    await expect(
      combined.verify(pool, verifyWrite('r0'), { generation: old }),
    ).rejects.toBeInstanceOf(combined.StaleRead);
    await expect(
      combined.redeem(pool, 'j0', T0 + 2, redeemEvent('r0'), { generation: old }),
    ).rejects.toBeInstanceOf(combined.StaleRead);
    expect(await traces()).toBe(before);
    expect(await a.accessTokens.get('j0')).toMatchObject({ verifiedAt: null });
    expect(await a.otpRequests.get('p1')).toMatchObject({ status: 'pending' });
    // The same at the current generation take effect.
    expect((await combined.send(pool, sendWrite('r1'), { generation: now })).kind).toBe('created');
    expect((await a.otpRequests.get('p1'))?.status).not.toBe('pending');
    expect((await combined.verify(pool, verifyWrite('r0'), { generation: now })).kind).toBe(
      'verified',
    );
    expect(
      await combined.redeem(pool, 'j0', T0 + 2, redeemEvent('r0'), { generation: now }),
    ).toMatchObject({
      record: { jti: 'j0', verifiedAt: T0 + 2 },
    });
  });
});
