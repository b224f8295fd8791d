/** Types shared by the app and its route groups. */

import type { Delivery } from '../core/delivery/index.ts';
import type { SnsVerifier } from '../core/delivery/providers/sns.ts';
import type { DeliveryWorker } from '../core/delivery/worker.ts';
import type { OtpDeps } from '../core/otp/index.ts';
import type { TokenDeps } from '../core/tokens/access-token.ts';
import type { KeyRing } from '../core/tokens/keys.ts';
import type { WidgetDeps } from '../core/widgets/service.ts';
import type { Config } from '../platform/config/index.ts';
import type { Metrics } from '../platform/observability/metrics.ts';
import type { Clock, Logger, Random } from '../platform/runtime.ts';
import type { Store } from '../store/index.ts';

/** Everything the routes use, built once by `createServices`. */
export interface Services {
  config: Config;
  store: Store;
  clock: Clock;
  random: Random;
  log: Logger;
  delivery: Delivery;
  worker: DeliveryWorker;
  keys: KeyRing;
  otp: OtpDeps;
  tokens: TokenDeps;
  widgets: WidgetDeps;
  metrics: Metrics;
  /** The SNS topics whose signed messages carry AWS delivery events (only those configured). */
  snsVerifiers: { ses?: SnsVerifier; awsSms?: SnsVerifier };
  /** Where the process is in its life: shutting down turns readiness off so load balancers drain it. */
  lifecycle: Lifecycle;
  /** The Redis connection of the rate limits, when `REDIS_URL` is set. */
  redis?: RedisLink;
  /** Releases connections the services hold (Redis). */
  close(): void;
}

/** Whether the rate limits' Redis answers. */
export interface RedisLink {
  /** The connection is up: commands go through (none are queued while it is down). */
  up(): boolean;
  /** Resolves once the connection is up; rejects after `timeoutMs` without it. */
  ready(timeoutMs: number): Promise<void>;
}

/** The process's shutdown state, shared by the server and the readiness check. */
export interface Lifecycle {
  readonly shuttingDown: boolean;
  beginShutdown(): void;
}

/** Hono environment: per-request variables. */
export interface AppEnv {
  Variables: {
    requestId: string;
    accountId: string;
    /** The authkey that authenticated an admin call. */
    authkeyId: string;
    /** The allowed origins of the widget a widget-API call named (empty: any). */
    allowedOrigins: string[];
    /** The widget-API call was authenticated by an account authkey. */
    serverToServer: boolean;
  };
}
