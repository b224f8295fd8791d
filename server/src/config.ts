/**
 * Configuration: the environment, parsed once at start into a frozen,
 * typed object. A bad variable stops the start with a message naming it.
 */
import { z } from 'zod';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^sqlite:.+/, 'must be sqlite:<path of the database file>')
    .default('sqlite:./data/otpkit.db'),
  OTPKIT_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  OTPKIT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  OTPKIT_AUTHKEY: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_DEV_OUTBOX: booleanish.optional(),
  OTPKIT_TRUST_PROXY: booleanish.default(false),
  OTPKIT_WIDGET_FILE: z.string().min(1).optional(),
  OTPKIT_CONSOLE_DIR: z.string().min(1).optional(),
  OTPKIT_DATA_DIR: z.string().min(1).optional(),
});

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
  /** Trust `X-Forwarded-For` for the client IP (behind a reverse proxy). */
  readonly trustProxy: boolean;
  /** Path of the built widget script served at `/otp-provider.js`; its folder's other scripts are served too. */
  readonly widgetFile: string;
  /** Folder of the built console, served at `/console`. */
  readonly consoleDir: string;
  /** Folder for files the server writes beside its database (demo widget credentials). */
  readonly dataDir: string;
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment into a frozen {@link Config}.
 *
 * @example loadConfig({ PORT: '8080', NODE_ENV: 'production', OTPKIT_SECRET: '…' })
 * @throws ConfigError naming each invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.OTPKIT_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  OTPKIT_SECRET: required in production (at least 32 random characters, e.g. `openssl rand -base64 48`)',
    );
  }
  if (production && e.OTPKIT_DEV_OUTBOX) {
    throw new ConfigError(
      'Invalid configuration:\n  OTPKIT_DEV_OUTBOX: the development outbox cannot be enabled in production',
    );
  }
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
      decodeURIComponent(new URL('../../widget/dist/otp-provider.js', import.meta.url).pathname),
    consoleDir:
      e.OTPKIT_CONSOLE_DIR ??
      decodeURIComponent(new URL('../../console/dist/', import.meta.url).pathname),
    dataDir: e.OTPKIT_DATA_DIR ?? dataDirOf(e.DATABASE_URL),
  });
}

function dataDirOf(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) return './data';
  const file = databaseUrl.slice('sqlite:'.length);
  if (file === ':memory:') return './data';
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '.' : file.slice(0, slash) || '/';
}
