/**
 * What the SQLite store's parts share: the connection, its prepared
 * statements, the group commit, the read cache and the counters.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { sha256Hex } from '../../platform/crypto.ts';
import type { CounterRefusal, LimitHit, PumpingHit } from '../limits.ts';
import { MAIN_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';
import { sqliteCounters } from './counters.ts';
import { Database } from './driver.ts';
import { createGroupCommit } from './group-commit.ts';
import { createReadCache } from './read-cache.ts';
import { sqliteDriver } from './sql-driver.ts';

export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** Thrown inside `undoable` to roll its savepoint back and answer `result`. */
export class Undo {
  constructor(readonly result: unknown) {}
}

/** Opens (creating if needed) a SQLite database file, or `:memory:`, and its shared parts. */
export function openSqliteContext(file: string) {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A 4 MB page cache (SQLite's default here is 16 MB): the pages every write touches (the
  // B-trees' upper levels and right edges, rows being appended in id order) stay cached; the
  // rest is a read from the OS's file cache. Under a million requests the larger cache held
  // 12 MB more of the process's memory (the memory budget in BENCHMARKS.md).
  db.pragma('cache_size = -4096');
  // Checkpoints run on a worker thread (see checkpointer.ts); this connection's own is the backstop.
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(file);
  if (checkpointer) db.pragma(`wal_autocheckpoint = ${MAIN_AUTOCHECKPOINT_PAGES}`);

  // Statements are prepared lazily: the schema may not exist before migrate().
  const cache = new Map<string, BetterSqlite3.Statement>();
  const stmt = (sql: string): BetterSqlite3.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const get = <T>(sql: string, ...params: unknown[]): T | undefined =>
    stmt(sql).get(...params) as T | undefined;
  const all = <T>(sql: string, ...params: unknown[]): T[] => stmt(sql).all(...params) as T[];
  const run = (sql: string, ...params: unknown[]): BetterSqlite3.RunResult =>
    stmt(sql).run(...params);
  // Widgets, widget tokens and authkeys are read on every call: see read-cache.ts for why this stays exact.
  const reads = createReadCache(db);
  // The writes of the hot paths (sends, verifications, deliveries, events) commit in groups: see group-commit.ts.
  const group = createGroupCommit(db);
  const write = group.write;
  // The shared SQL's driver (../sql/driver.ts) on this connection and group commit.
  const driver = sqliteDriver(db, stmt, group);
  const counters = sqliteCounters(stmt);
  /**
   * Runs `work` in a savepoint of the write it belongs to and undoes it when
   * it throws an `Undo`, whose result it returns: a refused call's counters
   * (and anything else it wrote) go back to what they were.
   */
  const undoable = <T>(work: () => T): T => {
    try {
      return db.transaction(work)();
    } catch (error) {
      if (error instanceof Undo) return error.result as T;
      throw error;
    }
  };
  /** A call's counters and pumping counter, all or nothing (inside `undoable`). */
  const spendAll = (
    hits: readonly LimitHit[],
    now: number,
    pumping: PumpingHit | null | undefined,
  ): void => {
    const refused = hits.length > 0 ? counters.spend(hits, now) : undefined;
    if (refused) throw new Undo({ kind: 'limited', ...refused } satisfies CounterRefusal);
    if (pumping) {
      const count = bumpSendCounter(pumping.widgetId, pumping.country, pumping.hour);
      if (count > pumping.ceiling)
        throw new Undo({ kind: 'pumping', count } satisfies CounterRefusal);
    }
  };

  const bumpSendCounter = (widgetId: string, country: string, hour: number) =>
    get<{ count: number }>(
      `INSERT INTO send_counters (widget_id, country, hour, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (widget_id, country, hour) DO UPDATE SET count = count + 1 RETURNING count`,
      widgetId,
      country,
      hour,
    )!.count;

  // Widget tokens stored in clear before migration 005 get their hash, and lose the clear text.
  const hashLegacyWidgetTokens = () => {
    const rows = db
      .prepare('SELECT rowid, token FROM widget_tokens WHERE token_hash IS NULL')
      .all() as {
      rowid: number;
      token: string;
    }[];
    const update = db.prepare(
      'UPDATE widget_tokens SET token_hash = ?, prefix = ?, token = ? WHERE rowid = ?',
    );
    for (const r of rows) {
      update.run(sha256Hex(r.token), r.token.slice(0, 6), `hashed:${r.rowid}`, r.rowid);
    }
  };

  return {
    db,
    checkpointer,
    cache,
    stmt,
    get,
    all,
    run,
    reads,
    group,
    write,
    driver,
    counters,
    undoable,
    spendAll,
    hashLegacyWidgetTokens,
  };
}

export type SqliteContext = ReturnType<typeof openSqliteContext>;
