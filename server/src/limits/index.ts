/**
 * Rate limits and the SMS-pumping brake. Limits count sends and resends per
 * identifier, per client IP, per widget and per widget and destination
 * country, and verification attempts per IP; each is atomic in its backend:
 * the database by default (the store counts a call's keys in one step:
 * SQLite in the same group commit as the call's other writes, PostgreSQL in
 * one round trip, shared by every instance on that database), or Redis when
 * `REDIS_URL` is set (rate-limiter-flexible). A refusal is `RATE_LIMITED`
 * (HTTP 429) with `retryAfter`.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AbuseConfig, Limit } from '../config.ts';
import type { Clock, Logger } from '../deps.ts';
import { OtpkitError } from '../errors.ts';
import type { Metrics, RateLimitScope } from '../observability/metrics.ts';
import type { Store } from '../store/index.ts';

type Limiter = RateLimiterMemory | RateLimiterRedis;

/** One counter a call spends a point of: at most `points` in each window of `seconds`. */
export interface LimitHit {
  key: string;
  points: number;
  seconds: number;
}

/** The first hit past its limit: its place in the list, and the time left in its window. */
export interface LimitRefusal {
  index: number;
  msBeforeNext: number;
}

/** Where counters live. */
export type LimitBackend =
  | { kind: 'memory' }
  /**
   * A store that counts several keys in one atomic step, in order, stopping
   * at the first one past its limit (the SQLite store, whose counters then
   * commit with the rest of the call's writes; the PostgreSQL store, in one
   * round trip). `client` is for tests.
   */
  | {
      kind: 'counters';
      hit(hits: readonly LimitHit[], now: number): Promise<LimitRefusal | undefined>;
      /**
       * The counters of the store the services use: its combined writes
       * (`otpRequests.send`, `otpRequests.verify`) then spend a call's hits
       * themselves (`RateLimits.planSend`). Unset, `hit` counts them.
       */
      ownStore?: boolean;
      client?: unknown;
    }
  | { kind: 'redis'; client: unknown };

export interface SendCall {
  widgetId: string;
  identifier: string;
  country: string | null;
  ip: string | null;
  /** Calls with the account authkey come from the customer's backend: no per-IP limit. */
  serverToServer: boolean;
}

/** A call's counters, for a store that spends them in the same step as the rest of the call. */
export interface LimitPlan {
  hits: LimitHit[];
  /** Wall-clock time of the windows. */
  now: number;
  /** The error for a refusal by `hits[index]` (counted in the metrics). */
  refused(index: number, msBeforeNext: number): OtpkitError;
}

export interface RateLimits {
  /** Counts a send or resend. @throws OtpkitError `RATE_LIMITED` */
  consumeSend(call: SendCall): Promise<void>;
  /** Counts a verification attempt. @throws OtpkitError `RATE_LIMITED` */
  consumeVerify(ip: string | null): Promise<void>;
  /**
   * Set when the store counts the limits (`'counters'` backend): a send's
   * counters, to spend in the store's write of the send
   * (`otpRequests.send`) instead of calling `consumeSend` first.
   */
  planSend?(call: SendCall): LimitPlan;
  /** As `planSend`, for a verification (`otpRequests.verify`). */
  planVerify?(ip: string | null): LimitPlan;
}

function limiter(
  backend: Exclude<LimitBackend, { kind: 'counters' }>,
  keyPrefix: string,
  limit: Limit,
): Limiter {
  const options = { keyPrefix, points: limit.points, duration: limit.seconds };
  switch (backend.kind) {
    case 'redis':
      return new RateLimiterRedis({ ...options, storeClient: backend.client });
    case 'memory':
      return new RateLimiterMemory(options);
  }
}

function refusal(what: string, msBeforeNext: number): OtpkitError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new OtpkitError(
    'RATE_LIMITED',
    `Too many requests (${what}). Try again in ${retryAfter} seconds.`,
    { retryAfter },
  );
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
    throw refusal(what, error.msBeforeNext);
  }
}

/** A counter of a call, with what a refusal by it says. */
interface Counted {
  prefix: string;
  key: string;
  limit: Limit;
  what: string;
  scope: RateLimitScope;
}

/** The counters a send or resend spends, in the order they are checked. */
function sendCounters(config: AbuseConfig, call: SendCall): Counted[] {
  const counted: Counted[] = [];
  // The caller's own limit first: a network already refused cannot spend a victim's quota.
  if (call.ip && !call.serverToServer) {
    counted.push({
      prefix: 'send:ip',
      key: call.ip,
      limit: config.ip,
      what: 'this network',
      scope: 'ip',
    });
  }
  counted.push({
    prefix: 'send:identifier',
    key: `${call.widgetId}:${call.identifier}`,
    limit: config.identifier,
    what: 'this phone number or email',
    scope: 'identifier',
  });
  counted.push({
    prefix: 'send:widget',
    key: call.widgetId,
    limit: config.widget,
    what: 'this widget',
    scope: 'widget',
  });
  if (call.country) {
    counted.push({
      prefix: 'send:country',
      key: `${call.widgetId}:${call.country}`,
      limit: config.country,
      what: 'this country',
      scope: 'country',
    });
  }
  return counted;
}

