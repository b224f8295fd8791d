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
  /**
   * A write to a cached table: the cache is cleared before (no read starting
   * now keeps the old row) and after it (a read that ran meanwhile saw the old row).
   */
  changing<T>(write: () => Promise<T>): Promise<T>;
  /** Records a cached row's last use, at most once a minute. */
  touch(
    table: 'authkeys' | 'widget_tokens',
    row: { id: string; last_used_at: number | null },
    now: number,
  ): Promise<void>;
}
