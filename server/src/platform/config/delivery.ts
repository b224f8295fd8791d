/** The send queue: attempts, leases, report timeouts, and the development outbox. */
import { z } from 'zod';
import type { ServerEnv } from './server.ts';
import { booleanish, type ConfigSlice, type EnvOf, envMeta } from './slice.ts';
import type { ConfigProblem } from './types.ts';

const env = {
  OTPKIT_DEV_OUTBOX: booleanish().optional().register(envMeta, {
    description:
      '`false` turns the development outbox (`/dev/outbox`) off. Never on in production.',
    defaultText: 'on outside production',
  }),
  OTPKIT_DELIVERY_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(10)
    .register(envMeta, {
      description:
        'Attempts per message before it fails (transient errors, exponential backoff with jitter from 1 s up to 5 min).',
    }),
  OTPKIT_DELIVERY_REPORT_TIMEOUT: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(30)
    .register(envMeta, {
      description: 'Seconds to wait for a delivery report before an `autoRetry` fallback.',
    }),
  OTPKIT_DELIVERY_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(60)
    .register(envMeta, {
      description: 'Seconds a worker holds a message it is sending before another may retry it.',
    }),
  OTPKIT_DELIVERY_WORKER: booleanish().default(true).register(envMeta, {
    description: '`false` runs an API-only instance (another process delivers).',
  }),
};

/** The send queue's slice: `devOutbox` and `delivery`. */
export const delivery = {
  title: 'Delivery',
  env,
  read: (e: EnvOf<typeof env> & Pick<ServerEnv, 'NODE_ENV'>, problems: ConfigProblem[]) => {
    const production = e.NODE_ENV === 'production';
    if (production && e.OTPKIT_DEV_OUTBOX) {
      problems.push({
        variable: 'OTPKIT_DEV_OUTBOX',
        message: 'the development outbox cannot be enabled in production',
      });
    }
    return {
      /** Whether the development outbox delivers messages. */
      devOutbox: e.OTPKIT_DEV_OUTBOX ?? !production,
      /** How the send queue behaves. */
      delivery: {
        /** Attempts per message before it fails. */
        maxAttempts: e.OTPKIT_DELIVERY_MAX_ATTEMPTS,
        /** Seconds to wait for a delivery report before an autoRetry fallback. */
        reportTimeoutSeconds: e.OTPKIT_DELIVERY_REPORT_TIMEOUT,
        /** Seconds a worker holds a message it is sending before another may take it. */
        leaseSeconds: e.OTPKIT_DELIVERY_LEASE_SECONDS,
        /** Whether this process runs the delivery worker (off: an API-only instance). */
        worker: e.OTPKIT_DELIVERY_WORKER,
      },
    };
  },
} satisfies ConfigSlice;
