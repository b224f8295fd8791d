/**
 * Rate-limit counters in PostgreSQL, counted by the store: all of a call's
 * keys (and its SMS-pumping counter) in one round trip, all or nothing,
 * through `otpkit_count_hits` (migration 015), with the fixed windows
 * rate-limiter-flexible counted in the same `rate_limits` table. Expired
 * rows are deleted every few minutes, as rate-limiter-flexible did, so one
 * row per identifier ever seen does not pile up. With `relaxedCommit` (the
 * dialect's, ../sql/driver.ts) the counting statements commit without waiting
 * for their WAL flush: a crash of the database may lose the last fraction of a
 * second of points, and a network's counter row (a customer backend's
 * `verifyAccessToken` calls all come from one) is not held locked while a
 * commit waits for the disk.
 */
import type pg from 'pg';
import type { LimitHit, PumpingHit, StoreCounters } from '../limits.ts';
import { query } from './db.ts';

/** How often expired counters are deleted, and how long after their window they go. */
const SWEEP_EVERY_MS = 5 * 60_000;
const KEEP_EXPIRED_MS = 60 * 60_000;

/** The store's counters (`hit` spends each hit in order, then the pumping counter), and their sweeper. */
export interface PostgresCounters extends StoreCounters {
  /** Stops the sweeping timer. */
  stop(): void;
}

/** One upsert of a fixed window, as otpkit_count_hits counts each key. */
const upsert = (
  relaxedCommit: string,
) => `INSERT INTO rate_limits AS r (key, points, expire) VALUES (?, 1, ?::bigint)
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN r.expire <= ?::bigint THEN 1 ELSE r.points + 1 END,
    expire = CASE WHEN r.expire <= ?::bigint THEN excluded.expire ELSE r.expire END
  RETURNING r.points${relaxedCommit}`;

/** The call of `otpkit_count_hits`, its parameters `countHitsValues`. */
export const COUNT_HITS =
  'otpkit_count_hits(?::text[], ?::integer[], ?::bigint[], ?::bigint, ?, ?, ?::bigint, ?::float8)';

/** A call's hits as the three arrays the SQL functions take: keys, points, windows in ms. */
export function hitArrays(hits: readonly LimitHit[]): [string[], number[], number[]] {
  return [hits.map((h) => h.key), hits.map((h) => h.points), hits.map((h) => h.seconds * 1000)];
}

/** `COUNT_HITS`'s parameters: the hits, the time, and the pumping counter (NULLs for none). */
export function countHitsValues(
  hits: readonly LimitHit[],
  now: number,
  pumping: PumpingHit | null | undefined,
): unknown[] {
  return [
    ...hitArrays(hits),
    now,
    pumping?.widgetId ?? null,
    pumping?.country ?? null,
    pumping?.hour ?? null,
    pumping?.ceiling ?? null,
  ];
}

export function postgresCounters(pool: pg.Pool, relaxedCommit = ''): PostgresCounters {
  const UPSERT = upsert(relaxedCommit);
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () => {
    query(pool, 'DELETE FROM rate_limits WHERE expire < ?', [Date.now() - KEEP_EXPIRED_MS]).catch(
      () => undefined,
    );
  };
  const startSweeping = () => {
    if (!sweeper) {
      sweeper = setInterval(sweep, SWEEP_EVERY_MS);
      sweeper.unref();
    }
  };
  return {
    async hit(hits, now, pumping) {
      startSweeping();
      const { rows } = await query<{
        refused: number | null;
        ms_before_next: number | null;
        pumping_count: number | null;
      }>(
        pool,
        // One row always (the function's only on a refusal), so that the select list is evaluated.
        `SELECT h.refused, h.ms_before_next, h.pumping_count${relaxedCommit}
         FROM (SELECT 1) AS one LEFT JOIN ${COUNT_HITS} AS h ON true`,
        countHitsValues(hits, now, pumping),
      );
      const row = rows[0];
      if (!row || (row.refused === null && row.pumping_count === null)) return undefined;
      return row.refused === null
        ? { kind: 'pumping', count: Number(row.pumping_count) }
        : { kind: 'limited', index: row.refused, msBeforeNext: Number(row.ms_before_next) };
    },
    async count(key, seconds, now) {
      startSweeping();
      const { rows } = await query<{ points: number }>(pool, UPSERT, [
        key,
        now + seconds * 1000,
        now,
        now,
      ]);
      return rows[0]!.points;
    },
    async peek(key, now) {
      const { rows } = await query<{ points: number; expire: string | null }>(
        pool,
        'SELECT points, expire FROM rate_limits WHERE key = ?',
        [key],
      );
      const row = rows[0];
      if (!row) return { points: 0, msBeforeNext: 0 };
      if (row.expire === null) return { points: row.points, msBeforeNext: 0 };
      const left = Number(row.expire) - now;
      return left > 0 ? { points: row.points, msBeforeNext: left } : { points: 0, msBeforeNext: 0 };
    },
    async refund(keys, now) {
      await query(
        pool,
        `UPDATE rate_limits SET points = points - 1
         WHERE key = ANY (?::text[]) AND points > 0 AND (expire IS NULL OR expire > ?::bigint)
         ${relaxedCommit ? `RETURNING key${relaxedCommit}` : ''}`,
        [keys, now],
      );
    },
    stop() {
      clearInterval(sweeper);
    },
  };
}
