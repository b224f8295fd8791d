/**
 * The shared SQL driver behaves the same on both engines: statements with
 * `?` parameters, transactions written once as generators (committed,
 * undone by an error, resolved by a Rollback), the dialect's hooks.
 */
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool, parsePgUrl } from '../postgres/db.ts';
import { postgresDriver } from '../postgres/driver.ts';
import { freshSchema, TEST_DATABASE_URL } from '../postgres/test-database.ts';
import { Database } from '../sqlite/driver.ts';
import { createGroupCommit } from '../sqlite/group-commit.ts';
import { sqliteDriver } from '../sqlite/sql-driver.ts';
import { Rollback, type SqlDriver, sql } from './driver.ts';

interface Engine {
  open(): Promise<{ driver: SqlDriver; close(): Promise<void> }>;
}

const engines: Record<'sqlite' | 'postgres', Engine> = {
  sqlite: {
    async open() {
      const db = new Database(':memory:');
      db.exec(
        'CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL, flag INTEGER NOT NULL, doc TEXT NOT NULL)',
      );
      const cache = new Map<string, BetterSqlite3.Statement>();
      const stmt = (text: string) => {
        let s = cache.get(text);
        if (!s) {
          s = db.prepare(text);
          cache.set(text, s);
        }
        return s;
      };
      const group = createGroupCommit(db);
      return {
        driver: sqliteDriver(db, stmt, group),
        async close() {
          group.flush();
          db.close();
        },
      };
    },
  },
  postgres: {
    async open() {
      const fresh = freshSchema();
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${fresh.schema}`);
      await admin.query(
        `CREATE TABLE ${fresh.schema}.items (seq bigint GENERATED ALWAYS AS IDENTITY, id text PRIMARY KEY,
         n bigint NOT NULL, flag boolean NOT NULL, doc jsonb NOT NULL)`,
      );
      await admin.end();
      const pool = openPool(parsePgUrl(fresh.url), 2);
      return {
        driver: postgresDriver(pool),
        async close() {
          await pool.end();
          await fresh.drop();
        },
      };
    },
  },
};

for (const [name, engine] of Object.entries(engines)) {
  describe(`sql driver: ${name}`, () => {
    let driver: SqlDriver;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ driver, close } = await engine.open());
    });
    afterAll(() => close());

    const insert = (id: string, n: number) =>
      driver.run('INSERT INTO items (id, n, flag, doc) VALUES (?, ?, ?, ?)', [
        id,
        n,
        driver.dialect.bool(n % 2 === 1),
        driver.dialect.json({ n, tags: ['a', id] }),
      ]);

    it('runs statements with ? parameters; run answers the rows changed', async () => {
      expect(await insert('b', 1)).toBe(1);
      expect(await insert('a', 2)).toBe(1);
      expect(await driver.run('UPDATE items SET n = n + ? WHERE n > ?', [10, 0])).toBe(2);
      const row = await driver.one<{ n: number; flag: unknown; doc: unknown }>(
        'SELECT n, flag, doc FROM items WHERE id = ?',
        ['b'],
      );
      // Numbers read as numbers, booleans and JSON through the dialect's hooks.
      expect(row?.n).toBe(11);
      expect(driver.dialect.readBool(row?.flag)).toBe(true);
      expect(driver.dialect.readJson(row?.doc)).toEqual({ n: 1, tags: ['a', 'b'] });
      expect(await driver.one('SELECT 1 AS x FROM items WHERE id = ?', ['none'])).toBeUndefined();
    });

    it('orders by insertion with the dialect column', async () => {
      const rows = await driver.all<{ id: string }>(
        `SELECT id FROM items ORDER BY ${driver.dialect.insertionOrder}`,
      );
      expect(rows.map((r) => r.id)).toEqual(['b', 'a']);
    });

    it('commits a transaction body and answers its result', async () => {
      const result = await driver.transaction(function* () {
        const row = yield* sql.one<{ n: number }>(
          `SELECT n FROM items WHERE id = ?${driver.dialect.forUpdate}`,
          ['a'],
        );
        const changed = yield* sql.run('UPDATE items SET n = ? WHERE id = ?', [row!.n * 2, 'a']);
        const all = yield* sql.all<{ id: string }>('SELECT id FROM items ORDER BY id');
        return { changed, ids: all.map((r) => r.id) };
      });
      expect(result).toEqual({ changed: 1, ids: ['a', 'b'] });
      expect((await driver.one<{ n: number }>('SELECT n FROM items WHERE id = ?', ['a']))?.n).toBe(
        24,
      );
    });

    it('a Rollback undoes the body and resolves to its result', async () => {
      const result = await driver.transaction(function* () {
        yield* sql.run('UPDATE items SET n = 0');
        throw new Rollback('refused');
      });
      expect(result).toBe('refused');
      expect((await driver.one<{ n: number }>('SELECT n FROM items WHERE id = ?', ['a']))?.n).toBe(
        24,
      );
    });

    it('write runs a body of statements and answers its result', async () => {
      const n = await driver.write(function* () {
        yield* sql.run('UPDATE items SET n = n + 1 WHERE id = ?', ['b']);
        return (yield* sql.one<{ n: number }>('SELECT n FROM items WHERE id = ?', ['b']))!.n;
      });
      expect(n).toBe(12);
    });

    it('an error undoes the body and rejects; a statement error reaches the body', async () => {
      const seen: string[] = [];
      await expect(
        driver.transaction(function* () {
          yield* sql.run('UPDATE items SET n = 0');
          try {
            yield* sql.run('INSERT INTO items (id, n, flag, doc) VALUES (?, ?, ?, ?)', [
              'a',
              1,
              driver.dialect.bool(false),
              driver.dialect.json({}),
            ]);
          } finally {
            seen.push('finally');
          }
        }),
      ).rejects.toThrow();
      expect(seen).toEqual(['finally']);
      expect((await driver.one<{ n: number }>('SELECT n FROM items WHERE id = ?', ['a']))?.n).toBe(
        24,
      );
    });
  });
}
