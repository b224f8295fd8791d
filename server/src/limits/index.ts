/**
 * Rate limits and the SMS-pumping brake. Limits count sends and resends per
 * identifier, per client IP, per widget and per widget and destination
 * country, and verification attempts per IP; each is atomic in its backend
 * (rate-limiter-flexible: the database by default — SQLite or PostgreSQL, so
 * several instances on one PostgreSQL share them — and Redis when `REDIS_URL`
 * is set). A refusal is `RATE_LIMITED` (HTTP 429) with `retryAfter`.
 */
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  RateLimiterSQLite,
} from 'rate-limiter-flexible';
import type { AbuseConfig, Limit } from '../config.ts';
import type { Clock, Logger } from '../deps.ts';
import { OtpkitError } from '../errors.ts';
import type { Metrics, RateLimitScope } from '../observability/metrics.ts';
import type { Store } from '../store/index.ts';

type Limiter = RateLimiterMemory | RateLimiterSQLite | RateLimiterPostgres | RateLimiterRedis;

/** Where counters live. */
export type LimitBackend =
  | { kind: 'memory' }
  | { kind: 'sqlite'; client: unknown }
  /** A node-postgres pool; the `rate_limits` table comes from the store's migrations. */
  | { kind: 'postgres'; client: unknown }
  | { kind: 'redis'; client: unknown };

export interface SendCall {
  widgetId: string;
  identifier: string;
  country: string | null;
  ip: string | null;
  /** Calls with the account authkey come from the customer's backend: no per-IP limit. */
  serverToServer: boolean;
}

export interface RateLimits {
  /** Counts a send or resend. @throws OtpkitError `RATE_LIMITED` */
  consumeSend(call: SendCall): Promise<void>;
  /** Counts a verification attempt. @throws OtpkitError `RATE_LIMITED` */
  consumeVerify(ip: string | null): Promise<void>;
}

function limiter(backend: LimitBackend, keyPrefix: string, limit: Limit): Limiter {
  const options = { keyPrefix, points: limit.points, duration: limit.seconds };
  switch (backend.kind) {
    case 'sqlite':
      return new RateLimiterSQLite({
        ...options,
        storeClient: backend.client,
        storeType: 'better-sqlite3',
        tableName: 'rate_limits',
      });
    case 'postgres':
      return new RateLimiterPostgres({
        ...options,
        storeClient: backend.client,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
      });
    case 'redis':
      return new RateLimiterRedis({ ...options, storeClient: backend.client });
    case 'memory':
      return new RateLimiterMemory(options);
  }
}

async function consume(
  l: Limiter,
  key: string,
  what: string,
  scope: RateLimitScope,
  onRefused: (scope: RateLimitScope) => void,
): Promise<void> {
  try {
    await l.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    onRefused(scope);
    const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new OtpkitError(
      'RATE_LIMITED',
      `Too many requests (${what}). Try again in ${retryAfter} seconds.`,
      {
        retryAfter,
      },
    );
  }
}

/**
 * The limits of a configuration, counted in `backend`.
 *
 * @param options.prefix first part of every key (default `otpkit`; `OTPKIT_REDIS_PREFIX`).
 * @param options.onRefused told the scope of each refusal (metrics).
 */
export function createRateLimits(
  config: AbuseConfig,
  backend: LimitBackend,
  options: { prefix?: string; onRefused?: (scope: RateLimitScope) => void } = {},
): RateLimits {
  const p = options.prefix ?? 'otpkit';
  const onRefused = options.onRefused ?? (() => {});
  const identifier = limiter(backend, `${p}:send:identifier`, config.identifier);
  const ip = limiter(backend, `${p}:send:ip`, config.ip);
  const widget = limiter(backend, `${p}:send:widget`, config.widget);
  const country = limiter(backend, `${p}:send:country`, config.country);
  const verifyIp = limiter(backend, `${p}:verify:ip`, config.verifyIp);
  return {
    async consumeSend(call) {
      // The caller's own limit first: a network already refused cannot spend a victim's quota.
      if (call.ip && !call.serverToServer)
        await consume(ip, call.ip, 'this network', 'ip', onRefused);
      await consume(
        identifier,
        `${call.widgetId}:${call.identifier}`,
        'this phone number or email',
        'identifier',
        onRefused,
      );
      await consume(widget, call.widgetId, 'this widget', 'widget', onRefused);
      if (call.country) {
        await consume(
          country,
          `${call.widgetId}:${call.country}`,
          'this country',
          'country',
          onRefused,
        );
      }
    },
    async consumeVerify(clientIp) {
      if (clientIp)
        await consume(verifyIp, clientIp, 'verification attempts', 'verify_ip', onRefused);
    },
  };
}

const HOUR_MS = 3_600_000;
/** The usual rate is the hourly average over the past week. */
const BASELINE_HOURS = 7 * 24;

/**
 * The past week's send total per store, widget, country and current hour.
 * It counts finished hours only, which no longer change (sends bump the
 * current hour), so it is read once per hour instead of on every send, and
 * stays right with several instances: each still bumps and reads this hour's
 * count in the store.
 */
const baselines = new WeakMap<Store, Map<string, number>>();
const MAX_BASELINES = 10_000;

async function pastWeekTotal(
  store: Store,
  widgetId: string,
  country: string,
  hour: number,
): Promise<number> {
  let cache = baselines.get(store);
  if (!cache) {
    cache = new Map();
    baselines.set(store, cache);
  }
  const key = `${hour}\n${widgetId}\n${country}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const total = await store.sendCounters.total(widgetId, country, hour - BASELINE_HOURS, hour);
  // Keys of past hours are never read again: dropped in bulk at the bound.
  if (cache.size >= MAX_BASELINES) cache.clear();
  cache.set(key, total);
  return total;
}

/**
 * The SMS-pumping brake: sends to one country through one widget are
 * refused while this hour's count is far above that widget's usual hourly
 * rate for the country (and above a floor, so a quiet widget can grow).
 *
 * @throws OtpkitError `RATE_LIMITED`
 */
export async function pumpingBrake(
  deps: {
    store: Store;
    clock: Clock;
    log: Logger;
    abuse: AbuseConfig;
    metrics: Pick<Metrics, 'rateLimited'>;
  },
  widgetId: string,
  country: string,
): Promise<void> {
  const now = deps.clock.now();
  const hour = Math.floor(now / HOUR_MS);
  const count = await deps.store.sendCounters.bump(widgetId, country, hour);
  const usual = (await pastWeekTotal(deps.store, widgetId, country, hour)) / BASELINE_HOURS;
  const ceiling = Math.max(deps.abuse.pumpingMin, deps.abuse.pumpingFactor * usual);
  if (count > ceiling) {
    const retryAfter = Math.ceil(((hour + 1) * HOUR_MS - now) / 1000);
    deps.metrics.rateLimited('pumping');
    deps.log.warn('pumping brake: sends refused', {
      widgetId,
      country,
      thisHour: count,
      usualPerHour: usual,
      ceiling,
    });
    throw new OtpkitError(
      'RATE_LIMITED',
      `Codes to this country are paused: unusually many were requested this hour. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
      { retryAfter },
    );
  }
}
