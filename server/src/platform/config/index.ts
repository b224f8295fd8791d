/**
 * Configuration: the environment, parsed once at start into a frozen,
 * typed object. A bad variable stops the start with a message naming it.
 */
import type { ThirdPartyCaptcha } from '@otpkit/protocol';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { LOG_LEVELS, type LogLevel } from '../observability/logger.ts';
import { GATEWAY_ENV, GATEWAY_ENV_DOCS, type GatewaysConfig, gatewaysOf } from './gateways.ts';
import { MIN_SECRET_BITS, secretStrength } from './secret-strength.ts';
import type { ConfigProblem, EnvVarDoc } from './types.ts';

/** `points/seconds`, e.g. `30/3600`. */
const limit = z
  .string()
  .regex(/^\d+\/\d+$/, 'must be POINTS/SECONDS, e.g. 30/3600')
  .transform((v): Limit => {
    const [points, seconds] = v.split('/').map(Number) as [number, number];
    return { points, seconds };
  })
  .refine((l) => l.points >= 1 && l.seconds >= 1, 'must have at least 1 point and 1 second');

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: 'must be production, development or test',
    })
    .default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(
      /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
      'must be sqlite:<path of the database file> or postgres://user:password@host:5432/database',
    )
    .default('sqlite:./data/otpkit.db'),
  OTPKIT_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  OTPKIT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  OTPKIT_AUTHKEY: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_DEV_OUTBOX: booleanish.optional(),
  OTPKIT_TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|[0-9])$/,
      'must be false, true (one proxy) or the number of proxies in front (0-9)',
    )
    .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v)))
    .default(0),
  OTPKIT_WIDGET_FILE: z.string().min(1).optional(),
  OTPKIT_CONSOLE_DIR: z.string().min(1).optional(),
  OTPKIT_DATA_DIR: z.string().min(1).optional(),
  OTPKIT_SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      error: 'must be smtp://user:pass@host:587 or smtps://user:pass@host:465',
    })
    .optional(),
  OTPKIT_EMAIL_FROM: z.string().min(3).optional(),
  OTPKIT_TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits')
    .optional(),
  OTPKIT_TWILIO_AUTH_TOKEN: z.string().min(8).optional(),
  OTPKIT_TWILIO_FROM: z
    .string()
    .regex(
      /^(\+\d{6,15}|MG[0-9a-fA-F]{32})$|^([A-Z]{2}|\*)=\+\d{6,15}(,([A-Z]{2}|\*)=\+\d{6,15})*$/,
      'must be +15005550006, a messaging service SID (MG…), or per-country numbers like US=+15005550006,IN=+911234567890,*=+15005550006',
    )
    .optional(),
  OTPKIT_TWILIO_WHATSAPP_FROM: z
    .string()
    .regex(/^\+\d{6,15}$/, 'must be a number like +14155238886')
    .optional(),
  OTPKIT_TWILIO_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.twilio.com'),
  OTPKIT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  OTPKIT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_WEBHOOK_CHANNELS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.enum(['sms', 'whatsapp', 'voice', 'email'], {
            error: 'must list sms, whatsapp, voice or email',
          }),
        )
        .min(1),
    )
    .default(['sms']),
  ...GATEWAY_ENV,
  OTPKIT_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(10),
  OTPKIT_DELIVERY_REPORT_TIMEOUT: z.coerce.number().int().min(1).max(3600).default(30),
  OTPKIT_DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  OTPKIT_DELIVERY_WORKER: booleanish.default(true),
  OTPKIT_LOG_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1, 'must be 1 to 3650 days')
    .max(3650, 'must be 1 to 3650 days')
    .default(90),
  OTPKIT_RECAPTCHA_VERIFY_URL: z.url().default('https://www.google.com/recaptcha/api/siteverify'),
  OTPKIT_TURNSTILE_VERIFY_URL: z
    .url()
    .default('https://challenges.cloudflare.com/turnstile/v0/siteverify'),
  OTPKIT_HCAPTCHA_VERIFY_URL: z.url().default('https://api.hcaptcha.com/siteverify'),
  OTPKIT_RECAPTCHA_SCRIPT_URL: z.url().default('https://www.google.com/recaptcha/api.js'),
  OTPKIT_TURNSTILE_SCRIPT_URL: z
    .url()
    .default('https://challenges.cloudflare.com/turnstile/v0/api.js'),
  OTPKIT_HCAPTCHA_SCRIPT_URL: z.url().default('https://js.hcaptcha.com/1/api.js'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be redis://host:6379 or rediss://…' })
    .optional(),
  OTPKIT_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'must be 1-64 letters, digits, _ : . or -')
    .default('otpkit'),
  OTPKIT_LIMIT_IDENTIFIER: limit.prefault('6/600'),
  OTPKIT_LIMIT_IP: limit.prefault('30/3600'),
  OTPKIT_LIMIT_WIDGET: limit.prefault('2000/3600'),
  OTPKIT_LIMIT_COUNTRY: limit.prefault('500/3600'),
  OTPKIT_LIMIT_VERIFY_IP: limit.prefault('60/600'),
  OTPKIT_LIMIT_VERIFY_IDENTIFIER: limit.prefault('10/3600'),
  OTPKIT_LIMIT_AUTH_IP: limit.prefault('1200/60'),
  OTPKIT_LIMIT_AUTH_FAILURES: limit.prefault('10/900'),
  OTPKIT_POW_MAX_NUMBER: z.coerce
    .number()
    .int()
    .min(1000, 'must be 1000 to 100000000')
    .max(100_000_000, 'must be 1000 to 100000000')
    .default(1_000_000),
  OTPKIT_PUMPING_FACTOR: z.coerce.number().min(1).max(1000).default(10),
  OTPKIT_PUMPING_MIN: z.coerce.number().int().min(1).default(50),
  // Read by the launcher (bin/entry.mjs) before the configuration; listed so it is checked and documented.
  OTPKIT_FROM_SOURCE: z.enum(['0', '1'], { error: 'must be 1 (run the sources) or 0' }).optional(),
  OTPKIT_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  OTPKIT_SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(0),
  OTPKIT_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(30),
  OTPKIT_ALLOW_ANY_ORIGIN: booleanish.default(false),
  OTPKIT_HEADERS_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(300).default(10),
  OTPKIT_REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  OTPKIT_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(600).default(5),
  OTPKIT_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(2048),
});

