/**
 * Rows every API call reads (the widget, its token, the authkey, the
 * template a message is composed from) kept in process, so a call does not re-read and re-parse them. Correct without
 * a time-to-live:
 * - every write through this adapter to those tables clears the cache;
 * - a commit by any other connection to the file (another otpkit process,
 *   the CLI) changes `PRAGMA data_version`, which is checked at the first
 *   read of each turn of the event loop and clears the cache too. So a
 *   revoked token or a disabled widget is refused from the next turn on
 *   (a call that arrives after the change), whichever process changed it.
 *   Checking it on every read (2.4 us each: it takes the WAL's read lock)
 *   was 8 % of getWidgetProcess's CPU, which reads four cached rows.
 * - a read that was running when the cache was cleared is not kept (its row
 *   may predate the change).
 * Only hits are kept (an unknown id is read each time), up to a bound.
 */
import { setImmediate as immediate } from 'node:timers';
import type Database from 'better-sqlite3';

export interface ReadCache {
  /** The cached value for a key, else `load()` (kept when it is not undefined and nothing changed meanwhile). */
  get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Forgets everything: call on a write to a cached table. */
  clear(): void;
}

export function createReadCache(db: Database.Database, maxEntries = 10_000): ReadCache {
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seen = dataVersion.get();
  const entries = new Map<string, unknown>();
  // Bumped on every clear: a load that straddles one is not kept.
  let generation = 0;
  const clear = () => {
    generation++;
    entries.clear();
  };
  let checkedThisTurn = false;
  const nextTurn = () => {
    checkedThisTurn = false;
  };
  return {
    async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
      if (!checkedThisTurn) {
        checkedThisTurn = true;
        immediate(nextTurn);
        const version = dataVersion.get();
        if (version !== seen) {
          seen = version;
          clear();
        }
      }
      if (entries.has(key)) return entries.get(key) as T;
      // The load's statements run synchronously when it is called; its answer arrives a few
      // microtasks later, when a write in between may have cleared the cache.
      const before = generation;
      const value = await load();
      if (value !== undefined && generation === before) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(key, value);
      }
      return value;
    },
    clear,
  };
}
