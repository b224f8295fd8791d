/** Store conformance: OTP requests and the combined writes (send, verify, redeem). */

import type { EventKind } from '@otpkit/protocol';
import { describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import {
  accessToken,
  check,
  HOUR,
  message,
  request,
  type SuiteContext,
  T0,
  widget,
} from './fixtures.ts';

export function requestConformance(suite: SuiteContext): void {
  describe('otp requests', () => {
    it('latestFor finds a widget’s newest request for an identifier, whatever its status', async () => {
      await suite.store.widgets.insert(widget('w_2', 'Other'));
      expect(await suite.store.otpRequests.latestFor('w_1', '919876543210')).toBeUndefined();
      await suite.store.otpRequests.create(request({ id: 'r1', createdAt: T0 }));
      await suite.store.otpRequests.create(
        request({ id: 'r2', createdAt: T0 + 1000, codeLength: 8 }),
      );
      // Same time: the later insert is the latest.
      await suite.store.otpRequests.create(request({ id: 'r3', createdAt: T0 + 1000 }));
      await suite.store.otpRequests.create(
        request({ id: 'rw', widgetId: 'w_2', createdAt: T0 + 9000 }),
      );
      await suite.store.otpRequests.create(
        request({ id: 'rn', identifier: '919876543211', createdAt: T0 + 9000 }),
      );
      expect((await suite.store.otpRequests.latestFor('w_1', '919876543210'))?.id).toBe('r3');
      await suite.store.otpRequests.verify(check('r3', { now: T0 + 2000 }));
      expect(await suite.store.otpRequests.latestFor('w_1', '919876543210')).toMatchObject({
        id: 'r3',
        status: 'verified',
      });
    });

    it('keeps a request’s code length (null when the widget’s applies)', async () => {
      await suite.store.otpRequests.create(request({ id: 'r1', codeLength: 8 }));
      await suite.store.otpRequests.create(request({ id: 'r2', identifier: '919876543211' }));
      expect((await suite.store.otpRequests.get('r1'))?.codeLength).toBe(8);
      expect((await suite.store.otpRequests.get('r2'))?.codeLength).toBeNull();
    });

    it('creates a request with its message and supersedes the pending one', async () => {
      const first = await suite.created({ id: 'r1' });
      expect(first.request).toMatchObject({
        id: 'r1',
        status: 'pending',
        attempts: 0,
        resendCount: 0,
        fallbackCount: 0,
        codeHashes: ['hash-1'],
        variables: { company: 'Acme', product: 'Shop' },
        demo: false,
        accessToken: null,
        verifiedAt: null,
        updatedAt: T0,
      });
      expect(await suite.store.otpRequests.get('r1')).toEqual(first.request);
      expect((await suite.store.messages.listForRequest('r1')).map((m) => m.id)).toEqual([
        first.message.id,
      ]);
      await suite.created({ id: 'r2', createdAt: T0 + 1000 });
      expect((await suite.store.otpRequests.get('r1'))?.status).toBe('superseded');
      expect((await suite.store.otpRequests.get('r2'))?.status).toBe('pending');
      await suite.created({ id: 'r3', identifier: 'someone@example.com', contactPoint: 'email' });
      expect((await suite.store.otpRequests.get('r2'))?.status).toBe('pending');
    });

    it('createVerified records a verified request with its access token, superseding the pending one', async () => {
      await suite.created({ id: 'r1' });
      const token = accessToken({
        jti: 'j-passkey',
        requestId: 'r2',
        channel: 'passkey',
        issuedAt: T0 + 5,
      });
      const verified = await suite.store.otpRequests.createVerified(
        request({ id: 'r2', channel: 'passkey', codeHashes: [], createdAt: T0 + 5 }),
        token,
      );
      expect(verified).toMatchObject({
        id: 'r2',
        status: 'verified',
        verifiedAt: T0 + 5,
        attempts: 0,
      });
      expect(await suite.store.otpRequests.get('r2')).toEqual(verified);
      expect((await suite.store.otpRequests.get('r1'))?.status).toBe('superseded');
      expect(await suite.store.accessTokens.get('j-passkey')).toMatchObject({
        requestId: 'r2',
        channel: 'passkey',
        verifiedAt: null,
      });
      // All or nothing: a token id already taken leaves no request behind.
      await expect(
        suite.store.otpRequests.createVerified(
          request({ id: 'r3', channel: 'passkey', codeHashes: [], createdAt: T0 + 6 }),
          { ...token, requestId: 'r3' },
        ),
      ).rejects.toThrow();
      expect(await suite.store.otpRequests.get('r3')).toBeUndefined();
      expect((await suite.store.otpRequests.get('r2'))?.status).toBe('verified');
    });

    it('concurrent creates for one identifier leave exactly one pending', async () => {
      await Promise.all(Array.from({ length: 8 }, (_, i) => suite.created({ id: `c${i}` })));
      const statuses = await Promise.all(
        Array.from(
          { length: 8 },
          async (_, i) => (await suite.store.otpRequests.get(`c${i}`))?.status,
        ),
      );
      expect(statuses.filter((s) => s === 'pending')).toHaveLength(1);
    });

    it('verify counts a wrong code’s attempt up to the limit, only while pending and unexpired', async () => {
      await suite.created({ id: 'r1' });
      const wrong = (now = T0) =>
        suite.store.otpRequests.verify(check('r1', { right: false, now }));
      expect(
        (await suite.store.otpRequests.verify(check('r1', { right: false, widgetId: 'w_other' })))
          .kind,
      ).toBe('unclaimed');
      for (const attempts of [1, 2, 3]) {
        expect(await wrong()).toMatchObject({ kind: 'mismatch', claimed: { attempts } });
      }
      expect((await wrong()).kind).toBe('unclaimed');
      // Out of attempts, the right code is refused too.
      expect((await suite.store.otpRequests.verify(check('r1'))).kind).toBe('unclaimed');
      await suite.created({ id: 'r2', identifier: 'x@example.com' });
      expect((await suite.store.otpRequests.verify(check('r2', { now: T0 + 600_000 }))).kind).toBe(
        'unclaimed',
      );
    });

    it('concurrent wrong codes never count more than maxAttempts', async () => {
      await suite.created({ id: 'r1', maxAttempts: 5 });
      const checks = await Promise.all(
        Array.from({ length: 30 }, () =>
          suite.store.otpRequests.verify(check('r1', { right: false })),
        ),
      );
      expect(checks.filter((c) => c.kind === 'mismatch')).toHaveLength(5);
      expect((await suite.store.otpRequests.get('r1'))?.attempts).toBe(5);
    });

    it('concurrent right codes verify once, and the winning attempt is not counted', async () => {
      await suite.created({ id: 'r1' });
      expect((await suite.store.otpRequests.verify(check('r1', { right: false }))).kind).toBe(
        'mismatch',
      );
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          suite.store.otpRequests.verify(check('r1', { now: T0 + 2 })),
        ),
      );
      const winners = results.filter((r) => r.kind === 'verified');
      expect(winners).toHaveLength(1);
      expect(winners[0]).toMatchObject({
        request: { status: 'verified', verifiedAt: T0 + 2, attempts: 1 },
      });
      expect(
        results.every((r) => r.kind === 'verified' || r.kind === 'lost' || r.kind === 'unclaimed'),
      ).toBe(true);
      expect((await suite.store.otpRequests.verify(check('r1', { now: T0 + 3 }))).kind).toBe(
        'unclaimed',
      );
    });

    it('recordResend respects the interval and limit, adds the hash and renews the expiry', async () => {
      await suite.created({ id: 'r1' });
      const change = { channel: 'whatsapp' as const, codeHash: 'hash-2', now: T0 + 10_000 };
      expect(await suite.store.otpRequests.recordResend('r1', 'w_1', change)).toBeUndefined();
      const m2 = message('r1', { channel: 'whatsapp', purpose: 'retry', createdAt: T0 + 30_000 });
      const resent = await suite.store.otpRequests.recordResend(
        'r1',
        'w_1',
        { ...change, now: T0 + 30_000 },
        m2,
      );
      expect(resent).toMatchObject({
        resendCount: 1,
        channel: 'whatsapp',
        codeHashes: ['hash-1', 'hash-2'],
        lastSentAt: T0 + 30_000,
        expiresAt: T0 + 30_000 + 600_000,
      });
      expect((await suite.store.messages.listForRequest('r1')).map((m) => m.purpose)).toEqual([
        'send',
        'retry',
      ]);
      const link = {
        tokenHash: 'lh-1',
        requestId: 'r1',
        widgetId: 'w_1',
        expiresAt: T0 + 700_000,
        createdAt: T0 + 60_000,
      };
      const linked = await suite.store.otpRequests.recordResend(
        'r1',
        'w_1',
        { channel: 'email', codeHash: null, now: T0 + 60_000 },
        undefined,
        link,
      );
      expect(linked?.codeHashes).toEqual(['hash-1', 'hash-2']);
      expect(await suite.store.magicLinks.get('lh-1')).toMatchObject({
        requestId: 'r1',
        usedAt: null,
      });
      // maxResends is 2.
      expect(
        await suite.store.otpRequests.recordResend('r1', 'w_1', { ...change, now: T0 + 200_000 }),
      ).toBeUndefined();
    });

    it('concurrent resends count once per interval', async () => {
      await suite.created({ id: 'r1', maxResends: 5 });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          suite.store.otpRequests.recordResend(
            'r1',
            'w_1',
            { channel: 'sms', codeHash: `h${i}`, now: T0 + 31_000 },
            message('r1', { purpose: 'retry' }),
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await suite.store.messages.listForRequest('r1')).toHaveLength(2);
    });

    it('addFallback adds a code and a message without counting a resend', async () => {
      await suite.created({ id: 'r1' });
      const fb = message('r1', { channel: 'voice', purpose: 'fallback' });
      const row = await suite.store.otpRequests.addFallback(
        'r1',
        { channel: 'voice', codeHash: 'hash-fb', now: T0 + 5 },
        fb,
      );
      expect(row).toMatchObject({
        fallbackCount: 1,
        resendCount: 0,
        channel: 'voice',
        codeHashes: ['hash-1', 'hash-fb'],
      });
      expect(await suite.store.messages.get(fb.id)).toMatchObject({ purpose: 'fallback' });
      await suite.store.otpRequests.verify(check('r1', { now: T0 + 6 }));
      const late = message('r1', { purpose: 'fallback' });
      expect(
        await suite.store.otpRequests.addFallback(
          'r1',
          { channel: 'sms', codeHash: 'x', now: T0 + 7 },
          late,
        ),
      ).toBeUndefined();
      expect(await suite.store.messages.get(late.id)).toBeUndefined();
    });
  });

  describe('combined writes: send, verify, redeem', () => {
    const HOUR_NO = T0 / HOUR;
    /** The `ok` event row a combined write records for a request. */
    const okEvent = (requestId: string, kind: EventKind) => ({
      requestId,
      widgetId: 'w_1',
      kind,
      outcome: 'ok' as const,
      ip: '1.2.3.4',
      host: 'h',
      userAgent: 'ua',
      createdAt: T0,
    });
    const event = {
      widgetId: 'w_1',
      kind: 'send' as const,
      ip: '1.2.3.4',
      host: 'h',
      userAgent: 'ua',
      createdAt: T0,
      identifier: '919876543210',
    };
    const sendWrite = (id: string, over: Partial<Parameters<Store['otpRequests']['send']>[0]>) => ({
      limits: [],
      limitsNow: T0,
      pumping: null,
      request: request({ id }),
      message: message(id),
      event,
      ...over,
    });

    it('send spends the limits, bumps the pumping hour, creates the request with its message and records the event', async () => {
      const limits = [
        { key: 'send:a', points: 2, seconds: 60 },
        { key: 'send:b', points: 1, seconds: 60 },
      ];
      const pumping = { widgetId: 'w_1', country: 'IN', hour: HOUR_NO, ceiling: 5 };
      const first = await suite.store.otpRequests.send(sendWrite('s1', { limits, pumping }));
      expect(first).toMatchObject({ kind: 'created', request: { id: 's1', status: 'pending' } });
      expect(await suite.store.messages.listForRequest('s1')).toHaveLength(1);
      expect(await suite.store.events.listForRequest('s1')).toEqual([okEvent('s1', 'send')]);
      expect(await suite.store.sendCounters.total('w_1', 'IN', HOUR_NO, HOUR_NO + 1)).toBe(1);

      // The second counter is past its limit: nothing else is written, and the pending request stays.
      const second = await suite.store.otpRequests.send(sendWrite('s2', { limits, pumping }));
      expect(second).toEqual({ kind: 'limited', index: 1, msBeforeNext: 60_000 });
      expect(await suite.store.otpRequests.get('s2')).toBeUndefined();
      expect(await suite.store.messages.listForRequest('s2')).toEqual([]);
      expect(await suite.store.events.listForRequest('s2')).toEqual([]);
      expect(await suite.store.sendCounters.total('w_1', 'IN', HOUR_NO, HOUR_NO + 1)).toBe(1);
      expect((await suite.store.otpRequests.get('s1'))?.status).toBe('pending');
      // All or nothing: the refused call spent no point of the first counter either.
      const one = [limits[0]!];
      expect((await suite.store.otpRequests.send(sendWrite('s3', { limits: one }))).kind).toBe(
        'created',
      );
      expect(await suite.store.otpRequests.send(sendWrite('s4', { limits: one }))).toMatchObject({
        kind: 'limited',
        index: 0,
      });
    });

    it('send is refused by the pumping brake above the hour’s ceiling, with nothing spent', async () => {
      const pumping = { widgetId: 'w_1', country: 'IN', hour: HOUR_NO, ceiling: 1 };
      const limits = [{ key: 'send:widget', points: 2, seconds: 60 }];
      expect((await suite.store.otpRequests.send(sendWrite('s1', { limits, pumping }))).kind).toBe(
        'created',
      );
      expect(await suite.store.otpRequests.send(sendWrite('s2', { limits, pumping }))).toEqual({
        kind: 'pumping',
        count: 2,
      });
      expect(await suite.store.otpRequests.get('s2')).toBeUndefined();
      expect(await suite.store.sendCounters.total('w_1', 'IN', HOUR_NO, HOUR_NO + 1)).toBe(1);
      // The widget's point was given back: another send (to a country the brake allows) still fits.
      expect((await suite.store.otpRequests.send(sendWrite('s3', { limits }))).kind).toBe(
        'created',
      );
      expect((await suite.store.otpRequests.send(sendWrite('s4', { limits }))).kind).toBe(
        'limited',
      );
    });

    it('verify spends the guess budget of the claimed identifier on a wrong code; past it every code is refused with nothing spent', async () => {
      await suite.created({ id: 'r1', guessOwner: 'acct:919876543210' });
      const limits = [{ key: 'verify:ip', points: 10, seconds: 60 }];
      const guess = { keyPrefix: 'verify:identifier:', points: 1, seconds: 60 };
      const verifyWrite = (right: boolean) => ({
        limits,
        limitsNow: T0,
        id: 'r1',
        widgetId: 'w_1',
        now: T0 + 1,
        candidates: [right ? 'hash-1' : 'hash-9'],
        guess,
        event: { ...event, kind: 'verify' as const, identifier: null },
      });
      expect((await suite.store.otpRequests.verify(verifyWrite(false))).kind).toBe('mismatch');
      // The counter is the prefix and the request's owner.
      const counters = suite.store.rateLimitBackend();
      if (counters.kind === 'counters') {
        expect(await counters.peek('verify:identifier:acct:919876543210', T0)).toEqual({
          points: 1,
          msBeforeNext: 60_000,
        });
      }
      // The budget (1) is spent: the next guess is refused at index limits.length, and neither
      // its attempt nor its limit point is spent.
      expect(await suite.store.otpRequests.verify(verifyWrite(true))).toEqual({
        kind: 'limited',
        index: 1,
        msBeforeNext: 60_000,
      });
      expect((await suite.store.otpRequests.get('r1'))?.attempts).toBe(1);
      const ipOnly = [{ key: 'verify:ip', points: 2, seconds: 60 }];
      // verify:ip holds 1 point (the mismatch): a limit of 2 admits exactly one more call.
      const { guess: _, ...noGuess } = verifyWrite(false);
      const claimOnly = await suite.store.otpRequests.verify({ ...noGuess, limits: ipOnly });
      expect(claimOnly.kind).toBe('mismatch');
      expect(await suite.store.otpRequests.verify({ ...noGuess, limits: ipOnly })).toMatchObject({
        kind: 'limited',
        index: 0,
      });

      // A right code within the budget verifies without spending it.
      await suite.created({
        id: 'r2',
        identifier: '919876543211',
        guessOwner: 'acct:919876543211',
      });
      const right = await suite.store.otpRequests.verify({
        ...verifyWrite(true),
        limits: [],
        id: 'r2',
      });
      expect(right.kind).toBe('verified');
      await suite.created({
        id: 'r3',
        identifier: '919876543211',
        guessOwner: 'acct:919876543211',
      });
      expect(
        (await suite.store.otpRequests.verify({ ...verifyWrite(false), limits: [], id: 'r3' }))
          .kind,
      ).toBe('mismatch');
      // A request without an owner (a demo request) has no budget.
      await suite.created({ id: 'r4', identifier: '919876543210', demo: true });
      expect((await suite.store.otpRequests.verify({ ...verifyWrite(true), id: 'r4' })).kind).toBe(
        'verified',
      );
    });

    it('verify counts the attempt, compares, and for a right code verifies, records the token and the event', async () => {
      await suite.created({ id: 'r1' });
      const verifyWrite = (over: Partial<Parameters<Store['otpRequests']['verify']>[0]>) => ({
        limits: [],
        limitsNow: T0,
        id: 'r1',
        widgetId: 'w_1',
        now: T0 + 1,
        candidates: ['hash-9'],
        event: { ...event, kind: 'verify' as const, identifier: null },
        ...over,
      });
      const wrong = await suite.store.otpRequests.verify(
        verifyWrite({ candidates: ['hash-2', 'x'] }),
      );
      expect(wrong).toMatchObject({ kind: 'mismatch', claimed: { id: 'r1', attempts: 1 } });
      expect(await suite.store.events.listForRequest('r1')).toEqual([]);

      const limits = [{ key: 'verify:ip', points: 0, seconds: 60 }];
      expect(await suite.store.otpRequests.verify(verifyWrite({ limits }))).toMatchObject({
        kind: 'limited',
        index: 0,
      });
      expect((await suite.store.otpRequests.get('r1'))?.attempts).toBe(1);

      const token = { jti: 'j1', issuedAt: T0, expiresAt: T0 + 300_000 };
      const right = await suite.store.otpRequests.verify(
        verifyWrite({ candidates: ['x', 'hash-1'], token }),
      );
      expect(right).toMatchObject({
        kind: 'verified',
        request: { id: 'r1', status: 'verified', verifiedAt: T0 + 1, attempts: 1 },
      });
      expect(await suite.store.accessTokens.get('j1')).toEqual({
        ...accessToken(),
        verifiedAt: null,
      });
      expect(await suite.store.events.listForRequest('r1')).toEqual([okEvent('r1', 'verify')]);
      expect(await suite.store.otpRequests.verify(verifyWrite({ candidates: ['hash-1'] }))).toEqual(
        {
          kind: 'unclaimed',
        },
      );
    });

    it('concurrent right codes verify once and record one access token', async () => {
      await suite.created({ id: 'r1', maxAttempts: 50 });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          suite.store.otpRequests.verify({
            limits: [],
            limitsNow: T0,
            id: 'r1',
            widgetId: 'w_1',
            now: T0 + 1,
            candidates: ['hash-1'],
            token: { jti: `j${i}`, issuedAt: T0, expiresAt: T0 + 300_000 },
            event: { ...event, kind: 'verify' as const, identifier: null },
          }),
        ),
      );
      expect(results.filter((r) => r.kind === 'verified')).toHaveLength(1);
      expect(results.every((r) => ['verified', 'unclaimed', 'lost'].includes(r.kind))).toBe(true);
      const tokens = await Promise.all(
        Array.from({ length: 20 }, (_, i) => suite.store.accessTokens.get(`j${i}`)),
      );
      expect(tokens.filter(Boolean)).toHaveLength(1);
      expect(await suite.store.events.listForRequest('r1')).toHaveLength(1);
    });

    it('redeem marks a token verified once, with the request’s verification time and the event', async () => {
      await suite.created({ id: 'r1' });
      await suite.store.otpRequests.verify(check('r1', { now: T0 + 2 }));
      const t = accessToken({ issuedAt: T0 + 2 });
      await suite.store.accessTokens.insert(t);
      const redeemEvent = {
        ...event,
        requestId: 'r1',
        kind: 'verify-token' as const,
        identifier: null,
      };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => suite.store.accessTokens.redeem('j1', T0 + 5, redeemEvent)),
      );
      expect(results.filter(Boolean)).toEqual([
        { record: { ...t, verifiedAt: T0 + 5 }, requestVerifiedAt: T0 + 2 },
      ]);
      // The code check's event, then the one redemption's.
      expect((await suite.store.events.listForRequest('r1')).map((e) => e.kind)).toEqual([
        'verify',
        'verify-token',
      ]);
      expect(await suite.store.accessTokens.redeem('unknown', T0 + 6, redeemEvent)).toBeUndefined();
    });
  });
}
