/**
 * A send, a code check and a token redemption on PostgreSQL are each one
 * round trip: counted as `pg.Client#query` calls (every query of the pool
 * goes through one), while the operation runs alone.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWidgetW1 } from '../conformance/fixtures.ts';
import { openPostgresStore, type PostgresStore } from './index.ts';
import { freshSchema, TEST_DATABASE_URL, testRequest } from './test-database.ts';

const db = freshSchema();
let store: PostgresStore;

/** The `pg.Client#query` calls `work` makes. */
async function roundTrips<T>(work: () => Promise<T>): Promise<{ result: T; trips: number }> {
  const original = pg.Client.prototype.query;
  let trips = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    trips++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    const result = await work();
    return { result, trips };
  } finally {
    pg.Client.prototype.query = original;
  }
}

const T0 = Date.UTC(2026, 0, 1);
const event = {
  widgetId: 'w_1',
  ip: '203.0.113.9',
  host: 'shop.example',
  userAgent: 'ua',
  createdAt: T0,
};
const request = (id: string) => testRequest(id, T0);

beforeAll(async () => {
  store = openPostgresStore(db.url);
  await withWidgetW1(store, T0);
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

describe('round trips to PostgreSQL', () => {
  const limits = [
    { key: 'send:ip', points: 10, seconds: 60 },
    { key: 'send:identifier', points: 10, seconds: 60 },
    { key: 'send:widget', points: 10, seconds: 60 },
  ];

  it('a send (limits, pumping counter, request, message, event) is one', async () => {
    const { result, trips } = await roundTrips(() =>
      store.otpRequests.send({
        limits,
        limitsNow: T0,
        pumping: { widgetId: 'w_1', country: 'IN', hour: 1, ceiling: 100 },
        request: request('r1'),
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
        event: { ...event, kind: 'send', identifier: '919876543210' },
      }),
    );
    expect(result.kind).toBe('created');
    expect(trips).toBe(1);
    expect(await store.messages.listForRequest('r1')).toHaveLength(1);
    expect((await store.events.listForRequest('r1')).map((e) => e.kind)).toEqual(['send']);
  });

  it('a refused send is one, and spends nothing', async () => {
    const tight = [limits[0]!, { key: 'send:tight', points: 0, seconds: 60 }];
    const { result, trips } = await roundTrips(() =>
      store.otpRequests.send({
        limits: tight,
        limitsNow: T0,
        pumping: null,
        request: request('r0'),
        event: { ...event, kind: 'send' },
      }),
    );
    expect(result).toMatchObject({ kind: 'limited', index: 1 });
    expect(trips).toBe(1);
    expect(await store.otpRequests.get('r0')).toBeUndefined();
  });

  it('a code check (limit, attempt, guess budget, verification, token, event) is one, right or wrong', async () => {
    const write = (candidates: string[], jti?: string) => ({
      limits: [{ key: 'verify:ip', points: 10, seconds: 60 }],
      limitsNow: T0,
      id: 'r1',
      widgetId: 'w_1',
      now: T0 + 1,
      candidates,
      guess: { keyPrefix: 'verify:identifier:', points: 5, seconds: 60 },
      ...(jti ? { token: { jti, issuedAt: T0 + 1, expiresAt: T0 + 300_000 } } : {}),
      event: { ...event, kind: 'verify' as const },
    });
    const wrong = await roundTrips(() => store.otpRequests.verify(write(['hash-9'])));
    expect(wrong.result.kind).toBe('mismatch');
    expect(wrong.trips).toBe(1);
    const right = await roundTrips(() => store.otpRequests.verify(write(['hash-1'], 'j1')));
    expect(right.result.kind).toBe('verified');
    expect(right.trips).toBe(1);
    expect(await store.accessTokens.get('j1')).toMatchObject({ requestId: 'r1', verifiedAt: null });
  });

  it('a token redemption (token, event, verification time) is one', async () => {
    const { result, trips } = await roundTrips(() =>
      store.accessTokens.redeem('j1', T0 + 5, { ...event, requestId: 'r1', kind: 'verify-token' }),
    );
    expect(result).toMatchObject({
      record: { jti: 'j1', verifiedAt: T0 + 5 },
      requestVerifiedAt: T0 + 1,
    });
    expect(trips).toBe(1);
  });

  it('the delivery worker claims a batch in one and finishes a batch in one', async () => {
    for (const id of ['q1', 'q2', 'q3']) {
      await store.otpRequests.create(
        { ...request(id), identifier: `${id}@example.com` },
        {
          id: `m_${id}`,
          requestId: id,
          widgetId: 'w_1',
          channel: 'email',
          purpose: 'send',
          recipient: `${id}@example.com`,
          payload: 'sealed',
          createdAt: T0,
        },
      );
    }
    const claim = await roundTrips(() => store.messages.claimDue(T0 + 1, 60_000, 10));
    expect(claim.result.map((m) => m.id).sort()).toEqual(['m1', 'm_q1', 'm_q2', 'm_q3']);
    expect(claim.result.map((m) => m.request?.status).sort()).toEqual([
      'pending',
      'pending',
      'pending',
      'verified',
    ]);
    expect(claim.trips).toBe(1);
    const done = await roundTrips(() =>
      store.messages.finish(
        claim.result.map((m) => ({
          id: m.id,
          now: T0 + 2,
          deliveries: [
            {
              id: `d_${m.id}`,
              messageId: m.id,
              attempt: 1,
              requestId: m.requestId,
              channel: m.channel,
              provider: 'p',
              providerMessageId: `pm_${m.id}`,
              status: 'sent' as const,
              error: null,
              createdAt: T0 + 2,
            },
          ],
          kind: 'sent' as const,
          provider: 'p',
          providerMessageId: `pm_${m.id}`,
          fallbackAt: null,
        })),
      ),
    );
    expect(done.trips).toBe(1);
    expect((await store.messages.get('m_q2'))?.status).toBe('sent');
    expect(await store.deliveries.listForRequest('q3')).toHaveLength(1);
  });
});

describe('round trips to PostgreSQL while the event log refuses every row', () => {
  /** Runs `sql` on the test schema from a connection of its own (outside the counted calls). */
  async function onSchema(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${db.schema}`);
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
  beforeAll(async () => {
    await onSchema(`CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql
      AS $$ BEGIN RAISE EXCEPTION 'database or disk is full'; END $$;
      CREATE TRIGGER refuse_events BEFORE INSERT ON request_events
      FOR EACH ROW EXECUTE FUNCTION refuse_events()`);
  });
  afterAll(async () => {
    await onSchema('DROP TRIGGER refuse_events ON request_events; DROP FUNCTION refuse_events()');
  });

  it('a send, a code check and a redemption each still commit in one, and report the row', async () => {
    const sent = await roundTrips(() =>
      store.otpRequests.send({
        limits: [],
        limitsNow: T0,
        pumping: null,
        request: { ...request('g1'), identifier: 'guarded@example.com' },
        event: { ...event, kind: 'send', identifier: 'guarded@example.com' },
      }),
    );
    expect(sent.trips).toBe(1);
    expect(sent.result).toMatchObject({
      kind: 'created',
      request: { id: 'g1' },
      eventError: expect.stringContaining('database or disk is full'),
    });
    expect(await store.otpRequests.get('g1')).toMatchObject({ status: 'pending' });

    const verified = await roundTrips(() =>
      store.otpRequests.verify({
        limits: [],
        limitsNow: T0,
        id: 'g1',
        widgetId: 'w_1',
        now: T0 + 1,
        candidates: ['hash-1'],
        token: { jti: 'jg1', issuedAt: T0 + 1, expiresAt: T0 + 300_000 },
        event: { ...event, kind: 'verify' },
      }),
    );
    expect(verified.trips).toBe(1);
    expect(verified.result).toMatchObject({
      kind: 'verified',
      eventError: expect.stringContaining('database or disk is full'),
    });
    expect(await store.otpRequests.get('g1')).toMatchObject({ status: 'verified' });

    const redeemed = await roundTrips(() =>
      store.accessTokens.redeem('jg1', T0 + 5, { ...event, requestId: 'g1', kind: 'verify-token' }),
    );
    expect(redeemed.trips).toBe(1);
    expect(redeemed.result).toMatchObject({
      record: { jti: 'jg1', verifiedAt: T0 + 5 },
      eventError: expect.stringContaining('database or disk is full'),
    });
    // Redeemed once: the refused event row did not undo the redemption.
    expect(
      await store.accessTokens.redeem('jg1', T0 + 6, {
        ...event,
        requestId: 'g1',
        kind: 'verify-token',
      }),
    ).toBeUndefined();
    expect(await store.events.listForRequest('g1')).toEqual([]);
  });
});

describe('round trips to PostgreSQL with the read cache in use', () => {
  it('the widget read from the cache, then a send and a code check: still one each (the generation rides along)', async () => {
    // A slow heartbeat, and notifications held (the channel is the database's: other tests'
    // changes would clear the cache): the generation read they cause would count as a query.
    const emit = pg.Client.prototype.emit;
    pg.Client.prototype.emit = function (
      this: pg.Client,
      name: string | symbol,
      ...args: unknown[]
    ) {
      return name === 'notification' ? false : emit.call(this, name, ...args);
    } as typeof emit;
    const cached = openPostgresStore(db.url, { listenHeartbeatMs: 600_000 });
    try {
      await cached.widgets.get('w_1');
      for (let i = 0; !cached.cacheListening(); i++) {
        if (i > 200) throw new Error('the cache never listened');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await cached.widgets.get('w_1')).toBeDefined();
      const sent = await roundTrips(async () => {
        expect(await cached.widgets.get('w_1')).toBeDefined();
        return cached.otpRequests.send({
          limits: [],
          limitsNow: T0,
          pumping: null,
          request: { ...request('c1'), identifier: 'cached@example.com' },
          event: { ...event, kind: 'send' },
        });
      });
      expect(sent.result.kind).toBe('created');
      expect(sent.trips).toBe(1);
      const checked = await roundTrips(() =>
        cached.otpRequests.verify({
          limits: [],
          limitsNow: T0,
          id: 'c1',
          widgetId: 'w_1',
          now: T0 + 1,
          candidates: ['hash-9'],
          event: { ...event, kind: 'verify' },
        }),
      );
      expect(checked.result.kind).toBe('mismatch');
      expect(checked.trips).toBe(1);
    } finally {
      pg.Client.prototype.emit = emit;
      await cached.close();
    }
  });
});
