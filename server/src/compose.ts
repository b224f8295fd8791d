/** Wires the services together from configuration and the injected outside world. */
import type { Agent } from 'node:https';
import { Redis } from 'ioredis';
import type { Lifecycle, RedisLink, Services } from './api/app-types.ts';
import {
  createDelivery,
  type DeliveryProvider,
  providersFromConfig,
  secretReportUrls,
} from './core/delivery/index.ts';
import { createSnsVerifier } from './core/delivery/providers/sns.ts';
import { createDeliveryWorker } from './core/delivery/worker.ts';
import { createRateLimits, type LimitBackend } from './core/limits/index.ts';
import type { OtpDeps } from './core/otp/index.ts';
import { sendFallback } from './core/otp/messages.ts';
import { ACCESS_TOKEN_TTL_SECONDS } from './core/tokens/access-token.ts';
import { createKeyRing } from './core/tokens/keys.ts';
import type { Config } from './platform/config/index.ts';
import { createMetrics } from './platform/observability/metrics.ts';
import { type Clock, type Logger, type Random, runtimeOf } from './platform/runtime.ts';
import type { Store } from './store/index.ts';

export interface ServiceOverrides {
  clock?: Clock;
  random?: Random;
  log?: Logger;
  /**
   * Providers to use before the configured ones (tests, embedding); the
   * configuration's providers and the development outbox follow.
   */
  providers?: DeliveryProvider[];
  /** Queue timings (tests shorten them). */
  worker?: { pollMs?: number; baseBackoffMs?: number; maxBackoffMs?: number };
  /** Where rate-limit counters live; default Redis when `REDIS_URL` is set, else the database. */
  limitBackend?: LimitBackend;
  /** The `fetch` used for captcha siteverify calls. */
  fetch?: typeof fetch;
  /**
   * The HTTPS agent for the calls to Amazon SNS (signing certificates,
   * subscription confirmations): tests pass one that reaches the SNS
   * stand-in and trusts its test certificate. No setting can do this.
   */
  snsAgent?: Agent;
  /** Export process metrics (CPU, memory, GC) at `/metrics`: a real server does, tests need not. */
  processMetrics?: boolean;
}

/**
 * Builds the services for a store and configuration.
 *
 * @param secret the code-hashing secret (from configuration, or persisted in development).
 */
export function createServices(
  config: Config,
  store: Store,
  secret: string,
  overrides: ServiceOverrides = {},
): Services {
  const { clock, random, log } = runtimeOf(overrides);
  const base = { store, clock, random };
  const metrics = createMetrics({
    queueStats: () => store.messages.queueStats(),
    clock,
    processMetrics: overrides.processMetrics ?? false,
  });
  const delivery = createDelivery({
    providers: [
      ...(overrides.providers ?? []),
      ...providersFromConfig(config, { ...base, secret }),
    ],
    secret,
    now: clock.now,
    onCircuitChange: (provider, state) => {
      if (state === 'open') log.warn('provider circuit open', { provider });
      else log.info(`provider circuit ${state}`, { provider });
    },
  });
  metrics.observeCircuits(() => delivery.breakers.view());
  for (const [provider, url] of Object.entries(secretReportUrls(config, secret))) {
    log.info('delivery reports URL (set it in the provider’s panel; it carries a secret)', {
      provider,
      url,
    });
  }
  const snsVerifier = (topicArn: string | undefined) =>
    topicArn
      ? createSnsVerifier({
          topicArn,
          now: clock.now,
          ...(overrides.snsAgent ? { agent: overrides.snsAgent } : {}),
        })
      : undefined;
  const sesVerifier = snsVerifier(config.providers.ses?.snsTopicArn);
  const awsSmsVerifier = snsVerifier(config.providers.awsSms?.snsTopicArn);
  // A retired key verifies until the last token it signed has expired (plus a minute of clock skew).
  const keys = createKeyRing({ ...base, secret, graceMs: (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000 });
  const tokens = { ...base, keys, issuer: config.publicUrl };
  const redis =
    !overrides.limitBackend && config.redisUrl
      ? new Redis(config.redisUrl, { enableOfflineQueue: false, lazyConnect: false })
      : undefined;
  const limits = createRateLimits(
    config.abuse,
    overrides.limitBackend ?? (redis ? { kind: 'redis', client: redis } : store.rateLimitBackend()),
    { prefix: config.redisPrefix, onRefused: (scope) => metrics.rateLimited(scope) },
  );
  const captcha = {
    ...base,
    log,
    secret,
    endpoints: config.captcha,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  };
  const otp: OtpDeps = {
    ...base,
    delivery,
    log,
    secret,
    tokens,
    limits,
    abuse: config.abuse,
    captcha,
    metrics,
    publicUrl: config.publicUrl,
  };
  const worker = createDeliveryWorker({
    ...base,
    log,
    metrics,
    delivery,
    options: {
      maxAttempts: config.delivery.maxAttempts,
      leaseMs: config.delivery.leaseSeconds * 1000,
      reportTimeoutMs: config.delivery.reportTimeoutSeconds * 1000,
      ...overrides.worker,
    },
    onFallbackDue: (message) => sendFallback(otp, message),
  });
  return {
    config,
    ...base,
    log,
    delivery,
    worker,
    keys,
    tokens,
    widgets: { ...base, secret },
    otp,
    metrics,
    snsVerifiers: {
      ...(sesVerifier ? { ses: sesVerifier } : {}),
      ...(awsSmsVerifier ? { awsSms: awsSmsVerifier } : {}),
    },
    lifecycle: createLifecycle(),
    ...(redis ? { redis: redisLink(redis, log) } : {}),
    close: () => {
      redis?.disconnect();
    },
  };
}

function redisLink(redis: Redis, log: Logger): RedisLink {
  // One line when Redis goes away and one when it is back, not one per reconnection attempt.
  let failing = false;
  redis.on('error', (error: Error) => {
    if (failing) return;
    failing = true;
    log.error('Redis (REDIS_URL) does not answer: rate-limited calls fail until it does', {
      error: error.message,
    });
  });
  redis.on('ready', () => {
    if (!failing) return;
    failing = false;
    log.info('Redis (REDIS_URL) answers again');
  });
  return {
    up: () => redis.status === 'ready',
    ready: (timeoutMs) =>
      redis.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => {
              redis.off('ready', onReady);
              reject(new Error(`Redis (REDIS_URL) did not answer within ${timeoutMs / 1000} s.`));
            }, timeoutMs);
            const onReady = () => {
              clearTimeout(timer);
              resolve();
            };
            redis.once('ready', onReady);
          }),
  };
}

function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown() {
      shuttingDown = true;
    },
  };
}
