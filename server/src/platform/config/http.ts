/** The HTTP server's connections: timeouts, their cap, and how a shutdown drains them. */
import { z } from 'zod';
import { type ConfigSlice, type EnvOf, envMeta } from './slice.ts';
import type { ConfigProblem } from './types.ts';

const env = {
  OTPKIT_HEADERS_TIMEOUT_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(300)
    .default(10)
    .register(envMeta, {
      description:
        "Seconds a client has to send a request's headers; a slower one (a slowloris client) gets 408 and its connection is closed. Checked every second (more often when shorter).",
    }),
  OTPKIT_REQUEST_TIMEOUT_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(3600)
    .default(30)
    .register(envMeta, {
      description:
        'Seconds a client has to send a whole request, headers and body (not the answer); at least `OTPKIT_HEADERS_TIMEOUT_SECONDS`.',
    }),
  OTPKIT_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(600)
    .default(5)
    .register(envMeta, {
      description:
        "Seconds an idle keep-alive connection stays open between requests. Behind a load balancer that reuses connections, set it above the balancer's idle timeout.",
    }),
  OTPKIT_MAX_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(2048)
    .register(envMeta, {
      description:
        'Open connections the server accepts at once; past it new ones are closed straight away.',
    }),
  OTPKIT_SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(0).register(envMeta, {
    description:
      'On SIGTERM, seconds `/readyz` answers 503 while the server still serves, so load balancers stop routing to it before the listener closes.',
  }),
  OTPKIT_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(30).register(envMeta, {
    description:
      'On SIGTERM, how long requests in flight and the delivery worker get to finish; past it connections are cut and the process exits 1.',
  }),
};

const ms = (seconds: number) => Math.round(seconds * 1000);

/** The connections' slice: `http` and `shutdown`. */
export const http = {
  title: 'Connections and shutdown',
  env,
  read: (e: EnvOf<typeof env>, problems: ConfigProblem[]) => {
    if (e.OTPKIT_HEADERS_TIMEOUT_SECONDS > e.OTPKIT_REQUEST_TIMEOUT_SECONDS) {
      problems.push({
        variable: 'OTPKIT_REQUEST_TIMEOUT_SECONDS',
        message: `must be at least OTPKIT_HEADERS_TIMEOUT_SECONDS (${e.OTPKIT_HEADERS_TIMEOUT_SECONDS})`,
      });
    }
    return {
      /** Limits that keep a slow or idle client from holding a socket (milliseconds). */
      http: {
        /** To receive a request's headers. */
        headersTimeoutMs: ms(e.OTPKIT_HEADERS_TIMEOUT_SECONDS),
        /** To receive a whole request. */
        requestTimeoutMs: ms(e.OTPKIT_REQUEST_TIMEOUT_SECONDS),
        /** An idle keep-alive connection between requests. */
        keepAliveTimeoutMs: ms(e.OTPKIT_KEEP_ALIVE_TIMEOUT_SECONDS),
        maxConnections: e.OTPKIT_MAX_CONNECTIONS,
      },
      shutdown: {
        /** Seconds of 503 from `/readyz` before the listener closes. */
        delaySeconds: e.OTPKIT_SHUTDOWN_DELAY_SECONDS,
        /** Seconds requests in flight and the worker get before the process is cut short. */
        timeoutSeconds: e.OTPKIT_SHUTDOWN_TIMEOUT_SECONDS,
      },
    };
  },
} satisfies ConfigSlice;
