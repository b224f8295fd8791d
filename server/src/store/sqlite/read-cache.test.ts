import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WidgetSettings } from '../../model/widget-settings.ts';
import type { Store } from '../types.ts';
import { openSqliteStore } from './index.ts';

// Two stores on one file stand for two otpkit processes (or the CLI beside the server).
let dir: string;
let a: Store;
let b: Store;
const NOW = 1_700_000_000_000;
// Another process's commit is seen from the next turn of the event loop (read-cache.ts): a call
// that arrives after the change. Within one turn the awaits below would all be the same turn.
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otpkit-read-cache-'));
  a = openSqliteStore(join(dir, 'otpkit.db'));
  await a.migrate();
  b = openSqliteStore(join(dir, 'otpkit.db'));
  await b.migrate();
  await a.accounts.ensureDefault('acc', NOW);
  await a.widgets.insert({
    id: 'w1',
    accountId: 'acc',
    settings: { name: 'first' } as unknown as WidgetSettings,
    createdAt: NOW,
    updatedAt: NOW,
  });
  await a.widgetTokens.insert({
    id: 't1',
    tokenHash: 'hash-1',
    prefix: 'tok',
    widgetId: 'w1',
    label: null,
    createdAt: NOW,
    lastUsedAt: null,
  });
});
afterEach(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite read cache', () => {
  it('sees a widget changed by another connection from the next turn on', async () => {
    expect((await a.widgets.get('w1'))?.settings.name).toBe('first');
    await b.widgets.update('w1', { name: 'second' } as unknown as WidgetSettings, NOW + 1);
    await nextTurn();
    expect((await a.widgets.get('w1'))?.settings.name).toBe('second');
    await b.widgets.delete('w1', NOW + 2);
    await nextTurn();
    expect(await a.widgets.get('w1')).toBeUndefined();
  });

  it('refuses a token revoked by another connection from the next turn on', async () => {
    expect(await a.widgetTokens.use('w1', 'hash-1', NOW)).toBe(true);
    expect(await b.widgetTokens.revoke('w1', 't1', NOW + 1)).toBe(true);
    await nextTurn();
    expect(await a.widgetTokens.use('w1', 'hash-1', NOW + 2)).toBe(false);
  });

  it('sees its own writes at once, and shares a frozen record', async () => {
    const first = await a.widgets.get('w1');
    expect(Object.isFrozen(first?.settings)).toBe(true);
    expect(await a.widgets.get('w1')).toBe(first);
    await a.widgets.update('w1', { name: 'third' } as unknown as WidgetSettings, NOW + 1);
    expect((await a.widgets.get('w1'))?.settings.name).toBe('third');
    expect(await a.widgetTokens.revoke('w1', 't1', NOW + 1)).toBe(true);
    expect(await a.widgetTokens.use('w1', 'hash-1', NOW + 2)).toBe(false);
  });

  it('refuses an authkey revoked by another connection', async () => {
    for (const [id, hash] of [
      ['k1', 'key-hash-1'],
      ['k2', 'key-hash-2'],
    ] as const) {
      await a.authkeys.insert({
        id,
        hash,
        accountId: 'acc',
        label: null,
        prefix: 'key',
        createdAt: NOW,
        lastUsedAt: null,
      });
    }
    expect((await a.authkeys.use('key-hash-1', NOW))?.id).toBe('k1');
    expect(await b.authkeys.revoke('acc', 'k1', NOW + 1)).toBe('revoked');
    await nextTurn();
    expect(await a.authkeys.use('key-hash-1', NOW + 2)).toBeUndefined();
  });

  it('still records when a token was last used, once a minute', async () => {
    await a.widgetTokens.use('w1', 'hash-1', NOW);
    await a.widgetTokens.use('w1', 'hash-1', NOW + 90_000);
    const [token] = await b.widgetTokens.list('w1');
    expect(token?.lastUsedAt).toBe(NOW + 90_000);
  });
});
