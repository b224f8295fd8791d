/**
 * How a capability declares its environment variables: each one once, as a
 * zod schema registered in {@link envMeta} with its documentation, in a
 * slice that also says how the parsed values become its part of `Config`.
 * The schema, `Config`, `docs/configuration.md` and `otpkit config check`
 * are all read from the slices.
 */
import { z } from 'zod';
import type { ConfigProblem } from './types.ts';

/** What the configuration reference and `otpkit config check` know about one variable. */
export interface EnvVarMeta {
  /** What it does, in a sentence or two (Markdown). */
  readonly description: string;
  /** The default when the schema's own is not the whole story (e.g. it depends on NODE_ENV). */
  readonly defaultText?: string;
  /** A value it accepts, shown in the reference (checked against the schema by a test). */
  readonly example?: string;
  /** The values it takes, when the schema alone would not say it readably. */
  readonly allowed?: string;
  /** Masked by `otpkit config check`. */
  readonly secret?: boolean;
  /**
   * What production demands of it: `required` (unset is a problem) and/or
   * `strong` (a secret that needs `MIN_SECRET_BITS` of estimated entropy).
   * `why` says what it is for, in the problem's message.
   */
  readonly production?: {
    readonly required?: boolean;
    readonly strong?: boolean;
    readonly why: string;
  };
}

/**
 * Every variable's metadata, keyed by its schema. A schema is registered
 * with `.register(envMeta, { … })`, last in its chain (each zod method
 * returns a new schema).
 */
export const envMeta = z.registry<EnvVarMeta>();

/** One capability's variables and how they become its part of `Config`. */
export interface ConfigSlice {
  /** The heading of its section in the configuration reference. */
  readonly title: string;
  /** Said under the heading (Markdown), when the table alone is not enough. */
  readonly intro?: string;
  readonly env: Readonly<Record<string, z.ZodType>>;
  /**
   * Its part of `Config`, from the parsed environment (its own variables, and
   * those of other slices it names in its parameter's type); a variable that
   * is valid alone but not with the others is pushed to `problems`.
   */
  readonly read: (e: never, problems: ConfigProblem[]) => object;
}

/** The parsed values of a slice's variables. */
export type EnvOf<Shape extends z.core.$ZodShape> = Readonly<z.output<z.ZodObject<Shape>>>;

/** `true`/`false` and their usual spellings. */
export const booleanish = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** Names the variables of a set that are unset, each as a problem. */
export function requireAll(
  what: string,
  values: Readonly<Record<string, unknown>>,
  problems: ConfigProblem[],
): boolean {
  const gaps = Object.entries(values).filter(([, v]) => v === undefined);
  for (const [variable] of gaps)
    problems.push({ variable, message: `required with the other ${what} settings` });
  return gaps.length === 0;
}

/**
 * `{ [key]: value }`, or `{}` when the value is undefined: a part of
 * `Config` that is there only when configured, typed as an optional key.
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * A slice's `read` for delivery providers: its parts of `providers`, each
 * from its reader (in order, so problems are listed in that order) and
 * there only when the reader finds it configured.
 */
export function providerParts<
  P extends Record<string, (e: never, problems: ConfigProblem[]) => object | undefined>,
>(
  parts: P,
): (
  e: Parameters<P[keyof P]>[0],
  problems: ConfigProblem[],
) => { providers: { [K in keyof P]?: NonNullable<ReturnType<P[K]>> } } {
  return (e, problems) => ({
    providers: Object.fromEntries(
      Object.entries(parts).flatMap(([key, read]) => {
        const part = read(e as never, problems);
        return part === undefined ? [] : [[key, part]];
      }),
    ) as { [K in keyof P]?: NonNullable<ReturnType<P[K]>> },
  });
}

/** Read-only all the way down, as `Config` is. */
export type Frozen<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;
