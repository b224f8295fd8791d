/**
 * The PostgreSQL read cache with several instances on one schema: a change
 * made through one instance is honoured by the others within a short bound,
 * and an instance that cannot hear changes (its LISTEN connection dropped)
 * does not cache at all.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WidgetSettings } from '../../model/widget-settings.ts';
import { openPostgresStore, type PostgresStore } from './index.ts';
import { CACHE_CHANNEL, createPgReadCache, GENERATION_SQL } from './read-cache.ts';
import { freshSchema, TEST_DATABASE_URL } from './test-database.ts';

const db = freshSchema();
const T0 = 1_700_000_000_000;
const settings = (name: string) => ({ name }) as unknown as WidgetSettings;
const opened: PostgresStore[] = [];
let admin: pg.Client;

/** An instance; its connections are named `app` (to find its LISTEN connection). */
function open(options: { listenRetryMs?: number; app?: string } = {}): PostgresStore {
  const url = new URL(db.url);
  if (options.app) url.searchParams.set('options', `-c application_name=${options.app}`);
  const store = openPostgresStore(url.toString(), { listenRetryMs: options.listenRetryMs ?? 1000 });
  opened.push(store);
  return store;
}

/** Ends an instance's LISTEN connection from the server side. */
async function dropListener(app: string): Promise<void> {
  const { rowCount } = await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query IN ($2, $3)',
    [app, `LISTEN ${CACHE_CHANNEL}`, GENERATION_SQL],
  );
  expect(rowCount).toBe(1);
}

/** Runs SQL with the schema's triggers off: a change no instance hears of. */
async function silently(sql: string, params: unknown[] = []): Promise<void> {
  await admin.query('BEGIN');
  await admin.query('SET LOCAL session_replication_role = replica');
  await admin.query(`SET LOCAL search_path = ${db.schema}`);
  await admin.query(sql, params);
  await admin.query('COMMIT');
}

/** Polls `check` until it holds, for at most `ms`; answers how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A store whose cache is in use, with widget w_1 and its token cached. */
async function cachingStore(
  options: { listenRetryMs?: number; app?: string } = {},
): Promise<PostgresStore> {
  const store = open(options);
  await store.widgets.get('w_1');
  await within(2000, async () => store.cacheListening());
  expect(await store.widgetTokens.use('w_1', 'th-1', T0)).toBe(true);
  expect((await store.widgets.get('w_1'))?.settings.name).toBe('Shop');
  return store;
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  const setup = open();
  await setup.migrate();
});

beforeEach(async () => {
  await admin.query(
    `DELETE FROM ${db.schema}.widget_tokens; DELETE FROM ${db.schema}.templates;
     DELETE FROM ${db.schema}.widgets; DELETE FROM ${db.schema}.authkeys; DELETE FROM ${db.schema}.accounts`,
  );
  const seed = open();
  await seed.accounts.ensureDefault('acc_1', T0);
  await seed.widgets.insert({
    id: 'w_1',
    accountId: 'acc_1',
    settings: settings('Shop'),
    createdAt: T0,
    updatedAt: T0,
  });
  await seed.widgetTokens.insert({
    id: 't1',
    tokenHash: 'th-1',
    prefix: 'abc123',
    widgetId: 'w_1',
    label: null,
    createdAt: T0,
    lastUsedAt: null,
  });
  for (const id of ['k1', 'k2']) {
    await seed.authkeys.insert({
      id,
      hash: `hash-${id}`,
      accountId: 'acc_1',
      label: null,
      prefix: id,
      createdAt: T0,
      lastUsedAt: null,
    });
  }
  await seed.close();
  opened.splice(0);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await admin.end();
  await db.drop();
});

