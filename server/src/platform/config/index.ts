/**
 * Configuration: the environment, parsed once at start into a frozen,
 * typed object. A bad variable stops the start with a message naming it.
 *
 * Each variable is declared once, in the slice of the capability it
 * configures (one file each beside this one), as a zod schema carrying its
 * documentation (`envMeta`). This file joins the slices: the schema of the
 * whole environment, the `Config` type their parts add up to, and the
 * checks production adds.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { captcha } from './captcha.ts';
import { delivery } from './delivery.ts';
import { gateways } from './gateways.ts';
import { http } from './http.ts';
import { limits } from './limits.ts';
import { observability } from './observability.ts';
import { providers } from './providers.ts';
import { MIN_SECRET_BITS, secretStrength } from './secret-strength.ts';
import { security } from './security.ts';
import { server } from './server.ts';
import { type EnvVarMeta, envMeta, type Frozen } from './slice.ts';
import { store } from './store.ts';
import type { ConfigProblem } from './types.ts';

/** The capabilities' slices, in the order of the configuration reference. */
export const SLICES = [
  server,
  store,
  security,
  http,
  limits,
  captcha,
  delivery,
  providers,
  gateways,
  observability,
] as const;

type Slice = (typeof SLICES)[number];
/** `A | B` as `A & B`: the slices' shapes, or their parts of `Config`, added up. */
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** Every variable's schema, the slices' together. */
export const envSchema = z.object(
  Object.assign({}, ...SLICES.map((s) => s.env)) as Intersect<Slice['env']>,
);

type Env = z.output<typeof envSchema>;

/** One environment variable: its name, schema, documentation, and the slice it belongs to. */
export interface EnvVariable {
  readonly name: string;
  readonly schema: z.ZodType;
  readonly meta: EnvVarMeta;
  readonly slice: Slice;
}

/**
 * Every variable, slice by slice: what the reference and `otpkit config
 * check` list. A variable declared twice, or without its documentation,
 * stops the module from loading.
 */
export const ENV_VARIABLES: readonly EnvVariable[] = SLICES.flatMap((slice) =>
  Object.entries(slice.env).map(([name, schema]) => {
    const meta = envMeta.get(schema);
    if (!meta) throw new Error(`${name} has no documentation: register it with envMeta`);
    if (SLICES.some((other) => other !== slice && name in other.env)) {
      throw new Error(`${name} is declared by more than one slice`);
    }
    return { name, schema, meta, slice };
  }),
);

/** The running server's configuration: the parts the slices read, together. */
export type Config = Frozen<Intersect<ReturnType<Slice['read']>>>;
/** Abuse protection settings (rate limits, the pumping brake, the proof of work's cost). */
export type AbuseConfig = Config['abuse'];
/** Delivery providers configured for the deployment. */
export type ProvidersConfig = Config['providers'];
/** How the send queue behaves. */
export type DeliveryConfig = Config['delivery'];
/** The HTTP server's timeouts (milliseconds) and connection cap. */
export type HttpLimits = Config['http'];

export { ConfigError } from '../errors.ts';
export type { GatewaysConfig } from './gateways.ts';
export type { Limit } from './limits.ts';
export type { EnvVarMeta } from './slice.ts';
export type { ConfigProblem } from './types.ts';

/**
 * Whether the configuration names a delivery provider: a built-in one or a
 * gateway (each is in `providers` only when its set is complete).
 *
 * @example hasDeliveryProvider(loadConfig({ NODE_ENV: 'development' })) // false
 */
export function hasDeliveryProvider(config: Config): boolean {
  return Object.keys(config.providers).length > 0;
}

/** What to set when {@link hasDeliveryProvider} is false. */
export const DELIVERY_PROVIDER_HINT =
  "OTPKIT_SMTP_URL, the OTPKIT_TWILIO_* variables, OTPKIT_WEBHOOK_URL or a gateway's variables (docs/configuration.md)";

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
  const problems = e.NODE_ENV === 'production' ? productionProblems(e) : [];
  // Each slice reads its own variables (and those its parameter's type names).
  const readers: readonly ((e: Env, problems: ConfigProblem[]) => object)[] = SLICES.map(
    (s) => s.read,
  );
  const parts = readers.map((read) => read(e, problems));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: Object.freeze(merge(parts)) as Config };
}

/**
 * The slices' parts as one object. Two parts may add to the same group
 * (the captcha's proof of work to `abuse`, the gateways to `providers`),
 * never set the same field.
 */
function merge(parts: readonly object[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      const had = out[key];
      const group = (v: unknown): v is object => typeof v === 'object' && v !== null;
      if (!(key in out)) out[key] = value;
      else if (group(had) && group(value) && !Object.keys(value).some((k) => k in had)) {
        out[key] = { ...had, ...value };
      } else throw new Error(`Config.${key} is set by two slices`);
    }
  }
  return out;
}

const GENERATE = 'generate one with `openssl rand -base64 32`';

/**
 * What production demands beyond a valid environment, from each variable's
 * `production` metadata: the required ones set, the secrets hard to guess.
 */
function productionProblems(e: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const { name: variable, meta } of ENV_VARIABLES) {
    const demand = meta.production;
    if (!demand) continue;
    const value = e[variable as keyof Env];
    if (value === undefined) {
      if (!demand.required) continue;
      const message = demand.strong
        ? `required in production (${demand.why}): ${GENERATE}`
        : `required in production: ${demand.why}`;
      problems.push({ variable, message });
      continue;
    }
    if (!demand.strong || typeof value !== 'string') continue;
    const strength = secretStrength(value);
    if (strength.bits < MIN_SECRET_BITS) {
      const what = strength.pattern ? `it is ${strength.pattern}, ` : '';
      problems.push({
        variable,
        message: `too easy to guess for production: ${what}about ${strength.bits} bits of entropy where at least ${MIN_SECRET_BITS} are needed (${demand.why}); ${GENERATE}`,
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
