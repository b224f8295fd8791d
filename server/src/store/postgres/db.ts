/**
 * The PostgreSQL connection: a pool (node-postgres) whose bigint columns read
 * as numbers (epoch milliseconds fit a double), queries written with `?`
 * placeholders and prepared once per connection, and transactions.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { PG_COMMIT_MODES } from '../../platform/config/store.ts';
import { ConfigError } from '../../platform/errors.ts';

/** Something to run a query on: the pool, or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

const INT8 = 20;
const NUMERIC = 1700;

/** Type parsers of otpkit's pools: int8 and numeric (sums) as numbers. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Where a `postgres://` URL points, with otpkit's own `?schema=` taken out. */
export interface PgTarget {
  connectionString: string;
  /** The schema the tables live in (`search_path`); `undefined`: the server's default. */
  schema: string | undefined;
  /** Server settings for each connection (`?options=-c synchronous_commit=off`). */
  options: string | undefined;
  /**
   * `?commit=relaxed` (the default): a send, a code check, the delivery
   * worker's writes and rate-limit counts commit without waiting for their WAL
   * flush (operations.ts, counters.ts);
   * `?commit=durable`: every commit waits, as the server's settings say.
   */
  commit: 'relaxed' | 'durable';
}

/**
 * Reads a `postgres://` URL. `?schema=NAME` puts otpkit's tables in that
 * schema (created by `migrate` if missing); `?commit=relaxed|durable` (see
 * `PgTarget`); `?options=` sets server settings per connection (e.g.
 * `-c synchronous_commit=off`); every other parameter goes to node-postgres.
 *
 * @throws ConfigError for a malformed URL, schema name or commit mode.
 */
export function parsePgUrl(databaseUrl: string): PgTarget {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new ConfigError('DATABASE_URL: not a valid postgres://user@host:5432/database URL');
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new ConfigError(
      'DATABASE_URL: schema must be lower-case letters, digits and _ (at most 63, not starting with a digit)',
    );
  }
  url.searchParams.delete('schema');
  const commit = url.searchParams.get('commit') ?? 'relaxed';
  if (!(PG_COMMIT_MODES as readonly string[]).includes(commit)) {
    throw new ConfigError('DATABASE_URL: commit must be relaxed or durable');
  }
  url.searchParams.delete('commit');
  const options = url.searchParams.get('options') ?? undefined;
  url.searchParams.delete('options');
  return {
    connectionString: url.toString(),
    schema,
    options,
    commit: commit as PgTarget['commit'],
  };
}

/** The server settings of a target's connections: its `?options=` and its schema. */
function serverOptions(target: PgTarget): string | undefined {
  return (
    [target.options, target.schema && `-c search_path=${target.schema}`]
      .filter(Boolean)
      .join(' ') || undefined
  );
}

/** Opens a pool on a parsed target; every connection uses the target's schema. */
export function openPool(target: PgTarget, max = 10): pg.Pool {
  return new pg.Pool({
    connectionString: target.connectionString,
    max,
    types,
    options: serverOptions(target),
  });
}

/** A connection of its own (not from the pool), e.g. to LISTEN on; kept alive by TCP keepalives. */
export function openClient(target: PgTarget): pg.Client {
  return new pg.Client({
    connectionString: target.connectionString,
    types,
    options: serverOptions(target),
    keepAlive: true,
  });
}

// `?` placeholders become `$1…$n`, once per query text; the statement name lets
// each connection prepare it once.
const converted = new Map<string, { name: string; text: string }>();

function prepared(sql: string): { name: string; text: string } {
  let q = converted.get(sql);
  if (!q) {
    let n = 0;
    q = { name: `otpkit_${converted.size}`, text: sql.replace(/\?/g, () => `$${++n}`) };
    converted.set(sql, q);
  }
  return q;
}

/** Runs one query; rows typed by the caller. */
export async function query<T>(
  db: Queryable,
  sql: string,
  params: unknown[] = [],
): Promise<{ rows: T[]; rowCount: number }> {
  const { name, text } = prepared(sql);
  const result = await db.query({ name, text, values: params });
  return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
}

/** Thrown inside `transaction` to roll it back without an error reaching the caller. */
export class Rollback extends Error {}

/** A transaction-scoped advisory lock's key for a string: 64 bits of its SHA-256, as a literal. */
export function lockLiteral(key: string): string {
  return createHash('sha256').update(key).digest().readBigInt64BE(0).toString();
}

/**
 * Runs `fn` in one transaction on one connection: committed when it returns,
 * rolled back when it throws (a `Rollback` resolves to `undefined`).
 *
 * @param options.lock takes this advisory lock first (same round trip as BEGIN):
 *   transactions with the same lock run one after the other.
 */
export async function transaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { lock?: string } = {},
): Promise<T | undefined> {
  const client = await pool.connect();
  try {
    await client.query(
      options.lock === undefined
        ? 'BEGIN'
        : `BEGIN; SELECT pg_advisory_xact_lock(${lockLiteral(options.lock)})`,
    );
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof Rollback) return undefined;
    throw error;
  } finally {
    client.release();
  }
}
