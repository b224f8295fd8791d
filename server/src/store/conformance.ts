/**
 * The store conformance suite: one set of vitest tests every adapter must
 * pass (SQLite and PostgreSQL alike), covering each Store method's documented
 * contract, the atomic ones under concurrency included.
 *
 * @example
 * storeConformance('sqlite', async () => {
 *   const store = openSqliteStore(':memory:');
 *   await store.migrate();
 *   return { store, cleanup: () => store.close() };
 * });
 */
import type { Channel } from '@otpkit/protocol';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WidgetSettings } from '../model/widget-settings.ts';
import type { NewMessage, NewOtpRequest, PasskeyChallenge, PasskeyRecord, Store } from './types.ts';

/** A migrated, empty store, and how to dispose of it. */
export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;
/** An hour boundary, so rollup buckets are predictable. */
const T0 = 472_222 * HOUR;
const ACCOUNT = 'acc_1';

const settings = (name: string) => ({ name }) as unknown as WidgetSettings;

function request(overrides: Partial<NewOtpRequest> = {}): NewOtpRequest {
  return {
    id: `req_${Math.random().toString(36).slice(2, 10)}`,
    verificationType: 'otp',
    widgetId: 'w_1',
    identifier: '919876543210',
    contactPoint: 'mobile',
    channel: 'sms',
    codeHashes: ['hash-1'],
    maxAttempts: 3,
    maxResends: 2,
    resendIntervalMs: 30_000,
    ttlMs: 600_000,
    lastSentAt: T0,
    expiresAt: T0 + 600_000,
    ip: '203.0.113.7',
    host: 'shop.example',
    userAgent: 'UA',
    variables: { company: 'Acme', product: 'Shop' },
    demo: false,
    country: 'IN',
    language: 'en',
    createdAt: T0,
    ...overrides,
  };
}

function message(requestId: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id: `msg_${Math.random().toString(36).slice(2, 10)}`,
    requestId,
    widgetId: 'w_1',
    channel: 'sms',
    purpose: 'send',
    recipient: '919876543210',
    payload: 'sealed-payload',
    createdAt: T0,
    ...overrides,
  };
}

/**
 * Registers the conformance tests for one adapter.
 *
 * @param name shown in the test names.
 * @param open returns a fresh, migrated, empty store for each test.
 * @param options.teardown runs once after the last test (e.g. drops a test schema).
 */
