import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { OtpkitError } from '../../platform/errors.ts';
import { openPostgresStore } from '../../store/postgres/index.ts';
import { freshSchema } from '../../store/postgres/test-database.ts';
import { createRateLimits, pumpingBrake } from './index.ts';

const abuse = {
  identifier: { points: 2, seconds: 60 },
  ip: { points: 100, seconds: 60 },
  widget: { points: 100, seconds: 60 },
  country: { points: 100, seconds: 60 },
  verifyIp: { points: 1, seconds: 60 },
  verifyIdentifier: { points: 3, seconds: 60 },
  authIp: { points: 100, seconds: 60 },
  authFailures: { points: 2, seconds: 60 },
  powMaxNumber: 1_000_000,
  pumpingFactor: 10,
  pumpingMin: 50,
};

/** A browser's send of one number, through a widget. */
const sendCall = (widgetId: string) => ({
  widgetId,
  identifier: '919876543210',
  country: 'IN',
  ip: '203.0.113.1',
  serverToServer: false,
});

// The Redis of this machine (and CI) on the standard port; a unique prefix keeps runs apart.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableOfflineQueue: false,
  lazyConnect: true,
});
afterAll(() => redis.disconnect());

describe('rate limits', () => {
  it('refuse past the limit with RATE_LIMITED and a retry time, in memory and in Redis', async () => {
    await redis.connect();
    for (const backend of [
      { kind: 'memory' as const },
      { kind: 'redis' as const, client: redis },
    ]) {
      const limits = createRateLimits(abuse, backend);
      const call = sendCall(`w-${Date.now()}-${Math.random()}`);
      await limits.consumeSend(call);
      await limits.consumeSend(call);
      const refused = await limits.consumeSend(call).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OtpkitError);
      expect((refused as OtpkitError).code).toBe('RATE_LIMITED');
      expect((refused as OtpkitError).details.retryAfter).toBeGreaterThan(0);
      // Another identifier is unaffected.
      await limits.consumeSend({ ...call, identifier: '919876543211' });
      const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
      await limits.consumeVerify(ip);
      expect(((await limits.consumeVerify(ip).catch((e: unknown) => e)) as OtpkitError).code).toBe(
        'RATE_LIMITED',
      );
    }
  });
});

describe('all or nothing, guesses and authkeys', () => {
  it('a send refused by a later limit spends no point of the earlier ones, in memory and in Redis', async () => {
    if (redis.status === 'wait') await redis.connect();
    for (const backend of [
      { kind: 'memory' as const },
      { kind: 'redis' as const, client: redis },
    ]) {
      const prefix = `t${Date.now()}${Math.random()}`;
      const limits = createRateLimits(
        { ...abuse, ip: { points: 3, seconds: 60 }, identifier: { points: 1, seconds: 60 } },
        backend,
        { prefix },
      );
      const call = sendCall('w1');
      await limits.consumeSend(call);
      // The identifier refuses the next two: the network's points are given back each time…
      for (let i = 0; i < 2; i++) {
        const refused = await limits.consumeSend(call).catch((e: unknown) => e);
        expect((refused as OtpkitError).message).toContain('this phone number or email');
      }
      // …so the network still has 2 of its 3 for other numbers.
      await limits.consumeSend({ ...call, identifier: '919876543211' });
      await limits.consumeSend({ ...call, identifier: '919876543212' });
      const network = await limits
        .consumeSend({ ...call, identifier: '919876543213' })
        .catch((e: unknown) => e);
      expect((network as OtpkitError).message).toContain('this network');
    }
  });

  it('counts addresses of one IPv6 /64 as one network', async () => {
    const limits = createRateLimits(
      { ...abuse, verifyIp: { points: 2, seconds: 60 } },
      {
        kind: 'memory',
      },
    );
    await limits.consumeVerify('2001:db8:9:9::1');
    await limits.consumeVerify('2001:db8:9:9:ffff::2');
    const refused = await limits.consumeVerify('2001:db8:9:9::3').catch((e: unknown) => e);
    expect((refused as OtpkitError).code).toBe('RATE_LIMITED');
    await limits.consumeVerify('2001:db8:9:a::1');
  });

  it('budgets wrong guesses per identifier of an account', async () => {
    const limits = createRateLimits(abuse, { kind: 'memory' });
    const owner = { accountId: 'a1', identifier: '919876543210' };
    for (let i = 0; i < 3; i++) {
      await limits.checkGuesses(owner);
      await limits.recordWrongGuess(owner);
    }
    const refused = await limits.checkGuesses(owner).catch((e: unknown) => e);
    expect((refused as OtpkitError).message).toContain('incorrect codes');
    // Another account's budget for the same number is its own.
    await limits.checkGuesses({ ...owner, accountId: 'a2' });
  });

  it('refuses a network after its wrong authkeys, with the time left; other networks are not', async () => {
    const limits = createRateLimits(abuse, { kind: 'memory' });
    await limits.checkAuthFailures('198.51.100.1');
    await limits.recordAuthFailure('198.51.100.1');
    await limits.recordAuthFailure('198.51.100.1');
    const refused = await limits.checkAuthFailures('198.51.100.1').catch((e: unknown) => e);
    expect((refused as OtpkitError).code).toBe('RATE_LIMITED');
    expect((refused as OtpkitError).details.retryAfter).toBeGreaterThan(0);
    await limits.checkAuthFailures('198.51.100.2');
    expect(await limits.countChallenge('198.51.100.1')).toBe(1);
    expect(await limits.countChallenge('198.51.100.1')).toBe(2);
  });
});

