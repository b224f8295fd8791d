import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../platform/errors.ts';
import { storeConformance } from '../conformance/index.ts';
import { openStore } from '../index.ts';
import { openPostgresStore } from './index.ts';
import { emptySchema, freshSchema } from './test-database.ts';

// This run's own schema in the test database, migrated once, emptied before
// each test, and dropped at the end.
const db = freshSchema();
let migrated: Promise<void> | undefined;

storeConformance(
  'postgres',
  async () => {
    const store = openPostgresStore(db.url);
    migrated ??= store.migrate();
    await migrated;
    await emptySchema(db.schema);
    return { store, cleanup: () => store.close() };
  },
  { teardown: () => db.drop() },
);

describe('postgres store set-up', () => {
  it('DATABASE_URL postgres:// opens the PostgreSQL store', async () => {
    const fresh = freshSchema();
    const store = openStore(fresh.url);
    try {
      await store.migrate();
      expect(store.rateLimitBackend().kind).toBe('counters');
      expect(await store.settings.setIfAbsent('k', 'v')).toBe('v');
    } finally {
      await store.close();
      await fresh.drop();
    }
  });

  it('instances migrating together apply each migration once', async () => {
    const fresh = freshSchema();
    const stores = [
      openPostgresStore(fresh.url),
      openPostgresStore(fresh.url),
      openPostgresStore(fresh.url),
    ];
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      await stores[0]!.accounts.ensureDefault('a', 1);
      expect((await stores[2]!.accounts.ensureDefault('a', 2)).createdAt).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await fresh.drop();
    }
  });

  it('refuses a bad schema name with a configuration error', () => {
    expect(() => openStore('postgres://postgres@127.0.0.1/test?schema=x;drop')).toThrow(
      ConfigError,
    );
  });
});

describe('postgres connection settings', () => {
  it('applies ?options= to every connection, beside ?schema=', async () => {
    const fresh = freshSchema();
    const url = new URL(fresh.url);
    url.searchParams.set('options', '-c application_name=otpkit_options_test');
    const store = openStore(url.toString());
    try {
      await store.migrate();
      const pool = (store.rateLimitBackend() as { client: import('pg').Pool }).client;
      const { rows } = await pool.query(
        "SELECT current_setting('application_name') AS app, current_schema() AS schema",
      );
      expect(rows[0]).toEqual({ app: 'otpkit_options_test', schema: fresh.schema });
    } finally {
      await store.close();
      await fresh.drop();
    }
  });
});
