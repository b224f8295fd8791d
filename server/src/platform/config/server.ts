/** The server: its mode, where it listens, and the files it serves. */
import { z } from 'zod';
import { type ConfigSlice, type EnvOf, envMeta } from './slice.ts';

const env = {
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: 'must be production, development or test',
    })
    .default('production')
    .register(envMeta, {
      description:
        'Production unless set to `development` (or `otpkit serve --dev`; `test` is for in-process tests). `production` requires `OTPKIT_PUBLIC_URL`, `OTPKIT_SECRET` and `OTPKIT_METRICS_TOKEN`, refuses low-entropy secrets (under 128 bits estimated), turns the dev outbox off, lets browsers use a widget only from its `allowedOrigins`, and refuses to start with no delivery provider.',
      allowed: '`production`, `development`, `test`',
    }),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8787)
    .register(envMeta, { description: 'Port to listen on (`0`: any free port).' }),
  HOST: z.string().min(1).optional().register(envMeta, {
    example: '0.0.0.0',
    description: 'Address to bind.',
    defaultText: '`127.0.0.1` (`0.0.0.0` in production)',
  }),
  OTPKIT_TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|[0-9])$/,
      'must be false, true (one proxy) or the number of proxies in front (0-9)',
    )
    .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v)))
    .default(0)
    .register(envMeta, {
      example: '1',
      description:
        'Behind reverse proxies: `true` (one) or their number. The client IP is the `X-Forwarded-For` entry the outermost trusted proxy added, counted from the right (entries the client wrote are ignored).',
      defaultText: '`false`',
    }),
  OTPKIT_WIDGET_FILE: z.string().min(1).optional().register(envMeta, {
    description:
      "The built widget script served at `/otp-provider.js` (and at SendOTP's path `/app/assets/otp-provider/otp-provider.js`); the other files of its folder (its content-hashed chunks, `otp-popup-<hash>.js`, …, and their precompressed `.br`/`.gz` twins) are served beside it.",
    defaultText: '`widget/dist/otp-provider.js`',
    allowed: 'a file path',
  }),
  OTPKIT_CONSOLE_DIR: z.string().min(1).optional().register(envMeta, {
    description: 'The built admin console, served at `/console`.',
    defaultText: '`console/dist`',
    allowed: 'a folder path',
  }),
  // Read by the launcher (bin/entry.mjs) before the configuration; listed so it is checked and documented.
  OTPKIT_FROM_SOURCE: z
    .enum(['0', '1'], { error: 'must be 1 (run the sources) or 0' })
    .optional()
    .register(envMeta, {
      description:
        '`1` runs the server from its TypeScript sources (through tsx) even when the bundle `server/dist/main.mjs` (built by `pnpm build`) is up to date. A bundle older than any source file is never run.',
      defaultText: 'the bundle when it is up to date',
    }),
};

/** The server's parsed variables (other slices read `NODE_ENV` and `PORT`). */
export type ServerEnv = EnvOf<typeof env>;

/** The server's slice: `env`, `port`, `host`, `trustProxy` and the files it serves. */
export const server = {
  title: 'Server',
  env,
  read: (e: ServerEnv) => ({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    /**
     * How many reverse proxies stand in front (0: none). The client IP is the
     * `X-Forwarded-For` entry the outermost trusted proxy added, counted from the
     * right: entries further left are written by the client and never trusted.
     */
    trustProxy: e.OTPKIT_TRUST_PROXY,
    /** Path of the built widget script served at `/otp-provider.js`; its folder's other scripts are served too. */
    widgetFile:
      e.OTPKIT_WIDGET_FILE ??
      decodeURIComponent(
        new URL('../../../../widget/dist/otp-provider.js', import.meta.url).pathname,
      ),
    /** Folder of the built console, served at `/console`. */
    consoleDir:
      e.OTPKIT_CONSOLE_DIR ??
      decodeURIComponent(new URL('../../../../console/dist/', import.meta.url).pathname),
  }),
} satisfies ConfigSlice;
