/** What the OTP services run on: passed in, so tests control the clock, randomness and sender. */

import type { AbuseConfig } from '../../platform/config/index.ts';
import type { Metrics } from '../../platform/observability/metrics.ts';
import type { Clock, Logger, Random } from '../../platform/runtime.ts';
import type { Store } from '../../store/index.ts';
import type { CaptchaDeps } from '../captcha/index.ts';
import type { Delivery } from '../delivery/index.ts';
import type { RateLimits } from '../limits/index.ts';
import type { TokenDeps } from '../tokens/access-token.ts';

export interface OtpDeps {
  store: Store;
  clock: Clock;
  random: Random;
  delivery: Delivery;
  log: Logger;
  /** Keys the code hashes. */
  secret: string;
  tokens: TokenDeps;
  /** The server's public URL: magic links point at it. */
  publicUrl: string;
  limits: RateLimits;
  abuse: AbuseConfig;
  captcha: CaptchaDeps;
  metrics: Metrics;
}
