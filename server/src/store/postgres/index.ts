/**
 * The PostgreSQL store (node-postgres pool), for several otpkit instances on
 * one database. Each operation is one statement or one transaction (a send's
 * request, message and link are one statement, as are all of a call's
 * rate-limit counters: every round trip counts); the send queue is claimed
 * with `FOR UPDATE SKIP LOCKED`, so several workers share it without handing
 * out a message twice; migrations run under an advisory lock, so instances
 * starting together do not race. Widgets, widget tokens, authkeys and
 * templates are cached, kept exact across instances by a generation the
 * operations check in their one round trip, and fresh by LISTEN/NOTIFY
 * (read-cache.ts, exact-operations.ts).
 */

import type pg from 'pg';
import {
  MIGRATIONS_SQL,
  type MigrationEngine,
  pendingMigrations,
  runMigrations,
} from '../migrations.ts';
import { sqlConfigStores } from '../sql/config-stores.ts';
import { sqlLogs } from '../sql/logs.ts';
import { sqlQueueStores } from '../sql/queue.ts';
import { sqlRequestStores } from '../sql/request-stores.ts';
import type { Store } from '../types.ts';
import type { PgContext } from './context.ts';
import { postgresCounters } from './counters.ts';
import { openClient, openPool, type PgTarget, parsePgUrl, type Queryable, query } from './db.ts';
import { postgresDriver } from './driver.ts';
import { exactOperations } from './exact-operations.ts';
import * as operations from './operations.ts';
import { finishMessages } from './operations.ts';
import { createPgReadCache } from './read-cache.ts';
import { pgRequestStores } from './request-stores.ts';
import * as rows from './rows.ts';

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Wait before the read cache's LISTEN connection reconnects after failing (default 1 s). */
  listenRetryMs?: number;
  /** How often the read cache's LISTEN connection is checked and the generation read (default 1 s). */
  listenHeartbeatMs?: number;
}

/** The PostgreSQL store, and whether its read cache is in use. */
export interface PostgresStore extends Store {
  /** True while the read cache is in use: its LISTEN connection up, the generation known. */
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
  // Widgets, widget tokens, authkeys and templates are read on every call: see read-cache.ts
  // for how several instances stay exact.
  const reads = createPgReadCache({
    connect: () => openClient(target),
    exact: true,
    ...(options.listenRetryMs === undefined ? {} : { retryMs: options.listenRetryMs }),
    ...(options.listenHeartbeatMs === undefined ? {} : { heartbeatMs: options.listenHeartbeatMs }),
  });

  const one = async <T>(sql: string, params: unknown[] = [], db: Queryable = pool) =>
    (await query<T>(db, sql, params)).rows[0];
  const all = async <T>(sql: string, params: unknown[] = [], db: Queryable = pool) =>
    (await query<T>(db, sql, params)).rows;
  const run = async (sql: string, params: unknown[] = [], db: Queryable = pool) =>
    (await query(db, sql, params)).rowCount;

  const driver = postgresDriver(pool, target.commit === 'relaxed');
  const { relaxedCommit } = driver.dialect;
  const counters = postgresCounters(pool, relaxedCommit);
  const context: PgContext = { pool, driver, reads, one, all, run };
  const migrations = pgMigrations(pool, target);

  // The stores written once (../sql/), and this engine's combined writes.
  const requests = sqlRequestStores({ driver, rows });
  const combined = pgRequestStores(context);
  const exact = exactOperations(context);
  const store: PostgresStore = {
    migrate: () => runMigrations(migrations),

    async health() {
      return { migrationsPending: await pendingMigrations(migrations) };
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
    // The writes that decide with cached rows carry their generation (exact-operations.ts).
    otpRequests: {
      ...requests.otpRequests,
      ...combined.otpRequests,
      send: (w) =>
        exact(w.request.widgetId, 'widget', (g) =>
          operations.send(pool, w, { generation: g, relaxedCommit }),
        ),
      verify: (w) =>
        exact(w.widgetId, 'widget', (g) =>
          operations.verify(pool, w, { generation: g, relaxedCommit }),
        ),
    },
    accessTokens: {
      ...requests.accessTokens,
      ...combined.accessTokens,
      redeem: (jti, now, event) =>
        exact(event.widgetId, 'server', (g) =>
          operations.redeem(pool, jti, now, event, { generation: g }),
        ),
    },
    // A batch's outcomes: one statement, its requests locked first (operations.ts).
    ...sqlQueueStores(driver, {
      finish: (outcomes) => finishMessages(pool, outcomes, relaxedCommit),
    }),
    logs: sqlLogs(driver),
  };
  return store;
}

/**
 * The PostgreSQL side of the migration runner (../migrations.ts): one
 * connection for the whole run, under an advisory lock per schema.
 */
function pgMigrations(pool: pg.Pool, target: PgTarget): MigrationEngine<pg.PoolClient> {
  return {
    dir: new URL('./migrations/', import.meta.url),
    async exclusive(work) {
      const client = await pool.connect();
      // One lock per schema: instances starting together apply each migration once.
      const lockKey = `otpkit:migrate:${target.schema ?? ''}`;
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
        return await work(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
        client.release();
      }
    },
    async prepare(client) {
      if (target.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${target.schema}`);
      await client.query(MIGRATIONS_SQL.table('bigint'));
    },
    async applied(client) {
      const db: Queryable = client ?? pool;
      // A missing table is a schema not created yet: every migration is pending.
      const { rows } = await db.query<{ name: string | null }>(
        "SELECT to_regclass('schema_migrations')::text AS name",
      );
      if (!rows[0]?.name) return undefined;
      return (await query<{ version: string }>(db, MIGRATIONS_SQL.applied)).rows.map(
        (r) => r.version,
      );
    },
    async apply(client, version, script, appliedAt) {
      try {
        await client.query('BEGIN');
        await client.query(script);
        await query(client, MIGRATIONS_SQL.record, [version, appliedAt]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };
}
