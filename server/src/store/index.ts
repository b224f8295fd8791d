/** The store: its interface and the adapter chosen by `DATABASE_URL`. */
import { ConfigError } from '../config.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { Store } from './types.ts';

export { openSqliteStore } from './sqlite/index.ts';
export type * from './types.ts';

/**
 * Opens the store a `DATABASE_URL` names (`sqlite:./data/otpkit.db`, `sqlite::memory:`).
 *
 * @throws ConfigError for an engine this build does not include.
 */
export function openStore(databaseUrl: string): Store {
  if (databaseUrl.startsWith('sqlite:'))
    return openSqliteStore(databaseUrl.slice('sqlite:'.length));
  throw new ConfigError(
    `DATABASE_URL: ${databaseUrl.split(':')[0]} is not supported by this version of otpkit; use sqlite:<file>`,
  );
}