/**
 * Every variable's documentation, beside the schema: `docs/configuration.md`
 * is generated from both (`pnpm docs:config`), and the type demands an entry
 * for each variable the schema reads.
 */
export const ENV_DOCS: { readonly [K in keyof typeof envSchema.shape]: EnvVarDoc } = {
  NODE_ENV: {
    description:
      'Production unless set to `development` (or `otpkit serve --dev`; `test` is for in-process tests). `production` requires `OTPKIT_PUBLIC_URL`, `OTPKIT_SECRET` and `OTPKIT_METRICS_TOKEN`, refuses low-entropy secrets (under 128 bits estimated), turns the dev outbox off, lets browsers use a widget only from its `allowedOrigins`, and refuses to start with no delivery provider.',
    allowed: '`production`, `development`, `test`',
  },
  PORT: { description: 'Port to listen on (`0`: any free port).' },
  HOST: {
    description: 'Address to bind.',
    defaultText: '`127.0.0.1` (`0.0.0.0` in production)',
  },
  DATABASE_URL: {
    description:
      'The database: `sqlite:` and the path of a SQLite file (WAL mode; `sqlite::memory:` for tests) for one machine, or PostgreSQL for several instances. `?schema=NAME` keeps the tables in that schema (created by `otpkit migrate`); `?options=` sets server settings per connection (e.g. `-c synchronous_commit=off`); other parameters (`sslmode`, …) go to node-postgres.',
    allowed: '`sqlite:<path>`, `postgres://user:password@host:5432/db`',
    secret: true,
  },
  OTPKIT_PUBLIC_URL: {
    description:
      "The server's public URL: the access tokens' issuer, magic links, delivery-report URLs. Required in production.",
    defaultText: '`http://localhost:$PORT` outside production',
    allowed: 'http(s) URL',
  },
  OTPKIT_SECRET: {
    description:
      'Keys code hashes and seals secrets at rest. Required in production, with at least 128 bits of entropy (`openssl rand -base64 32`).',
    defaultText: 'generated and kept in the database in development',
    secret: true,
  },
  OTPKIT_AUTHKEY: {
    description:
      'If the account has no authkey yet, this becomes it; otherwise the first start creates one and prints it once. Authkeys are stored hashed. In production it needs at least 128 bits of entropy (`openssl rand -base64 32`).',
    secret: true,
  },
  OTPKIT_DEV_OUTBOX: {
    description:
      '`false` turns the development outbox (`/dev/outbox`) off. Never on in production.',
    defaultText: 'on outside production',
  },
  OTPKIT_TRUST_PROXY: {
    description:
      'Behind reverse proxies: `true` (one) or their number. The client IP is the `X-Forwarded-For` entry the outermost trusted proxy added, counted from the right (entries the client wrote are ignored).',
    defaultText: '`false`',
  },
  OTPKIT_WIDGET_FILE: {
    description:
      "The built widget script served at `/otp-provider.js` (and at SendOTP's path `/app/assets/otp-provider/otp-provider.js`); the other files of its folder (its content-hashed chunks, `otp-popup-<hash>.js`, …, and their precompressed `.br`/`.gz` twins) are served beside it.",
    defaultText: '`widget/dist/otp-provider.js`',
    allowed: 'a file path',
  },
  OTPKIT_CONSOLE_DIR: {
    description: 'The built admin console, served at `/console`.',
    defaultText: '`console/dist`',
    allowed: 'a folder path',
  },
  OTPKIT_DATA_DIR: {
    description: 'Where development writes `demo-widget.json`.',
    defaultText: "the database file's folder",
    allowed: 'a folder path',
  },
  OTPKIT_SMTP_URL: {
    description:
      'Email through SMTP (STARTTLS when offered on `smtp://`). Needs `OTPKIT_EMAIL_FROM`.',
    secret: true,
  },
  OTPKIT_EMAIL_FROM: {
    description: 'Sender of emails, e.g. `Acme <no-reply@acme.example>`. Needs `OTPKIT_SMTP_URL`.',
  },
  OTPKIT_TWILIO_ACCOUNT_SID: {
    description: 'Twilio account (SMS, voice, WhatsApp). Needs the auth token and a sender.',
  },
  OTPKIT_TWILIO_AUTH_TOKEN: {
    description: 'Twilio auth token; also checks the signature of delivery reports.',
    secret: true,
  },
  OTPKIT_TWILIO_FROM: {
    description: 'Twilio sender: a number, a messaging service SID, or per-country numbers.',
  },
  OTPKIT_TWILIO_WHATSAPP_FROM: { description: 'Twilio WhatsApp sender number.' },
  OTPKIT_TWILIO_BASE_URL: {
    description: "Twilio's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  },
  OTPKIT_WEBHOOK_URL: {
    description:
      'A signed JSON POST to your own gateway per message. Needs `OTPKIT_WEBHOOK_SECRET`.',
    allowed: 'http(s) URL',
  },
  OTPKIT_WEBHOOK_SECRET: {
    description:
      'Signs webhook requests and checks the signature of delivery reports. In production it needs at least 128 bits of entropy (`openssl rand -base64 32`).',
    secret: true,
  },
  OTPKIT_WEBHOOK_CHANNELS: {
    description: 'The channels the webhook provider carries, comma-separated.',
    allowed: 'comma-separated `sms`, `whatsapp`, `voice`, `email`',
  },
  ...GATEWAY_ENV_DOCS,
  OTPKIT_DELIVERY_MAX_ATTEMPTS: {
    description:
      'Attempts per message before it fails (transient errors, exponential backoff with jitter from 1 s up to 5 min).',
  },
  OTPKIT_DELIVERY_REPORT_TIMEOUT: {
    description: 'Seconds to wait for a delivery report before an `autoRetry` fallback.',
  },
  OTPKIT_DELIVERY_LEASE_SECONDS: {
    description: 'Seconds a worker holds a message it is sending before another may retry it.',
  },
  OTPKIT_DELIVERY_WORKER: {
    description: '`false` runs an API-only instance (another process delivers).',
  },
  OTPKIT_LOG_RETENTION_DAYS: {
    description:
      "Days an OTP request's log entry (with its messages, delivery attempts, access tokens and widget API calls) is kept; an hourly job purges older ones.",
  },
  OTPKIT_RECAPTCHA_VERIFY_URL: { description: 'reCAPTCHA siteverify endpoint.', allowed: 'URL' },
  OTPKIT_TURNSTILE_VERIFY_URL: { description: 'Turnstile siteverify endpoint.', allowed: 'URL' },
  OTPKIT_HCAPTCHA_VERIFY_URL: { description: 'hCaptcha siteverify endpoint.', allowed: 'URL' },
  OTPKIT_RECAPTCHA_SCRIPT_URL: {
    description: 'reCAPTCHA script the widget loads.',
    allowed: 'URL',
  },
  OTPKIT_TURNSTILE_SCRIPT_URL: {
    description: 'Turnstile script the widget loads.',
    allowed: 'URL',
  },
  OTPKIT_HCAPTCHA_SCRIPT_URL: { description: 'hCaptcha script the widget loads.', allowed: 'URL' },
  REDIS_URL: {
    description:
      'Keep rate-limit counters in Redis (several instances); otherwise they live in the database.',
    secret: true,
  },
  OTPKIT_REDIS_PREFIX: {
    description:
      'First part of every rate-limit key, so deployments sharing one Redis (or database) keep their counters apart.',
    allowed: '1–64 letters, digits, `_ : . -`',
  },
  OTPKIT_LIMIT_IDENTIFIER: {
    description:
      'Sends and resends per identifier (per widget; emails by their canonical mailbox: case, `+tag` and Gmail dots ignored).',
  },
  OTPKIT_LIMIT_IP: {
    description:
      'Sends and resends per client network (browser calls): an IPv4 address, or an IPv6 /64.',
  },
  OTPKIT_LIMIT_WIDGET: { description: 'Sends and resends per widget.' },
  OTPKIT_LIMIT_COUNTRY: { description: 'Sends and resends per widget and destination country.' },
  OTPKIT_LIMIT_VERIFY_IP: {
    description:
      'Verification attempts per client network (browser calls; authkey callers are exempt).',
  },
  OTPKIT_LIMIT_VERIFY_IDENTIFIER: {
    description:
      'Incorrect codes per identifier across all widgets and requests of an account (emails by their canonical mailbox), whoever verifies them (browsers, authkey callers, the server API v5). Each verification spends a point and a right code gives it back; past the limit every verification of that identifier is refused until the window ends.',
  },
  OTPKIT_LIMIT_AUTH_IP: {
    description:
      'Calls per client network to every endpoint that takes an authkey (admin API, `verifyAccessToken`, server API v5, widget calls with an authkey), and, counted apart, `isOneTapAuthenticated` polls.',
  },
  OTPKIT_LIMIT_AUTH_FAILURES: {
    description:
      'Wrong authkeys per client network: once this many were sent in the window, every authkey call from that network gets 429 with `Retry-After` until it ends.',
  },
  OTPKIT_POW_MAX_NUMBER: {
    description:
      "The built-in proof-of-work captcha's base `maxnumber` (about half as many SHA-256 tries on average). A client network that keeps asking for challenges gets more: twice the base from its 11th challenge in an hour, doubling every 10 more, up to 32 times. Lower it only for tests: it is the captcha's whole cost.",
  },
  OTPKIT_PUMPING_FACTOR: {
    description:
      "The SMS-pumping brake: refuse sends to a country once this hour's count exceeds this many times the widget's usual hourly rate there (last 7 days)…",
  },
  OTPKIT_PUMPING_MIN: { description: '…and at least this many sends.' },
  OTPKIT_FROM_SOURCE: {
    description:
      '`1` runs the server from its TypeScript sources (through tsx) even when the bundle `server/dist/main.mjs` (built by `pnpm build`) is up to date. A bundle older than any source file is never run.',
    defaultText: 'the bundle when it is up to date',
  },
  OTPKIT_METRICS_TOKEN: {
    description:
      'Bearer token a Prometheus scrape of `/metrics` must send (`Authorization: Bearer …`), at least 16 characters. Required in production, with at least 128 bits of entropy (`openssl rand -base64 32`); without it, in development, `/metrics` answers loopback clients only.',
    secret: true,
  },
  LOG_LEVEL: {
    description:
      'Lowest level of the JSON log lines written to stdout: `info` writes one access line per request, `debug` adds successful `/healthz`, `/readyz` and `/metrics` hits.',
  },
  OTPKIT_SHUTDOWN_DELAY_SECONDS: {
    description:
      'On SIGTERM, seconds `/readyz` answers 503 while the server still serves, so load balancers stop routing to it before the listener closes.',
  },
  OTPKIT_SHUTDOWN_TIMEOUT_SECONDS: {
    description:
      'On SIGTERM, how long requests in flight and the delivery worker get to finish; past it connections are cut and the process exits 1.',
  },
  OTPKIT_ALLOW_ANY_ORIGIN: {
    description:
      'In production a browser may use a widget only from a site on its `allowedOrigins`: a widget with none answers browser calls (those with an `Origin` header) with `ORIGIN_NOT_ALLOWED`. `true` lets such widgets be used from any site, as in development. Calls without an `Origin` (mobile apps, servers) are not affected.',
  },
  OTPKIT_HEADERS_TIMEOUT_SECONDS: {
    description:
      "Seconds a client has to send a request's headers; a slower one (a slowloris client) gets 408 and its connection is closed. Checked every second (more often when shorter).",
  },
  OTPKIT_REQUEST_TIMEOUT_SECONDS: {
    description:
      'Seconds a client has to send a whole request, headers and body (not the answer); at least `OTPKIT_HEADERS_TIMEOUT_SECONDS`.',
  },
  OTPKIT_KEEP_ALIVE_TIMEOUT_SECONDS: {
    description:
      "Seconds an idle keep-alive connection stays open between requests. Behind a load balancer that reuses connections, set it above the balancer's idle timeout.",
  },
  OTPKIT_MAX_CONNECTIONS: {
    description:
      'Open connections the server accepts at once; past it new ones are closed straight away.',
  },
};

/** A rate limit: `points` per `seconds`. */
export interface Limit {
  readonly points: number;
  readonly seconds: number;
}

/** Abuse protection settings. */
export interface AbuseConfig {
  /** Sends and resends per identifier (per widget). */
  readonly identifier: Limit;
  /** Sends and resends per client IP (browser calls). */
  readonly ip: Limit;
  /** Sends and resends per widget. */
  readonly widget: Limit;
  /** Sends and resends per widget and destination country. */
  readonly country: Limit;
  /** Verification attempts per client network. */
  readonly verifyIp: Limit;
  /** Incorrect codes per identifier across an account's widgets and requests. */
  readonly verifyIdentifier: Limit;
  /** Calls per client network to the endpoints that take an authkey (and magic-link polls). */
  readonly authIp: Limit;
  /** Wrong authkeys per client network before its authkey calls are refused. */
  readonly authFailures: Limit;
  /** The proof-of-work captcha's base `maxnumber`. */
  readonly powMaxNumber: number;
  /** The pumping brake trips when an hour's sends to a country exceed this many times the usual hourly rate… */
  readonly pumpingFactor: number;
  /** …and at least this many. */
  readonly pumpingMin: number;
}

/** Delivery providers configured for the deployment. */
export interface ProvidersConfig extends GatewaysConfig {
  readonly smtp?: { readonly url: string; readonly from: string };
  readonly twilio?: {
    readonly accountSid: string;
    readonly authToken: string;
    /** Default sender, a messaging service SID, or per-country numbers (`*` for the rest). */
    readonly from: Readonly<Record<string, string>>;
    readonly whatsappFrom?: string;
    readonly baseUrl: string;
  };
  readonly webhook?: {
    readonly url: string;
    readonly secret: string;
    readonly channels: readonly string[];
  };
}

/** How the send queue behaves. */
export interface DeliveryConfig {
  /** Attempts per message before it fails. */
  readonly maxAttempts: number;
  /** Seconds to wait for a delivery report before an autoRetry fallback. */
  readonly reportTimeoutSeconds: number;
  /** Seconds a worker holds a message it is sending before another may take it. */
  readonly leaseSeconds: number;
  /** Whether this process runs the delivery worker (off: an API-only instance). */
  readonly worker: boolean;
}

/** The running server's configuration. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  /** Where the server is reached from outside, without a trailing slash; the JWT issuer. */
  readonly publicUrl: string;
  /** Whether `publicUrl` came from `OTPKIT_PUBLIC_URL` (otherwise it follows the bound port). */
  readonly publicUrlSet: boolean;
  /** Keys code hashes; `undefined` until the store supplies one in development. */
  readonly secret: string | undefined;
  readonly authkey: string | undefined;
  /** Whether the development outbox delivers messages. */
  readonly devOutbox: boolean;
  /**
   * How many reverse proxies stand in front (0: none). The client IP is the
   * `X-Forwarded-For` entry the outermost trusted proxy added, counted from the
   * right: entries further left are written by the client and never trusted.
   */
  readonly trustProxy: number;
  /** Path of the built widget script served at `/otp-provider.js`; its folder's other scripts are served too. */
  readonly widgetFile: string;
  /** Folder of the built console, served at `/console`. */
  readonly consoleDir: string;
  /** Folder for files the server writes beside its database (demo widget credentials). */
  readonly dataDir: string;
  readonly providers: ProvidersConfig;
  readonly delivery: DeliveryConfig;
  /** Days a log entry (an OTP request and what was recorded about it) is kept. */
  readonly logRetentionDays: number;
  readonly abuse: AbuseConfig;
  /** Redis for rate limits shared by several instances; else they live in the database. */
  readonly redisUrl: string | undefined;
  /** First part of every rate-limit key, so deployments sharing one Redis keep apart. */
  readonly redisPrefix: string;
  readonly captcha: {
    readonly verifyUrl: Readonly<Record<ThirdPartyCaptcha, string>>;
    readonly scriptUrl: Readonly<Record<ThirdPartyCaptcha, string>>;
  };
  /** Bearer token `/metrics` requires; without one, only loopback clients may scrape (development). */
  readonly metricsToken: string | undefined;
  readonly logLevel: LogLevel;
  readonly shutdown: {
    /** Seconds of 503 from `/readyz` before the listener closes. */
    readonly delaySeconds: number;
    /** Seconds requests in flight and the worker get before the process is cut short. */
    readonly timeoutSeconds: number;
  };
  /**
   * Whether browsers may use a widget that lists no `allowedOrigins`: always
   * outside production, and in production only with `OTPKIT_ALLOW_ANY_ORIGIN=true`.
   */
  readonly allowAnyOrigin: boolean;
  /** Limits that keep a slow or idle client from holding a socket. */
  readonly http: HttpLimits;
}

