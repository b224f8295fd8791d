/** Store conformance: migrations, settings, accounts, authkeys, widgets and their tokens, templates. */

import { describe, expect, it } from 'vitest';
import type { WidgetSettings } from '../../model/widget-settings.ts';
import { ACCOUNT, type SuiteContext, settings, T0, widget } from './fixtures.ts';

export function configConformance(suite: SuiteContext): void {
  describe('migrate, settings, accounts', () => {
    it('migrate is idempotent', async () => {
      await suite.store.migrate();
      expect(await suite.store.widgets.get('w_1')).toBeDefined();
    });

    it('health answers with no migration pending once migrated', async () => {
      expect(await suite.store.health()).toEqual({ migrationsPending: [] });
    });

    it('setIfAbsent keeps the first value', async () => {
      expect(await suite.store.settings.get('secret')).toBeUndefined();
      expect(await suite.store.settings.setIfAbsent('secret', 'one')).toBe('one');
      expect(await suite.store.settings.setIfAbsent('secret', 'two')).toBe('one');
      expect(await suite.store.settings.get('secret')).toBe('one');
    });

    it('concurrent setIfAbsent calls agree on one value', async () => {
      const values = await Promise.all(
        Array.from({ length: 10 }, (_, i) => suite.store.settings.setIfAbsent('k', `v${i}`)),
      );
      expect(new Set(values).size).toBe(1);
    });

    it('ensureDefault creates the account once', async () => {
      const again = await suite.store.accounts.ensureDefault(ACCOUNT, T0 + 5000);
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
      await suite.store.authkeys.insert(key('k1', 'hash-aaaaaa'));
      expect(await suite.store.authkeys.use('hash-nope', T0)).toBeUndefined();
      const used = await suite.store.authkeys.use('hash-aaaaaa', T0 + 1000);
      expect(used).toEqual({
        id: 'k1',
        accountId: ACCOUNT,
        label: 'label k1',
        prefix: 'hash-a',
        createdAt: T0,
        lastUsedAt: null,
      });
      await suite.store.authkeys.use('hash-aaaaaa', T0 + 2000);
      const [listed] = await suite.store.authkeys.list(ACCOUNT);
      expect(listed?.lastUsedAt).toBe(T0 + 1000);
      await suite.store.authkeys.use('hash-aaaaaa', T0 + 61_000);
      expect((await suite.store.authkeys.list(ACCOUNT))[0]?.lastUsedAt).toBe(T0 + 61_000);
    });

    it('lists oldest first, counts live keys, and never revokes the last one', async () => {
      await suite.store.authkeys.insert(key('k1', 'hash-1', T0));
      await suite.store.authkeys.insert(key('k2', 'hash-2', T0 + 1));
      await suite.store.authkeys.insert(key('k2b', 'hash-2', T0 + 2)); // same hash: ignored
      expect((await suite.store.authkeys.list(ACCOUNT)).map((k) => k.id)).toEqual(['k1', 'k2']);
      expect(await suite.store.authkeys.countForAccount(ACCOUNT)).toBe(2);
      expect(await suite.store.authkeys.revoke(ACCOUNT, 'nope', T0)).toBe('not_found');
      expect(await suite.store.authkeys.revoke(ACCOUNT, 'k1', T0)).toBe('revoked');
      expect(await suite.store.authkeys.revoke(ACCOUNT, 'k1', T0)).toBe('not_found');
      expect(await suite.store.authkeys.revoke(ACCOUNT, 'k2', T0)).toBe('last');
      expect(await suite.store.authkeys.use('hash-1', T0)).toBeUndefined();
      expect(await suite.store.authkeys.countForAccount(ACCOUNT)).toBe(1);
    });

    it('revocations at once leave one live key', async () => {
      // Rounds of three keys revoked together, each round on an account of its own: one
      // lucky interleaving cannot pass for serialised revocations.
      for (let round = 0; round < 10; round++) {
        const account = `${ACCOUNT}-${round}`;
        await suite.store.accounts.ensureDefault(account, T0);
        const ids = ['k1', 'k2', 'k3'].map((k) => `${k}-${round}`);
        for (const id of ids) {
          await suite.store.authkeys.insert({ ...key(id, `hash-${id}`), accountId: account });
        }
        const outcomes = await Promise.all(
          ids.map((id) => suite.store.authkeys.revoke(account, id, T0)),
        );
        expect(outcomes.sort()).toEqual(['last', 'revoked', 'revoked']);
        expect(await suite.store.authkeys.countForAccount(account)).toBe(1);
      }
    });
  });

  describe('widgets and widget tokens', () => {
    it('inserts, lists newest first, updates and deletes', async () => {
      await suite.store.widgets.insert(widget('w_2', 'Second', T0 + 10));
      expect((await suite.store.widgets.list(ACCOUNT)).map((w) => w.id)).toEqual(['w_2', 'w_1']);
      const updated = await suite.store.widgets.update('w_2', settings('Renamed'), T0 + 20);
      expect(updated).toEqual({
        id: 'w_2',
        accountId: ACCOUNT,
        settings: settings('Renamed'),
        createdAt: T0 + 10,
        updatedAt: T0 + 20,
      });
      expect(await suite.store.widgets.delete('w_2', T0 + 30)).toBe(true);
      expect(await suite.store.widgets.delete('w_2', T0 + 30)).toBe(false);
      expect(await suite.store.widgets.get('w_2')).toBeUndefined();
      expect(await suite.store.widgets.update('w_2', settings('x'), T0 + 40)).toBeUndefined();
      expect((await suite.store.widgets.list(ACCOUNT)).map((w) => w.id)).toEqual(['w_1']);
    });

    it('keeps settings exactly as given', async () => {
      const s = {
        name: 'Deep',
        nested: { b: [1, 2], a: 'x' },
        flag: true,
      } as unknown as WidgetSettings;
      await suite.store.widgets.update('w_1', s, T0 + 1);
      expect((await suite.store.widgets.get('w_1'))?.settings).toEqual(s);
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
      await suite.store.widgetTokens.insert(t);
      await suite.store.widgetTokens.insert({
        ...t,
        id: 't2',
        tokenHash: 'th-2',
        createdAt: T0 + 1,
      });
      expect(await suite.store.widgetTokens.use('w_1', 'th-1', T0 + 5)).toBe(true);
      expect(await suite.store.widgetTokens.use('w_other', 'th-1', T0 + 5)).toBe(false);
      expect(await suite.store.widgetTokens.use('w_1', 'th-x', T0 + 5)).toBe(false);
      const listed = await suite.store.widgetTokens.list('w_1');
      expect(listed.map((x) => x.id)).toEqual(['t1', 't2']);
      expect(listed[0]?.lastUsedAt).toBe(T0 + 5);
      expect(await suite.store.widgetTokens.revoke('w_1', 't1', T0 + 6)).toBe(true);
      expect(await suite.store.widgetTokens.revoke('w_1', 't1', T0 + 6)).toBe(false);
      expect(await suite.store.widgetTokens.use('w_1', 'th-1', T0 + 7)).toBe(false);
      expect((await suite.store.widgetTokens.list('w_1')).map((x) => x.id)).toEqual(['t2']);
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
      await suite.store.templates.insert(template('acct-old', null, T0));
      await suite.store.templates.insert(template('acct-new', null, T0 + 1));
      expect((await suite.store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.id).toBe('acct-new');
      await suite.store.templates.insert(template('own', 'w_1', T0));
      expect(await suite.store.templates.findFor(ACCOUNT, 'w_1', 'sms')).toEqual(
        template('own', 'w_1', T0),
      );
      expect(await suite.store.templates.findFor(ACCOUNT, 'w_1', 'email')).toBeUndefined();
      expect((await suite.store.templates.list(ACCOUNT)).map((t) => t.id)).toEqual([
        'acct-new',
        'acct-old',
        'own',
      ]);
      expect(
        (await suite.store.templates.list(ACCOUNT, { widgetId: 'w_1' })).map((t) => t.id),
      ).toEqual(['own']);
    });

    it('keeps a body per language, through insert and update', async () => {
      const ta = { body: '##OTP## உங்கள் குறியீடு', subject: null };
      await suite.store.templates.insert({ ...template('tr1', null, T0), translations: { ta } });
      expect((await suite.store.templates.get('tr1'))?.translations).toEqual({ ta });
      expect((await suite.store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.translations).toEqual({
        ta,
      });
      const ar = { body: '##OTP## رمزك', subject: 'رمز' };
      await suite.store.templates.update({
        ...template('tr1', null, T0 + 1),
        translations: { ar },
      });
      expect((await suite.store.templates.get('tr1'))?.translations).toEqual({ ar });
      expect((await suite.store.templates.list(ACCOUNT))[0]?.translations).toEqual({ ar });
      expect((await suite.store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.translations).toEqual({
        ar,
      });
    });

    it('updates and deletes', async () => {
      // findFor answers what is stored now, before and after each change (an adapter may cache it).
      expect(await suite.store.templates.findFor(ACCOUNT, 'w_1', 'sms')).toBeUndefined();
      await suite.store.templates.insert(template('t', null, T0));
      expect((await suite.store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.body).toBe('body t');
      await suite.store.templates.update({ ...template('t', 'w_1', T0 + 9), body: 'changed' });
      expect(await suite.store.templates.get('t')).toMatchObject({
        widgetId: 'w_1',
        body: 'changed',
        updatedAt: T0 + 9,
      });
      expect((await suite.store.templates.findFor(ACCOUNT, 'w_1', 'sms'))?.body).toBe('changed');
      expect(await suite.store.templates.delete('t')).toBe(true);
      expect(await suite.store.templates.delete('t')).toBe(false);
      expect(await suite.store.templates.get('t')).toBeUndefined();
      expect(await suite.store.templates.findFor(ACCOUNT, 'w_1', 'sms')).toBeUndefined();
    });
  });
}
