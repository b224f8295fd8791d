/** The server's log lines and its Prometheus metrics. */
import { z } from 'zod';
import { LOG_LEVELS } from '../observability/logger.ts';
import { type ConfigSlice, type EnvOf, envMeta } from './slice.ts';

const env = {
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info')
    .register(envMeta, {
      description:
        'Lowest level of the JSON log lines written to stdout: `info` writes one access line per request, `debug` adds successful `/healthz`, `/readyz` and `/metrics` hits.',
    }),
  OTPKIT_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        'Bearer token a Prometheus scrape of `/metrics` must send (`Authorization: Bearer …`), at least 16 characters. Without one (development only), `/metrics` answers loopback clients only.',
      secret: true,
      production: {
        required: true,
        strong: true,
        why: 'the bearer token Prometheus sends to /metrics',
      },
    }),
};

/** The logs and metrics slice: `logLevel` and `metricsToken`. */
export const observability = {
  title: 'Logs and metrics',
  env,
  read: (e: EnvOf<typeof env>) => ({
    logLevel: e.LOG_LEVEL,
    /** Bearer token `/metrics` requires; without one, only loopback clients may scrape (development). */
    metricsToken: e.OTPKIT_METRICS_TOKEN,
  }),
} satisfies ConfigSlice;
