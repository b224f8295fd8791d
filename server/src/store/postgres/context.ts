/** What the PostgreSQL store's parts share: the pool, the read cache, query helpers. */
import type pg from 'pg';
import type { SqlDriver } from '../sql/driver.ts';
import type { Queryable } from './db.ts';
import type { PgReadCache } from './read-cache.ts';

export interface PgContext {
  pool: pg.Pool;
  /** The shared SQL's driver (../sql/driver.ts) on the pool. */
  driver: SqlDriver;
  /** Widgets, widget tokens, authkeys and templates (read-cache.ts). */
  reads: PgReadCache;
  /** The first row of a query, if any. */
  one<T>(sql: string, params?: unknown[], db?: Queryable): Promise<T | undefined>;
  all<T>(sql: string, params?: unknown[], db?: Queryable): Promise<T[]>;
  /** Runs a statement; resolves to the rows it changed. */
  run(sql: string, params?: unknown[], db?: Queryable): Promise<number>;
}
