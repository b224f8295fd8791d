/** One thing wrong with the environment: the variable and what it must be. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}
