/**
 * Rate limits and the SMS-pumping brake. Limits count sends and resends per
 * identifier, per client network, per widget and per widget and destination
 * country; verification attempts per client network; wrong guesses per
 * identifier across an account; calls to the endpoints that take an
 * authkey (and `isOneTapAuthenticated`) per client network, and wrong
 * authkeys per client network. A client network is an IPv4 address, or an
 * IPv6 /64 (`clientNetwork`); identifiers are counted by their canonical
 * mailbox (`limitKeyOf`).
 *
 * A call's counters are spent all or nothing: a call refused by any of them
 * (or by the pumping brake) spends no point of the others, so a caller
 * refused for its own network, identifier or country never uses up a
 * widget's quota. Each is atomic in its backend: the database by default
 * (the store counts a call's keys in one step: SQLite in the same group
 * commit as the call's other writes, PostgreSQL in one round trip, shared
 * by every instance on that database), or Redis when `REDIS_URL` is set
 * (rate-limiter-flexible; a refused call's earlier points are given back
 * right after). A refusal is `RATE_LIMITED` (HTTP 429) with `retryAfter`.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AbuseConfig, Limit } from '../../platform/config/index.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { Metrics, RateLimitScope } from '../../platform/observability/metrics.ts';
import type { Clock, Logger } from '../../platform/runtime.ts';
import type { Store } from '../../store/index.ts';
import type { CounterRefusal, LimitBackend, LimitHit, PumpingHit } from '../../store/limits.ts';
import { clientNetwork } from './network.ts';

export type {
  CounterRefusal,
  LimitBackend,
  LimitHit,
  LimitRefusal,
  PumpingHit,
} from '../../store/limits.ts';
export { clientNetwork } from './network.ts';

type Limiter = RateLimiterMemory | RateLimiterRedis;

export interface SendCall {
  widgetId: string;
  /** The identifier's limit key (`limitKeyOf`): variants of one mailbox share it. */
  identifier: string;
  country: string | null;
  ip: string | null;
  /** Calls with the account authkey come from the customer's backend: no per-IP limit. */
  serverToServer: boolean;
}

/** Whose wrong guesses a verification spends: the identifier (limit key) within its account. */
export interface GuessOwner {
  accountId: string;
  identifier: string;
}

/** A call's counters, for a store that spends them in the same step as the rest of the call. */
export interface LimitPlan {
  hits: LimitHit[];
  /** Wall-clock time of the windows. */
  now: number;
  /** The error for a refusal by `hits[index]` (counted in the metrics); `hits.length`: the guess budget. */
  refused(index: number, msBeforeNext: number): OtpkitError;
  /**
   * A verification's guess budget (`index` `hits.length`): the counter of a
   * request is `keyPrefix` followed by its owner's key (`guessOwnerKey`).
   */
  guess?: { keyPrefix: string; points: number; seconds: number };
}

/** What may call an authkey endpoint: the backend's calls, or a browser's magic-link polls. */
export type AuthCallKind = 'authkey' | 'poll';

export interface RateLimits {
  /**
   * Counts a send or resend, all or nothing, with the pumping brake's
   * counter when `pumping` is given: returns the brake's count when the
   * brake refused (nothing spent).
   *
   * @throws OtpkitError `RATE_LIMITED`
   */
  consumeSend(
    call: SendCall,
    pumping?: PumpingHit | null,
  ): Promise<{ pumping: number } | undefined>;
  /** Counts a verification attempt from a client network. @throws OtpkitError `RATE_LIMITED` */
  consumeVerify(ip: string | null): Promise<void>;
  /**
   * Refuses a verification of an identifier whose guess budget (wrong
   * codes across the account's widgets) is spent.
   *
   * @throws OtpkitError `RATE_LIMITED`
   */
  checkGuesses(owner: GuessOwner): Promise<void>;
  /** Spends a point of an identifier's guess budget: a wrong code. */
  recordWrongGuess(owner: GuessOwner): Promise<void>;
  /**
   * Counts a call to an endpoint that takes an authkey (or a magic-link
   * poll) from a client network.
   *
   * @throws OtpkitError `RATE_LIMITED`
   */
  consumeAuthCall(ip: string | null, kind: AuthCallKind): Promise<void>;
  /** Refuses a client network that sent too many wrong authkeys lately. @throws OtpkitError `RATE_LIMITED` */
  checkAuthFailures(ip: string | null): Promise<void>;
  /** Counts a wrong authkey from a client network. */
  recordAuthFailure(ip: string | null): Promise<void>;
  /** Counts a proof-of-work challenge issued to a client network; returns how many it was issued this hour. */
  countChallenge(ip: string | null): Promise<number>;
  /**
   * Set when the store counts the limits (`'counters'` backend): a send's
   * counters, to spend in the store's write of the send
   * (`otpRequests.send`) instead of calling `consumeSend` first.
   */
  planSend?(call: SendCall): LimitPlan;
  /** As `planSend`, for a verification (`otpRequests.verify`), with the guess budget. */
  planVerify?(ip: string | null): LimitPlan;
}

