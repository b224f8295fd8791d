/**
 * The PostgreSQL store (node-postgres pool), for several otpkit instances on
 * one database. Each operation is one statement or one transaction (a send's
 * request, message and link are one statement, as are all of a call's
 * rate-limit counters: every round trip counts); the send queue is claimed
 * with `FOR UPDATE SKIP LOCKED`, so several workers share it without handing
 * out a message twice; migrations run under an advisory lock, so instances
 * starting together do not race. Widgets, widget tokens, authkeys and
 * templates are cached, kept exact across instances by LISTEN/NOTIFY
 * (read-cache.ts).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { sqlConfigStores } from '../sql/config-stores.ts';
import { sqlRequestStores } from '../sql/request-stores.ts';
import type { Store } from '../types.ts';
import type { PgContext } from './context.ts';
import { postgresCounters } from './counters.ts';
import { openClient, openPool, parsePgUrl, type Queryable, query } from './db.ts';
import { postgresDriver } from './driver.ts';
import { postgresLogs } from './logs.ts';
import { pgQueueStores } from './queue-stores.ts';
import { createPgReadCache } from './read-cache.ts';
import { pgRequestStores } from './request-stores.ts';
import * as rows from './rows.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Wait before the read cache's LISTEN connection reconnects after failing (default 1 s). */
  listenRetryMs?: number;
  /** How often the read cache's LISTEN connection is checked (default 5 s). */
  listenHeartbeatMs?: number;
}

/** The PostgreSQL store, and whether its read cache is in use. */
export interface PostgresStore extends Store {
  /** True while the LISTEN connection of the read cache is up (reads are cached only then). */
  cacheListening(): boolean;
}

/**
 * Opens a PostgreSQL store from a `postgres://` URL (`?schema=NAME` puts the
 * tables in that schema). Nothing is created before `migrate()`.
 *
 * @example const store = openPostgresStore('postgres://otpkit@db:5432/otpkit'); await store.migrate();
 * @throws ConfigError for a malformed URL.
 */
export function openPostgresStore(
  databaseUrl: string,
  options: PostgresStoreOptions = {},
): PostgresStore {
  const target = parsePgUrl(databaseUrl);
  const pool = openPool(target, options.poolSize);
  // An idle connection the server drops must not take the process down.
  pool.on('error', () => undefined);
  const counters = postgresCounters(pool);
  // Widgets, widget tokens, authkeys and templates are read on every call: see read-cache.ts
  // for how several instances stay exact.
  const reads = createPgReadCache({
    connect: () => openClient(target),
    ...(options.listenRetryMs === undefined ? {} : { retryMs: options.listenRetryMs }),
    ...(options.listenHeartbeatMs === undefined ? {} : { heartbeatMs: options.listenHeartbeatMs }),
  });

  const one = async <T>(sql: string, params: unknown[] = [], db: Queryable = pool) =>
    (await query<T>(db, sql, params)).rows[0];
  const all = async <T>(sql: string, params: unknown[] = [], db: Queryable = pool) =>
    (await query<T>(db, sql, params)).rows;
  const run = async (sql: string, params: unknown[] = [], db: Queryable = pool) =>
    (await query(db, sql, params)).rowCount;

  const driver = postgresDriver(pool);
  const context: PgContext = { pool, driver, reads, one, all, run };

  // The stores written once (../sql/), and this engine's combined writes.
  const requests = sqlRequestStores({ driver, rows });
  const combined = pgRequestStores(context);
  const store: PostgresStore = {
    async migrate() {
      const client = await pool.connect();
      // One lock per schema: instances starting together apply each migration once.
      const lockKey = `otpkit:migrate:${target.schema ?? ''}`;
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
        if (target.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${target.schema}`);
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at bigint NOT NULL)',
        );
        const applied = new Set(
          (
            await client.query<{ version: string }>('SELECT version FROM schema_migrations')
          ).rows.map((r) => r.version),
        );
        for (const name of migrationFiles()) {
          if (applied.has(name)) continue;
          const sql = readFileSync(new URL(name, MIGRATIONS_DIR), 'utf8');
          try {
            await client.query('BEGIN');
            await client.query(sql);
            await client.query(
              'INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)',
              [name, Date.now()],
            );
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw new Error(`migration ${name} failed: ${(error as Error).message}`, {
              cause: error,
            });
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
        client.release();
      }
    },

    async health() {
      // A missing table is a schema not created yet: every migration is pending.
      const table = await one<{ name: string | null }>(
        "SELECT to_regclass('schema_migrations')::text AS name",
      );
      const applied = new Set(
        table?.name
          ? (await all<{ version: string }>('SELECT version FROM schema_migrations')).map(
              (r) => r.version,
            )
          : [],
      );
      return { migrationsPending: migrationFiles().filter((f) => !applied.has(f)) };
    },

    async close() {
      counters.stop();
      await reads.stop();
      await pool.end();
    },

    cacheListening: reads.listening,

    rateLimitBackend: () => ({
      kind: 'counters',
      hit: counters.hit,
      count: counters.count,
      peek: counters.peek,
      refund: counters.refund,
      ownStore: true,
      client: pool,
    }),

    ...sqlConfigStores({ driver, reads, rows, legacyWidgetTokenColumn: false }),
    ...requests,
    ...combined,
    accessTokens: { ...requests.accessTokens, ...combined.accessTokens },
    ...pgQueueStores(context),
    logs: postgresLogs(pool),
  };
  return store;
}