/** The HTTP server's timeouts (milliseconds) and connection cap. */
export interface HttpLimits {
  /** To receive a request's headers. */
  readonly headersTimeoutMs: number;
  /** To receive a whole request. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection between requests. */
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
}

export { ConfigError } from '../errors.ts';
export type { ConfigProblem, EnvVarDoc } from './types.ts';

/** The outcome of {@link checkConfig}: a config, or every problem found. */
export type ConfigCheck =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/**
 * Parses the environment, collecting every problem instead of stopping at
 * the first (what `otpkit config check` prints).
 *
 * @example checkConfig({ PORT: 'eighty' }) // { ok: false, problems: [{ variable: 'PORT', … }] }
 */
export function checkConfig(env: Record<string, string | undefined> = process.env): ConfigCheck {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      variable: i.path.join('.'),
      message: i.message,
    }));
    // Check the rest as if the bad variables were unset, so one run names every problem.
    const bad = new Set(problems.map((p) => p.variable));
    const rest = checkConfig(
      Object.fromEntries(Object.entries(cleaned).filter(([k]) => !bad.has(k))),
    );
    return { ok: false, problems: rest.ok ? problems : [...problems, ...rest.problems] };
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const problems: ConfigProblem[] = [];
  if (production) problems.push(...productionProblems(e));
  if (production && e.OTPKIT_DEV_OUTBOX) {
    problems.push({
      variable: 'OTPKIT_DEV_OUTBOX',
      message: 'the development outbox cannot be enabled in production',
    });
  }
  if (e.OTPKIT_HEADERS_TIMEOUT_SECONDS > e.OTPKIT_REQUEST_TIMEOUT_SECONDS) {
    problems.push({
      variable: 'OTPKIT_REQUEST_TIMEOUT_SECONDS',
      message: `must be at least OTPKIT_HEADERS_TIMEOUT_SECONDS (${e.OTPKIT_HEADERS_TIMEOUT_SECONDS})`,
    });
  }
  const providers = providersOf(e, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: configOf(e, providers) };
}