/** Seconds of the window in which challenges to one network are counted (the proof-of-work schedule). */
export const CHALLENGE_WINDOW_SECONDS = 3600;

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
  // The caller's own limits first: the refusal names the narrowest reason.
  if (call.ip && !call.serverToServer) {
    counted.push({
      prefix: 'send:ip',
      key: clientNetwork(call.ip),
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
  if (call.country) {
    counted.push({
      prefix: 'send:country',
      key: `${call.widgetId}:${call.country}`,
      limit: config.country,
      what: 'this country',
      scope: 'country',
    });
  }
  counted.push({
    prefix: 'send:widget',
    key: call.widgetId,
    limit: config.widget,
    what: 'this widget',
    scope: 'widget',
  });
  return counted;
}

function verifyCounters(config: AbuseConfig, ip: string | null): Counted[] {
  return ip
    ? [
        {
          prefix: 'verify:ip',
          key: clientNetwork(ip),
          limit: config.verifyIp,
          what: 'verification attempts',
          scope: 'verify_ip',
        },
      ]
    : [];
}

/** The key of an owner's guess budget, within the budgets' prefix (kept on its requests). */
export function guessOwnerKey(owner: GuessOwner): string {
  return `${owner.accountId}:${owner.identifier}`;
}

function guessCounter(config: AbuseConfig, owner: GuessOwner): Counted {
  return {
    prefix: 'verify:identifier',
    key: guessOwnerKey(owner),
    limit: config.verifyIdentifier,
    what: 'incorrect codes for this phone number or email',
    scope: 'verify_identifier',
  };
}

function authCounter(config: AbuseConfig, network: string, kind: AuthCallKind): Counted {
  return {
    prefix: kind === 'poll' ? 'poll:ip' : 'auth:ip',
    key: network,
    limit: config.authIp,
    what: 'this network',
    scope: 'auth_ip',
  };
}

/** Wrong authkeys: counted without a limit of their own, refused from `checkAuthFailures`. */
function authFailureCounter(config: AbuseConfig, network: string): Counted {
  return {
    prefix: 'auth:failures',
    key: network,
    limit: config.authFailures,
    what: 'incorrect authkeys from this network',
    scope: 'auth_failures',
  };
}

function challengeCounter(network: string): Counted {
  return {
    prefix: 'pow:challenges',
    key: network,
    limit: { points: Number.MAX_SAFE_INTEGER, seconds: CHALLENGE_WINDOW_SECONDS },
    what: 'challenges',
    scope: 'ip',
  };
}

/** How a backend spends counters; the limits are the same whatever counts them. */
interface Counting {
  /** All or nothing; the refused counter's index. */
  spend(counted: Counted[], pumping?: PumpingHit | null): Promise<CounterRefusal | undefined>;
  count(c: Counted): Promise<number>;
  peek(c: Counted): Promise<{ points: number; msBeforeNext: number }>;
  refund(c: Counted): Promise<void>;
}

/** Counting in a store that does it atomically. Keys are `prefix:scope:key`, as rate-limiter-flexible names them. */
function storeCounting(
  backend: Extract<LimitBackend, { kind: 'counters' }>,
  keyOf: (c: Counted) => string,
  clock: () => number,
): Counting {
  return {
    spend: (counted, pumping) =>
      backend.hit(
        counted.map((c) => ({ key: keyOf(c), points: c.limit.points, seconds: c.limit.seconds })),
        clock(),
        pumping,
      ),
    count: (c) => backend.count(keyOf(c), c.limit.seconds, clock()),
    peek: (c) => backend.peek(keyOf(c), clock()),
    refund: (c) => backend.refund([keyOf(c)], clock()),
  };
}

/**
 * Counting with rate-limiter-flexible (memory, Redis): each key on its own;
 * the points of a refused call are given back (`reward`) right after. The
 * pumping counter is the store's (`sendCounters`).
 */
function limiterCounting(
  backend: Exclude<LimitBackend, { kind: 'counters' }>,
  p: string,
  sendCounters: Store['sendCounters'] | undefined,
): Counting {
  const limiters = new Map<string, Limiter>();
  const limiterFor = (c: Counted) => {
    const name = `${c.prefix}:${c.limit.points}:${c.limit.seconds}`;
    let l = limiters.get(name);
    if (!l) {
      l = limiter(backend, `${p}:${c.prefix}`, c.limit);
      limiters.set(name, l);
    }
    return l;
  };
  const giveBack = async (spent: Counted[]) => {
    await Promise.all(spent.map((c) => limiterFor(c).reward(c.key, 1)));
  };
  return {
    async spend(counted, pumping) {
      const spent: Counted[] = [];
      for (const [index, c] of counted.entries()) {
        spent.push(c);
        try {
          await limiterFor(c).consume(c.key);
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          await giveBack(spent);
          return { kind: 'limited', index, msBeforeNext: error.msBeforeNext };
        }
      }
      if (pumping) {
        if (!sendCounters)
          throw new TypeError('The pumping brake needs the store’s send counters.');
        const count = await sendCounters.bump(pumping.widgetId, pumping.country, pumping.hour);
        if (count > pumping.ceiling) {
          await giveBack(spent);
          return { kind: 'pumping', count };
        }
      }
      return undefined;
    },
    async count(c) {
      const res = await limiterFor(c).consume(c.key);
      return res.consumedPoints;
    },
    async peek(c) {
      const res = await limiterFor(c).get(c.key);
      return res
        ? { points: res.consumedPoints, msBeforeNext: Math.max(0, res.msBeforeNext) }
        : { points: 0, msBeforeNext: 0 };
    },
    async refund(c) {
      await limiterFor(c).reward(c.key, 1);
    },
  };
}

/**
 * The limits of a configuration, counted in `backend`.
 *
 * @param options.prefix first part of every key (default `otpkit`; `OTPKIT_REDIS_PREFIX`).
 * @param options.onRefused told the scope of each refusal (metrics).
 * @param options.sendCounters the store's pumping counters, for a backend other than the store.
 */
export function createRateLimits(
  config: AbuseConfig,
  backend: LimitBackend,
  options: {
    prefix?: string;
    onRefused?: (scope: RateLimitScope) => void;
    sendCounters?: Store['sendCounters'];
  } = {},
): RateLimits {
  const p = options.prefix ?? 'otpkit';
  const onRefused = options.onRefused ?? (() => {});
  const keyOf = (c: Counted) => `${p}:${c.prefix}:${c.key}`;
  // Windows are wall-clock time, as rate-limiter-flexible's are.
  const counting =
    backend.kind === 'counters'
      ? storeCounting(backend, keyOf, Date.now)
      : limiterCounting(backend, p, options.sendCounters);
  const refusedBy = (c: Counted, msBeforeNext: number) => {
    onRefused(c.scope);
    return refusal(c.what, msBeforeNext);
  };
  const spend = async (counted: Counted[], pumping?: PumpingHit | null) => {
    if (counted.length === 0 && !pumping) return undefined;
    const refused = await counting.spend(counted, pumping);
    if (refused?.kind === 'limited') throw refusedBy(counted[refused.index]!, refused.msBeforeNext);
    return refused && { pumping: refused.count };
  };
  const plan = (counted: Counted[], guess = false): LimitPlan => ({
    hits: counted.map((c) => ({ key: keyOf(c), points: c.limit.points, seconds: c.limit.seconds })),
    now: Date.now(),
    refused(index, msBeforeNext) {
      const by =
        index === counted.length
          ? guessCounter(config, { accountId: '', identifier: '' })
          : counted[index]!;
      return refusedBy(by, msBeforeNext);
    },
    ...(guess
      ? {
          guess: {
            keyPrefix: keyOf({
              ...guessCounter(config, { accountId: '', identifier: '' }),
              key: '',
            }),
            points: config.verifyIdentifier.points,
            seconds: config.verifyIdentifier.seconds,
          },
        }
      : {}),
  });
  return {
    consumeSend: (call, pumping) => spend(sendCounters(config, call), pumping),
    async consumeVerify(ip) {
      await spend(verifyCounters(config, ip));
    },
    async checkGuesses(owner) {
      const c = guessCounter(config, owner);
      const { points, msBeforeNext } = await counting.peek(c);
      if (points >= c.limit.points) throw refusedBy(c, msBeforeNext);
    },
    async recordWrongGuess(owner) {
      await counting.count(guessCounter(config, owner));
    },
    async consumeAuthCall(ip, kind) {
      if (ip) await spend([authCounter(config, clientNetwork(ip), kind)]);
    },
    async checkAuthFailures(ip) {
      if (!ip) return;
      const c = authFailureCounter(config, clientNetwork(ip));
      const { points, msBeforeNext } = await counting.peek(c);
      if (points >= c.limit.points) throw refusedBy(c, msBeforeNext);
    },
    async recordAuthFailure(ip) {
      if (ip) await counting.count(authFailureCounter(config, clientNetwork(ip)));
    },
    countChallenge: async (ip) => (ip ? counting.count(challengeCounter(clientNetwork(ip))) : 1),
    ...(backend.kind === 'counters' && backend.ownStore
      ? {
          planSend: (call: SendCall) => plan(sendCounters(config, call)),
          planVerify: (ip: string | null) => plan(verifyCounters(config, ip), true),
        }
      : {}),
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