export function storeConformance(
  name: string,
  open: () => Promise<StoreUnderTest>,
  options: { teardown?: () => Promise<void> } = {},
): void {
  describe(`store conformance: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: Store;

    afterAll(async () => {
      await options.teardown?.();
    });

    beforeEach(async () => {
      sut = await open();
      store = sut.store;
      await store.accounts.ensureDefault(ACCOUNT, T0);
      await store.widgets.insert({
        id: 'w_1',
        accountId: ACCOUNT,
        settings: settings('Shop'),
        createdAt: T0,
        updatedAt: T0,
      });
    });
    afterEach(async () => {
      await sut.cleanup();
    });

    /** A request with its first message queued. */
    async function created(overrides: Partial<NewOtpRequest> = {}) {
      const r = request(overrides);
      const m = message(r.id, {
        widgetId: r.widgetId,
        channel: r.channel as Channel,
        createdAt: r.createdAt,
      });
      const row = await store.otpRequests.create(r, m);
      return { request: row, message: m };
    }

    describe('migrate, settings, accounts', () => {
      it('migrate is idempotent', async () => {
        await store.migrate();
        expect(await store.widgets.get('w_1')).toBeDefined();
      });

      it('health answers with no migration pending once migrated', async () => {
        expect(await store.health()).toEqual({ migrationsPending: [] });
      });

      it('setIfAbsent keeps the first value', async () => {
        expect(await store.settings.get('secret')).toBeUndefined();
        expect(await store.settings.setIfAbsent('secret', 'one')).toBe('one');
        expect(await store.settings.setIfAbsent('secret', 'two')).toBe('one');
        expect(await store.settings.get('secret')).toBe('one');
      });

      it('concurrent setIfAbsent calls agree on one value', async () => {
        const values = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.settings.setIfAbsent('k', `v${i}`)),
        );
        expect(new Set(values).size).toBe(1);
      });

      it('ensureDefault creates the account once', async () => {
        const again = await store.accounts.ensureDefault(ACCOUNT, T0 + 5000);
        expect(again).toEqual({ id: ACCOUNT, name: 'Default', createdAt: T0 });
      });
    });

    describe('authkeys', () => {
      const key = (id: string, hash: string, createdAt = T0) => ({
        id,
        accountId: ACCOUNT,
        label: `label ${id}`,
        prefix: hash.slice(0, 6),
        createdAt,
        lastUsedAt: null,
        hash,
      });

      it('finds a live key by hash and records its use at most once a minute', async () => {
        await store.authkeys.insert(key('k1', 'hash-aaaaaa'));
        expect(await store.authkeys.use('hash-nope', T0)).toBeUndefined();
        const used = await store.authkeys.use('hash-aaaaaa', T0 + 1000);
        expect(used).toEqual({
          id: 'k1',
          accountId: ACCOUNT,
          label: 'label k1',
          prefix: 'hash-a',
          createdAt: T0,
          lastUsedAt: null,
        });
        await store.authkeys.use('hash-aaaaaa', T0 + 2000);
        const [listed] = await store.authkeys.list(ACCOUNT);
        expect(listed?.lastUsedAt).toBe(T0 + 1000);
        await store.authkeys.use('hash-aaaaaa', T0 + 61_000);
        expect((await store.authkeys.list(ACCOUNT))[0]?.lastUsedAt).toBe(T0 + 61_000);
      });

      it('lists oldest first, counts live keys, and never revokes the last one', async () => {
        await store.authkeys.insert(key('k1', 'hash-1', T0));
        await store.authkeys.insert(key('k2', 'hash-2', T0 + 1));
        await store.authkeys.insert(key('k2b', 'hash-2', T0 + 2)); // same hash: ignored
        expect((await store.authkeys.list(ACCOUNT)).map((k) => k.id)).toEqual(['k1', 'k2']);
        expect(await store.authkeys.countForAccount(ACCOUNT)).toBe(2);
        expect(await store.authkeys.revoke(ACCOUNT, 'nope', T0)).toBe('not_found');
        expect(await store.authkeys.revoke(ACCOUNT, 'k1', T0)).toBe('revoked');
        expect(await store.authkeys.revoke(ACCOUNT, 'k1', T0)).toBe('not_found');
        expect(await store.authkeys.revoke(ACCOUNT, 'k2', T0)).toBe('last');
        expect(await store.authkeys.use('hash-1', T0)).toBeUndefined();
        expect(await store.authkeys.countForAccount(ACCOUNT)).toBe(1);
      });

      it('two revocations at once leave one live key', async () => {
        await store.authkeys.insert(key('k1', 'hash-1', T0));
        await store.authkeys.insert(key('k2', 'hash-2', T0 + 1));
        const outcomes = await Promise.all([
          store.authkeys.revoke(ACCOUNT, 'k1', T0),
          store.authkeys.revoke(ACCOUNT, 'k2', T0),
        ]);
        expect(outcomes.sort()).toEqual(['last', 'revoked']);
        expect(await store.authkeys.countForAccount(ACCOUNT)).toBe(1);
      });
    });

    describe('widgets and widget tokens', () => {
      it('inserts, lists newest first, updates and deletes', async () => {
        await store.widgets.insert({
          id: 'w_2',
          accountId: ACCOUNT,
          settings: settings('Second'),
          createdAt: T0 + 10,
          updatedAt: T0 + 10,
        });
        expect((await store.widgets.list(ACCOUNT)).map((w) => w.id)).toEqual(['w_2', 'w_1']);
        const updated = await store.widgets.update('w_2', settings('Renamed'), T0 + 20);
        expect(updated).toEqual({
          id: 'w_2',
          accountId: ACCOUNT,
          settings: settings('Renamed'),
          createdAt: T0 + 10,
          updatedAt: T0 + 20,
        });
        expect(await store.widgets.delete('w_2', T0 + 30)).toBe(true);
        expect(await store.widgets.delete('w_2', T0 + 30)).toBe(false);
        expect(await store.widgets.get('w_2')).toBeUndefined();
        expect(await store.widgets.update('w_2', settings('x'), T0 + 40)).toBeUndefined();
        expect((await store.widgets.list(ACCOUNT)).map((w) => w.id)).toEqual(['w_1']);
      });

      it('keeps settings exactly as given', async () => {
        const s = {
          name: 'Deep',
          nested: { b: [1, 2], a: 'x' },
          flag: true,
        } as unknown as WidgetSettings;
        await store.widgets.update('w_1', s, T0 + 1);
        expect((await store.widgets.get('w_1'))?.settings).toEqual(s);
      });

      it('uses a live token of its own widget only, and revokes it', async () => {
        const t = {
          id: 't1',
          tokenHash: 'th-1',
          prefix: 'abc123',
          widgetId: 'w_1',
          label: null,
          createdAt: T0,
          lastUsedAt: null,
        };
        await store.widgetTokens.insert(t);
        await store.widgetTokens.insert({ ...t, id: 't2', tokenHash: 'th-2', createdAt: T0 + 1 });
        expect(await store.widgetTokens.use('w_1', 'th-1', T0 + 5)).toBe(true);
        expect(await store.widgetTokens.use('w_other', 'th-1', T0 + 5)).toBe(false);
        expect(await store.widgetTokens.use('w_1', 'th-x', T0 + 5)).toBe(false);
        const listed = await store.widgetTokens.list('w_1');
        expect(listed.map((x) => x.id)).toEqual(['t1', 't2']);
        expect(listed[0]?.lastUsedAt).toBe(T0 + 5);
        expect(await store.widgetTokens.revoke('w_1', 't1', T0 + 6)).toBe(true);
        expect(await store.widgetTokens.revoke('w_1', 't1', T0 + 6)).toBe(false);
        expect(await store.widgetTokens.use('w_1', 'th-1', T0 + 7)).toBe(false);
        expect((await store.widgetTokens.list('w_1')).map((x) => x.id)).toEqual(['t2']);
      });
    });

    describe('templates', () => {
      const template = (id: string, widgetId: string | null, updatedAt: number) => ({
        id,
        accountId: ACCOUNT,
        widgetId,
        name: id,
        channel: 'sms' as const,
        subject: null,
        body: `body ${id}`,
        unicode: true,
        senderId: 'ACME',
        dltTemplateId: null,
        translations: {},
        createdAt: T0,
        updatedAt,
      });

      it('prefers the widget template, then the newest account one', async () => {
        await store.templates.insert(template('acct-old', null, T0));
        await store.templates.insert(template('acct-new', null, T0 + 1));
        expect((await store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.id).toBe('acct-new');
        await store.templates.insert(template('own', 'w_1', T0));
        expect(await store.templates.findFor(ACCOUNT, 'w_1', 'sms')).toEqual(
          template('own', 'w_1', T0),
        );
        expect(await store.templates.findFor(ACCOUNT, 'w_1', 'email')).toBeUndefined();
        expect((await store.templates.list(ACCOUNT)).map((t) => t.id)).toEqual([
          'acct-new',
          'acct-old',
          'own',
        ]);
        expect((await store.templates.list(ACCOUNT, { widgetId: 'w_1' })).map((t) => t.id)).toEqual(
          ['own'],
        );
      });

      it('keeps a body per language, through insert and update', async () => {
        const ta = { body: '##OTP## உங்கள் குறியீடு', subject: null };
        await store.templates.insert({ ...template('tr1', null, T0), translations: { ta } });
        expect((await store.templates.get('tr1'))?.translations).toEqual({ ta });
        expect((await store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.translations).toEqual({
          ta,
        });
        const ar = { body: '##OTP## رمزك', subject: 'رمز' };
        await store.templates.update({ ...template('tr1', null, T0 + 1), translations: { ar } });
        expect((await store.templates.get('tr1'))?.translations).toEqual({ ar });
        expect((await store.templates.list(ACCOUNT))[0]?.translations).toEqual({ ar });
        expect((await store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.translations).toEqual({
          ar,
        });
      });

      it('updates and deletes', async () => {
        // findFor answers what is stored now, before and after each change (an adapter may cache it).
        expect(await store.templates.findFor(ACCOUNT, 'w_1', 'sms')).toBeUndefined();
        await store.templates.insert(template('t', null, T0));
        expect((await store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.body).toBe('body t');
        await store.templates.update({ ...template('t', 'w_1', T0 + 9), body: 'changed' });
        expect(await store.templates.get('t')).toMatchObject({
          widgetId: 'w_1',
          body: 'changed',
          updatedAt: T0 + 9,
        });
        expect((await store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.body).toBe('changed');
        expect(await store.templates.delete('t')).toBe(true);
        expect(await store.templates.delete('t')).toBe(false);
        expect(await store.templates.get('t')).toBeUndefined();
        expect(await store.templates.findFor(ACCOUNT, 'w_1', 'sms')).toBeUndefined();
      });
    });

    describe('otp requests', () => {
      it('latestFor finds a widget’s newest request for an identifier, whatever its status', async () => {
        await store.widgets.insert({
          id: 'w_2',
          accountId: ACCOUNT,
          settings: settings('Other'),
          createdAt: T0,
          updatedAt: T0,
        });
        expect(await store.otpRequests.latestFor('w_1', '919876543210')).toBeUndefined();
        await store.otpRequests.create(request({ id: 'r1', createdAt: T0 }));
        await store.otpRequests.create(request({ id: 'r2', createdAt: T0 + 1000, codeLength: 8 }));
        // Same time: the later insert is the latest.
        await store.otpRequests.create(request({ id: 'r3', createdAt: T0 + 1000 }));
        await store.otpRequests.create(
          request({ id: 'rw', widgetId: 'w_2', createdAt: T0 + 9000 }),
        );
        await store.otpRequests.create(
          request({ id: 'rn', identifier: '919876543211', createdAt: T0 + 9000 }),
        );
        expect((await store.otpRequests.latestFor('w_1', '919876543210'))?.id).toBe('r3');
        await store.otpRequests.completeVerification('r3', T0 + 2000);
        expect(await store.otpRequests.latestFor('w_1', '919876543210')).toMatchObject({
          id: 'r3',
          status: 'verified',
        });
      });

      it('keeps a request’s code length (null when the widget’s applies)', async () => {
        await store.otpRequests.create(request({ id: 'r1', codeLength: 8 }));
        await store.otpRequests.create(request({ id: 'r2', identifier: '919876543211' }));
        expect((await store.otpRequests.get('r1'))?.codeLength).toBe(8);
        expect((await store.otpRequests.get('r2'))?.codeLength).toBeNull();
      });

      it('creates a request with its message and supersedes the pending one', async () => {
        const first = await created({ id: 'r1' });
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
        expect(await store.otpRequests.get('r1')).toEqual(first.request);
        expect((await store.messages.listForRequest('r1')).map((m) => m.id)).toEqual([
          first.message.id,
        ]);
        await created({ id: 'r2', createdAt: T0 + 1000 });
        expect((await store.otpRequests.get('r1'))?.status).toBe('superseded');
        expect((await store.otpRequests.get('r2'))?.status).toBe('pending');
        await created({ id: 'r3', identifier: 'someone@example.com', contactPoint: 'email' });
        expect((await store.otpRequests.get('r2'))?.status).toBe('pending');
      });

      it('concurrent creates for one identifier leave exactly one pending', async () => {
        await Promise.all(Array.from({ length: 8 }, (_, i) => created({ id: `c${i}` })));
        const statuses = await Promise.all(
          Array.from({ length: 8 }, async (_, i) => (await store.otpRequests.get(`c${i}`))?.status),
        );
        expect(statuses.filter((s) => s === 'pending')).toHaveLength(1);
      });

      it('claimAttempt counts attempts up to the limit, only while pending and unexpired', async () => {
        await created({ id: 'r1' });
        expect(await store.otpRequests.claimAttempt('r1', 'w_other', T0)).toBeUndefined();
        expect((await store.otpRequests.claimAttempt('r1', 'w_1', T0))?.attempts).toBe(1);
        expect((await store.otpRequests.claimAttempt('r1', 'w_1', T0))?.attempts).toBe(2);
        expect((await store.otpRequests.claimAttempt('r1', 'w_1', T0))?.attempts).toBe(3);
        expect(await store.otpRequests.claimAttempt('r1', 'w_1', T0)).toBeUndefined();
        await created({ id: 'r2', identifier: 'x@example.com' });
        expect(await store.otpRequests.claimAttempt('r2', 'w_1', T0 + 600_000)).toBeUndefined();
      });

      it('concurrent claimAttempt calls never exceed maxAttempts', async () => {
        await created({ id: 'r1', maxAttempts: 5 });
        const claims = await Promise.all(
          Array.from({ length: 30 }, () => store.otpRequests.claimAttempt('r1', 'w_1', T0 + 1)),
        );
        expect(claims.filter(Boolean)).toHaveLength(5);
        expect((await store.otpRequests.get('r1'))?.attempts).toBe(5);
      });

      it('completeVerification has one winner and refunds the attempt', async () => {
        await created({ id: 'r1' });
        await store.otpRequests.claimAttempt('r1', 'w_1', T0 + 1);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.otpRequests.completeVerification('r1', T0 + 2)),
        );
        const winners = results.filter(Boolean);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toMatchObject({ status: 'verified', verifiedAt: T0 + 2, attempts: 0 });
        expect(await store.otpRequests.claimAttempt('r1', 'w_1', T0 + 3)).toBeUndefined();
      });

      it('recordResend respects the interval and limit, adds the hash and renews the expiry', async () => {
        await created({ id: 'r1' });
        const change = { channel: 'whatsapp' as const, codeHash: 'hash-2', now: T0 + 10_000 };
        expect(await store.otpRequests.recordResend('r1', 'w_1', change)).toBeUndefined();
        const m2 = message('r1', { channel: 'whatsapp', purpose: 'retry', createdAt: T0 + 30_000 });
        const resent = await store.otpRequests.recordResend(
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
        expect((await store.messages.listForRequest('r1')).map((m) => m.purpose)).toEqual([
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
        const linked = await store.otpRequests.recordResend(
          'r1',
          'w_1',
          { channel: 'email', codeHash: null, now: T0 + 60_000 },
          undefined,
          link,
        );
        expect(linked?.codeHashes).toEqual(['hash-1', 'hash-2']);
        expect(await store.magicLinks.get('lh-1')).toMatchObject({ requestId: 'r1', usedAt: null });
        // maxResends is 2.
        expect(
          await store.otpRequests.recordResend('r1', 'w_1', { ...change, now: T0 + 200_000 }),
        ).toBeUndefined();
      });

      it('concurrent resends count once per interval', async () => {
        await created({ id: 'r1', maxResends: 5 });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.otpRequests.recordResend(
              'r1',
              'w_1',
              { channel: 'sms', codeHash: `h${i}`, now: T0 + 31_000 },
              message('r1', { purpose: 'retry' }),
            ),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.messages.listForRequest('r1')).toHaveLength(2);
      });

      it('addFallback adds a code and a message without counting a resend', async () => {
        await created({ id: 'r1' });
        const fb = message('r1', { channel: 'voice', purpose: 'fallback' });
        const row = await store.otpRequests.addFallback(
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
        expect(await store.messages.get(fb.id)).toMatchObject({ purpose: 'fallback' });
        await store.otpRequests.completeVerification('r1', T0 + 6);
        const late = message('r1', { purpose: 'fallback' });
        expect(
          await store.otpRequests.addFallback(
            'r1',
            { channel: 'sms', codeHash: 'x', now: T0 + 7 },
            late,
          ),
        ).toBeUndefined();
        expect(await store.messages.get(late.id)).toBeUndefined();
      });
    });

    describe('combined writes: send, verify, redeem', () => {
      const HOUR_NO = T0 / HOUR;
      /** The `ok` event row a combined write records for a request. */
      const okEvent = (requestId: string, kind: string) => ({
        requestId,
        widgetId: 'w_1',
        kind,
        outcome: 'ok',
        ip: '1.2.3.4',
        host: 'h',
        userAgent: 'ua',
        createdAt: T0,
      });
      const event = {
        widgetId: 'w_1',
        kind: 'send',
        ip: '1.2.3.4',
        host: 'h',
        userAgent: 'ua',
        createdAt: T0,
        identifier: '919876543210',
      };
      const sendWrite = (
        id: string,
        over: Partial<Parameters<Store['otpRequests']['send']>[0]>,
      ) => ({
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
        const first = await store.otpRequests.send(sendWrite('s1', { limits, pumping }));
        expect(first).toMatchObject({ kind: 'created', request: { id: 's1', status: 'pending' } });
        expect(await store.messages.listForRequest('s1')).toHaveLength(1);
        expect(await store.events.listForRequest('s1')).toEqual([okEvent('s1', 'send')]);
        expect(await store.sendCounters.total('w_1', 'IN', HOUR_NO, HOUR_NO + 1)).toBe(1);

        // The second counter is past its limit: nothing else is written, and the pending request stays.
        const second = await store.otpRequests.send(sendWrite('s2', { limits, pumping }));
        expect(second).toEqual({ kind: 'limited', index: 1, msBeforeNext: 60_000 });
        expect(await store.otpRequests.get('s2')).toBeUndefined();
        expect(await store.messages.listForRequest('s2')).toEqual([]);
        expect(await store.events.listForRequest('s2')).toEqual([]);
        expect(await store.sendCounters.total('w_1', 'IN', HOUR_NO, HOUR_NO + 1)).toBe(1);
        expect((await store.otpRequests.get('s1'))?.status).toBe('pending');
        // All or nothing: the refused call spent no point of the first counter either.
        const one = [limits[0]!];
        expect((await store.otpRequests.send(sendWrite('s3', { limits: one }))).kind).toBe(
          'created',
        );
        expect(await store.otpRequests.send(sendWrite('s4', { limits: one }))).toMatchObject({
          kind: 'limited',
          index: 0,
        });
      });

      it('send is refused by the pumping brake above the hour’s ceiling, with nothing spent', async () => {
        const pumping = { widgetId: 'w_1', country: 'IN', hour: HOUR_NO, ceiling: 1 };
        const limits = [{ key: 'send:widget', points: 2, seconds: 60 }];
        expect((await store.otpRequests.send(sendWrite('s1', { limits, pumping }))).kind).toBe(
          'created',
        );
        expect(await store.otpRequests.send(sendWrite('s2', { limits, pumping }))).toEqual({
          kind: 'pumping',
          count: 2,
        });
        expect(await store.otpRequests.get('s2')).toBeUndefined();
        expect(await store.sendCounters.total('w_1', 'IN', HOUR_NO, HOUR_NO + 1)).toBe(1);
        // The widget's point was given back: another send (to a country the brake allows) still fits.
        expect((await store.otpRequests.send(sendWrite('s3', { limits }))).kind).toBe('created');
        expect((await store.otpRequests.send(sendWrite('s4', { limits }))).kind).toBe('limited');
      });

      it('verify spends the guess budget of the claimed identifier on a wrong code; past it every code is refused with nothing spent', async () => {
        await created({ id: 'r1', guessOwner: 'acct:919876543210' });
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
          event: { ...event, kind: 'verify', identifier: null },
        });
        expect((await store.otpRequests.verify(verifyWrite(false))).kind).toBe('mismatch');
        // The counter is the prefix and the request's owner.
        const counters = store.rateLimitBackend();
        if (counters.kind === 'counters') {
          expect(await counters.peek('verify:identifier:acct:919876543210', T0)).toEqual({
            points: 1,
            msBeforeNext: 60_000,
          });
        }
        // The budget (1) is spent: the next guess is refused at index limits.length, and neither
        // its attempt nor its limit point is spent.
        expect(await store.otpRequests.verify(verifyWrite(true))).toEqual({
          kind: 'limited',
          index: 1,
          msBeforeNext: 60_000,
        });
        expect((await store.otpRequests.get('r1'))?.attempts).toBe(1);
        const ipOnly = [{ key: 'verify:ip', points: 2, seconds: 60 }];
        // verify:ip holds 1 point (the mismatch): a limit of 2 admits exactly one more call.
        const { guess: _, ...noGuess } = verifyWrite(false);
        const claimOnly = await store.otpRequests.verify({ ...noGuess, limits: ipOnly });
        expect(claimOnly.kind).toBe('mismatch');
        expect(await store.otpRequests.verify({ ...noGuess, limits: ipOnly })).toMatchObject({
          kind: 'limited',
          index: 0,
        });

        // A right code within the budget verifies without spending it.
        await created({ id: 'r2', identifier: '919876543211', guessOwner: 'acct:919876543211' });
        const right = await store.otpRequests.verify({
          ...verifyWrite(true),
          limits: [],
          id: 'r2',
        });
        expect(right.kind).toBe('verified');
        await created({ id: 'r3', identifier: '919876543211', guessOwner: 'acct:919876543211' });
        expect(
          (await store.otpRequests.verify({ ...verifyWrite(false), limits: [], id: 'r3' })).kind,
        ).toBe('mismatch');
        // A request without an owner (a demo request) has no budget.
        await created({ id: 'r4', identifier: '919876543210', demo: true });
        expect((await store.otpRequests.verify({ ...verifyWrite(true), id: 'r4' })).kind).toBe(
          'verified',
        );
      });

      it('verify counts the attempt, compares, and for a right code verifies, records the token and the event', async () => {
        await created({ id: 'r1' });
        const verifyWrite = (over: Partial<Parameters<Store['otpRequests']['verify']>[0]>) => ({
          limits: [],
          limitsNow: T0,
          id: 'r1',
          widgetId: 'w_1',
          now: T0 + 1,
          candidates: ['hash-9'],
          event: { ...event, kind: 'verify', identifier: null },
          ...over,
        });
        const wrong = await store.otpRequests.verify(verifyWrite({ candidates: ['hash-2', 'x'] }));
        expect(wrong).toMatchObject({ kind: 'mismatch', claimed: { id: 'r1', attempts: 1 } });
        expect(await store.events.listForRequest('r1')).toEqual([]);

        const limits = [{ key: 'verify:ip', points: 0, seconds: 60 }];
        expect(await store.otpRequests.verify(verifyWrite({ limits }))).toMatchObject({
          kind: 'limited',
          index: 0,
        });
        expect((await store.otpRequests.get('r1'))?.attempts).toBe(1);

        const token = { jti: 'j1', issuedAt: T0, expiresAt: T0 + 300_000 };
        const right = await store.otpRequests.verify(
          verifyWrite({ candidates: ['x', 'hash-1'], token }),
        );
        expect(right).toMatchObject({
          kind: 'verified',
          request: { id: 'r1', status: 'verified', verifiedAt: T0 + 1, attempts: 1 },
        });
        expect(await store.accessTokens.get('j1')).toEqual({
          jti: 'j1',
          requestId: 'r1',
          widgetId: 'w_1',
          identifier: '919876543210',
          channel: 'sms',
          issuedAt: T0,
          expiresAt: T0 + 300_000,
          verifiedAt: null,
          demo: false,
        });
        expect(await store.events.listForRequest('r1')).toEqual([okEvent('r1', 'verify')]);
        expect(await store.otpRequests.verify(verifyWrite({ candidates: ['hash-1'] }))).toEqual({
          kind: 'unclaimed',
        });
      });

      it('concurrent right codes verify once and record one access token', async () => {
        await created({ id: 'r1', maxAttempts: 50 });
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.otpRequests.verify({
              limits: [],
              limitsNow: T0,
              id: 'r1',
              widgetId: 'w_1',
              now: T0 + 1,
              candidates: ['hash-1'],
              token: { jti: `j${i}`, issuedAt: T0, expiresAt: T0 + 300_000 },
              event: { ...event, kind: 'verify', identifier: null },
            }),
          ),
        );
        expect(results.filter((r) => r.kind === 'verified')).toHaveLength(1);
        expect(results.every((r) => ['verified', 'unclaimed', 'lost'].includes(r.kind))).toBe(true);
        const tokens = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.accessTokens.get(`j${i}`)),
        );
        expect(tokens.filter(Boolean)).toHaveLength(1);
        expect(await store.events.listForRequest('r1')).toHaveLength(1);
      });

      it('redeem marks a token verified once, with the request’s verification time and the event', async () => {
        await created({ id: 'r1' });
        await store.otpRequests.claimAttempt('r1', 'w_1', T0 + 1);
        await store.otpRequests.completeVerification('r1', T0 + 2);
        const t = {
          jti: 'j1',
          requestId: 'r1',
          widgetId: 'w_1',
          identifier: '919876543210',
          channel: 'sms' as const,
          issuedAt: T0 + 2,
          expiresAt: T0 + 300_000,
          demo: false,
        };
        await store.accessTokens.insert(t);
        const redeemEvent = { ...event, requestId: 'r1', kind: 'verify-token', identifier: null };
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.accessTokens.redeem('j1', T0 + 5, redeemEvent)),
        );
        expect(results.filter(Boolean)).toEqual([
          { record: { ...t, verifiedAt: T0 + 5 }, requestVerifiedAt: T0 + 2 },
        ]);
        expect((await store.events.listForRequest('r1')).map((e) => e.kind)).toEqual([
          'verify-token',
        ]);
        expect(await store.accessTokens.redeem('unknown', T0 + 6, redeemEvent)).toBeUndefined();
      });
    });

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
        await store.otpRequests.create(r, message('r1', { channel: 'email' }), {
          tokenHash: 'lh-1',
          requestId: 'r1',
          widgetId: 'w_1',
          expiresAt,
          createdAt: T0,
        });
      }

      it('keeps the match number of a link request', async () => {
        await withLink();
        expect((await store.otpRequests.get('r1'))?.matchNumber).toBe(42);
      });

      it('refuse (a wrong number) uses the link and ends the request: no link of it confirms', async () => {
        await withLink();
        // A resend (past the interval) adds a second link to the request.
        await store.otpRequests.recordResend(
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
        expect((await store.magicLinks.get('lh-2'))?.usedAt).toBeNull();
        const ended = await store.magicLinks.refuse('lh-1', T0 + 31_000);
        expect(ended).toMatchObject({ id: 'r1', status: 'pending' });
        expect(ended!.attempts).toBe(ended!.maxAttempts);
        expect((await store.magicLinks.get('lh-1'))?.usedAt).toBe(T0 + 31_000);
        expect(await store.magicLinks.refuse('lh-1', T0 + 32_000)).toBeUndefined();
        expect(await store.magicLinks.confirm('lh-1', T0 + 32_000)).toBeUndefined();
        expect(await store.magicLinks.confirm('lh-2', T0 + 32_000)).toBeUndefined();
        expect(await store.magicLinks.refuse('lh-2', T0 + 32_000)).toBeUndefined();
        expect((await store.magicLinks.get('lh-2'))?.usedAt).toBeNull();
        expect((await store.otpRequests.get('r1'))?.status).toBe('pending');
      });

      it('confirm and refuse of one link race: exactly one wins', async () => {
        for (let round = 0; round < 5; round++) {
          const id = `race${round}`;
          await store.otpRequests.create(
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
                ? store.magicLinks.confirm(`lh-${id}`, T0 + 5).then((r) => r && 'confirmed')
                : store.magicLinks.refuse(`lh-${id}`, T0 + 5).then((r) => r && 'refused'),
            ),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
          const after = await store.otpRequests.get(id);
          if (results.includes('confirmed')) expect(after?.status).toBe('verified');
          else expect(after).toMatchObject({ status: 'pending', attempts: after?.maxAttempts });
        }
      });

      it('records the first opening only', async () => {
        await withLink();
        await store.magicLinks.markOpened('lh-1', T0 + 1);
        await store.magicLinks.markOpened('lh-1', T0 + 2);
        expect(await store.magicLinks.get('lh-1')).toEqual({
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
          Array.from({ length: 10 }, () => store.magicLinks.confirm('lh-1', T0 + 5)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(results.find(Boolean)).toMatchObject({ id: 'r1', status: 'verified' });
        expect((await store.magicLinks.get('lh-1'))?.usedAt).toBe(T0 + 5);
      });

      it('refuses an expired link, and leaves a link unused when its request cannot be verified', async () => {
        await withLink(T0 + 10);
        expect(await store.magicLinks.confirm('lh-1', T0 + 10)).toBeUndefined();
        await store.otpRequests.completeVerification('r1', T0 + 1);
        expect(await store.magicLinks.confirm('lh-1', T0 + 2)).toBeUndefined();
        expect((await store.magicLinks.get('lh-1'))?.usedAt).toBeNull();
      });

      it('keeps the first access token attached to a verified request', async () => {
        await withLink();
        expect(await store.magicLinks.attachAccessToken('r1', { sealed: 's', jti: 'j' })).toBe(
          false,
        );
        await store.magicLinks.confirm('lh-1', T0 + 1);
        expect(await store.magicLinks.attachAccessToken('r1', { sealed: 's1', jti: 'j1' })).toBe(
          true,
        );
        expect(await store.magicLinks.attachAccessToken('r1', { sealed: 's2', jti: 'j2' })).toBe(
          false,
        );
        expect((await store.otpRequests.get('r1'))?.accessToken).toEqual({
          sealed: 's1',
          jti: 'j1',
        });
      });
    });

    describe('message queue', () => {
      it('claimDue leases due messages and counts an attempt', async () => {
        const { message: m } = await created({ id: 'r1' });
        expect(await store.messages.claimDue(T0 - 1, 1000, 10)).toEqual([]);
        const [claimed] = await store.messages.claimDue(T0, 1000, 10);
        expect(claimed).toMatchObject({
          id: m.id,
          status: 'pending',
          attempts: 1,
          lockedUntil: T0 + 1000,
          payload: 'sealed-payload',
          request: { status: 'pending', expiresAt: T0 + 600_000 },
        });
        expect(await store.messages.claimDue(T0 + 999, 1000, 10)).toEqual([]);
        // An expired lease (a crashed worker) makes it due again.
        expect((await store.messages.claimDue(T0 + 1000, 1000, 10))[0]?.attempts).toBe(2);
      });

      it('finish writes a batch of outcomes with their attempt rows; only pending messages move', async () => {
        const { message: a } = await created({ id: 'r1' });
        const { message: b } = await created({ id: 'r2', identifier: 'b@example.com' });
        const { message: c } = await created({ id: 'r3', identifier: 'c@example.com' });
        const claimed = await store.messages.claimDue(T0, 1000, 10);
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
        await store.messages.finish([
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
        expect(await store.messages.get(a.id)).toMatchObject({
          status: 'sent',
          payload: '',
          provider: 'p2',
          providerMessageId: `pm_${a.id}`,
          sentAt: T0 + 10,
          fallbackAt: T0 + 500,
          lockedUntil: null,
          error: null,
        });
        expect(await store.messages.get(b.id)).toMatchObject({
          status: 'failed',
          payload: '',
          provider: 'p1',
          error: 'invalid number',
          fallbackAt: null,
        });
        expect(await store.messages.get(c.id)).toMatchObject({
          status: 'pending',
          payload: 'sealed-payload',
          nextAttemptAt: T0 + 9000,
          lockedUntil: null,
          error: 'timeout',
        });
        expect((await store.deliveries.listForRequest('r1')).map((d) => d.provider)).toEqual([
          'p1',
          'p2',
        ]);
        expect(await store.deliveries.listForRequest('r2')).toHaveLength(1);
        // A sent message does not move back.
        await store.messages.finish([
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
        expect((await store.messages.get(a.id))?.status).toBe('sent');
        await store.messages.finish([]);
      });

      it('claimDue tells a message whose request is gone or verified', async () => {
        await created({ id: 'r1' });
        await store.otpRequests.claimAttempt('r1', 'w_1', T0 + 1);
        await store.otpRequests.completeVerification('r1', T0 + 2);
        expect((await store.messages.claimDue(T0 + 3, 1000, 10))[0]?.request).toEqual({
          status: 'verified',
          expiresAt: T0 + 600_000,
        });
      });

      it('two concurrent claimers never get the same message', async () => {
        for (let i = 0; i < 30; i++) {
          await created({ id: `r${i}`, identifier: `user${i}@example.com` });
        }
        const rounds = await Promise.all(
          Array.from({ length: 6 }, () => store.messages.claimDue(T0 + 1, 60_000, 4)),
        );
        const ids = rounds.flat().map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        const rest = await store.messages.claimDue(T0 + 1, 60_000, 100);
        expect(ids.length + rest.length).toBe(30);
        expect(new Set([...ids, ...rest.map((m) => m.id)]).size).toBe(30);
      });

      it('queueStats counts pending messages and dates the oldest', async () => {
        expect(await store.messages.queueStats()).toEqual({ depth: 0, oldestPendingAt: null });
        const { message: first } = await created({ id: 'r1' });
        await created({ id: 'r2', identifier: 'b@example.com', createdAt: T0 + 5000 });
        expect(await store.messages.queueStats()).toEqual({ depth: 2, oldestPendingAt: T0 });
        await store.messages.claimDue(T0 + 5000, 1000, 10);
        await store.messages.markSent(first.id, {
          provider: 'p',
          providerMessageId: 'pm-q',
          now: T0 + 6000,
          fallbackAt: null,
        });
        expect(await store.messages.queueStats()).toEqual({
          depth: 1,
          oldestPendingAt: T0 + 5000,
        });
      });

      it('markSent erases the payload; reschedule and markFailed act on pending messages only', async () => {
        const { message: m } = await created({ id: 'r1' });
        await store.messages.claimDue(T0, 1000, 10);
        await store.messages.reschedule(m.id, {
          nextAttemptAt: T0 + 5000,
          error: 'timeout',
          now: T0 + 1,
        });
        expect(await store.messages.get(m.id)).toMatchObject({
          nextAttemptAt: T0 + 5000,
          lockedUntil: null,
          error: 'timeout',
        });
        await store.messages.markSent(m.id, {
          provider: 'p',
          providerMessageId: 'pm-1',
          now: T0 + 6000,
          fallbackAt: T0 + 60_000,
        });
        expect(await store.messages.get(m.id)).toMatchObject({
          status: 'sent',
          payload: '',
          provider: 'p',
          providerMessageId: 'pm-1',
          error: null,
          sentAt: T0 + 6000,
          fallbackAt: T0 + 60_000,
        });
        await store.messages.markFailed(m.id, {
          provider: null,
          error: 'x',
          now: T0 + 7000,
          fallbackAt: null,
        });
        expect((await store.messages.get(m.id))?.status).toBe('sent');
        const { message: m2 } = await created({ id: 'r2', identifier: 'b@example.com' });
        await store.messages.markFailed(m2.id, {
          provider: 'p',
          error: 'invalid number',
          now: T0 + 8000,
          fallbackAt: T0 + 8000,
        });
        expect(await store.messages.get(m2.id)).toMatchObject({
          status: 'failed',
          payload: '',
          error: 'invalid number',
          fallbackAt: T0 + 8000,
        });
      });

      it('report moves a message forward only', async () => {
        const { message: m } = await created({ id: 'r1' });
        await store.messages.markSent(m.id, {
          provider: 'p',
          providerMessageId: 'pm-1',
          now: T0 + 1,
          fallbackAt: T0 + 60_000,
        });
        expect(
          await store.messages.report('p', 'unknown', { status: 'delivered', now: T0 + 2 }),
        ).toBeUndefined();
        const delivered = await store.messages.report('p', 'pm-1', {
          status: 'delivered',
          now: T0 + 2,
        });
        expect(delivered).toMatchObject({
          status: 'delivered',
          deliveredAt: T0 + 2,
          fallbackAt: null,
        });
        const late = await store.messages.report('p', 'pm-1', {
          status: 'failed',
          error: 'late',
          now: T0 + 3,
        });
        expect(late).toMatchObject({ status: 'delivered', error: null });
        expect(await store.messages.claimFallbacks(T0 + 100_000, 10)).toEqual([]);
      });

      it('a failed report makes the fallback due now; claimFallbacks hands each out once', async () => {
        const { message: m } = await created({ id: 'r1' });
        await store.messages.markSent(m.id, {
          provider: 'p',
          providerMessageId: 'pm-1',
          now: T0 + 1,
          fallbackAt: T0 + 60_000,
        });
        expect(await store.messages.claimFallbacks(T0 + 10, 10)).toEqual([]);
        const failed = await store.messages.report('p', 'pm-1', {
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
          Array.from({ length: 5 }, () => store.messages.claimFallbacks(T0 + 10, 10)),
        );
        expect(claims.flat().map((x) => x.id)).toEqual([m.id]);
        expect((await store.messages.get(m.id))?.fallbackAt).toBeNull();
      });
    });

    describe('deliveries, access tokens, signing keys, outbox', () => {
      it('lists a request’s deliveries oldest first', async () => {
        await created({ id: 'r1' });
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
        await store.deliveries.insert({ ...d, id: 'd2' });
        await store.deliveries.insert({ ...d, id: 'd1', status: 'failed', error: 'e' });
        expect(await store.deliveries.listForRequest('r1')).toEqual([
          { ...d, id: 'd2' },
          { ...d, id: 'd1', status: 'failed', error: 'e' },
        ]);
      });

      it('marks an access token verified once and shows it on the log entry', async () => {
        await created({ id: 'r1' });
        const t = {
          jti: 'j1',
          requestId: 'r1',
          widgetId: 'w_1',
          identifier: '919876543210',
          channel: 'sms' as const,
          issuedAt: T0,
          expiresAt: T0 + 1000,
          demo: true,
        };
        await store.accessTokens.insert(t);
        expect(await store.accessTokens.get('j1')).toEqual({ ...t, verifiedAt: null });
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.accessTokens.markVerified('j1', T0 + 5)),
        );
        expect(results.filter(Boolean)).toEqual([{ ...t, verifiedAt: T0 + 5 }]);
        expect((await store.logs.get(ACCOUNT, 'r1'))?.tokenVerifiedAt).toBe(T0 + 5);
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
        await store.signingKeys.insert(k('a', T0));
        await store.signingKeys.insert(k('b', T0 + 1));
        await store.signingKeys.insert(k('c', T0 + 2));
        await store.signingKeys.retireAllBut('c', T0 + 3);
        await store.signingKeys.retireAllBut('c', T0 + 4);
        expect(await store.signingKeys.list()).toEqual([
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
        await store.outbox.insert(o('o1', 'a@x.com', T0));
        await store.outbox.insert(o('o2', 'b@x.com', T0 + 1));
        await store.outbox.insert(o('o3', 'a@x.com', T0 + 2));
        expect((await store.outbox.list({ limit: 10 })).map((m) => m.id)).toEqual([
          'o3',
          'o2',
          'o1',
        ]);
        expect(await store.outbox.list({ to: 'a@x.com', limit: 1 })).toEqual([
          o('o3', 'a@x.com', T0 + 2),
        ]);
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
        expect(await store.passkeys.insert(a)).toBe(true);
        expect(await store.passkeys.insert(b)).toBe(true);
        expect(await store.passkeys.insert({ ...a, id: 'pk_other' })).toBe(false);
        await store.passkeys.insert(passkey({ identifier: 'someone@example.com' }));
        await store.passkeys.insert(passkey({ accountId: 'acc_2' }));
        expect(await store.passkeys.listFor(ACCOUNT, '919876543210')).toEqual([b, a]);
        expect(await store.passkeys.byCredentialId(a.credentialId)).toEqual(a);
        expect(await store.passkeys.byCredentialId('nope')).toBeUndefined();
      });

      it('records a use only with a counter that moves forward (or stays 0), never when revoked', async () => {
        const counting = passkey({ counter: 5 });
        const zero = passkey({ createdAt: T0 - 1 });
        await store.passkeys.insert(counting);
        await store.passkeys.insert(zero);
        expect(await store.passkeys.recordUse(counting.id, 5, T0 + 1)).toBe(false);
        expect(await store.passkeys.recordUse(counting.id, 4, T0 + 1)).toBe(false);
        expect(await store.passkeys.recordUse(counting.id, 6, T0 + 2)).toBe(true);
        expect(await store.passkeys.byCredentialId(counting.credentialId)).toMatchObject({
          counter: 6,
          lastUsedAt: T0 + 2,
        });
        expect(await store.passkeys.recordUse(zero.id, 0, T0 + 3)).toBe(true);
        expect(await store.passkeys.recordUse(zero.id, 0, T0 + 4)).toBe(true);
        // Two sign-ins racing with the same counter: one wins.
        const raced = await Promise.all([
          store.passkeys.recordUse(counting.id, 7, T0 + 5),
          store.passkeys.recordUse(counting.id, 7, T0 + 5),
        ]);
        expect(raced.filter(Boolean)).toHaveLength(1);

        expect(await store.passkeys.revoke('acc_2', counting.id, T0 + 6)).toBeUndefined();
        expect(await store.passkeys.revoke(ACCOUNT, counting.id, T0 + 6)).toMatchObject({
          revokedAt: T0 + 6,
        });
        expect(await store.passkeys.revoke(ACCOUNT, counting.id, T0 + 7)).toMatchObject({
          revokedAt: T0 + 6,
        });
        expect(await store.passkeys.recordUse(counting.id, 8, T0 + 8)).toBe(false);
        expect(await store.passkeys.byCredentialId(counting.credentialId)).toBeUndefined();
        expect((await store.passkeys.listFor(ACCOUNT, '919876543210'))[0]?.revokedAt).toBe(T0 + 6);
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
        await store.passkeyChallenges.insert(challenge);
        await store.passkeyChallenges.insert({ ...challenge, id: 'c2', expiresAt: T0 + 10 });
        expect(await store.passkeyChallenges.peek('c1', 'ticket', T0)).toEqual(challenge);
        expect(await store.passkeyChallenges.peek('c1', 'sign-in', T0)).toBeUndefined();
        expect(await store.passkeyChallenges.take('c1', 'register', T0)).toBeUndefined();
        const taken = await Promise.all([
          store.passkeyChallenges.take('c1', 'ticket', T0 + 1),
          store.passkeyChallenges.take('c1', 'ticket', T0 + 1),
        ]);
        expect(taken.filter(Boolean)).toEqual([challenge]);
        expect(await store.passkeyChallenges.peek('c1', 'ticket', T0)).toBeUndefined();
        expect(await store.passkeyChallenges.take('c2', 'ticket', T0 + 10)).toBeUndefined();
        await store.passkeyChallenges.insert({ ...challenge, id: 'c3', expiresAt: T0 + 10 });
        expect(await store.passkeyChallenges.purgeExpired(T0 + 10)).toBe(1);
      });
    });

    describe('captcha, send counters, events', () => {
      it('marks a captcha challenge used once, even concurrently', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.captcha.markUsed('ch-1', T0 + 1000, T0)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.captcha.markUsed('ch-1', T0 + 1000, T0 + 500)).toBe(false);
        expect(await store.captcha.markUsed('ch-2', T0 + 1000, T0 + 500)).toBe(true);
      });

      it('bumps and totals send counters per widget, country and hour', async () => {
        const counts = await Promise.all(
          Array.from({ length: 5 }, () => store.sendCounters.bump('w_1', 'IN', 100)),
        );
        expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
        await store.sendCounters.bump('w_1', 'IN', 101);
        await store.sendCounters.bump('w_1', 'US', 100);
        expect(await store.sendCounters.total('w_1', 'IN', 100, 101)).toBe(5);
        expect(await store.sendCounters.total('w_1', 'IN', 100, 102)).toBe(6);
        expect(await store.sendCounters.total('w_1', 'IN', 0, 100)).toBe(0);
      });

      it('lists a request’s events and the refused calls of an account', async () => {
        await created({ id: 'r1' });
        const e = {
          requestId: 'r1',
          widgetId: 'w_1',
          kind: 'send',
          outcome: 'ok',
          ip: '1.2.3.4',
          host: 'h',
          userAgent: 'ua',
          createdAt: T0,
        };
        await store.events.insert(e);
        await store.events.insert({ ...e, kind: 'verify', outcome: 'INVALID_CODE' });
        expect(await store.events.listForRequest('r1')).toEqual([
          e,
          { ...e, kind: 'verify', outcome: 'INVALID_CODE' },
        ]);
        const refused = { ...e, requestId: null, outcome: 'RATE_LIMITED', identifier: '9198' };
        await store.events.insert({ ...refused, createdAt: T0 + 1 });
        await store.events.insert({ ...refused, createdAt: T0 + 2 });
        await store.events.insert({ ...refused, widgetId: 'w_elsewhere', createdAt: T0 + 3 });
        const page = await store.events.listRefused(ACCOUNT, { from: T0, to: T0 + 10, limit: 1 });
        expect(page).toHaveLength(1);
        expect(page[0]).toMatchObject({ ...refused, createdAt: T0 + 2 });
        const next = await store.events.listRefused(ACCOUNT, {
          from: T0,
          to: T0 + 10,
          limit: 10,
          widgetId: 'w_1',
          beforeId: page[0]!.id,
        });
        expect(next.map((x) => x.createdAt)).toEqual([T0 + 1]);
        expect(
          await store.events.listRefused(ACCOUNT, { from: T0 + 5, to: T0 + 10, limit: 10 }),
        ).toEqual([]);
      });
    });

    describe('logs', () => {
      it('lists newest first with a cursor, filtered, with the widget name and derived status', async () => {
        for (let i = 0; i < 5; i++) {
          await created({
            id: `r${i}`,
            identifier: `u${i}@example.com`,
            contactPoint: 'email',
            channel: i % 2 === 0 ? 'email' : 'sms',
            createdAt: T0 + i * 1000,
          });
        }
        // Two entries share a creation time: the cursor still pages through both.
        await created({ id: 'r5', identifier: 'u5@example.com', createdAt: T0 + 4000 });
        const first = await store.logs.list({ accountId: ACCOUNT }, { limit: 4 });
        expect(first.entries.map((e) => e.reqId)).toEqual(['r5', 'r4', 'r3', 'r2']);
        expect(first.nextCursor).not.toBeNull();
        expect(store.logs.validCursor(first.nextCursor!)).toBe(true);
        expect(store.logs.validCursor('nonsense')).toBe(false);
        const second = await store.logs.list(
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
        const email = await store.logs.list(
          { accountId: ACCOUNT, channels: ['email'] },
          { limit: 10 },
        );
        expect(email.entries.map((e) => e.reqId)).toEqual(['r4', 'r2', 'r0']);
        const some = await store.logs.list(
          { accountId: ACCOUNT, identifiers: ['u1@example.com', 'u3@example.com'] },
          { limit: 10 },
        );
        expect(some.entries.map((e) => e.reqId)).toEqual(['r3', 'r1']);
        const range = await store.logs.list(
          { accountId: ACCOUNT, from: T0 + 1000, to: T0 + 2000 },
          { limit: 10 },
        );
        expect(range.entries.map((e) => e.reqId)).toEqual(['r2', 'r1']);
        expect((await store.logs.list({ accountId: 'other' }, { limit: 10 })).entries).toHaveLength(
          0,
        );
        expect(
          (await store.logs.list({ accountId: ACCOUNT, widgetId: 'w_x' }, { limit: 10 })).entries,
        ).toHaveLength(0);
      });

      it('follows delivery, resends and verification', async () => {
        const { message: m } = await created({ id: 'r1' });
        await created({ id: 'r2', identifier: 'b@example.com' });
        await store.messages.markSent(m.id, {
          provider: 'p',
          providerMessageId: 'pm-1',
          now: T0 + 1,
          fallbackAt: null,
        });
        await store.messages.report('p', 'pm-1', { status: 'delivered', now: T0 + 2 });
        expect(await store.logs.get(ACCOUNT, 'r1')).toMatchObject({
          status: 'delivered',
          deliveryStatus: 'delivered',
          widgetName: 'Shop',
        });
        await store.otpRequests.recordResend(
          'r1',
          'w_1',
          { channel: 'whatsapp', codeHash: 'h2', now: T0 + 40_000 },
          message('r1', { channel: 'whatsapp', purpose: 'retry', createdAt: T0 + 40_000 }),
        );
        expect(await store.logs.get(ACCOUNT, 'r1')).toMatchObject({
          status: 'retry',
          channels: ['sms', 'whatsapp'],
          channel: 'whatsapp',
          deliveryStatus: 'pending',
          resendCount: 1,
        });
        await store.otpRequests.claimAttempt('r1', 'w_1', T0 + 41_000);
        await store.otpRequests.completeVerification('r1', T0 + 41_000);
        expect(await store.logs.get(ACCOUNT, 'r1')).toMatchObject({
          status: 'verified',
          otpVerifiedAt: T0 + 41_000,
        });
        const filter = { accountId: ACCOUNT };
        const ids = async (f: Partial<Parameters<Store['logs']['list']>[0]>) =>
          (await store.logs.list({ ...filter, ...f }, { limit: 10 })).entries.map((e) => e.reqId);
        expect(await ids({ otpVerified: true })).toEqual(['r1']);
        expect(await ids({ otpVerified: false })).toEqual(['r2']);
        expect(await ids({ resendCount: { op: 'gt', value: 0 } })).toEqual(['r1']);
        expect(await ids({ resendCount: { op: 'eq', value: 0 } })).toEqual(['r2']);
        expect(await ids({ tokenVerified: true })).toEqual([]);
        expect(await ids({ reqId: 'r2' })).toEqual(['r2']);
        expect(await store.logs.get('other', 'r1')).toBeUndefined();
      });

      it('analytics sums the hourly rollup per bucket and channel, and per country', async () => {
        const { message: m } = await created({ id: 'r1' });
        await created({ id: 'r2', identifier: 'x@example.com', country: null, channel: 'email' });
        await created({ id: 'r3', identifier: 'demo', demo: true });
        await created({ id: 'r4', identifier: '15550001111', country: 'US', createdAt: T0 + HOUR });
        await store.messages.markSent(m.id, {
          provider: 'p',
          providerMessageId: 'pm-1',
          now: T0 + 1,
          fallbackAt: null,
        });
        await store.messages.report('p', 'pm-1', { status: 'delivered', now: T0 + 2 });
        await store.otpRequests.completeVerification('r1', T0 + 12_000);
        const { buckets, countries } = await store.logs.analytics({
          accountId: ACCOUNT,
          from: T0,
          to: T0 + 2 * HOUR,
          bucketMs: HOUR,
        });
        const latency = Array.from({ length: 15 }, (_, i) => (i === 2 ? 1 : 0));
        expect(buckets).toEqual([
          {
            bucket: T0,
            channel: 'email',
            country: null,
            requests: 1,
            sent: 0,
            delivered: 0,
            failed: 0,
            verified: 0,
            latency: Array(15).fill(0),
          },
          {
            bucket: T0,
            channel: 'sms',
            country: null,
            requests: 1,
            sent: 1,
            delivered: 1,
            failed: 0,
            verified: 1,
            latency,
          },
          {
            bucket: T0 + HOUR,
            channel: 'sms',
            country: null,
            requests: 1,
            sent: 0,
            delivered: 0,
            failed: 0,
            verified: 0,
            latency: Array(15).fill(0),
          },
        ]);
        expect(countries.map((c) => [c.bucket, c.country, c.requests, c.verified])).toEqual([
          [T0, null, 1, 0],
          [T0, 'IN', 1, 1],
          [T0, 'US', 1, 0],
        ]);
        const day = await store.logs.analytics({
          accountId: ACCOUNT,
          from: T0,
          to: T0 + 2 * HOUR,
          widgetId: 'w_1',
          bucketMs: 24 * HOUR,
        });
        expect(day.buckets.reduce((n, b) => n + b.requests, 0)).toBe(3);
        expect(
          (
            await store.logs.analytics({
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
          await created({ id: `old${i}`, identifier: `o${i}@x.com`, createdAt: T0 + i });
        }
        await created({ id: 'new', identifier: 'n@x.com', createdAt: T0 + HOUR });
        await store.events.insert({
          requestId: 'old0',
          widgetId: 'w_1',
          kind: 'send',
          outcome: 'ok',
          ip: null,
          host: null,
          userAgent: null,
          createdAt: T0,
        });
        expect(await store.logs.purge(T0 + 100, 2)).toBe(2);
        expect(await store.logs.purge(T0 + 100, 2)).toBe(1);
        expect(await store.logs.purge(T0 + 100, 2)).toBe(0);
        expect(await store.otpRequests.get('old0')).toBeUndefined();
        expect(await store.messages.listForRequest('old0')).toEqual([]);
        expect(await store.events.listForRequest('old0')).toEqual([]);
        expect(await store.otpRequests.get('new')).toBeDefined();
        // Rollups hold no personal data: analytics keep counting purged requests.
        const { countries } = await store.logs.analytics({
          accountId: ACCOUNT,
          from: T0,
          to: T0 + 2 * HOUR,
          bucketMs: HOUR,
        });
        expect(countries.reduce((n, c) => n + c.requests, 0)).toBe(4);
      });
    });
  });
}
