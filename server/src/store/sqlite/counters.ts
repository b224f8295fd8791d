/**
 * Rate-limit counters in SQLite, counted by the store so that a call's
 * counters commit in the same group transaction as the rest of its writes
 * (group-commit.ts). Fixed windows, exactly as rate-limiter-flexible counts
 * them in the same `rate_limits` table: a point is added to the key's
 * window, or a new window starts when the old one has ended. Expired rows
 * are deleted every few minutes, as rate-limiter-flexible did on its own
 * timer, so one row per identifier and IP ever seen does not pile up.
 */
import type Database from 'better-sqlite3';
import type { LimitHit, LimitRefusal } from '../limits.ts';

/** How often expired counters are deleted, and how long after their window they go (as in postgres/counters.ts). */
const SWEEP_EVERY_MS = 5 * 60_000;
const KEEP_EXPIRED_MS = 60 * 60_000;

export interface SqliteCounters {
  /**
   * Spends a point of each hit in order and stops at the first one past its
   * limit, whose refusal it returns: the points spent up to it stay, so the
   * store runs this inside a savepoint it rolls back on a refusal (all or nothing).
   */
  spend(hits: readonly LimitHit[], now: number): LimitRefusal | undefined;
  /** Adds a point to a key's window and returns its points. */
  count(key: string, seconds: number, now: number): number;
  /** A key's points in its current window, and the ms left in it. */
  peek(key: string, now: number): { points: number; msBeforeNext: number };
  /** Takes back one point of each key, in its current window. */
  refund(keys: readonly string[], now: number): void;
}

export function sqliteCounters(stmt: (sql: string) => Database.Statement): SqliteCounters {
  let sweptAt = Number.NEGATIVE_INFINITY;
  const upsert = (key: string, seconds: number, now: number) => {
    if (now - sweptAt >= SWEEP_EVERY_MS) {
      sweptAt = now;
      stmt('DELETE FROM rate_limits WHERE expire < ?').run(now - KEEP_EXPIRED_MS);
    }
    return stmt(
      `INSERT INTO rate_limits (key, points, expire) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         points = CASE WHEN expire IS NULL OR expire > ? THEN points + 1 ELSE 1 END,
         expire = CASE WHEN expire IS NULL OR expire > ? THEN expire ELSE excluded.expire END
       RETURNING points, expire`,
    ).get(key, now + seconds * 1000, now, now) as { points: number; expire: number | null };
  };
  return {
    spend(hits, now) {
      for (let index = 0; index < hits.length; index++) {
        const hit = hits[index]!;
        const row = upsert(hit.key, hit.seconds, now);
        if (row.points > hit.points) {
          return { index, msBeforeNext: row.expire === null ? -1 : row.expire - now };
        }
      }
      return undefined;
    },
    count: (key, seconds, now) => upsert(key, seconds, now).points,
    peek(key, now) {
      const row = stmt('SELECT points, expire FROM rate_limits WHERE key = ?').get(key) as
        | { points: number; expire: number | null }
        | undefined;
      if (!row) return { points: 0, msBeforeNext: 0 };
      if (row.expire === null) return { points: row.points, msBeforeNext: 0 };
      return row.expire > now
        ? { points: row.points, msBeforeNext: row.expire - now }
        : { points: 0, msBeforeNext: 0 };
    },
    refund(keys, now) {
      const take = stmt(
        `UPDATE rate_limits SET points = points - 1
         WHERE key = ? AND points > 0 AND (expire IS NULL OR expire > ?)`,
      );
      for (const key of keys) take.run(key, now);
    },
  };
}
