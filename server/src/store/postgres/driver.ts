/**
 * The shared SQL's driver on PostgreSQL (see ../sql/driver.ts): the pool,
 * each query prepared once per connection with its `?` placeholders turned
 * into `$n` (db.ts), and each transaction on one connection of the pool.
 */
import type pg from 'pg';
import {
  Rollback,
  runSteps,
  type SqlDialect,
  type SqlDriver,
  type SqlStatement,
  type SqlSteps,
  type TransactionOptions,
} from '../sql/driver.ts';
import { type Queryable, query, transaction } from './db.ts';

/** The select-list item of `SqlDialect.relaxedCommit` (a transaction-local `SET synchronous_commit`). */
export const RELAXED_COMMIT = ", set_config('synchronous_commit', 'off', true) AS relaxed_commit";

/** PostgreSQL's dialect, with every commit durable (see `postgresDriver` for `?commit=relaxed`). */
export const postgresDialect: SqlDialect = {
  engine: 'postgres',
  insertionOrder: 'seq',
  forUpdate: ' FOR UPDATE',
  forUpdateSkipLocked: ' FOR UPDATE SKIP LOCKED',
  relaxedCommit: '',
  bool: (value) => value,
  readBool: (value) => value === true,
  // node-postgres would send an array as a PostgreSQL array: JSON goes as text, cast by its column.
  json: (value) => JSON.stringify(value),
  readJson: <T>(value: unknown) => value as T,
};

const execOn =
  (db: Queryable) =>
  async (s: SqlStatement): Promise<unknown> => {
    const result = await query(db, s.sql, s.params as unknown[]);
    if (s.kind === 'run') return result.rowCount;
    return s.kind === 'one' ? result.rows[0] : result.rows;
  };

/** The shared SQL's driver on `pool`; `relaxed`: the writes that may be lost commit without a flush. */
export function postgresDriver(pool: pg.Pool, relaxed = false): SqlDriver {
  const onPool = execOn(pool);
  return {
    dialect: relaxed ? { ...postgresDialect, relaxedCommit: RELAXED_COMMIT } : postgresDialect,
    async one<T>(sql: string, params: readonly unknown[] = []) {
      return (await query<T>(pool, sql, params as unknown[])).rows[0];
    },
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return (await query<T>(pool, sql, params as unknown[])).rows;
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return (await query(pool, sql, params as unknown[])).rowCount;
    },
    async transaction<T>(body: () => SqlSteps<T>, options: TransactionOptions = {}): Promise<T> {
      try {
        // db.ts's transaction answers undefined only for its own Rollback, which a body does not throw.
        return (await transaction(
          pool,
          (client) => runSteps(body(), execOn(client)),
          options,
        )) as T;
      } catch (error) {
        if (error instanceof Rollback) return error.result as T;
        throw error;
      }
    },
    write: (body) => runSteps(body(), onPool),
  };
}
