/** Store conformance: magic links, passkeys and their challenges. */
import { describe, expect, it } from 'vitest';
import type { PasskeyChallenge, PasskeyRecord } from '../types.ts';
import { ACCOUNT, message, request, type SuiteContext, T0 } from './fixtures.ts';

export function linkAndPasskeyConformance(suite: SuiteContext): void {
  describe('magic links', () => {
    async function withLink(expiresAt = T0 + 600_000) {
      const r = request({
        id: 'r1',
        verificationType: 'magic_link',
        identifier: 'a@example.com',
        contactPoint: 'email',
        channel: 'email',
        codeHashes: [],
        matchNumber: 42,
      });
      await suite.store.otpRequests.create(r, message('r1', { channel: 'email' }), {
        tokenHash: 'lh-1',
        requestId: 'r1',
        widgetId: 'w_1',
        expiresAt,
        createdAt: T0,
      });
    }

    it('keeps the match number of a link request', async () => {
      await withLink();
      expect((await suite.store.otpRequests.get('r1'))?.matchNumber).toBe(42);
    });

    it('refuse (a wrong number) uses the link and ends the request: no link of it confirms', async () => {
      await withLink();
      // A resend (past the interval) adds a second link to the request.
      await suite.store.otpRequests.recordResend(
        'r1',
        'w_1',
        { channel: 'email', codeHash: null, now: T0 + 30_000 },
        undefined,
        {
          tokenHash: 'lh-2',
          requestId: 'r1',
          widgetId: 'w_1',
          expiresAt: T0 + 630_000,
          createdAt: T0 + 30_000,
        },
      );
      expect((await suite.store.magicLinks.get('lh-2'))?.usedAt).toBeNull();
      const ended = await suite.store.magicLinks.refuse('lh-1', T0 + 31_000);
      expect(ended).toMatchObject({ id: 'r1', status: 'pending' });
      expect(ended!.attempts).toBe(ended!.maxAttempts);
      expect((await suite.store.magicLinks.get('lh-1'))?.usedAt).toBe(T0 + 31_000);
      expect(await suite.store.magicLinks.refuse('lh-1', T0 + 32_000)).toBeUndefined();
      expect(await suite.store.magicLinks.confirm('lh-1', T0 + 32_000)).toBeUndefined();
      expect(await suite.store.magicLinks.confirm('lh-2', T0 + 32_000)).toBeUndefined();
      expect(await suite.store.magicLinks.refuse('lh-2', T0 + 32_000)).toBeUndefined();
      expect((await suite.store.magicLinks.get('lh-2'))?.usedAt).toBeNull();
      expect((await suite.store.otpRequests.get('r1'))?.status).toBe('pending');
    });

    it('confirm and refuse of one link race: exactly one wins', async () => {
      for (let round = 0; round < 5; round++) {
        const id = `race${round}`;
        await suite.store.otpRequests.create(
          request({
            id,
            verificationType: 'magic_link',
            identifier: `race${round}@example.com`,
            contactPoint: 'email',
            channel: 'email',
            codeHashes: [],
            matchNumber: 42,
          }),
          message(id, { channel: 'email' }),
          {
            tokenHash: `lh-${id}`,
            requestId: id,
            widgetId: 'w_1',
            expiresAt: T0 + 600_000,
            createdAt: T0,
          },
        );
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            i % 2 === 0
              ? suite.store.magicLinks.confirm(`lh-${id}`, T0 + 5).then((r) => r && 'confirmed')
              : suite.store.magicLinks.refuse(`lh-${id}`, T0 + 5).then((r) => r && 'refused'),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const after = await suite.store.otpRequests.get(id);
        if (results.includes('confirmed')) expect(after?.status).toBe('verified');
        else expect(after).toMatchObject({ status: 'pending', attempts: after?.maxAttempts });
      }
    });

    it('records the first opening only', async () => {
      await withLink();
      await suite.store.magicLinks.markOpened('lh-1', T0 + 1);
      await suite.store.magicLinks.markOpened('lh-1', T0 + 2);
      expect(await suite.store.magicLinks.get('lh-1')).toEqual({
        tokenHash: 'lh-1',
        requestId: 'r1',
        widgetId: 'w_1',
        expiresAt: T0 + 600_000,
        openedAt: T0 + 1,
        usedAt: null,
        createdAt: T0,
      });
    });

    it('confirm has one winner among concurrent callers', async () => {
      await withLink();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => suite.store.magicLinks.confirm('lh-1', T0 + 5)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(results.find(Boolean)).toMatchObject({ id: 'r1', status: 'verified' });
      expect((await suite.store.magicLinks.get('lh-1'))?.usedAt).toBe(T0 + 5);
    });

    it('refuses an expired link, and leaves a link unused when its request cannot be verified', async () => {
      await withLink(T0 + 10);
      expect(await suite.store.magicLinks.confirm('lh-1', T0 + 10)).toBeUndefined();
      // A newer request for the address supersedes the link's: it can no longer be verified.
      await suite.store.otpRequests.create(
        request({
          id: 'r2',
          identifier: 'a@example.com',
          contactPoint: 'email',
          createdAt: T0 + 1,
        }),
      );
      expect((await suite.store.otpRequests.get('r1'))?.status).toBe('superseded');
      expect(await suite.store.magicLinks.confirm('lh-1', T0 + 2)).toBeUndefined();
      expect((await suite.store.magicLinks.get('lh-1'))?.usedAt).toBeNull();
    });

    it('keeps the first access token attached to a verified request', async () => {
      await withLink();
      expect(await suite.store.magicLinks.attachAccessToken('r1', { sealed: 's', jti: 'j' })).toBe(
        false,
      );
      await suite.store.magicLinks.confirm('lh-1', T0 + 1);
      expect(
        await suite.store.magicLinks.attachAccessToken('r1', { sealed: 's1', jti: 'j1' }),
      ).toBe(true);
      expect(
        await suite.store.magicLinks.attachAccessToken('r1', { sealed: 's2', jti: 'j2' }),
      ).toBe(false);
      expect((await suite.store.otpRequests.get('r1'))?.accessToken).toEqual({
        sealed: 's1',
        jti: 'j1',
      });
    });
  });

  describe('passkeys', () => {
    const passkey = (overrides: Partial<PasskeyRecord> = {}): PasskeyRecord => ({
      id: `pk_${Math.random().toString(36).slice(2, 10)}`,
      credentialId: `cred-${Math.random().toString(36).slice(2, 10)}`,
      accountId: ACCOUNT,
      widgetId: 'w_1',
      identifier: '919876543210',
      rpId: 'shop.example',
      publicKey: 'pQECAyYgASFYI',
      counter: 0,
      transports: ['internal', 'hybrid'],
      deviceType: 'multiDevice',
      backedUp: true,
      createdAt: T0,
      lastUsedAt: null,
      revokedAt: null,
      ...overrides,
    });

    it('stores a passkey once per credential id, lists an identifier’s, newest first', async () => {
      const a = passkey();
      const b = passkey({ createdAt: T0 + 1, backedUp: false, deviceType: 'singleDevice' });
      expect(await suite.store.passkeys.insert(a)).toBe(true);
      expect(await suite.store.passkeys.insert(b)).toBe(true);
      expect(await suite.store.passkeys.insert({ ...a, id: 'pk_other' })).toBe(false);
      await suite.store.passkeys.insert(passkey({ identifier: 'someone@example.com' }));
      await suite.store.passkeys.insert(passkey({ accountId: 'acc_2' }));
      expect(await suite.store.passkeys.listFor(ACCOUNT, '919876543210')).toEqual([b, a]);
      expect(await suite.store.passkeys.byCredentialId(a.credentialId)).toEqual(a);
      expect(await suite.store.passkeys.byCredentialId('nope')).toBeUndefined();
    });

    it('records a use only with a counter that moves forward (or stays 0), never when revoked', async () => {
      const counting = passkey({ counter: 5 });
      const zero = passkey({ createdAt: T0 - 1 });
      await suite.store.passkeys.insert(counting);
      await suite.store.passkeys.insert(zero);
      expect(await suite.store.passkeys.recordUse(counting.id, 5, T0 + 1)).toBe(false);
      expect(await suite.store.passkeys.recordUse(counting.id, 4, T0 + 1)).toBe(false);
      expect(await suite.store.passkeys.recordUse(counting.id, 6, T0 + 2)).toBe(true);
      expect(await suite.store.passkeys.byCredentialId(counting.credentialId)).toMatchObject({
        counter: 6,
        lastUsedAt: T0 + 2,
      });
      expect(await suite.store.passkeys.recordUse(zero.id, 0, T0 + 3)).toBe(true);
      expect(await suite.store.passkeys.recordUse(zero.id, 0, T0 + 4)).toBe(true);
      // Two sign-ins racing with the same counter: one wins.
      const raced = await Promise.all([
        suite.store.passkeys.recordUse(counting.id, 7, T0 + 5),
        suite.store.passkeys.recordUse(counting.id, 7, T0 + 5),
      ]);
      expect(raced.filter(Boolean)).toHaveLength(1);

      expect(await suite.store.passkeys.revoke('acc_2', counting.id, T0 + 6)).toBeUndefined();
      expect(await suite.store.passkeys.revoke(ACCOUNT, counting.id, T0 + 6)).toMatchObject({
        revokedAt: T0 + 6,
      });
      expect(await suite.store.passkeys.revoke(ACCOUNT, counting.id, T0 + 7)).toMatchObject({
        revokedAt: T0 + 6,
      });
      expect(await suite.store.passkeys.recordUse(counting.id, 8, T0 + 8)).toBe(false);
      expect(await suite.store.passkeys.byCredentialId(counting.credentialId)).toBeUndefined();
      expect((await suite.store.passkeys.listFor(ACCOUNT, '919876543210'))[0]?.revokedAt).toBe(
        T0 + 6,
      );
    });

    it('gives a challenge or ticket once, and only before it expires', async () => {
      const challenge: PasskeyChallenge = {
        id: 'c1',
        kind: 'ticket',
        widgetId: 'w_1',
        identifier: '919876543210',
        origin: 'https://shop.example',
        requestId: 'req_1',
        expiresAt: T0 + 300_000,
        createdAt: T0,
      };
      await suite.store.passkeyChallenges.insert(challenge);
      await suite.store.passkeyChallenges.insert({ ...challenge, id: 'c2', expiresAt: T0 + 10 });
      expect(await suite.store.passkeyChallenges.peek('c1', 'ticket', T0)).toEqual(challenge);
      expect(await suite.store.passkeyChallenges.peek('c1', 'sign-in', T0)).toBeUndefined();
      expect(await suite.store.passkeyChallenges.take('c1', 'register', T0)).toBeUndefined();
      const taken = await Promise.all([
        suite.store.passkeyChallenges.take('c1', 'ticket', T0 + 1),
        suite.store.passkeyChallenges.take('c1', 'ticket', T0 + 1),
      ]);
      expect(taken.filter(Boolean)).toEqual([challenge]);
      expect(await suite.store.passkeyChallenges.peek('c1', 'ticket', T0)).toBeUndefined();
      expect(await suite.store.passkeyChallenges.take('c2', 'ticket', T0 + 10)).toBeUndefined();
      await suite.store.passkeyChallenges.insert({ ...challenge, id: 'c3', expiresAt: T0 + 10 });
      expect(await suite.store.passkeyChallenges.purgeExpired(T0 + 10)).toBe(1);
    });
  });
}