const GENERATE = 'generate one with `openssl rand -base64 32`';

/** The secrets production checks for entropy, and what each is for. */
const PRODUCTION_SECRETS = {
  OTPKIT_SECRET: 'keys code hashes and seals secrets at rest',
  OTPKIT_AUTHKEY: "the account's first authkey",
  OTPKIT_WEBHOOK_SECRET: 'signs webhook requests',
  OTPKIT_METRICS_TOKEN: 'the bearer token Prometheus sends to /metrics',
} as const;

/** What production requires beyond a valid environment: a public URL and strong secrets. */
function productionProblems(e: z.output<typeof envSchema>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!e.OTPKIT_PUBLIC_URL) {
    problems.push({
      variable: 'OTPKIT_PUBLIC_URL',
      message:
        "required in production: the address clients reach otpkit at (the access tokens' issuer, magic links, delivery reports), e.g. OTPKIT_PUBLIC_URL=https://otp.example.com",
    });
  }
  for (const [variable, purpose] of Object.entries(PRODUCTION_SECRETS)) {
    const value = e[variable as keyof typeof PRODUCTION_SECRETS];
    if (value === undefined) {
      // The authkey and the webhook secret are optional (the webhook's is checked with its URL).
      if (variable === 'OTPKIT_SECRET' || variable === 'OTPKIT_METRICS_TOKEN') {
        problems.push({ variable, message: `required in production (${purpose}): ${GENERATE}` });
      }
      continue;
    }
    const strength = secretStrength(value);
    if (strength.bits < MIN_SECRET_BITS) {
      const what = strength.pattern ? `it is ${strength.pattern}, ` : '';
      problems.push({
        variable,
        message: `too easy to guess for production: ${what}about ${strength.bits} bits of entropy where at least ${MIN_SECRET_BITS} are needed (${purpose}); ${GENERATE}`,
      });
    }
  }
  return problems;
}

