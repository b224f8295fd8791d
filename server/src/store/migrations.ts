/**
 * The migration runner both engines use. Each engine keeps its own folder of
 * numbered `.sql` files (`NNN_name.sql`, applied in name order) and records
 * each applied file's name in `schema_migrations (version, applied_at)`; the
 * engine brings only what differs: its lock, how it lists the applied
 * versions, and how it runs one file and its record in one transaction.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * What an engine brings to the runner; `C` is the connection a run holds
 * (PostgreSQL: one client of the pool; SQLite: its one connection).
 */
export interface MigrationEngine<C = unknown> {
  /** The engine's migrations folder. */
  dir: URL;
  /**
   * Runs `work` as the only migrator of the database: PostgreSQL holds an
   * advisory lock (instances starting together apply each file once);
   * SQLite's single writer is the lock already.
   */
  exclusive<T>(work: (connection: C) => Promise<T>): Promise<T>;
  /** Creates `schema_migrations` (and whatever holds it) when missing. */
  prepare(connection: C): Promise<void>;
  /**
   * The versions recorded, or `undefined` when `schema_migrations` does not
   * exist yet; on the run's connection, or on any when none is given.
   */
  applied(connection?: C): Promise<string[] | undefined>;
  /**
   * Runs a file's script and `MIGRATIONS_SQL.record` (`version`, `appliedAt`)
   * in one transaction: a failing file leaves nothing behind.
   */
  apply(connection: C, version: string, script: string, appliedAt: number): Promise<void>;
}

/** The statements of the migration record, as both engines write them (`?` placeholders). */
export const MIGRATIONS_SQL = {
  /** `schema_migrations`, with the engine's integer type for epoch milliseconds. */
  table: (epochMsType: 'INTEGER' | 'bigint') =>
    `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at ${epochMsType} NOT NULL)`,
  /** Records an applied file: version, applied_at. */
  record: 'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
  /** The versions recorded. */
  applied: 'SELECT version FROM schema_migrations',
} as const;

/** The files of a migrations folder, in the order they apply. */
export function migrationFiles(dir: URL): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** Applies the files not recorded yet, in order, each all or nothing. */
export async function runMigrations<C>(engine: MigrationEngine<C>): Promise<void> {
  await engine.exclusive(async (connection) => {
    await engine.prepare(connection);
    const applied = new Set(await engine.applied(connection));
    for (const version of migrationFiles(engine.dir)) {
      if (applied.has(version)) continue;
      const script = readFileSync(new URL(version, engine.dir), 'utf8');
      try {
        await engine.apply(connection, version, script, Date.now());
      } catch (error) {
        throw new Error(`migration ${version} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  });
}

/** The files not applied yet (all of them before the first `migrate`). */
export async function pendingMigrations<C>(engine: MigrationEngine<C>): Promise<string[]> {
  const applied = new Set((await engine.applied()) ?? []);
  return migrationFiles(engine.dir).filter((f) => !applied.has(f));
}