describe('rate limits in SQLite', () => {
  it('hold across two processes on one file and across a restart, and never admit more than the limit', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openSqliteStore } = await import('../../store/sqlite/index.ts');
    const dir = mkdtempSync(join(tmpdir(), 'otpkit-limits-'));
    const file = join(dir, 'otpkit.db');
    const a = openSqliteStore(file);
    const b = openSqliteStore(file);
    await a.migrate();
    await b.migrate();
    const limitsA = createRateLimits(abuse, a.rateLimitBackend());
    const limitsB = createRateLimits(abuse, b.rateLimitBackend());
    // rate-limiter-flexible creates its table asynchronously, once.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const call = sendCall('w-sqlite');
    // Many concurrent sends through both "processes": exactly the limit (2) get through.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? limitsA : limitsB).consumeSend(call)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as OtpkitError).code).toBe('RATE_LIMITED');
    await a.close();
    await b.close();
    // After a restart the count is still there.
    const c = openSqliteStore(file);
    await c.migrate();
    const limitsC = createRateLimits(abuse, c.rateLimitBackend());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refusedAfterRestart = await limitsC.consumeSend(call).catch((e: unknown) => e);
    expect((refusedAfterRestart as OtpkitError).code).toBe('RATE_LIMITED');
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('rate limits in PostgreSQL', () => {
  it('hold across two instances on one database, and a prefix keeps deployments apart', async () => {
    const db = freshSchema();
    const a = openPostgresStore(db.url);
    const b = openPostgresStore(db.url);
    try {
      await a.migrate();
      const one = createRateLimits(abuse, a.rateLimitBackend());
      const two = createRateLimits(abuse, b.rateLimitBackend());
      const call = sendCall('w1');
      await one.consumeSend(call);
      await two.consumeSend(call);
      const refused = await one.consumeSend(call).catch((e: unknown) => e);
      expect((refused as OtpkitError).code).toBe('RATE_LIMITED');
      expect(((await two.consumeSend(call).catch((e: unknown) => e)) as OtpkitError).code).toBe(
        'RATE_LIMITED',
      );
      const elsewhere = createRateLimits(abuse, b.rateLimitBackend(), { prefix: 'other' });
      await elsewhere.consumeSend(call);
      // The longest email an identifier may be (254 characters) still makes a key PostgreSQL keeps.
      const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
      expect(longest.length).toBe(254);
      await one.consumeSend({ ...call, widgetId: 'w'.repeat(24), identifier: longest });
    } finally {
      await a.close();
      await b.close();
      await db.drop();
    }
  });

  it('two instances sending at once never admit more than the limit', async () => {
    const db = freshSchema();
    const a = openPostgresStore(db.url, { poolSize: 20 });
    const b = openPostgresStore(db.url, { poolSize: 20 });
    try {
      await a.migrate();
      const one = createRateLimits(abuse, a.rateLimitBackend());
      const two = createRateLimits(abuse, b.rateLimitBackend());
      const call = sendCall('w1');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).consumeSend(call)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(
        abuse.identifier.points,
      );
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as OtpkitError).code).toBe('RATE_LIMITED');
      // All or nothing: the refused calls spent no point of any counter, only the two admitted ones did.
      const pool = (a.rateLimitBackend() as { client: import('pg').Pool }).client;
      const { rows } = await pool.query<{ key: string; points: number }>(
        'SELECT key, points FROM rate_limits ORDER BY key',
      );
      expect(rows).toEqual([
        { key: 'otpkit:send:country:w1:IN', points: 2 },
        { key: 'otpkit:send:identifier:w1:919876543210', points: 2 },
        { key: 'otpkit:send:ip:203.0.113.1', points: 2 },
        { key: 'otpkit:send:widget:w1', points: 2 },
      ]);
    } finally {
      await a.close();
      await b.close();
      await db.drop();
    }
  });

  it('count keys in order, all or nothing, in fixed windows from the first hit', async () => {
    const db = freshSchema();
    const store = openPostgresStore(db.url);
    try {
      await store.migrate();
      const backend = store.rateLimitBackend();
      if (backend.kind !== 'counters') throw new Error('PostgreSQL counts limits in the store');
      const hits = [
        { key: 'k:a', points: 5, seconds: 60 },
        { key: 'k:b', points: 1, seconds: 10 },
        { key: 'k:c', points: 5, seconds: 60 },
      ];
      const t = 1_000_000;
      expect(await backend.hit(hits, t)).toBeUndefined();
      // b is past its limit 4 s into its 10 s window: a's point is taken back, c is not spent.
      expect(await backend.hit(hits, t + 4000)).toEqual({
        kind: 'limited',
        index: 1,
        msBeforeNext: 6000,
      });
      const pool = backend.client as import('pg').Pool;
      const points = async () =>
        Object.fromEntries(
          (
            await pool.query<{ key: string; points: number; expire: number }>(
              'SELECT key, points, expire::float8 AS expire FROM rate_limits',
            )
          ).rows.map((r) => [r.key, [r.points, r.expire]]),
        );
      expect(await points()).toEqual({
        'k:a': [1, t + 60_000],
        'k:b': [1, t + 10_000],
        'k:c': [1, t + 60_000],
      });
      // b's window ended: a new one starts at this hit, the others keep theirs.
      expect(await backend.hit(hits, t + 10_000)).toBeUndefined();
      expect(await points()).toEqual({
        'k:a': [2, t + 60_000],
        'k:b': [1, t + 20_000],
        'k:c': [2, t + 60_000],
      });
      // The pumping counter is bumped last: past its ceiling, it and every limit are taken back.
      const pumping = { widgetId: 'w', country: 'GB', hour: 7, ceiling: 1 };
      expect(await backend.hit([hits[0]!], t + 11_000, pumping)).toBeUndefined();
      expect(await backend.hit([hits[0]!], t + 12_000, pumping)).toEqual({
        kind: 'pumping',
        count: 2,
      });
      expect((await points())['k:a']).toEqual([3, t + 60_000]);
      expect(await store.sendCounters.total('w', 'GB', 7, 8)).toBe(1);
      // Counting without a limit, peeking, and giving a point back.
      expect(await backend.count('k:n', 60, t)).toBe(1);
      expect(await backend.count('k:n', 60, t + 1000)).toBe(2);
      expect(await backend.peek('k:n', t + 2000)).toEqual({ points: 2, msBeforeNext: 58_000 });
      await backend.refund(['k:n'], t + 2000);
      expect(await backend.peek('k:n', t + 2000)).toEqual({ points: 1, msBeforeNext: 58_000 });
      expect(await backend.peek('k:none', t)).toEqual({ points: 0, msBeforeNext: 0 });
      // A counter rate-limiter-flexible left without a window keeps counting, as it did.
      await pool.query("INSERT INTO rate_limits (key, points, expire) VALUES ('k:old', 7, NULL)");
      expect(await backend.hit([{ key: 'k:old', points: 7, seconds: 60 }], t)).toEqual({
        kind: 'limited',
        index: 0,
        msBeforeNext: -1,
      });
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('the pumping brake allows the usual rate of the past week, re-read every hour', async () => {
    const { openSqliteStore } = await import('../../store/sqlite/index.ts');
    const store = openSqliteStore(':memory:');
    await store.migrate();
    const HOUR = 3_600_000;
    let t = 1000 * HOUR + 10;
    const deps = {
      store,
      clock: { now: () => t },
      log: { info() {}, warn() {}, error() {}, debug() {} } as never,
      abuse: { ...abuse, pumpingFactor: 10, pumpingMin: 5 },
      metrics: { rateLimited() {} },
    };
    // Three sends an hour on average over the past week (504 five hours ago): ceiling 30.
    for (let i = 0; i < 504; i++) await store.sendCounters.bump('w', 'GB', 995);
    const admitted = async () => {
      let n = 0;
      while (
        (await pumpingBrake(deps, 'w', 'GB').then(
          () => true,
          () => false,
        )) &&
        n < 100
      )
        n++;
      return n;
    };
    expect(await admitted()).toBe(30);
    // The next hour, the 31 sends of the hour just ended (30 admitted, 1 refused) join the baseline.
    t += HOUR;
    expect(await admitted()).toBe(Math.floor((10 * (504 + 31)) / 168));
    await store.close();
  });
});