/**
 * Parses the environment into a frozen {@link Config}.
 *
 * @example loadConfig({ PORT: '8080', NODE_ENV: 'production', OTPKIT_SECRET: '…' })
 * @throws ConfigError naming each invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const check = checkConfig(env);
  if (check.ok) return check.config;
  const lines = check.problems.map((p) => `  ${p.variable}: ${p.message}`);
  const note = runsInProduction(env) ? `\n${PRODUCTION_NOTE}` : '';
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}${note}`);
}

/** Said under the problems of a production configuration, for whoever expected development. */
export const PRODUCTION_NOTE =
  'otpkit runs in production mode unless NODE_ENV=development (or `otpkit serve --dev`, for trying it locally).';

/** Whether an environment selects production (the default). */
export function runsInProduction(env: Record<string, string | undefined>): boolean {
  return !env.NODE_ENV || env.NODE_ENV === 'production';
}

function configOf(e: z.output<typeof envSchema>, providers: ProvidersConfig): Config {
  const production = e.NODE_ENV === 'production';
  const host = e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  const publicUrl = (e.OTPKIT_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host,
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    publicUrlSet: e.OTPKIT_PUBLIC_URL !== undefined,
    secret: e.OTPKIT_SECRET,
    authkey: e.OTPKIT_AUTHKEY,
    devOutbox: e.OTPKIT_DEV_OUTBOX ?? !production,
    trustProxy: e.OTPKIT_TRUST_PROXY,
    widgetFile:
      e.OTPKIT_WIDGET_FILE ??
      decodeURIComponent(
        new URL('../../../../widget/dist/otp-provider.js', import.meta.url).pathname,
      ),
    consoleDir:
      e.OTPKIT_CONSOLE_DIR ??
      decodeURIComponent(new URL('../../../../console/dist/', import.meta.url).pathname),
    dataDir: e.OTPKIT_DATA_DIR ?? dataDirOf(e.DATABASE_URL),
    providers,
    delivery: {
      maxAttempts: e.OTPKIT_DELIVERY_MAX_ATTEMPTS,
      reportTimeoutSeconds: e.OTPKIT_DELIVERY_REPORT_TIMEOUT,
      leaseSeconds: e.OTPKIT_DELIVERY_LEASE_SECONDS,
      worker: e.OTPKIT_DELIVERY_WORKER,
    },
    logRetentionDays: e.OTPKIT_LOG_RETENTION_DAYS,
    abuse: {
      identifier: e.OTPKIT_LIMIT_IDENTIFIER,
      ip: e.OTPKIT_LIMIT_IP,
      widget: e.OTPKIT_LIMIT_WIDGET,
      country: e.OTPKIT_LIMIT_COUNTRY,
      verifyIp: e.OTPKIT_LIMIT_VERIFY_IP,
      verifyIdentifier: e.OTPKIT_LIMIT_VERIFY_IDENTIFIER,
      authIp: e.OTPKIT_LIMIT_AUTH_IP,
      authFailures: e.OTPKIT_LIMIT_AUTH_FAILURES,
      powMaxNumber: e.OTPKIT_POW_MAX_NUMBER,
      pumpingFactor: e.OTPKIT_PUMPING_FACTOR,
      pumpingMin: e.OTPKIT_PUMPING_MIN,
    },
    redisUrl: e.REDIS_URL,
    metricsToken: e.OTPKIT_METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    shutdown: {
      delaySeconds: e.OTPKIT_SHUTDOWN_DELAY_SECONDS,
      timeoutSeconds: e.OTPKIT_SHUTDOWN_TIMEOUT_SECONDS,
    },
    allowAnyOrigin: !production || e.OTPKIT_ALLOW_ANY_ORIGIN,
    http: {
      headersTimeoutMs: Math.round(e.OTPKIT_HEADERS_TIMEOUT_SECONDS * 1000),
      requestTimeoutMs: Math.round(e.OTPKIT_REQUEST_TIMEOUT_SECONDS * 1000),
      keepAliveTimeoutMs: Math.round(e.OTPKIT_KEEP_ALIVE_TIMEOUT_SECONDS * 1000),
      maxConnections: e.OTPKIT_MAX_CONNECTIONS,
    },
    redisPrefix: e.OTPKIT_REDIS_PREFIX,
    captcha: {
      verifyUrl: {
        'recaptcha-v3': e.OTPKIT_RECAPTCHA_VERIFY_URL,
        turnstile: e.OTPKIT_TURNSTILE_VERIFY_URL,
        hcaptcha: e.OTPKIT_HCAPTCHA_VERIFY_URL,
      },
      scriptUrl: {
        'recaptcha-v3': e.OTPKIT_RECAPTCHA_SCRIPT_URL,
        turnstile: e.OTPKIT_TURNSTILE_SCRIPT_URL,
        hcaptcha: e.OTPKIT_HCAPTCHA_SCRIPT_URL,
      },
    },
  });
}

