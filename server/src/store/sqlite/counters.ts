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
import type { LimitHit, LimitRefusal } from '../../limits/index.ts';

/** How often expired counters are deleted, and how long after their window they go (as in postgres/counters.ts). */
const SWEEP_EVERY_MS = 5 * 60_000;
const KEEP_EXPIRED_MS = 60 * 60_000;

/** Spends a point of each hit in order; stops at the first one past its limit (later ones are not spent). */
export function sqliteCounters(
  stmt: (sql: string) => Database.Statement,
): (hits: readonly LimitHit[], now: number) => LimitRefusal | undefined {
  let sweptAt = Number.NEGATIVE_INFINITY;
  return (hits, now) => {
    if (now - sweptAt >= SWEEP_EVERY_MS) {
      sweptAt = now;
      stmt('DELETE FROM rate_limits WHERE expire < ?').run(now - KEEP_EXPIRED_MS);
    }
    const upsert = stmt(
      `INSERT INTO rate_limits (key, points, expire) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         points = CASE WHEN expire IS NULL OR expire > ? THEN points + 1 ELSE 1 END,
         expire = CASE WHEN expire IS NULL OR expire > ? THEN expire ELSE excluded.expire END
       RETURNING points, expire`,
    );
    for (let index = 0; index < hits.length; index++) {
      const hit = hits[index]!;
      const row = upsert.get(hit.key, now + hit.seconds * 1000, now, now) as {
        points: number;
        expire: number | null;
      };
      if (row.points > hit.points) {
        return { index, msBeforeNext: row.expire === null ? -1 : row.expire - now };
      }
    }
    return undefined;
  };
}
