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
import type { Channel } from '@otpkit/protocol';
import {
  type AuthkeyRow,
  CLAIMED_REQUEST_COLUMNS,
  type ClaimedMessageRow,
  type MagicLinkRow,
  type MessageRow,
  PASSKEY_SQL,
  type PasskeyChallengeRow,
  type PasskeyRow,
  passkeyValues,
  toAuthkey,
  toClaimedMessage,
  toMagicLink,
  toMessage,
  toPasskey,
  toPasskeyChallenge,
} from '../rows.ts';
import { deepFreeze } from '../sqlite/read-cache.ts';
import type { OutboxMessage, RequestEvent, Store } from '../types.ts';
import { postgresCounters } from './counters.ts';
import {
  openClient,
  openPool,
  parsePgUrl,
  type Queryable,
  query,
  Rollback,
  transaction,
} from './db.ts';
import { postgresLogs } from './logs.ts';
import * as combined from './operations.ts';
import { linkCte, messageCte } from './operations.ts';
import { createPgReadCache } from './read-cache.ts';
import {
  type AccessTokenRow,
  type DeliveryRow,
  type OtpRequestRow,
  type SigningKeyRow,
  type TemplateRow,
  toAccessToken,
  toDelivery,
  toOtpRequest,
  toSigningKey,
  toTemplate,
  toWidget,
  type WidgetRow,
} from './rows.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** Last-use times are kept to the minute: no write on every request. */
const TOUCH_EVERY_MS = 60_000;

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

  // A write to a cached table clears the cache before (no read starting now keeps the old row)
  // and after it (a read that ran meanwhile saw the old row); other instances hear of it by
  // notification.
  const changing = async <T>(write: () => Promise<T>): Promise<T> => {
    reads.clear();
    try {
      return await write();
    } finally {
      reads.clear();
    }
  };

  // The cached row's last use is moved before the write, so concurrent uses write once.
  const touch = async (
    table: 'authkeys' | 'widget_tokens',
    row: { id: string; last_used_at: number | null },
    now: number,
  ) => {
    const last = row.last_used_at;
    if (last === null || now - last >= TOUCH_EVERY_MS) {
      row.last_used_at = now;
      await run(`UPDATE ${table} SET last_used_at = ? WHERE id = ?`, [now, row.id]);
    }
  };

  const claimMessages = (sql: string, params: unknown[]) =>
    all<MessageRow>(sql, params).then((rows) => rows.map(toMessage));

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

    settings: {
      async get(key) {
        return (await one<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))
          ?.value;
      },
      async setIfAbsent(key, value) {
        await run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
          key,
          value,
        ]);
        // A second statement sees a value another instance committed meanwhile.
        return (await one<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))!
          .value;
      },
    },

    accounts: {
      async ensureDefault(id, now) {
        await run(
          'INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
          [id, 'Default', now],
        );
        const row = (await one<{ id: string; name: string; created_at: number }>(
          'SELECT * FROM accounts WHERE id = ?',
          [id],
        ))!;
        return { id: row.id, name: row.name, createdAt: row.created_at };
      },
    },

    authkeys: {
      async countForAccount(accountId) {
        return (await one<{ n: number }>(
          'SELECT count(*) AS n FROM authkeys WHERE account_id = ? AND revoked_at IS NULL',
          [accountId],
        ))!.n;
      },
      async insert(key) {
        await changing(() =>
          run(
            `INSERT INTO authkeys (id, hash, account_id, label, prefix, created_at)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
            [key.id, key.hash, key.accountId, key.label, key.prefix, key.createdAt],
          ),
        );
      },
      async use(hash, now) {
        const row = await reads.get(`authkey:${hash}`, () =>
          one<AuthkeyRow>('SELECT * FROM authkeys WHERE hash = ? AND revoked_at IS NULL', [hash]),
        );
        if (!row) return undefined;
        // The key as it was before this use (as an uncached read would return it).
        const key = toAuthkey(row);
        await touch('authkeys', row, now);
        return key;
      },
      async list(accountId) {
        return (
          await all<AuthkeyRow>(
            'SELECT * FROM authkeys WHERE account_id = ? AND revoked_at IS NULL ORDER BY created_at, seq',
            [accountId],
          )
        ).map(toAuthkey);
      },
      async revoke(accountId, id, now) {
        const outcome = await changing(() =>
          transaction(pool, async (c) => {
            // Locking the account's live keys serialises revocations: two at once cannot leave none.
            const live = await all<{ id: string }>(
              'SELECT id FROM authkeys WHERE account_id = ? AND revoked_at IS NULL FOR UPDATE',
              [accountId],
              c,
            );
            if (!live.some((k) => k.id === id)) return 'not_found' as const;
            if (live.length < 2) return 'last' as const;
            await run('UPDATE authkeys SET revoked_at = ? WHERE id = ?', [now, id], c);
            return 'revoked' as const;
          }),
        );
        return outcome!;
      },
    },

    widgets: {
      async insert(w) {
        await changing(() =>
          run(
            'INSERT INTO widgets (id, account_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
            [w.id, w.accountId, JSON.stringify(w.settings), w.createdAt, w.updatedAt],
          ),
        );
      },
      async get(id) {
        return reads.get(`widget:${id}`, async () => {
          const row = await one<WidgetRow>(
            'SELECT * FROM widgets WHERE id = ? AND deleted_at IS NULL',
            [id],
          );
          return row && deepFreeze(toWidget(row));
        });
      },
      async list(accountId) {
        return (
          await all<WidgetRow>(
            'SELECT * FROM widgets WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id',
            [accountId],
          )
        ).map(toWidget);
      },
      async update(id, settings, now) {
        const row = await changing(() =>
          one<WidgetRow>(
            'UPDATE widgets SET settings = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL RETURNING *',
            [JSON.stringify(settings), now, id],
          ),
        );
        return row && toWidget(row);
      },
      async delete(id, now) {
        return (
          (await changing(() =>
            run('UPDATE widgets SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL', [now, id]),
          )) === 1
        );
      },
    },

    widgetTokens: {
      async insert(t) {
        await changing(() =>
          run(
            `INSERT INTO widget_tokens (id, token_hash, prefix, widget_id, label, created_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
            [t.id, t.tokenHash, t.prefix, t.widgetId, t.label, t.createdAt],
          ),
        );
      },
      async use(widgetId, tokenHash, now) {
        const row = await reads.get(`token:${widgetId}:${tokenHash}`, () =>
          one<{ id: string; last_used_at: number | null }>(
            'SELECT id, last_used_at FROM widget_tokens WHERE token_hash = ? AND widget_id = ? AND revoked_at IS NULL',
            [tokenHash, widgetId],
          ),
        );
        if (!row) return false;
        await touch('widget_tokens', row, now);
        return true;
      },
      async list(widgetId) {
        const rows = await all<{
          id: string;
          token_hash: string;
          prefix: string;
          widget_id: string;
          label: string | null;
          created_at: number;
          last_used_at: number | null;
        }>(
          'SELECT * FROM widget_tokens WHERE widget_id = ? AND revoked_at IS NULL ORDER BY created_at, seq',
          [widgetId],
        );
        return rows.map((r) => ({
          id: r.id,
          tokenHash: r.token_hash,
          prefix: r.prefix,
          widgetId: r.widget_id,
          label: r.label,
          createdAt: r.created_at,
          lastUsedAt: r.last_used_at,
        }));
      },
      async revoke(widgetId, id, now) {
        return (
          (await changing(() =>
            run(
              'UPDATE widget_tokens SET revoked_at = ? WHERE id = ? AND widget_id = ? AND revoked_at IS NULL',
              [now, id, widgetId],
            ),
          )) === 1
        );
      },
    },

    templates: {
      async insert(t) {
        await changing(() =>
          run(
            `INSERT INTO templates (id, account_id, widget_id, name, channel, subject, body, unicode, sender_id,
             dlt_template_id, translations, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              t.id,
              t.accountId,
              t.widgetId,
              t.name,
              t.channel,
              t.subject,
              t.body,
              t.unicode,
              t.senderId,
              t.dltTemplateId,
              JSON.stringify(t.translations),
              t.createdAt,
              t.updatedAt,
            ],
          ),
        );
      },
      async get(id) {
        const row = await one<TemplateRow>('SELECT * FROM templates WHERE id = ?', [id]);
        return row && toTemplate(row);
      },
      async list(accountId, filter = {}) {
        const rows =
          filter.widgetId === undefined
            ? await all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? ORDER BY updated_at DESC, id',
                [accountId],
              )
            : await all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? AND widget_id = ? ORDER BY updated_at DESC, id',
                [accountId, filter.widgetId],
              );
        return rows.map(toTemplate);
      },
      async update(t) {
        await changing(() =>
          run(
            `UPDATE templates SET widget_id = ?, name = ?, channel = ?, subject = ?, body = ?, unicode = ?,
             sender_id = ?, dlt_template_id = ?, translations = ?, updated_at = ? WHERE id = ?`,
            [
              t.widgetId,
              t.name,
              t.channel,
              t.subject,
              t.body,
              t.unicode,
              t.senderId,
              t.dltTemplateId,
              JSON.stringify(t.translations),
              t.updatedAt,
              t.id,
            ],
          ),
        );
      },
      async delete(id) {
        return (await changing(() => run('DELETE FROM templates WHERE id = ?', [id]))) === 1;
      },
      async findFor(accountId, widgetId, channel) {
        // Most widgets have no template of their own: "none" (null) is kept too.
        const found = await reads.get(`template:${accountId}:${widgetId}:${channel}`, async () => {
          const row = await one<TemplateRow>(
            `SELECT * FROM templates WHERE account_id = ? AND channel = ? AND (widget_id = ? OR widget_id IS NULL)
             ORDER BY widget_id IS NULL, updated_at DESC, id LIMIT 1`,
            [accountId, channel, widgetId],
          );
          return row ? deepFreeze(toTemplate(row)) : null;
        });
        return found ?? undefined;
      },
    },

    otpRequests: {
      send: (w) => combined.send(pool, w),
      verify: (w) => combined.verify(pool, w),
      create: (r, message, link) => combined.createRequest(pool, r, message, link),
      async get(id) {
        const row = await one<OtpRequestRow>('SELECT * FROM otp_requests WHERE id = ?', [id]);
        return row && toOtpRequest(row);
      },
      async latestFor(widgetId, identifier) {
        const row = await one<OtpRequestRow>(
          `SELECT * FROM otp_requests WHERE widget_id = ? AND identifier = ?
           ORDER BY created_at DESC, seq DESC LIMIT 1`,
          [widgetId, identifier],
        );
        return row && toOtpRequest(row);
      },
      async claimAttempt(id, widgetId, now) {
        const row = await one<OtpRequestRow>(
          `UPDATE otp_requests SET attempts = attempts + 1, updated_at = ?
           WHERE id = ? AND widget_id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
           RETURNING *`,
          [now, id, widgetId, now],
        );
        return row && toOtpRequest(row);
      },
      async completeVerification(id, now) {
        const row = await one<OtpRequestRow>(
          `UPDATE otp_requests SET status = 'verified', verified_at = ?, attempts = attempts - 1, updated_at = ?
           WHERE id = ? AND status = 'pending' RETURNING *`,
          [now, now, id],
        );
        return row && toOtpRequest(row);
      },
      async recordResend(id, widgetId, { channel, codeHash, now }, message, link) {
        // One statement: the message and link are inserted only if the resend was allowed.
        const params: unknown[] = [
          channel,
          codeHash,
          codeHash,
          now,
          now,
          now,
          id,
          widgetId,
          now,
          now,
        ];
        let sql = `WITH updated AS (
          UPDATE otp_requests
          SET resend_count = resend_count + 1, channel = ?,
              code_hashes = CASE WHEN ?::text IS NULL THEN code_hashes ELSE code_hashes || jsonb_build_array(?::text) END,
              last_sent_at = ?, expires_at = ?::bigint + ttl_ms, updated_at = ?
          WHERE id = ? AND widget_id = ? AND status = 'pending' AND expires_at > ?
            AND attempts < max_attempts AND resend_count < max_resends
            AND last_sent_at + resend_interval_ms <= ?
          RETURNING *)`;
        if (message) sql += messageCte('updated', message, params);
        if (link) sql += linkCte('updated', link, params);
        const row = await one<OtpRequestRow>(`${sql} SELECT * FROM updated`, params);
        return row && toOtpRequest(row);
      },
      async addFallback(id, { channel, codeHash, now }, message) {
        const params: unknown[] = [channel, codeHash, now, id, now];
        const sql = `WITH updated AS (
          UPDATE otp_requests
          SET fallback_count = fallback_count + 1, channel = ?,
              code_hashes = code_hashes || jsonb_build_array(?::text), updated_at = ?
          WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
          RETURNING *)${messageCte('updated', message, params)}`;
        const row = await one<OtpRequestRow>(`${sql} SELECT * FROM updated`, params);
        return row && toOtpRequest(row);
      },
    },

    magicLinks: {
      async get(tokenHash) {
        const row = await one<MagicLinkRow>('SELECT * FROM magic_links WHERE token_hash = ?', [
          tokenHash,
        ]);
        return row && toMagicLink(row);
      },
      async markOpened(tokenHash, now) {
        await run(
          'UPDATE magic_links SET opened_at = ? WHERE token_hash = ? AND opened_at IS NULL',
          [now, tokenHash],
        );
      },
      async confirm(tokenHash, now) {
        const row = await transaction(pool, async (c) => {
          const used = await one<{ request_id: string }>(
            `UPDATE magic_links SET used_at = ?
             WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING request_id`,
            [now, tokenHash, now],
            c,
          );
          if (!used) return undefined;
          const verified = await one<OtpRequestRow>(
            `UPDATE otp_requests SET status = 'verified', verified_at = ?, updated_at = ?
             WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
             RETURNING *`,
            [now, now, used.request_id, now],
            c,
          );
          // The link stays unused when its request can no longer be verified.
          if (!verified) throw new Rollback();
          return verified;
        });
        return row && toOtpRequest(row);
      },
      async refuse(tokenHash, now) {
        // A wrong match number: the link is used and its request's attempts are spent (it is ended).
        const row = await transaction(pool, async (c) => {
          const used = await one<{ request_id: string }>(
            `UPDATE magic_links SET used_at = ?
             WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING request_id`,
            [now, tokenHash, now],
            c,
          );
          if (!used) return undefined;
          const ended = await one<OtpRequestRow>(
            `UPDATE otp_requests SET attempts = max_attempts, updated_at = ?
             WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
             RETURNING *`,
            [now, used.request_id, now],
            c,
          );
          if (!ended) throw new Rollback();
          return ended;
        });
        return row && toOtpRequest(row);
      },
      async attachAccessToken(requestId, { sealed, jti }) {
        return (
          (await run(
            `UPDATE otp_requests SET access_token = ?, access_token_jti = ?
             WHERE id = ? AND status = 'verified' AND access_token IS NULL`,
            [sealed, jti, requestId],
          )) === 1
        );
      },
    },

    messages: {
      async get(id) {
        const row = await one<MessageRow>('SELECT * FROM messages WHERE id = ?', [id]);
        return row && toMessage(row);
      },
      async listForRequest(requestId) {
        return (
          await all<MessageRow>(
            'SELECT * FROM messages WHERE request_id = ? ORDER BY created_at, seq',
            [requestId],
          )
        ).map(toMessage);
      },
      async claimDue(now, leaseMs, limit) {
        // SKIP LOCKED: a worker passes over rows another worker is claiming
        // instead of waiting for them, and never gets the same row.
        const rows = await all<ClaimedMessageRow>(
          `WITH claimed AS (
             UPDATE messages SET attempts = attempts + 1, locked_until = ?, updated_at = ?
             WHERE id IN (
               SELECT id FROM messages
               WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
               ORDER BY next_attempt_at LIMIT ?
               FOR UPDATE SKIP LOCKED
             )
             RETURNING *)
           SELECT c.*, ${CLAIMED_REQUEST_COLUMNS}
           FROM claimed c LEFT JOIN otp_requests r ON r.id = c.request_id
           ORDER BY c.next_attempt_at`,
          [now + leaseMs, now, now, now, limit],
        );
        return rows.map(toClaimedMessage);
      },
      finish: (outcomes) => combined.finishMessages(pool, outcomes),
      async markSent(id, { provider, providerMessageId, now, fallbackAt }) {
        await run(
          `UPDATE messages SET status = 'sent', payload = '', locked_until = NULL, provider = ?,
             provider_message_id = ?, error = NULL, sent_at = ?, updated_at = ?, fallback_at = ?
           WHERE id = ? AND status = 'pending'`,
          [provider, providerMessageId, now, now, fallbackAt, id],
        );
      },
      async reschedule(id, { nextAttemptAt, error, now }) {
        await run(
          `UPDATE messages SET next_attempt_at = ?, locked_until = NULL, error = ?, updated_at = ?
           WHERE id = ? AND status = 'pending'`,
          [nextAttemptAt, error, now, id],
        );
      },
      async markFailed(id, { provider, error, now, fallbackAt }) {
        await run(
          `UPDATE messages SET status = 'failed', payload = '', locked_until = NULL,
             provider = coalesce(?, provider), error = ?, updated_at = ?, fallback_at = ?
           WHERE id = ? AND status = 'pending'`,
          [provider, error, now, fallbackAt, id],
        );
      },
      async report(provider, providerMessageId, { status, error, now }) {
        const row =
          status === 'delivered'
            ? await one<MessageRow>(
                `UPDATE messages SET status = 'delivered', delivered_at = ?, fallback_at = NULL, updated_at = ?
                 WHERE provider = ? AND provider_message_id = ? AND status IN ('pending', 'sent')
                 RETURNING *`,
                [now, now, provider, providerMessageId],
              )
            : await one<MessageRow>(
                `UPDATE messages SET status = 'failed', error = ?, updated_at = ?,
                   fallback_at = CASE WHEN fallback_at IS NOT NULL THEN ?::bigint END
                 WHERE provider = ? AND provider_message_id = ? AND status IN ('pending', 'sent')
                 RETURNING *`,
                [error ?? 'reported failed', now, now, provider, providerMessageId],
              );
        if (row) return toMessage(row);
        const known = await one<MessageRow>(
          'SELECT * FROM messages WHERE provider = ? AND provider_message_id = ?',
          [provider, providerMessageId],
        );
        return known && toMessage(known);
      },
      async queueStats() {
        const row = await one<{ depth: string; oldest: string | null }>(
          `SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM messages WHERE status = 'pending'`,
        );
        return {
          depth: Number(row?.depth ?? 0),
          oldestPendingAt: row?.oldest == null ? null : Number(row.oldest),
        };
      },
      async claimFallbacks(now, limit) {
        return claimMessages(
          `UPDATE messages SET fallback_at = NULL, updated_at = ?
           WHERE id IN (
             SELECT id FROM messages WHERE fallback_at IS NOT NULL AND fallback_at <= ? AND status <> 'delivered'
             ORDER BY fallback_at LIMIT ?
             FOR UPDATE SKIP LOCKED
           )
           RETURNING *`,
          [now, now, limit],
        );
      },
    },

    deliveries: {
      async insert(d) {
        await run(
          `INSERT INTO deliveries (id, message_id, attempt, request_id, channel, provider, provider_message_id,
             status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            d.id,
            d.messageId,
            d.attempt,
            d.requestId,
            d.channel,
            d.provider,
            d.providerMessageId,
            d.status,
            d.error,
            d.createdAt,
          ],
        );
      },
      async listForRequest(requestId) {
        return (
          await all<DeliveryRow>(
            'SELECT * FROM deliveries WHERE request_id = ? ORDER BY created_at, seq',
            [requestId],
          )
        ).map(toDelivery);
      },
    },

    accessTokens: {
      redeem: (jti, now, event) => combined.redeem(pool, jti, now, event),
      async insert(t) {
        await run(
          `INSERT INTO access_tokens (jti, request_id, widget_id, identifier, channel, issued_at, expires_at, demo)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            t.jti,
            t.requestId,
            t.widgetId,
            t.identifier,
            t.channel,
            t.issuedAt,
            t.expiresAt,
            t.demo,
          ],
        );
      },
      async get(jti) {
        const row = await one<AccessTokenRow>('SELECT * FROM access_tokens WHERE jti = ?', [jti]);
        return row && toAccessToken(row);
      },
      async markVerified(jti, now) {
        const row = await one<AccessTokenRow>(
          'UPDATE access_tokens SET verified_at = ? WHERE jti = ? AND verified_at IS NULL RETURNING *',
          [now, jti],
        );
        return row && toAccessToken(row);
      },
    },

    passkeys: {
      async insert(p) {
        return (await run(PASSKEY_SQL.insert, passkeyValues(p))) === 1;
      },
      async byCredentialId(credentialId) {
        const row = await one<PasskeyRow>(PASSKEY_SQL.byCredentialId, [credentialId]);
        return row && toPasskey(row);
      },
      async listFor(accountId, identifier) {
        return (await all<PasskeyRow>(PASSKEY_SQL.listFor, [accountId, identifier])).map(toPasskey);
      },
      async recordUse(id, counter, now) {
        return (await run(PASSKEY_SQL.recordUse, [counter, now, id, counter, counter])) === 1;
      },
      async revoke(accountId, id, now) {
        const row = await one<PasskeyRow>(PASSKEY_SQL.revoke, [now, accountId, id]);
        return row && toPasskey(row);
      },
    },

    passkeyChallenges: {
      async insert(c) {
        await run(PASSKEY_SQL.insertChallenge, [
          c.id,
          c.kind,
          c.widgetId,
          c.identifier,
          c.origin,
          c.requestId,
          c.expiresAt,
          c.createdAt,
        ]);
      },
      async peek(id, kind, now) {
        const row = await one<PasskeyChallengeRow>(PASSKEY_SQL.peekChallenge, [id, kind, now]);
        return row && toPasskeyChallenge(row);
      },
      async take(id, kind, now) {
        const row = await one<PasskeyChallengeRow>(PASSKEY_SQL.takeChallenge, [id, kind]);
        return row && row.expires_at > now ? toPasskeyChallenge(row) : undefined;
      },
      async purgeExpired(now) {
        return run(PASSKEY_SQL.purgeChallenges, [now]);
      },
    },

    signingKeys: {
      async list() {
        return (
          await all<SigningKeyRow>('SELECT * FROM signing_keys ORDER BY created_at DESC, seq DESC')
        ).map(toSigningKey);
      },
      async insert(k) {
        await run(
          'INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
          [k.kid, k.alg, k.publicJwk, k.privateJwk, k.createdAt, k.retiredAt],
        );
      },
      async retireAllBut(keepKid, now) {
        await run('UPDATE signing_keys SET retired_at = ? WHERE kid <> ? AND retired_at IS NULL', [
          now,
          keepKid,
        ]);
      },
    },

    outbox: {
      async insert(m) {
        await run(
          `INSERT INTO dev_outbox (id, request_id, recipient, channel, subject, text, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [m.id, m.requestId, m.to, m.channel, m.subject, m.text, m.createdAt],
        );
      },
      async list({ to, limit }) {
        type Row = {
          id: string;
          request_id: string | null;
          recipient: string;
          channel: string;
          subject: string | null;
          text: string;
          created_at: number;
        };
        const rows =
          to === undefined
            ? await all<Row>(
                'SELECT * FROM dev_outbox ORDER BY created_at DESC, seq DESC LIMIT ?',
                [limit],
              )
            : await all<Row>(
                'SELECT * FROM dev_outbox WHERE recipient = ? ORDER BY created_at DESC, seq DESC LIMIT ?',
                [to, limit],
              );
        return rows.map(
          (r): OutboxMessage => ({
            id: r.id,
            requestId: r.request_id,
            to: r.recipient,
            channel: r.channel as Channel,
            subject: r.subject,
            text: r.text,
            createdAt: r.created_at,
          }),
        );
      },
    },

    captcha: {
      async markUsed(challenge, expiresAt, now) {
        await run('DELETE FROM captcha_uses WHERE expires_at <= ?', [now]);
        return (
          (await run(
            'INSERT INTO captcha_uses (challenge, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
            [challenge, expiresAt],
          )) === 1
        );
      },
    },

    sendCounters: {
      async bump(widgetId, country, hour) {
        return (await one<{ count: number }>(
          `INSERT INTO send_counters (widget_id, country, hour, count) VALUES (?, ?, ?, 1)
           ON CONFLICT (widget_id, country, hour) DO UPDATE SET count = send_counters.count + 1
           RETURNING count`,
          [widgetId, country, hour],
        ))!.count;
      },
      async total(widgetId, country, fromHour, toHour) {
        return (
          (await one<{ n: number | null }>(
            'SELECT sum(count) AS n FROM send_counters WHERE widget_id = ? AND country = ? AND hour >= ? AND hour < ?',
            [widgetId, country, fromHour, toHour],
          ))!.n ?? 0
        );
      },
    },

    events: {
      async insert(e) {
        await run(
          `INSERT INTO request_events (request_id, widget_id, kind, outcome, ip, host, user_agent, created_at, identifier)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            e.requestId,
            e.widgetId,
            e.kind,
            e.outcome,
            e.ip,
            e.host,
            e.userAgent,
            e.createdAt,
            e.identifier ?? null,
          ],
        );
      },
      async listRefused(accountId, f) {
        const rows = await all<EventRow & { id: number; identifier: string | null }>(
          `SELECT e.* FROM request_events e JOIN widgets w ON w.id = e.widget_id
           WHERE w.account_id = ? AND e.request_id IS NULL AND e.outcome <> 'ok'
             AND e.created_at >= ? AND e.created_at <= ? AND (?::text IS NULL OR e.widget_id = ?) AND e.id < ?
           ORDER BY e.id DESC LIMIT ?`,
          [
            accountId,
            f.from,
            f.to,
            f.widgetId ?? null,
            f.widgetId ?? null,
            f.beforeId ?? Number.MAX_SAFE_INTEGER,
            f.limit,
          ],
        );
        return rows.map((r) => ({ id: r.id, ...toEvent(r), identifier: r.identifier }));
      },
      async listForRequest(requestId) {
        return (
          await all<EventRow>('SELECT * FROM request_events WHERE request_id = ? ORDER BY id', [
            requestId,
          ])
        ).map(toEvent);
      },
    },

    logs: postgresLogs(pool),
  };
  return store;
}

interface EventRow {
  request_id: string | null;
  widget_id: string | null;
  kind: string;
  outcome: string;
  ip: string | null;
  host: string | null;
  user_agent: string | null;
  created_at: number;
}

function toEvent(r: EventRow): RequestEvent {
  return {
    requestId: r.request_id,
    widgetId: r.widget_id,
    kind: r.kind,
    outcome: r.outcome,
    ip: r.ip,
    host: r.host,
    userAgent: r.user_agent,
    createdAt: r.created_at,
  };
}
