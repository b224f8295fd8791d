/**
 * Rate-limit counters in PostgreSQL, counted by the store: all of a call's
 * keys in one round trip, through `otpkit_limit_hits` (migration 012), with
 * the fixed windows rate-limiter-flexible counted in the same `rate_limits`
 * table. Expired rows are deleted every few minutes, as rate-limiter-flexible
 * did, so one row per identifier ever seen does not pile up.
 */
import type pg from 'pg';
import type { LimitHit, LimitRefusal } from '../../limits/index.ts';
import { query } from './db.ts';

/** How often expired counters are deleted, and how long after their window they go. */
const SWEEP_EVERY_MS = 5 * 60_000;
const KEEP_EXPIRED_MS = 60 * 60_000;

export interface PostgresCounters {
  /** Spends a point of each hit in order; stops at the first one past its limit (later ones are not spent). */
  hit(hits: readonly LimitHit[], now: number): Promise<LimitRefusal | undefined>;
  /** Stops the sweeping timer. */
  stop(): void;
}

export function postgresCounters(pool: pg.Pool): PostgresCounters {
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () => {
    query(pool, 'DELETE FROM rate_limits WHERE expire < ?', [Date.now() - KEEP_EXPIRED_MS]).catch(
      () => undefined,
    );
  };
  return {
    async hit(hits, now) {
      if (!sweeper) {
        sweeper = setInterval(sweep, SWEEP_EVERY_MS);
        sweeper.unref();
      }
      const { rows } = await query<{ refused: number; ms_before_next: number }>(
        pool,
        'SELECT refused, ms_before_next FROM otpkit_limit_hits(?::text[], ?::integer[], ?::bigint[], ?::bigint)',
        [hits.map((h) => h.key), hits.map((h) => h.points), hits.map((h) => h.seconds * 1000), now],
      );
      const row = rows[0];
      return row && { index: row.refused, msBeforeNext: row.ms_before_next };
    },
    stop() {
      clearInterval(sweeper);
    },
  };
}
