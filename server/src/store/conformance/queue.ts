/** Store conformance: the message queue, deliveries, access tokens, signing keys, the outbox. */
import { describe, expect, it } from 'vitest';
import type { NewMessage } from '../types.ts';
import { ACCOUNT, accessToken, check, type SuiteContext, sentAt, T0 } from './fixtures.ts';

export function queueConformance(suite: SuiteContext): void {
  describe('message queue', () => {
    it('claimDue leases due messages and counts an attempt', async () => {
      const { message: m } = await suite.created({ id: 'r1' });
      expect(await suite.store.messages.claimDue(T0 - 1, 1000, 10)).toEqual([]);
      const [claimed] = await suite.store.messages.claimDue(T0, 1000, 10);
      expect(claimed).toMatchObject({
        id: m.id,
        status: 'pending',
        attempts: 1,
        lockedUntil: T0 + 1000,
        payload: 'sealed-payload',
        request: { status: 'pending', expiresAt: T0 + 600_000 },
      });
      expect(await suite.store.messages.claimDue(T0 + 999, 1000, 10)).toEqual([]);
      // An expired lease (a crashed worker) makes it due again.
      expect((await suite.store.messages.claimDue(T0 + 1000, 1000, 10))[0]?.attempts).toBe(2);
    });

    it('finish writes a batch of outcomes with their attempt rows; only pending messages move', async () => {
      const { message: a } = await suite.created({ id: 'r1' });
      const { message: b } = await suite.created({ id: 'r2', identifier: 'b@example.com' });
      const { message: c } = await suite.created({ id: 'r3', identifier: 'c@example.com' });
      const claimed = await suite.store.messages.claimDue(T0, 1000, 10);
      expect(claimed.map((m) => m.id).sort()).toEqual([a.id, b.id, c.id].sort());
      const attempt = (m: NewMessage, n: number, status: 'sent' | 'failed') => ({
        id: `d_${m.id}_${n}`,
        messageId: m.id,
        attempt: 1,
        requestId: m.requestId,
        channel: 'sms' as const,
        provider: `p${n}`,
        providerMessageId: status === 'sent' ? `pm_${m.id}` : null,
        status,
        error: status === 'sent' ? null : 'down',
        createdAt: T0 + n,
      });
      await suite.store.messages.finish([
        {
          id: a.id,
          now: T0 + 10,
          deliveries: [attempt(a, 1, 'failed'), attempt(a, 2, 'sent')],
          kind: 'sent',
          provider: 'p2',
          providerMessageId: `pm_${a.id}`,
          fallbackAt: T0 + 500,
        },
        {
          id: b.id,
          now: T0 + 11,
          deliveries: [attempt(b, 1, 'failed')],
          kind: 'failed',
          provider: 'p1',
          error: 'invalid number',
          fallbackAt: null,
        },
        {
          id: c.id,
          now: T0 + 12,
          deliveries: [],
          kind: 'rescheduled',
          nextAttemptAt: T0 + 9000,
          error: 'timeout',
        },
      ]);
      expect(await suite.store.messages.get(a.id)).toMatchObject({
        status: 'sent',
        payload: '',
        provider: 'p2',
        providerMessageId: `pm_${a.id}`,
        sentAt: T0 + 10,
        fallbackAt: T0 + 500,
        lockedUntil: null,
        error: null,
      });
      expect(await suite.store.messages.get(b.id)).toMatchObject({
        status: 'failed',
        payload: '',
        provider: 'p1',
        error: 'invalid number',
        fallbackAt: null,
      });
      expect(await suite.store.messages.get(c.id)).toMatchObject({
        status: 'pending',
        payload: 'sealed-payload',
        nextAttemptAt: T0 + 9000,
        lockedUntil: null,
        error: 'timeout',
      });
      expect((await suite.store.deliveries.listForRequest('r1')).map((d) => d.provider)).toEqual([
        'p1',
        'p2',
      ]);
      expect(await suite.store.deliveries.listForRequest('r2')).toHaveLength(1);
      // A sent message does not move back.
      await suite.store.messages.finish([
        {
          id: a.id,
          now: T0 + 20,
          deliveries: [],
          kind: 'failed',
          provider: null,
          error: 'late',
          fallbackAt: null,
        },
      ]);
      expect((await suite.store.messages.get(a.id))?.status).toBe('sent');
      await suite.store.messages.finish([]);
    });

    it('claimDue tells a message whose request is gone or verified', async () => {
      await suite.created({ id: 'r1' });
      await suite.store.otpRequests.verify(check('r1', { now: T0 + 2 }));
      expect((await suite.store.messages.claimDue(T0 + 3, 1000, 10))[0]?.request).toEqual({
        status: 'verified',
        expiresAt: T0 + 600_000,
      });
    });

    it('two concurrent claimers never get the same message', async () => {
      for (let i = 0; i < 30; i++) {
        await suite.created({ id: `r${i}`, identifier: `user${i}@example.com` });
      }
      const rounds = await Promise.all(
        Array.from({ length: 6 }, () => suite.store.messages.claimDue(T0 + 1, 60_000, 4)),
      );
      const ids = rounds.flat().map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      const rest = await suite.store.messages.claimDue(T0 + 1, 60_000, 100);
      expect(ids.length + rest.length).toBe(30);
      expect(new Set([...ids, ...rest.map((m) => m.id)]).size).toBe(30);
    });

    it('queueStats counts pending messages and dates the oldest', async () => {
      expect(await suite.store.messages.queueStats()).toEqual({ depth: 0, oldestPendingAt: null });
      const { message: first } = await suite.created({ id: 'r1' });
      await suite.created({ id: 'r2', identifier: 'b@example.com', createdAt: T0 + 5000 });
      expect(await suite.store.messages.queueStats()).toEqual({ depth: 2, oldestPendingAt: T0 });
      await suite.store.messages.claimDue(T0 + 5000, 1000, 10);
      await suite.store.messages.markSent(
        first.id,
        sentAt(T0 + 6000, { providerMessageId: 'pm-q' }),
      );
      expect(await suite.store.messages.queueStats()).toEqual({
        depth: 1,
        oldestPendingAt: T0 + 5000,
      });
    });

    it('markSent erases the payload; reschedule and markFailed act on pending messages only', async () => {
      const { message: m } = await suite.created({ id: 'r1' });
      await suite.store.messages.claimDue(T0, 1000, 10);
      await suite.store.messages.reschedule(m.id, {
        nextAttemptAt: T0 + 5000,
        error: 'timeout',
        now: T0 + 1,
      });
      expect(await suite.store.messages.get(m.id)).toMatchObject({
        nextAttemptAt: T0 + 5000,
        lockedUntil: null,
        error: 'timeout',
      });
      await suite.store.messages.markSent(m.id, sentAt(T0 + 6000, { fallbackAt: T0 + 60_000 }));
      expect(await suite.store.messages.get(m.id)).toMatchObject({
        status: 'sent',
        payload: '',
        provider: 'p',
        providerMessageId: 'pm-1',
        error: null,
        sentAt: T0 + 6000,
        fallbackAt: T0 + 60_000,
      });
      await suite.store.messages.markFailed(m.id, {
        provider: null,
        error: 'x',
        now: T0 + 7000,
        fallbackAt: null,
      });
      expect((await suite.store.messages.get(m.id))?.status).toBe('sent');
      const { message: m2 } = await suite.created({ id: 'r2', identifier: 'b@example.com' });
      await suite.store.messages.markFailed(m2.id, {
        provider: 'p',
        error: 'invalid number',
        now: T0 + 8000,
        fallbackAt: T0 + 8000,
      });
      expect(await suite.store.messages.get(m2.id)).toMatchObject({
        status: 'failed',
        payload: '',
        error: 'invalid number',
        fallbackAt: T0 + 8000,
      });
    });

    it('report moves a message forward only', async () => {
      const { message: m } = await suite.created({ id: 'r1' });
      await suite.store.messages.markSent(m.id, sentAt(T0 + 1, { fallbackAt: T0 + 60_000 }));
      expect(
        await suite.store.messages.report('p', 'unknown', { status: 'delivered', now: T0 + 2 }),
      ).toBeUndefined();
      const delivered = await suite.store.messages.report('p', 'pm-1', {
        status: 'delivered',
        now: T0 + 2,
      });
      expect(delivered).toMatchObject({
        status: 'delivered',
        deliveredAt: T0 + 2,
        fallbackAt: null,
      });
      const late = await suite.store.messages.report('p', 'pm-1', {
        status: 'failed',
        error: 'late',
        now: T0 + 3,
      });
      expect(late).toMatchObject({ status: 'delivered', error: null });
      expect(await suite.store.messages.claimFallbacks(T0 + 100_000, 10)).toEqual([]);
    });

    it('a failed report makes the fallback due now; claimFallbacks hands each out once', async () => {
      const { message: m } = await suite.created({ id: 'r1' });
      await suite.store.messages.markSent(m.id, sentAt(T0 + 1, { fallbackAt: T0 + 60_000 }));
      expect(await suite.store.messages.claimFallbacks(T0 + 10, 10)).toEqual([]);
      const failed = await suite.store.messages.report('p', 'pm-1', {
        status: 'failed',
        error: 'undeliverable',
        now: T0 + 10,
      });
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'undeliverable',
        fallbackAt: T0 + 10,
      });
      const claims = await Promise.all(
        Array.from({ length: 5 }, () => suite.store.messages.claimFallbacks(T0 + 10, 10)),
      );
      expect(claims.flat().map((x) => x.id)).toEqual([m.id]);
      expect((await suite.store.messages.get(m.id))?.fallbackAt).toBeNull();
    });
  });

  describe('deliveries, access tokens, signing keys, outbox', () => {
    it('lists a request’s deliveries oldest first', async () => {
      await suite.created({ id: 'r1' });
      const d = {
        messageId: null,
        attempt: 1,
        requestId: 'r1',
        channel: 'sms' as const,
        provider: 'p',
        providerMessageId: 'pm',
        status: 'sent' as const,
        error: null,
        createdAt: T0,
      };
      await suite.store.deliveries.insert({ ...d, id: 'd2' });
      await suite.store.deliveries.insert({ ...d, id: 'd1', status: 'failed', error: 'e' });
      expect(await suite.store.deliveries.listForRequest('r1')).toEqual([
        { ...d, id: 'd2' },
        { ...d, id: 'd1', status: 'failed', error: 'e' },
      ]);
    });

    it('marks an access token verified once and shows it on the log entry', async () => {
      await suite.created({ id: 'r1' });
      const t = accessToken({ expiresAt: T0 + 1000, demo: true });
      await suite.store.accessTokens.insert(t);
      expect(await suite.store.accessTokens.get('j1')).toEqual({ ...t, verifiedAt: null });
      const results = await Promise.all(
        Array.from({ length: 5 }, () => suite.store.accessTokens.markVerified('j1', T0 + 5)),
      );
      expect(results.filter(Boolean)).toEqual([{ ...t, verifiedAt: T0 + 5 }]);
      expect((await suite.store.logs.get(ACCOUNT, 'r1'))?.tokenVerifiedAt).toBe(T0 + 5);
    });

    it('lists signing keys newest first and retires all but one', async () => {
      const k = (kid: string, createdAt: number) => ({
        kid,
        alg: 'EdDSA' as const,
        publicJwk: `{"kid":"${kid}"}`,
        privateJwk: 'sealed',
        createdAt,
        retiredAt: null,
      });
      await suite.store.signingKeys.insert(k('a', T0));
      await suite.store.signingKeys.insert(k('b', T0 + 1));
      await suite.store.signingKeys.insert(k('c', T0 + 2));
      await suite.store.signingKeys.retireAllBut('c', T0 + 3);
      await suite.store.signingKeys.retireAllBut('c', T0 + 4);
      expect(await suite.store.signingKeys.list()).toEqual([
        k('c', T0 + 2),
        { ...k('b', T0 + 1), retiredAt: T0 + 3 },
        { ...k('a', T0), retiredAt: T0 + 3 },
      ]);
    });

    it('lists outbox messages newest first, by recipient, up to a limit', async () => {
      const o = (id: string, to: string, createdAt: number) => ({
        id,
        requestId: null,
        to,
        channel: 'email' as const,
        subject: 'Code',
        text: `text ${id}`,
        createdAt,
      });
      await suite.store.outbox.insert(o('o1', 'a@x.com', T0));
      await suite.store.outbox.insert(o('o2', 'b@x.com', T0 + 1));
      await suite.store.outbox.insert(o('o3', 'a@x.com', T0 + 2));
      expect((await suite.store.outbox.list({ limit: 10 })).map((m) => m.id)).toEqual([
        'o3',
        'o2',
        'o1',
      ]);
      expect(await suite.store.outbox.list({ to: 'a@x.com', limit: 1 })).toEqual([
        o('o3', 'a@x.com', T0 + 2),
      ]);
    });
  });
}