describe('postgres read cache', () => {
  it('serves cached rows without reading them again', async () => {
    const a = await cachingStore();
    // A change nobody is told of: the cached rows are still answered.
    await silently('UPDATE widget_tokens SET revoked_at = 1');
    await silently(`UPDATE widgets SET settings = '{"name":"Changed"}'`);
    expect(await a.widgetTokens.use('w_1', 'th-1', T0)).toBe(true);
    expect((await a.widgets.get('w_1'))?.settings.name).toBe('Shop');
  });

  it('a token revoked, a widget edited or deleted, an authkey revoked through B is refused by A within a second', async () => {
    const a = await cachingStore();
    const b = open();
    expect(await a.authkeys.use('hash-k1', T0)).toBeDefined();

    expect(await b.widgetTokens.revoke('w_1', 't1', T0 + 1)).toBe(true);
    await within(1000, async () => !(await a.widgetTokens.use('w_1', 'th-1', T0 + 2)));

    await b.widgets.update('w_1', settings('Edited'), T0 + 3);
    await within(1000, async () => (await a.widgets.get('w_1'))?.settings.name === 'Edited');

    expect(await b.authkeys.revoke('acc_1', 'k1', T0 + 4)).toBe('revoked');
    await within(1000, async () => (await a.authkeys.use('hash-k1', T0 + 5)) === undefined);

    expect(await b.widgets.delete('w_1', T0 + 6)).toBe(true);
    await within(1000, async () => (await a.widgets.get('w_1')) === undefined);
  });

  it('a template added through B is used by A within a second', async () => {
    const a = await cachingStore();
    const b = open();
    expect(await a.templates.findFor('acc_1', 'w_1', 'sms')).toBeUndefined();
    await b.templates.insert({
      id: 'tpl_1',
      accountId: 'acc_1',
      widgetId: 'w_1',
      name: 'Mine',
      channel: 'sms',
      subject: null,
      body: 'Code ##OTP##',
      unicode: false,
      senderId: null,
      dltTemplateId: null,
      translations: {},
      createdAt: T0,
      updatedAt: T0,
    });
    await within(
      1000,
      async () => (await a.templates.findFor('acc_1', 'w_1', 'sms'))?.id === 'tpl_1',
    );
  });

  it('a last-use time written on use does not clear the caches', async () => {
    const a = await cachingStore();
    const b = await cachingStore();
    await silently('UPDATE widget_tokens SET revoked_at = 1');
    // B writes the token's last use (more than a minute after A's); A keeps its cached row.
    expect(await b.widgetTokens.use('w_1', 'th-1', T0 + 120_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await a.widgetTokens.use('w_1', 'th-1', T0 + 120_001)).toBe(true);
  });

  it('while the LISTEN connection is down nothing is cached', async () => {
    // No reconnection within the test: the cache must stay bypassed.
    const a = await cachingStore({ listenRetryMs: 60_000, app: `otpkit_down_${process.pid}` });
    await dropListener(`otpkit_down_${process.pid}`);
    await within(2000, async () => !a.cacheListening());
    // Changes nobody is told of are seen at once, every time: each read goes to the database.
    await silently(`UPDATE widgets SET settings = '{"name":"Second"}'`);
    expect((await a.widgets.get('w_1'))?.settings.name).toBe('Second');
    await silently(`UPDATE widgets SET settings = '{"name":"Third"}'`);
    expect((await a.widgets.get('w_1'))?.settings.name).toBe('Third');
    await silently('UPDATE widget_tokens SET revoked_at = 1');
    expect(await a.widgetTokens.use('w_1', 'th-1', T0)).toBe(false);
  });

  it('after the LISTEN connection comes back, the cache starts empty and is used again', async () => {
    const a = await cachingStore({ listenRetryMs: 100, app: `otpkit_back_${process.pid}` });
    await dropListener(`otpkit_back_${process.pid}`);
    await within(2000, async () => !a.cacheListening());
    // Changed while A could not hear: not answered from before the drop.
    await silently('UPDATE widget_tokens SET revoked_at = 1');
    await within(2000, async () => a.cacheListening());
    expect(await a.widgetTokens.use('w_1', 'th-1', T0)).toBe(false);
    // And caching again: a silent change to the widget is not seen once it is cached.
    expect((await a.widgets.get('w_1'))?.settings.name).toBe('Shop');
    await silently(`UPDATE widgets SET settings = '{"name":"Unheard"}'`);
    expect((await a.widgets.get('w_1'))?.settings.name).toBe('Shop');
  });
});

describe('postgres read cache, its LISTEN connection gone silent', () => {
  it('a connection that stops answering its heartbeat counts as down: nothing is cached', async () => {
    // A connection that goes quiet without an error (a network fault, a failover).
    class QuietClient extends EventEmitter {
      quiet = false;
      async connect() {}
      query(sql: string): Promise<unknown> {
        return this.quiet && sql === 'SELECT 1' ? new Promise(() => {}) : Promise.resolve({});
      }
      async end() {}
    }
    const client = new QuietClient();
    const cache = createPgReadCache({
      connect: () => client as unknown as pg.Client,
      heartbeatMs: 20,
      retryMs: 60_000,
    });
    let reads = 0;
    const load = async () => ++reads;
    await cache.get('k', load);
    await within(1000, async () => cache.listening());
    await cache.get('k', load);
    expect(await cache.get('k', load)).toBe(2);
    // Beats answered: still listening, still cached.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cache.listening()).toBe(true);
    expect(await cache.get('k', load)).toBe(2);
    client.quiet = true;
    await within(1000, async () => !cache.listening());
    expect(await cache.get('k', load)).toBe(3);
    expect(await cache.get('k', load)).toBe(4);
    await cache.stop();
  });
});
