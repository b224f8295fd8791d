/**
 * The embedded SQLite store (better-sqlite3, WAL mode). Each operation is
 * one statement or one transaction, so state changes are atomic even when
 * several requests interleave.
 */
import { readFileSync } from 'node:fs';
import type { CounterRefusal } from '../limits.ts';
import { sqlConfigStores } from '../sql/config-stores.ts';
import { sqlRequestStores } from '../sql/request-stores.ts';
import type { Store } from '../types.ts';
import { MIGRATIONS_DIR, migrationFiles, openSqliteContext } from './context.ts';
import { sqliteLogs } from './logs.ts';
import { sqliteQueueStores } from './queue-stores.ts';
import { sqliteRequestStores } from './request-stores.ts';
import * as rows from './rows.ts';

/**
 * Opens (creating if needed) a SQLite database file, or `:memory:`.
 *
 * @example const store = openSqliteStore('./data/otpkit.db'); await store.migrate();
 */
export function openSqliteStore(file: string): Store {
  const c = openSqliteContext(file);
  const {
    db,
    checkpointer,
    stmt,
    reads,
    group,
    write,
    counters,
    undoable,
    spendAll,
    hashLegacyWidgetTokens,
  } = c;
  // The stores written once (../sql/), and this engine's combined writes.
  const requests = sqlRequestStores({ driver: c.driver, rows });
  const combined = sqliteRequestStores(c);
  return {
    async migrate() {
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
      );
      const applied = new Set(
        (db.prepare('SELECT version FROM schema_migrations').all() as { version: string }[]).map(
          (r) => r.version,
        ),
      );
      for (const name of migrationFiles()) {
        if (applied.has(name)) continue;
        const sql = readFileSync(new URL(name, MIGRATIONS_DIR), 'utf8');
        db.transaction(() => {
          db.exec(sql);
          if (name.startsWith('005_')) hashLegacyWidgetTokens();
          db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
            name,
            Date.now(),
          );
        })();
      }
      reads.clear();
    },

    async health() {
      // A missing table is a schema not created yet: every migration is pending.
      const table = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        .get();
      const applied = new Set(
        table
          ? (
              db.prepare('SELECT version FROM schema_migrations').all() as { version: string }[]
            ).map((r) => r.version)
          : [],
      );
      return { migrationsPending: migrationFiles().filter((f) => !applied.has(f)) };
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
    ...combined,
    accessTokens: { ...requests.accessTokens, ...combined.accessTokens },
    ...sqliteQueueStores(c),
    logs: sqliteLogs(db, stmt),
  };
}
