/**
 * The shapes configuration is described and checked with, shared by
 * `config.ts` and the slices each capability declares (`delivery/config.ts`).
 */

/** How the configuration reference describes one variable. */
export interface EnvVarDoc {
  /** What it does, in a sentence or two (Markdown). */
  readonly description: string;
  /** The default when the schema's own is not the whole story (e.g. it depends on NODE_ENV). */
  readonly defaultText?: string;
  /** The values it takes, when the schema alone would not say it readably. */
  readonly allowed?: string;
  /** Masked by `otpkit config check`. */
  readonly secret?: boolean;
}

/** One thing wrong with the environment: the variable and what it must be. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}
