/** Store conformance: captcha uses, send counters, events and the logs. */
import type { Channel } from '@otpkit/protocol';
import { describe, expect, it } from 'vitest';
import type { RequestEvent, Store } from '../types.ts';
import { ACCOUNT, check, HOUR, message, type SuiteContext, sentAt, T0 } from './fixtures.ts';

export function logConformance(suite: SuiteContext): void {
  describe('captcha, send counters, events', () => {
    it('marks a captcha challenge used once, even concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => suite.store.captcha.markUsed('ch-1', T0 + 1000, T0)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await suite.store.captcha.markUsed('ch-1', T0 + 1000, T0 + 500)).toBe(false);
      expect(await suite.store.captcha.markUsed('ch-2', T0 + 1000, T0 + 500)).toBe(true);
    });

    it('bumps and totals send counters per widget, country and hour', async () => {
      const counts = await Promise.all(
        Array.from({ length: 5 }, () => suite.store.sendCounters.bump('w_1', 'IN', 100)),
      );
      expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
      await suite.store.sendCounters.bump('w_1', 'IN', 101);
      await suite.store.sendCounters.bump('w_1', 'US', 100);
      expect(await suite.store.sendCounters.total('w_1', 'IN', 100, 101)).toBe(5);
      expect(await suite.store.sendCounters.total('w_1', 'IN', 100, 102)).toBe(6);
      expect(await suite.store.sendCounters.total('w_1', 'IN', 0, 100)).toBe(0);
    });

    it('lists a request’s events and the refused calls of an account', async () => {
      await suite.created({ id: 'r1' });
      const e: RequestEvent = {
        requestId: 'r1',
        widgetId: 'w_1',
        kind: 'send',
        outcome: 'ok',
        ip: '1.2.3.4',
        host: 'h',
        userAgent: 'ua',
        createdAt: T0,
      };
      await suite.store.events.insert(e);
      await suite.store.events.insert({ ...e, kind: 'verify', outcome: 'OTP_MISMATCH' });
      expect(await suite.store.events.listForRequest('r1')).toEqual([
        e,
        { ...e, kind: 'verify', outcome: 'OTP_MISMATCH' },
      ]);
      const refused: RequestEvent = {
        ...e,
        requestId: null,
        outcome: 'RATE_LIMITED',
        identifier: '9198',
      };
      await suite.store.events.insert({ ...refused, createdAt: T0 + 1 });
      await suite.store.events.insert({ ...refused, createdAt: T0 + 2 });
      await suite.store.events.insert({ ...refused, widgetId: 'w_elsewhere', createdAt: T0 + 3 });
      const page = await suite.store.events.listRefused(ACCOUNT, {
        from: T0,
        to: T0 + 10,
        limit: 1,
      });
      expect(page).toHaveLength(1);
      expect(page[0]).toMatchObject({ ...refused, createdAt: T0 + 2 });
      const next = await suite.store.events.listRefused(ACCOUNT, {
        from: T0,
        to: T0 + 10,
        limit: 10,
        widgetId: 'w_1',
        beforeId: page[0]!.id,
      });
      expect(next.map((x) => x.createdAt)).toEqual([T0 + 1]);
      expect(
        await suite.store.events.listRefused(ACCOUNT, { from: T0 + 5, to: T0 + 10, limit: 10 }),
      ).toEqual([]);
    });
  });

  describe('logs', () => {
    it('lists newest first with a cursor, filtered, with the widget name and derived status', async () => {
      for (let i = 0; i < 5; i++) {
        await suite.created({
          id: `r${i}`,
          identifier: `u${i}@example.com`,
          contactPoint: 'email',
          channel: i % 2 === 0 ? 'email' : 'sms',
          createdAt: T0 + i * 1000,
        });
      }
      // Two entries share a creation time: the cursor still pages through both.
      await suite.created({ id: 'r5', identifier: 'u5@example.com', createdAt: T0 + 4000 });
      const first = await suite.store.logs.list({ accountId: ACCOUNT }, { limit: 4 });
      expect(first.entries.map((e) => e.reqId)).toEqual(['r5', 'r4', 'r3', 'r2']);
      expect(first.nextCursor).not.toBeNull();
      expect(suite.store.logs.validCursor(first.nextCursor!)).toBe(true);
      expect(suite.store.logs.validCursor('nonsense')).toBe(false);
      const second = await suite.store.logs.list(
        { accountId: ACCOUNT },
        { limit: 4, cursor: first.nextCursor! },
      );
      expect(second.entries.map((e) => e.reqId)).toEqual(['r1', 'r0']);
      expect(second.nextCursor).toBeNull();
      expect(first.entries[0]).toMatchObject({
        widgetName: 'Shop',
        channels: ['sms'],
        status: 'pending',
        deliveryStatus: 'pending',
        demo: false,
      });
      const email = await suite.store.logs.list(
        { accountId: ACCOUNT, channels: ['email'] },
        { limit: 10 },
      );
      expect(email.entries.map((e) => e.reqId)).toEqual(['r4', 'r2', 'r0']);
      const some = await suite.store.logs.list(
        { accountId: ACCOUNT, identifiers: ['u1@example.com', 'u3@example.com'] },
        { limit: 10 },
      );
      expect(some.entries.map((e) => e.reqId)).toEqual(['r3', 'r1']);
      const range = await suite.store.logs.list(
        { accountId: ACCOUNT, from: T0 + 1000, to: T0 + 2000 },
        { limit: 10 },
      );
      expect(range.entries.map((e) => e.reqId)).toEqual(['r2', 'r1']);
      expect(
        (await suite.store.logs.list({ accountId: 'other' }, { limit: 10 })).entries,
      ).toHaveLength(0);
      expect(
        (await suite.store.logs.list({ accountId: ACCOUNT, widgetId: 'w_x' }, { limit: 10 }))
          .entries,
      ).toHaveLength(0);
    });

    it('follows delivery, resends and verification', async () => {
      const { message: m } = await suite.created({ id: 'r1' });
      await suite.created({ id: 'r2', identifier: 'b@example.com' });
      await suite.store.messages.markSent(m.id, sentAt(T0 + 1));
      await suite.store.messages.report('p', 'pm-1', { status: 'delivered', now: T0 + 2 });
      expect(await suite.store.logs.get(ACCOUNT, 'r1')).toMatchObject({
        status: 'delivered',
        deliveryStatus: 'delivered',
        widgetName: 'Shop',
      });
      await suite.store.otpRequests.recordResend(
        'r1',
        'w_1',
        { channel: 'whatsapp', codeHash: 'h2', now: T0 + 40_000 },
        message('r1', { channel: 'whatsapp', purpose: 'retry', createdAt: T0 + 40_000 }),
      );
      expect(await suite.store.logs.get(ACCOUNT, 'r1')).toMatchObject({
        status: 'retry',
        channels: ['sms', 'whatsapp'],
        channel: 'whatsapp',
        deliveryStatus: 'pending',
        resendCount: 1,
      });
      await suite.store.otpRequests.verify(check('r1', { now: T0 + 41_000 }));
      expect(await suite.store.logs.get(ACCOUNT, 'r1')).toMatchObject({
        status: 'verified',
        otpVerifiedAt: T0 + 41_000,
      });
      const filter = { accountId: ACCOUNT };
      const ids = async (f: Partial<Parameters<Store['logs']['list']>[0]>) =>
        (await suite.store.logs.list({ ...filter, ...f }, { limit: 10 })).entries.map(
          (e) => e.reqId,
        );
      expect(await ids({ otpVerified: true })).toEqual(['r1']);
      expect(await ids({ otpVerified: false })).toEqual(['r2']);
      expect(await ids({ resendCount: { op: 'gt', value: 0 } })).toEqual(['r1']);
      expect(await ids({ resendCount: { op: 'eq', value: 0 } })).toEqual(['r2']);
      expect(await ids({ tokenVerified: true })).toEqual([]);
      expect(await ids({ reqId: 'r2' })).toEqual(['r2']);
      expect(await suite.store.logs.get('other', 'r1')).toBeUndefined();
    });

    it('analytics sums the hourly rollup per bucket and channel, and per country', async () => {
      const { message: m } = await suite.created({ id: 'r1' });
      await suite.created({
        id: 'r2',
        identifier: 'x@example.com',
        country: null,
        channel: 'email',
      });
      await suite.created({ id: 'r3', identifier: 'demo', demo: true });
      await suite.created({
        id: 'r4',
        identifier: '15550001111',
        country: 'US',
        createdAt: T0 + HOUR,
      });
      await suite.store.messages.markSent(m.id, sentAt(T0 + 1));
      await suite.store.messages.report('p', 'pm-1', { status: 'delivered', now: T0 + 2 });
      await suite.store.otpRequests.verify(check('r1', { now: T0 + 12_000 }));
      const { buckets, countries } = await suite.store.logs.analytics({
        accountId: ACCOUNT,
        from: T0,
        to: T0 + 2 * HOUR,
        bucketMs: HOUR,
      });
      const none = Array(15).fill(0);
      // A bucket row: its slice, its sums (requests, sent, delivered, failed, verified), its latency bins.
      const bucketRow = (bucket: number, channel: Channel, sums: number[], latency = none) => {
        const [requests, sent, delivered, failed, verified] = sums;
        return {
          bucket,
          channel,
          country: null,
          requests,
          sent,
          delivered,
          failed,
          verified,
          latency,
        };
      };
      const verifiedIn10To15s = Array.from({ length: 15 }, (_, i) => (i === 2 ? 1 : 0));
      expect(buckets).toEqual([
        bucketRow(T0, 'email', [1, 0, 0, 0, 0]),
        bucketRow(T0, 'sms', [1, 1, 1, 0, 1], verifiedIn10To15s),
        bucketRow(T0 + HOUR, 'sms', [1, 0, 0, 0, 0]),
      ]);
      expect(countries.map((c) => [c.bucket, c.country, c.requests, c.verified])).toEqual([
        [T0, null, 1, 0],
        [T0, 'IN', 1, 1],
        [T0, 'US', 1, 0],
      ]);
      const day = await suite.store.logs.analytics({
        accountId: ACCOUNT,
        from: T0,
        to: T0 + 2 * HOUR,
        widgetId: 'w_1',
        bucketMs: 24 * HOUR,
      });
      expect(day.buckets.reduce((n, b) => n + b.requests, 0)).toBe(3);
      expect(
        (
          await suite.store.logs.analytics({
            accountId: 'other',
            from: T0,
            to: T0 + 2 * HOUR,
            bucketMs: HOUR,
          })
        ).buckets,
      ).toEqual([]);
    });

    it('purges old requests with their messages, tokens and events, in batches', async () => {
      for (let i = 0; i < 3; i++) {
        await suite.created({ id: `old${i}`, identifier: `o${i}@x.com`, createdAt: T0 + i });
      }
      await suite.created({ id: 'new', identifier: 'n@x.com', createdAt: T0 + HOUR });
      await suite.store.events.insert({
        requestId: 'old0',
        widgetId: 'w_1',
        kind: 'send',
        outcome: 'ok',
        ip: null,
        host: null,
        userAgent: null,
        createdAt: T0,
      });
      expect(await suite.store.logs.purge(T0 + 100, 2)).toBe(2);
      expect(await suite.store.logs.purge(T0 + 100, 2)).toBe(1);
      expect(await suite.store.logs.purge(T0 + 100, 2)).toBe(0);
      expect(await suite.store.otpRequests.get('old0')).toBeUndefined();
      expect(await suite.store.messages.listForRequest('old0')).toEqual([]);
      expect(await suite.store.events.listForRequest('old0')).toEqual([]);
      expect(await suite.store.otpRequests.get('new')).toBeDefined();
      // Rollups hold no personal data: analytics keep counting purged requests.
      const { countries } = await suite.store.logs.analytics({
        accountId: ACCOUNT,
        from: T0,
        to: T0 + 2 * HOUR,
        bucketMs: HOUR,
      });
      expect(countries.reduce((n, c) => n + c.requests, 0)).toBe(4);
    });
  });
}
