/** The store: its interface and the adapter chosen by `DATABASE_URL`. */
import { ConfigError } from '../platform/errors.ts';
import { openPostgresStore } from './postgres/index.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { Store } from './types.ts';

export { LATENCY_BOUNDS_S } from './log-sql.ts';
export { openPostgresStore } from './postgres/index.ts';
export { openSqliteStore } from './sqlite/index.ts';
export type * from './types.ts';

/**
 * Opens the store a `DATABASE_URL` names: `sqlite:./data/otpkit.db`,
 * `sqlite::memory:`, or `postgres://user@host:5432/db[?schema=NAME]` for
 * several instances on one database.
 *
 * @throws ConfigError for an engine this build does not include.
 */
export function openStore(databaseUrl: string): Store {
  if (databaseUrl.startsWith('sqlite:'))
    return openSqliteStore(databaseUrl.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return openPostgresStore(databaseUrl);
  throw new ConfigError(
    `DATABASE_URL: ${databaseUrl.split(':')[0]} is not supported by this version of otpkit; use sqlite:<file> or postgres://…`,
  );
}
