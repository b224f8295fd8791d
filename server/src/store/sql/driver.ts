/**
 * What the store's shared SQL runs on: one small asynchronous driver that
 * both engines implement, so a statement and its row mapping are written
 * once. The engines differ only in
 * - the driver itself (SQLite: better-sqlite3's synchronous statements, its
 *   transactions in the group commit; PostgreSQL: the pool, `?` placeholders
 *   turned into `$n`), and
 * - the named hooks of its `dialect`, for what the two SQLs spell differently.
 *
 * Statements use `?` placeholders and take their parameters as an array.
 *
 * A transaction is a generator of statements rather than an async function:
 * better-sqlite3 must run a transaction synchronously from BEGIN to COMMIT
 * (nothing else may touch the connection meanwhile, and the group commit
 * writes must not await), while PostgreSQL awaits each statement. The same
 * body serves both:
 *
 * @example
 * const revoked = await db.transaction(function* () {
 *   const row = yield* sql.one<{ id: string }>('SELECT id FROM t WHERE k = ?', [k]);
 *   if (!row) throw new Rollback('not_found');
 *   yield* sql.run('UPDATE t SET v = ? WHERE id = ?', [v, row.id]);
 *   return 'done';
 * });
 */

/** What the two SQLs spell differently, by name. */
export interface SqlDialect {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * The column that orders a table's rows by insertion (a tie-break after
   * a timestamp): SQLite's `rowid`, PostgreSQL's identity column `seq`.
   */
  readonly insertionOrder: 'rowid' | 'seq';
  /**
   * Appended to a SELECT whose rows a transaction goes on to change:
   * ` FOR UPDATE` on PostgreSQL (concurrent writers wait for it), nothing on
   * SQLite (one writer at a time already).
   */
  readonly forUpdate: '' | ' FOR UPDATE';
  /** As `forUpdate`, skipping rows another transaction holds (a queue's claim). */
  readonly forUpdateSkipLocked: '' | ' FOR UPDATE SKIP LOCKED';
  /**
   * An item appended to the select list (or RETURNING list) of a write that a
   * crash of the database may lose without harm: on PostgreSQL with
   * `?commit=relaxed` (the default, postgres/db.ts), `synchronous_commit = off`
   * for that statement's transaction only, so that it commits without waiting
   * for its WAL flush; `''` where every commit waits, and on SQLite, whose WAL
   * mode with `synchronous = NORMAL` never waits for a flush on commit.
   */
  readonly relaxedCommit: string;
  /** A boolean as a parameter: SQLite binds no booleans (1 and 0). */
  bool(value: boolean): unknown;
  /** A boolean column as read: 1/0 on SQLite, a boolean on PostgreSQL. */
  readBool(value: unknown): boolean;
  /** A JSON value as a parameter (text; PostgreSQL casts it to `jsonb`). */
  json(value: unknown): unknown;
  /** A JSON column as read: text on SQLite, already parsed (`jsonb`) on PostgreSQL. */
  readJson<T>(value: unknown): T;
}

/** One statement of a transaction body (see `sql`). */
export interface SqlStatement {
  readonly kind: 'one' | 'all' | 'run';
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** A transaction body's steps: statements yielded, their results sent back, `T` returned. */
export type SqlSteps<T> = Generator<SqlStatement, T, unknown>;

/** The statements of a transaction body, used with `yield*`. */
export const sql = {
  /** The first row, if any. */
  *one<T>(text: string, params: readonly unknown[] = []): SqlSteps<T | undefined> {
    return (yield { kind: 'one', sql: text, params }) as T | undefined;
  },
  /** Every row. */
  *all<T>(text: string, params: readonly unknown[] = []): SqlSteps<T[]> {
    return (yield { kind: 'all', sql: text, params }) as T[];
  },
  /** Runs a statement; the rows it changed. */
  *run(text: string, params: readonly unknown[] = []): SqlSteps<number> {
    return (yield { kind: 'run', sql: text, params }) as number;
  },
};

/**
 * Thrown by a transaction body to undo everything it did: the transaction
 * rolls back and resolves to `result` (a refusal, not an error).
 */
export class Rollback<T = unknown> {
  constructor(readonly result: T) {}
}

/** Options of `SqlDriver.transaction`. */
export interface TransactionOptions {
  /**
   * Takes this lock first: transactions with the same lock run one after the
   * other (a PostgreSQL transaction-scoped advisory lock; SQLite runs one
   * writer at a time anyway).
   */
  lock?: string;
}

/** The shared SQL's connection to an engine. */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  /** The first row of a query, if any. */
  one<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Every row of a query. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement (one round trip, atomic on its own); resolves to the rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Runs a body's statements in one transaction: committed when it returns,
   * undone when it throws (a `Rollback` resolves to its result, any other
   * error rejects). On SQLite it is one write of the group commit (it
   * settles once that group has committed).
   */
  transaction<T>(body: () => SqlSteps<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs a body of writes that needs no isolation beyond each statement's
   * own (usually one statement): on SQLite one write of the group commit,
   * as `transaction`; on PostgreSQL its statements commit one by one, with
   * no BEGIN/COMMIT round trips. A `Rollback` is not for `write`.
   */
  write<T>(body: () => SqlSteps<T>): Promise<T>;
}

// A statement's error is thrown into the body (its `finally` runs; it may rethrow). On PostgreSQL a
// failed statement aborts the transaction: a body that catches one can only end it.

/** Drives a body synchronously, each statement run by `exec` (SQLite). */
export function runStepsSync<T>(steps: SqlSteps<T>, exec: (s: SqlStatement) => unknown): T {
  let next = steps.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = exec(next.value);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(result);
  }
  return next.value;
}

/** Drives a body, awaiting each statement run by `exec` (PostgreSQL). */
export async function runSteps<T>(
  steps: SqlSteps<T>,
  exec: (s: SqlStatement) => Promise<unknown>,
): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await exec(next.value);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(result);
  }
  return next.value;
}
