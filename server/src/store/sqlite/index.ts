/**
 * The embedded SQLite store (better-sqlite3, WAL mode). Each operation is
 * one statement or one transaction, so state changes are atomic even when
 * several requests interleave.
 */
import type { CounterRefusal } from '../limits.ts';
import {
  MIGRATIONS_SQL,
  type MigrationEngine,
  pendingMigrations,
  runMigrations,
} from '../migrations.ts';
import { sqlConfigStores } from '../sql/config-stores.ts';
import { sqlLogs } from '../sql/logs.ts';
import { sqlQueueStores } from '../sql/queue.ts';
import { sqlRequestStores } from '../sql/request-stores.ts';
import type { Store } from '../types.ts';
import { MIGRATIONS_DIR, openSqliteContext, type SqliteContext } from './context.ts';
import { sqliteRequestStores } from './request-stores.ts';
import * as rows from './rows.ts';

/**
 * Opens (creating if needed) a SQLite database file, or `:memory:`.
 *
 * @example const store = openSqliteStore('./data/otpkit.db'); await store.migrate();
 */
export function openSqliteStore(file: string): Store {
  const c = openSqliteContext(file);
  const { db, checkpointer, reads, group, write, counters, undoable, spendAll } = c;
  const migrations = sqliteMigrations(c);
  // The stores written once (../sql/), and this engine's combined writes.
  const requests = sqlRequestStores({ driver: c.driver, rows });
  const combined = sqliteRequestStores(c);
  return {
    migrate: () => runMigrations(migrations),

    async health() {
      return { migrationsPending: await pendingMigrations(migrations) };
    },

    async close() {
      group.flush();
      await checkpointer?.stop();
      db.close();
    },

    rateLimitBackend: () => ({
      kind: 'counters',
      hit: (hits, now, pumping) =>
        write(() =>
          undoable((): CounterRefusal | undefined => {
            spendAll(hits, now, pumping);
            return undefined;
          }),
        ),
      count: (key, seconds, now) => write(() => counters.count(key, seconds, now)),
      peek: async (key, now) => counters.peek(key, now),
      refund: (keys, now) => write(() => counters.refund(keys, now)),
      ownStore: true,
      client: db,
    }),

    ...sqlConfigStores({ driver: c.driver, reads, rows, legacyWidgetTokenColumn: true }),
    ...requests,
    otpRequests: { ...requests.otpRequests, ...combined.otpRequests },
    accessTokens: { ...requests.accessTokens, ...combined.accessTokens },
    ...sqlQueueStores(c.driver),
    logs: sqlLogs(c.driver),
  };
}

/** The SQLite side of the migration runner (../migrations.ts). */
function sqliteMigrations({
  db,
  reads,
  hashLegacyWidgetTokens,
}: SqliteContext): MigrationEngine<SqliteContext['db']> {
  return {
    dir: MIGRATIONS_DIR,
    // One connection, and SQLite's single writer: nothing else migrates this database meanwhile.
    exclusive: async (work) => {
      try {
        return await work(db);
      } finally {
        reads.clear();
      }
    },
    async prepare() {
      db.exec(MIGRATIONS_SQL.table('INTEGER'));
    },
    async applied() {
      const table = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        .get();
      if (!table) return undefined;
      return (db.prepare(MIGRATIONS_SQL.applied).all() as { version: string }[]).map(
        (r) => r.version,
      );
    },
    async apply(_db, version, script, appliedAt) {
      db.transaction(() => {
        db.exec(script);
        // Widget tokens stored in clear before 005 get their hash in the same transaction.
        if (version.startsWith('005_')) hashLegacyWidgetTokens();
        db.prepare(MIGRATIONS_SQL.record).run(version, appliedAt);
      })();
    },
  };
}
