/**
 * Log retention: requests older than the configured number of days are
 * deleted with everything recorded about them, in small batches so the
 * database never locks for long. A timer runs it every hour, and also
 * deletes expired passkey challenges and tickets.
 */
import type { Clock, Logger } from '../../platform/runtime.ts';
import type { Store } from '../../store/index.ts';

const DAY_MS = 86_400_000;
/** Requests deleted per transaction. */
export const PURGE_BATCH = 2000;
export const PURGE_EVERY_MS = 3_600_000;

/**
 * Deletes every log entry older than `retentionDays`; returns how many.
 *
 * @example await purgeExpiredLogs({ store, clock }, 90)
 */
export async function purgeExpiredLogs(
  deps: { store: Store; clock: Clock },
  retentionDays: number,
): Promise<number> {
  const before = deps.clock.now() - retentionDays * DAY_MS;
  let total = 0;
  for (;;) {
    const removed = await deps.store.logs.purge(before, PURGE_BATCH);
    total += removed;
    if (removed < PURGE_BATCH) return total;
    // Let requests waiting on the database run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The hourly purge; `stop` ends it. */
export interface RetentionJob {
  /** Runs one purge now (also what the timer does). */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a purge in progress. */
  stop(): Promise<void>;
}

/** Starts the hourly purge (and runs one at once). */
export function startRetentionJob(
  deps: { store: Store; clock: Clock; log: Logger },
  retentionDays: number,
  everyMs = PURGE_EVERY_MS,
): RetentionJob {
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> => {
    running ??= purgeExpiredLogs(deps, retentionDays)
      // Passkey challenges and tickets nobody used are useless once expired: nothing else deletes them.
      .then(async (removed) => {
        await deps.store.passkeyChallenges.purgeExpired(deps.clock.now());
        return removed;
      })
      .then((removed) => {
        if (removed > 0) deps.log.info('purged old log entries', { removed, retentionDays });
        return removed;
      })
      .catch((error: unknown) => {
        deps.log.error('log purge failed', { error: String(error) });
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), everyMs);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
