/**
 * The shared SQL's driver on SQLite (see ../sql/driver.ts): better-sqlite3's
 * synchronous statements behind the async interface (a read runs at once,
 * its promise already settled), and each transaction one write of the group
 * commit, its body driven synchronously inside it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  Rollback,
  runStepsSync,
  type SqlDialect,
  type SqlDriver,
  type SqlStatement,
  type SqlSteps,
} from '../sql/driver.ts';
import type { GroupCommit } from './group-commit.ts';

export const sqliteDialect: SqlDialect = {
  engine: 'sqlite',
  insertionOrder: 'rowid',
  forUpdate: '',
  forUpdateSkipLocked: '',
  relaxedCommit: '',
  bool: (value) => (value ? 1 : 0),
  readBool: (value) => value === 1,
  json: (value) => JSON.stringify(value),
  readJson: <T>(value: unknown) => JSON.parse(value as string) as T,
};

/**
 * @param stmt the connection's prepared statements, by text (prepared once)
 * @param group the connection's group commit
 */
export function sqliteDriver(
  db: BetterSqlite3.Database,
  stmt: (sql: string) => BetterSqlite3.Statement,
  group: GroupCommit,
): SqlDriver {
  // better-sqlite3 binds an array of anonymous parameters as they are (no spread).
  const exec = (s: SqlStatement): unknown => {
    const statement = stmt(s.sql);
    const params = s.params as unknown[];
    if (s.kind === 'run') return statement.run(params).changes;
    return s.kind === 'one' ? statement.get(params) : statement.all(params);
  };
  const transaction = <T>(body: () => SqlSteps<T>): Promise<T> =>
    group.write((): T => {
      try {
        // A savepoint of its own inside the group's transaction: a Rollback undoes this body only.
        return db.transaction(() => runStepsSync(body(), exec))();
      } catch (error) {
        if (error instanceof Rollback) return error.result as T;
        throw error;
      }
    });
  return {
    dialect: sqliteDialect,
    async one<T>(sql: string, params: readonly unknown[] = []) {
      return stmt(sql).get(params as unknown[]) as T | undefined;
    },
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return stmt(sql).all(params as unknown[]) as T[];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return stmt(sql).run(params as unknown[]).changes;
    },
    transaction,
    // The group commit runs each write in a savepoint of its own already.
    write: (body) => group.write(() => runStepsSync(body(), exec)),
  };
}