function verifyCounters(config: AbuseConfig, ip: string | null): Counted[] {
  return ip
    ? [
        {
          prefix: 'verify:ip',
          key: ip,
          limit: config.verifyIp,
          what: 'verification attempts',
          scope: 'verify_ip',
        },
      ]
    : [];
}

/**
 * Limits counted by a store in one atomic step per call. Keys are
 * `prefix:scope:key`, as rate-limiter-flexible names them.
 */
function storeCountedLimits(
  config: AbuseConfig,
  backend: Extract<LimitBackend, { kind: 'counters' }>,
  p: string,
  clock: () => number,
  onRefused: (scope: RateLimitScope) => void,
): RateLimits {
  const plan = (counted: Counted[]): LimitPlan => ({
    hits: counted.map((c) => ({
      key: `${p}:${c.prefix}:${c.key}`,
      points: c.limit.points,
      seconds: c.limit.seconds,
    })),
    now: clock(),
    refused(index, msBeforeNext) {
      const by = counted[index]!;
      onRefused(by.scope);
      return refusal(by.what, msBeforeNext);
    },
  });
  const spend = async (counted: Counted[]) => {
    if (counted.length === 0) return;
    const planned = plan(counted);
    const refused = await backend.hit(planned.hits, planned.now);
    if (refused) throw planned.refused(refused.index, refused.msBeforeNext);
  };
  return {
    consumeSend: (call) => spend(sendCounters(config, call)),
    consumeVerify: (ip) => spend(verifyCounters(config, ip)),
    ...(backend.ownStore
      ? {
          planSend: (call: SendCall) => plan(sendCounters(config, call)),
          planVerify: (ip: string | null) => plan(verifyCounters(config, ip)),
        }
      : {}),
  };
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
  // Windows are wall-clock time, as rate-limiter-flexible's are.
  if (backend.kind === 'counters')
    return storeCountedLimits(config, backend, p, Date.now, onRefused);
  const limiters = new Map<string, Limiter>();
  const limiterFor = (c: Counted) => {
    let l = limiters.get(c.prefix);
    if (!l) {
      l = limiter(backend, `${p}:${c.prefix}`, c.limit);
      limiters.set(c.prefix, l);
    }
    return l;
  };
  const spend = async (counted: Counted[]) => {
    for (const c of counted) await consume(limiterFor(c), c.key, c.what, c.scope, onRefused);
  };
  return {
    consumeSend: (call) => spend(sendCounters(config, call)),
    consumeVerify: (ip) => spend(verifyCounters(config, ip)),
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

/** The SMS-pumping brake's bound for this hour: a send that makes the hour's count exceed `ceiling` is refused. */
export interface PumpingCheck {
  widgetId: string;
  country: string;
  hour: number;
  ceiling: number;
  /** The usual hourly rate it derives from. */
  usualPerHour: number;
}

/**
 * The SMS-pumping brake: sends to one country through one widget are
 * refused while this hour's count is far above that widget's usual hourly
 * rate for the country (and above a floor, so a quiet widget can grow).
 * This reads the bound; the store bumps the hour's counter and compares, in
 * the same step as the rest of the send (`otpRequests.send`).
 */
export async function pumpingCheck(
  deps: { store: Store; clock: Clock; abuse: AbuseConfig },
  widgetId: string,
  country: string,
): Promise<PumpingCheck> {
  const hour = Math.floor(deps.clock.now() / HOUR_MS);
  const usualPerHour = (await pastWeekTotal(deps.store, widgetId, country, hour)) / BASELINE_HOURS;
  const ceiling = Math.max(deps.abuse.pumpingMin, deps.abuse.pumpingFactor * usualPerHour);
  return { widgetId, country, hour, ceiling, usualPerHour };
}

/** The refusal of a send the brake stopped at `count` sends this hour (logged and counted). */
export function pumpingRefusal(
  deps: { clock: Clock; log: Logger; metrics: Pick<Metrics, 'rateLimited'> },
  check: PumpingCheck,
  count: number,
): OtpkitError {
  const retryAfter = Math.ceil(((check.hour + 1) * HOUR_MS - deps.clock.now()) / 1000);
  deps.metrics.rateLimited('pumping');
  deps.log.warn('pumping brake: sends refused', {
    widgetId: check.widgetId,
    country: check.country,
    thisHour: count,
    usualPerHour: check.usualPerHour,
    ceiling: check.ceiling,
  });
  return new OtpkitError(
    'RATE_LIMITED',
    `Codes to this country are paused: unusually many were requested this hour. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
    { retryAfter },
  );
}

/**
 * The brake as one call of its own: bumps this hour's counter and refuses
 * above the bound (resends, whose request already exists).
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
  const check = await pumpingCheck(deps, widgetId, country);
  const count = await deps.store.sendCounters.bump(widgetId, country, check.hour);
  if (count > check.ceiling) throw pumpingRefusal(deps, check, count);
}
