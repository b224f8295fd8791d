/**
 * Readiness: whether this instance should get traffic. The store answers
 * and its schema is current, the delivery worker is alive (when this
 * instance runs one), and the process is not shutting down.
 */
import type { Services } from '../app-types.ts';

/** One check's verdict, with what an operator needs to see why. */
export interface CheckResult {
  ok: boolean;
  [detail: string]: unknown;
}

export interface Readiness {
  ready: boolean;
  checks: {
    store: CheckResult;
    migrations: CheckResult;
    worker: CheckResult;
    providers: CheckResult;
    shutdown: CheckResult;
  };
}

/**
 * How long the worker may go without a heartbeat before it counts as stuck:
 * a few polls, or a whole lease (a pass that outlives its lease is already
 * a problem: another worker may take its messages).
 */
export function workerStaleAfterMs(pollMs: number, leaseMs: number): number {
  return Math.max(3 * pollMs, leaseMs);
}

/** Runs every readiness check; never throws. */
export async function checkReadiness(services: Services): Promise<Readiness> {
  const { store, worker, config, clock, lifecycle } = services;
  let storeCheck: CheckResult;
  let migrations: CheckResult;
  try {
    const { migrationsPending } = await store.health();
    storeCheck = { ok: true };
    migrations = { ok: migrationsPending.length === 0, pending: migrationsPending };
  } catch (error) {
    services.log.error('readiness: the store does not answer', { error });
    storeCheck = { ok: false, error: 'the database does not answer' };
    migrations = { ok: false, error: 'unknown: the database does not answer' };
  }

  let workerCheck: CheckResult;
  if (!config.delivery.worker) {
    workerCheck = { ok: true, enabled: false };
  } else {
    const { running, lastBeatAt, pollMs } = worker.status();
    const staleAfterMs = workerStaleAfterMs(pollMs, config.delivery.leaseSeconds * 1000);
    const sinceBeatMs = lastBeatAt === null ? null : clock.now() - lastBeatAt;
    const ok = running && sinceBeatMs !== null && sinceBeatMs <= staleAfterMs;
    workerCheck = {
      ok,
      enabled: true,
      running,
      lastHeartbeatSecondsAgo: sinceBeatMs === null ? null : Math.round(sinceBeatMs / 100) / 10,
      ...(ok
        ? {}
        : {
            error: running
              ? `no heartbeat for more than ${staleAfterMs / 1000} seconds`
              : 'the delivery worker is not running',
          }),
    };
  }
  const shutdown: CheckResult = lifecycle.shuttingDown
    ? { ok: false, error: 'shutting down' }
    : { ok: true };
  // Open circuits are shown, not failed on: the instance still serves, and the next provider delivers.
  const providers: CheckResult = {
    ok: true,
    circuits: services.delivery.breakers.view().map((c) => ({
      provider: c.provider,
      state: c.state,
      consecutiveFailures: c.consecutiveFailures,
      retryAt: c.retryAt === null ? null : new Date(c.retryAt).toISOString(),
    })),
  };
  const checks = {
    store: storeCheck,
    migrations,
    worker: workerCheck,
    providers,
    shutdown,
    ...(services.redis
      ? {
          redis: services.redis.up()
            ? { ok: true }
            : { ok: false, error: 'Redis (REDIS_URL, the rate limits) does not answer' },
        }
      : {}),
  };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
