/** Rate limits, where their counters live, and the SMS-pumping brake. */
import { z } from 'zod';
import { type ConfigSlice, type EnvOf, envMeta } from './slice.ts';

/** A rate limit: `points` per `seconds`. */
export interface Limit {
  readonly points: number;
  readonly seconds: number;
}

/** `points/seconds`, e.g. `30/3600`, defaulting to `fallback`. */
const limit = (fallback: string, description: string) =>
  z
    .string()
    .regex(/^\d+\/\d+$/, 'must be POINTS/SECONDS, e.g. 30/3600')
    .transform((v): Limit => {
      const [points, seconds] = v.split('/').map(Number) as [number, number];
      return { points, seconds };
    })
    .refine((l) => l.points >= 1 && l.seconds >= 1, 'must have at least 1 point and 1 second')
    .prefault(fallback)
    .register(envMeta, { description });

const env = {
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be redis://host:6379 or rediss://…' })
    .optional()
    .register(envMeta, {
      example: 'redis://cache:6379',
      description:
        'Keep rate-limit counters in Redis (several instances); otherwise they live in the database. A start waits up to 15 s for Redis to answer, and `/readyz` fails while it does not.',
      secret: true,
    }),
  OTPKIT_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'must be 1-64 letters, digits, _ : . or -')
    .default('otpkit')
    .register(envMeta, {
      description:
        'First part of every rate-limit key, so deployments sharing one Redis (or database) keep their counters apart.',
      allowed: '1–64 letters, digits, `_ : . -`',
    }),
  OTPKIT_LIMIT_IDENTIFIER: limit(
    '6/600',
    'Sends and resends per identifier (per widget; emails by their canonical mailbox: case, `+tag` and Gmail dots ignored).',
  ),
  OTPKIT_LIMIT_IP: limit(
    '30/3600',
    'Sends and resends per client network (browser calls): an IPv4 address, or an IPv6 /64.',
  ),
  OTPKIT_LIMIT_WIDGET: limit('2000/3600', 'Sends and resends per widget.'),
  OTPKIT_LIMIT_COUNTRY: limit('500/3600', 'Sends and resends per widget and destination country.'),
  OTPKIT_LIMIT_VERIFY_IP: limit(
    '60/600',
    'Verification attempts per client network (browser calls; authkey callers are exempt).',
  ),
  OTPKIT_LIMIT_VERIFY_IDENTIFIER: limit(
    '10/3600',
    'Incorrect codes per identifier across all widgets and requests of an account (emails by their canonical mailbox), whoever verifies them (browsers, authkey callers, the server API v5). Each verification spends a point and a right code gives it back; past the limit every verification of that identifier is refused until the window ends.',
  ),
  OTPKIT_LIMIT_AUTH_IP: limit(
    '1200/60',
    'Calls per client network to every endpoint that takes an authkey (admin API, `verifyAccessToken`, server API v5, widget calls with an authkey), and, counted apart, `isOneTapAuthenticated` polls.',
  ),
  OTPKIT_LIMIT_AUTH_FAILURES: limit(
    '10/900',
    'Wrong authkeys per client network: once this many were sent in the window, every authkey call from that network gets 429 with `Retry-After` until it ends.',
  ),
  OTPKIT_PUMPING_FACTOR: z.coerce.number().min(1).max(1000).default(10).register(envMeta, {
    description:
      "The SMS-pumping brake: refuse sends to a country once this hour's count exceeds this many times the widget's usual hourly rate there (last 7 days)…",
  }),
  OTPKIT_PUMPING_MIN: z.coerce
    .number()
    .int()
    .min(1)
    .default(50)
    .register(envMeta, { description: '…and at least this many sends.' }),
};

/** The rate limits' slice: `redisUrl`, `redisPrefix` and `abuse` (but the proof of work's cost). */
export const limits = {
  title: 'Rate limits',
  intro: 'Rate limits (`OTPKIT_LIMIT_*`) are `POINTS/SECONDS`: at most POINTS calls per SECONDS.',
  env,
  read: (e: EnvOf<typeof env>) => ({
    /** Redis for rate limits shared by several instances; else they live in the database. */
    redisUrl: e.REDIS_URL,
    /** First part of every rate-limit key, so deployments sharing one Redis keep apart. */
    redisPrefix: e.OTPKIT_REDIS_PREFIX,
    /** Abuse protection (with the captcha's proof of work, from its slice). */
    abuse: {
      /** Sends and resends per identifier (per widget). */
      identifier: e.OTPKIT_LIMIT_IDENTIFIER,
      /** Sends and resends per client IP (browser calls). */
      ip: e.OTPKIT_LIMIT_IP,
      /** Sends and resends per widget. */
      widget: e.OTPKIT_LIMIT_WIDGET,
      /** Sends and resends per widget and destination country. */
      country: e.OTPKIT_LIMIT_COUNTRY,
      /** Verification attempts per client network. */
      verifyIp: e.OTPKIT_LIMIT_VERIFY_IP,
      /** Incorrect codes per identifier across an account's widgets and requests. */
      verifyIdentifier: e.OTPKIT_LIMIT_VERIFY_IDENTIFIER,
      /** Calls per client network to the endpoints that take an authkey (and magic-link polls). */
      authIp: e.OTPKIT_LIMIT_AUTH_IP,
      /** Wrong authkeys per client network before its authkey calls are refused. */
      authFailures: e.OTPKIT_LIMIT_AUTH_FAILURES,
      /** The pumping brake trips when an hour's sends to a country exceed this many times the usual hourly rate… */
      pumpingFactor: e.OTPKIT_PUMPING_FACTOR,
      /** …and at least this many. */
      pumpingMin: e.OTPKIT_PUMPING_MIN,
    },
  }),
} satisfies ConfigSlice;