/** Checks that each provider's variables come as a complete set. */
function providersOf(e: z.output<typeof envSchema>, problems: ConfigProblem[]): ProvidersConfig {
  const missing = (names: Record<string, unknown>) =>
    Object.entries(names)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
  const providers: { -readonly [K in keyof ProvidersConfig]: ProvidersConfig[K] } = {
    ...gatewaysOf(e, problems),
  };

  if (e.OTPKIT_SMTP_URL || e.OTPKIT_EMAIL_FROM) {
    const gaps = missing({
      OTPKIT_SMTP_URL: e.OTPKIT_SMTP_URL,
      OTPKIT_EMAIL_FROM: e.OTPKIT_EMAIL_FROM,
    });
    for (const g of gaps)
      problems.push({ variable: g, message: 'required with the other SMTP settings' });
    if (gaps.length === 0) providers.smtp = { url: e.OTPKIT_SMTP_URL!, from: e.OTPKIT_EMAIL_FROM! };
  }
  const twilioSet =
    e.OTPKIT_TWILIO_ACCOUNT_SID ||
    e.OTPKIT_TWILIO_AUTH_TOKEN ||
    e.OTPKIT_TWILIO_FROM ||
    e.OTPKIT_TWILIO_WHATSAPP_FROM;
  if (twilioSet) {
    const gaps = missing({
      OTPKIT_TWILIO_ACCOUNT_SID: e.OTPKIT_TWILIO_ACCOUNT_SID,
      OTPKIT_TWILIO_AUTH_TOKEN: e.OTPKIT_TWILIO_AUTH_TOKEN,
    });
    if (!e.OTPKIT_TWILIO_FROM && !e.OTPKIT_TWILIO_WHATSAPP_FROM) gaps.push('OTPKIT_TWILIO_FROM');
    for (const g of gaps)
      problems.push({ variable: g, message: 'required with the other Twilio settings' });
    if (gaps.length === 0) {
      const from: Record<string, string> = {};
      if (e.OTPKIT_TWILIO_FROM?.includes('=')) {
        for (const pair of e.OTPKIT_TWILIO_FROM.split(',')) {
          const [country, number] = pair.split('=') as [string, string];
          from[country] = number;
        }
      } else if (e.OTPKIT_TWILIO_FROM) {
        from['*'] = e.OTPKIT_TWILIO_FROM;
      }
      providers.twilio = {
        accountSid: e.OTPKIT_TWILIO_ACCOUNT_SID!,
        authToken: e.OTPKIT_TWILIO_AUTH_TOKEN!,
        from,
        ...(e.OTPKIT_TWILIO_WHATSAPP_FROM ? { whatsappFrom: e.OTPKIT_TWILIO_WHATSAPP_FROM } : {}),
        baseUrl: e.OTPKIT_TWILIO_BASE_URL.replace(/\/+$/, ''),
      };
    }
  }
  if (e.OTPKIT_WEBHOOK_URL || e.OTPKIT_WEBHOOK_SECRET) {
    const gaps = missing({
      OTPKIT_WEBHOOK_URL: e.OTPKIT_WEBHOOK_URL,
      OTPKIT_WEBHOOK_SECRET: e.OTPKIT_WEBHOOK_SECRET,
    });
    for (const g of gaps)
      problems.push({ variable: g, message: 'required with the other webhook settings' });
    if (gaps.length === 0) {
      providers.webhook = {
        url: e.OTPKIT_WEBHOOK_URL!,
        secret: e.OTPKIT_WEBHOOK_SECRET!,
        channels: e.OTPKIT_WEBHOOK_CHANNELS,
      };
    }
  }
  return providers;
}

function dataDirOf(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) return './data';
  const file = databaseUrl.slice('sqlite:'.length);
  if (file === ':memory:') return './data';
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '.' : file.slice(0, slash) || '/';
}
