/**
 * The embedded SQLite store (better-sqlite3, WAL mode). Each operation is
 * one statement or one transaction, so state changes are atomic even when
 * several requests interleave.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Channel } from '@otpkit/protocol';
import type BetterSqlite3 from 'better-sqlite3';
import { sha256Hex } from '../../platform/crypto.ts';
import type { CounterRefusal, LimitHit, PumpingHit } from '../limits.ts';
import { CHANNEL_BITS, channelBit } from '../log-rows.ts';
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
import type {
  AccessTokenRecord,
  DeliveryRecord,
  NewMagicLink,
  NewMessage,
  OutboxMessage,
  RequestEvent,
  SendWriteResult,
  SigningKey,
  Store,
  VerifyWriteResult,
} from '../types.ts';
import { MAIN_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';
import { sqliteCounters } from './counters.ts';
import { Database } from './driver.ts';
import { createGroupCommit } from './group-commit.ts';
import { sqliteLogs } from './logs.ts';
import { createReadCache, deepFreeze } from './read-cache.ts';
import {
  type AccessTokenRow,
  type OtpRequestRow,
  type TemplateRow,
  toAccessToken,
  toOtpRequest,
  toTemplate,
  toWidget,
  type WidgetRow,
} from './rows.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** SQLite binds no booleans: 1 and 0 instead. */
const sqliteValue = (value: unknown): unknown =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value;

/** The schema's migrations, in the order they apply. */
function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** Thrown inside a transaction to roll it back. */
class LinkRefused extends Error {}

/** Thrown inside `undoable` to roll its savepoint back and answer `result`. */
class Undo {
  constructor(readonly result: unknown) {}
}

/** Last-use times are kept to the minute: no write on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Opens (creating if needed) a SQLite database file, or `:memory:`.
 *
 * @example const store = openSqliteStore('./data/otpkit.db'); await store.migrate();
 */
export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A 4 MB page cache (SQLite's default here is 16 MB): the pages every write touches (the
  // B-trees' upper levels and right edges, rows being appended in id order) stay cached; the
  // rest is a read from the OS's file cache. Under a million requests the larger cache held
  // 12 MB more of the process's memory (the memory budget in BENCHMARKS.md).
  db.pragma('cache_size = -4096');
  // Checkpoints run on a worker thread (see checkpointer.ts); this connection's own is the backstop.
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(file);
  if (checkpointer) db.pragma(`wal_autocheckpoint = ${MAIN_AUTOCHECKPOINT_PAGES}`);

  // Statements are prepared lazily: the schema may not exist before migrate().
  const cache = new Map<string, BetterSqlite3.Statement>();
  const stmt = (sql: string): BetterSqlite3.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const get = <T>(sql: string, ...params: unknown[]): T | undefined =>
    stmt(sql).get(...params) as T | undefined;
  const all = <T>(sql: string, ...params: unknown[]): T[] => stmt(sql).all(...params) as T[];
  const run = (sql: string, ...params: unknown[]): BetterSqlite3.RunResult =>
    stmt(sql).run(...params);
  const touch = (
    table: 'authkeys' | 'widget_tokens',
    id: string,
    last: number | null,
    now: number,
  ): number | null => {
    if (last === null || now - last >= TOUCH_EVERY_MS) {
      run(`UPDATE ${table} SET last_used_at = ? WHERE id = ?`, now, id);
      return now;
    }
    return last;
  };
  // Widgets, widget tokens and authkeys are read on every call: see read-cache.ts for why this stays exact.
  const reads = createReadCache(db);
  // The writes of the hot paths (sends, verifications, deliveries, events) commit in groups: see group-commit.ts.
  const group = createGroupCommit(db);
  const write = group.write;
  const counters = sqliteCounters(stmt);
  /**
   * Runs `work` in a savepoint of the write it belongs to and undoes it when
   * it throws an `Undo`, whose result it returns: a refused call's counters
   * (and anything else it wrote) go back to what they were.
   */
  const undoable = <T>(work: () => T): T => {
    try {
      return db.transaction(work)();
    } catch (error) {
      if (error instanceof Undo) return error.result as T;
      throw error;
    }
  };
  /** A call's counters and pumping counter, all or nothing (inside `undoable`). */
  const spendAll = (
    hits: readonly LimitHit[],
    now: number,
    pumping: PumpingHit | null | undefined,
  ): void => {
    const refused = hits.length > 0 ? counters.spend(hits, now) : undefined;
    if (refused) throw new Undo({ kind: 'limited', ...refused } satisfies CounterRefusal);
    if (pumping) {
      const count = bumpSendCounter(pumping.widgetId, pumping.country, pumping.hour);
      if (count > pumping.ceiling)
        throw new Undo({ kind: 'pumping', count } satisfies CounterRefusal);
    }
  };

  const insertMessage = (m: NewMessage) =>
    run(
      `INSERT INTO messages (id, request_id, widget_id, channel, purpose, recipient, payload, status,
         next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      m.id,
      m.requestId,
      m.widgetId,
      m.channel,
      m.purpose,
      m.recipient,
      m.payload,
      m.createdAt,
      m.createdAt,
      m.createdAt,
    );

  const insertLink = (l: NewMagicLink) =>
    run(
      `INSERT INTO magic_links (token_hash, request_id, widget_id, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?)`,
      l.tokenHash,
      l.requestId,
      l.widgetId,
      l.expiresAt,
      l.createdAt,
    );
  // Single statements shared by the store's operations and its combined ones (send, verify, redeem),
  // which run several of them in one write of the group commit.
  const claimAttemptRow = (id: string, widgetId: string, now: number) =>
    get<OtpRequestRow>(
      `UPDATE otp_requests SET attempts = attempts + 1, updated_at = ?
       WHERE id = ? AND widget_id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
       RETURNING *`,
      now,
      id,
      widgetId,
      now,
    );
  const completeVerificationRow = (id: string, now: number) =>
    get<OtpRequestRow>(
      `UPDATE otp_requests SET status = 'verified', verified_at = ?, attempts = attempts - 1, updated_at = ?
       WHERE id = ? AND status = 'pending' RETURNING *`,
      now,
      now,
      id,
    );
  // The delivery worker's writes, one at a time or a batch of them in one write (`messages.finish`).
  const insertDelivery = (d: DeliveryRecord) =>
    run(
      `INSERT INTO deliveries (id, message_id, attempt, request_id, channel, provider, provider_message_id,
         status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    );
  const markSentRow = (
    id: string,
    s: { provider: string; providerMessageId: string; now: number; fallbackAt: number | null },
  ) =>
    run(
      `UPDATE messages SET status = 'sent', payload = '', locked_until = NULL, provider = ?,
         provider_message_id = ?, error = NULL, sent_at = ?, updated_at = ?, fallback_at = ?
       WHERE id = ? AND status = 'pending'`,
      s.provider,
      s.providerMessageId,
      s.now,
      s.now,
      s.fallbackAt,
      id,
    );
  const rescheduleRow = (id: string, c: { nextAttemptAt: number; error: string; now: number }) =>
    run(
      `UPDATE messages SET next_attempt_at = ?, locked_until = NULL, error = ?, updated_at = ?
       WHERE id = ? AND status = 'pending'`,
      c.nextAttemptAt,
      c.error,
      c.now,
      id,
    );
  const markFailedRow = (
    id: string,
    c: { provider: string | null; error: string; now: number; fallbackAt: number | null },
  ) =>
    run(
      `UPDATE messages SET status = 'failed', payload = '', locked_until = NULL,
         provider = coalesce(?, provider), error = ?, updated_at = ?, fallback_at = ?
       WHERE id = ? AND status = 'pending'`,
      c.provider,
      c.error,
      c.now,
      c.fallbackAt,
      id,
    );
  const insertAccessToken = (t: Omit<AccessTokenRecord, 'verifiedAt'>) =>
    run(
      `INSERT INTO access_tokens (jti, request_id, widget_id, identifier, channel, issued_at, expires_at, demo)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      t.jti,
      t.requestId,
      t.widgetId,
      t.identifier,
      t.channel,
      t.issuedAt,
      t.expiresAt,
      t.demo ? 1 : 0,
    );
  const markVerifiedRow = (jti: string, now: number) =>
    get<AccessTokenRow>(
      'UPDATE access_tokens SET verified_at = ? WHERE jti = ? AND verified_at IS NULL RETURNING *',
      now,
      jti,
    );
  const bumpSendCounter = (widgetId: string, country: string, hour: number) =>
    get<{ count: number }>(
      `INSERT INTO send_counters (widget_id, country, hour, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (widget_id, country, hour) DO UPDATE SET count = count + 1 RETURNING count`,
      widgetId,
      country,
      hour,
    )!.count;
  const insertEvent = (e: RequestEvent) =>
    run(
      `INSERT INTO request_events (request_id, widget_id, kind, outcome, ip, host, user_agent, created_at, identifier)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.requestId,
      e.widgetId,
      e.kind,
      e.outcome,
      e.ip,
      e.host,
      e.userAgent,
      e.createdAt,
      e.identifier ?? null,
    );

  // Widget tokens stored in clear before migration 005 get their hash, and lose the clear text.
  const hashLegacyWidgetTokens = () => {
    const rows = db
      .prepare('SELECT rowid, token FROM widget_tokens WHERE token_hash IS NULL')
      .all() as {
      rowid: number;
      token: string;
    }[];
    const update = db.prepare(
      'UPDATE widget_tokens SET token_hash = ?, prefix = ?, token = ? WHERE rowid = ?',
    );
    for (const r of rows) {
      update.run(sha256Hex(r.token), r.token.slice(0, 6), `hashed:${r.rowid}`, r.rowid);
    }
  };

  const createRequest = db.transaction(
    (
      r: Parameters<Store['otpRequests']['create']>[0],
      message?: NewMessage,
      link?: NewMagicLink,
    ) => {
      run(
        `UPDATE otp_requests SET status = 'superseded', updated_at = ?
       WHERE widget_id = ? AND identifier = ? AND status = 'pending'`,
        r.createdAt,
        r.widgetId,
        r.identifier,
      );
      const row = get<OtpRequestRow>(
        // The log's columns (006) for the request and its first message, written here rather than by triggers (010).
        `INSERT INTO otp_requests (id, verification_type, widget_id, identifier, contact_point, channel,
         code_hashes, status, max_attempts, max_resends, resend_interval_ms, ttl_ms, last_sent_at,
         expires_at, ip, host, user_agent, variables, demo, country, language, code_length, match_number, guess_owner,
         created_at, updated_at, first_channel, log_channels, last_message_id, delivery_status)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        r.id,
        r.verificationType,
        r.widgetId,
        r.identifier,
        r.contactPoint,
        r.channel,
        JSON.stringify(r.codeHashes),
        r.maxAttempts,
        r.maxResends,
        r.resendIntervalMs,
        r.ttlMs,
        r.lastSentAt,
        r.expiresAt,
        r.ip,
        r.host,
        r.userAgent,
        JSON.stringify(r.variables),
        r.demo ? 1 : 0,
        r.country,
        r.language,
        r.codeLength ?? null,
        r.matchNumber ?? null,
        r.guessOwner ?? null,
        r.createdAt,
        r.createdAt,
        r.channel,
        channelBit(r.channel) | (message ? CHANNEL_BITS[message.channel] : 0),
        message?.id ?? null,
        message ? 'pending' : null,
      );
      if (message) insertMessage(message);
      if (link) insertLink(link);
      return row;
    },
  );

  const confirmLink = db.transaction((tokenHash: string, now: number) => {
    const link = get<{ request_id: string }>(
      `UPDATE magic_links SET used_at = ?
       WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING request_id`,
      now,
      tokenHash,
      now,
    );
    if (!link) return undefined;
    const row = get<OtpRequestRow>(
      `UPDATE otp_requests SET status = 'verified', verified_at = ?, updated_at = ?
       WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts RETURNING *`,
      now,
      now,
      link.request_id,
      now,
    );
    // The link stays unused when its request can no longer be verified.
    if (!row) throw new LinkRefused();
    return row;
  });

  // A wrong match number: the link is used and its request's attempts are spent (it is ended).
  const refuseLink = db.transaction((tokenHash: string, now: number) => {
    const link = get<{ request_id: string }>(
      `UPDATE magic_links SET used_at = ?
       WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING request_id`,
      now,
      tokenHash,
      now,
    );
    if (!link) return undefined;
    const row = get<OtpRequestRow>(
      `UPDATE otp_requests SET attempts = max_attempts, updated_at = ?
       WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts RETURNING *`,
      now,
      link.request_id,
      now,
    );
    if (!row) throw new LinkRefused();
    return row;
  });

  return {
    async migrate() {
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
      );
      const applied = new Set(
        (db.prepare('SELECT version FROM schema_migrations').all() as { version: string }[]).map(
          (r) => r.version,
        ),
      );
      for (const name of migrationFiles()) {
        if (applied.has(name)) continue;
        const sql = readFileSync(new URL(name, MIGRATIONS_DIR), 'utf8');
        db.transaction(() => {
          db.exec(sql);
          if (name.startsWith('005_')) hashLegacyWidgetTokens();
          db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
            name,
            Date.now(),
          );
        })();
      }
      reads.clear();
    },

    async health() {
      // A missing table is a schema not created yet: every migration is pending.
      const table = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        .get();
      const applied = new Set(
        table
          ? (
              db.prepare('SELECT version FROM schema_migrations').all() as { version: string }[]
            ).map((r) => r.version)
          : [],
      );
      return { migrationsPending: migrationFiles().filter((f) => !applied.has(f)) };
    },

    async close() {
      group.flush();
      await checkpointer?.stop();
      db.close();
    },

    rateLimitBackend: () => ({
      kind: 'counters',
      hit: (hits, now, pumping) =>
        write(() =>
          undoable((): CounterRefusal | undefined => {
            spendAll(hits, now, pumping);
            return undefined;
          }),
        ),
      count: (key, seconds, now) => write(() => counters.count(key, seconds, now)),
      peek: async (key, now) => counters.peek(key, now),
      refund: (keys, now) => write(() => counters.refund(keys, now)),
      ownStore: true,
      client: db,
    }),

    settings: {
      async get(key) {
        return get<{ value: string }>('SELECT value FROM settings WHERE key = ?', key)?.value;
      },
      async setIfAbsent(key, value) {
        run(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
          key,
          value,
        );
        return get<{ value: string }>('SELECT value FROM settings WHERE key = ?', key)!.value;
      },
    },

    accounts: {
      async ensureDefault(id, now) {
        run(
          'INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
          id,
          'Default',
          now,
        );
        const row = get<{ id: string; name: string; created_at: number }>(
          'SELECT * FROM accounts WHERE id = ?',
          id,
        )!;
        return { id: row.id, name: row.name, createdAt: row.created_at };
      },
    },

    authkeys: {
      async countForAccount(accountId) {
        return get<{ n: number }>(
          'SELECT count(*) AS n FROM authkeys WHERE account_id = ? AND revoked_at IS NULL',
          accountId,
        )!.n;
      },
      async insert(key) {
        reads.clear();
        run(
          `INSERT INTO authkeys (id, hash, account_id, label, prefix, created_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
          key.id,
          key.hash,
          key.accountId,
          key.label,
          key.prefix,
          key.createdAt,
        );
      },
      async use(hash, now) {
        const row = reads.get(`authkey:${hash}`, () =>
          get<AuthkeyRow>('SELECT * FROM authkeys WHERE hash = ? AND revoked_at IS NULL', hash),
        );
        if (!row) return undefined;
        // The key as it was before this use (as an uncached read would return it).
        const key = toAuthkey(row);
        row.last_used_at = touch('authkeys', row.id, row.last_used_at, now);
        return key;
      },
      async list(accountId) {
        return all<AuthkeyRow>(
          'SELECT * FROM authkeys WHERE account_id = ? AND revoked_at IS NULL ORDER BY created_at, rowid',
          accountId,
        ).map(toAuthkey);
      },
      async revoke(accountId, id, now) {
        reads.clear();
        const revoked = get(
          `UPDATE authkeys SET revoked_at = ?
           WHERE id = ? AND account_id = ? AND revoked_at IS NULL
             AND (SELECT count(*) FROM authkeys WHERE account_id = ? AND revoked_at IS NULL) > 1
           RETURNING id`,
          now,
          id,
          accountId,
          accountId,
        );
        if (revoked) return 'revoked';
        const live = get(
          'SELECT 1 FROM authkeys WHERE id = ? AND account_id = ? AND revoked_at IS NULL',
          id,
          accountId,
        );
        return live ? 'last' : 'not_found';
      },
    },

    widgets: {
      async insert(w) {
        reads.clear();
        run(
          'INSERT INTO widgets (id, account_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
          w.id,
          w.accountId,
          JSON.stringify(w.settings),
          w.createdAt,
          w.updatedAt,
        );
      },
      async get(id) {
        return reads.get(`widget:${id}`, () => {
          const row = get<WidgetRow>(
            'SELECT * FROM widgets WHERE id = ? AND deleted_at IS NULL',
            id,
          );
          return row && deepFreeze(toWidget(row));
        });
      },
      async list(accountId) {
        return all<WidgetRow>(
          'SELECT * FROM widgets WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id',
          accountId,
        ).map(toWidget);
      },
      async update(id, settings, now) {
        reads.clear();
        const row = get<WidgetRow>(
          'UPDATE widgets SET settings = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL RETURNING *',
          JSON.stringify(settings),
          now,
          id,
        );
        return row && toWidget(row);
      },
      async delete(id, now) {
        reads.clear();
        return (
          run('UPDATE widgets SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL', now, id)
            .changes === 1
        );
      },
    },

    widgetTokens: {
      async insert(t) {
        reads.clear();
        run(
          `INSERT INTO widget_tokens (id, token, token_hash, prefix, widget_id, label, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          t.id,
          `hashed:${t.id}`,
          t.tokenHash,
          t.prefix,
          t.widgetId,
          t.label,
          t.createdAt,
        );
      },
      async use(widgetId, tokenHash, now) {
        const row = reads.get(`token:${widgetId}:${tokenHash}`, () =>
          get<{ id: string; last_used_at: number | null }>(
            'SELECT id, last_used_at FROM widget_tokens WHERE token_hash = ? AND widget_id = ? AND revoked_at IS NULL',
            tokenHash,
            widgetId,
          ),
        );
        if (!row) return false;
        row.last_used_at = touch('widget_tokens', row.id, row.last_used_at, now);
        return true;
      },
      async list(widgetId) {
        return all<{
          id: string;
          token_hash: string;
          prefix: string;
          widget_id: string;
          label: string | null;
          created_at: number;
          last_used_at: number | null;
        }>(
          'SELECT * FROM widget_tokens WHERE widget_id = ? AND revoked_at IS NULL ORDER BY created_at, rowid',
          widgetId,
        ).map((r) => ({
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
        reads.clear();
        return (
          run(
            'UPDATE widget_tokens SET revoked_at = ? WHERE id = ? AND widget_id = ? AND revoked_at IS NULL',
            now,
            id,
            widgetId,
          ).changes === 1
        );
      },
    },

    templates: {
      async insert(t) {
        reads.clear();
        run(
          `INSERT INTO templates (id, account_id, widget_id, name, channel, subject, body, unicode, sender_id,
             dlt_template_id, translations, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          t.id,
          t.accountId,
          t.widgetId,
          t.name,
          t.channel,
          t.subject,
          t.body,
          t.unicode ? 1 : 0,
          t.senderId,
          t.dltTemplateId,
          JSON.stringify(t.translations),
          t.createdAt,
          t.updatedAt,
        );
      },
      async get(id) {
        const row = get<TemplateRow>('SELECT * FROM templates WHERE id = ?', id);
        return row && toTemplate(row);
      },
      async list(accountId, filter = {}) {
        const rows =
          filter.widgetId === undefined
            ? all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? ORDER BY updated_at DESC, id',
                accountId,
              )
            : all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? AND widget_id = ? ORDER BY updated_at DESC, id',
                accountId,
                filter.widgetId,
              );
        return rows.map(toTemplate);
      },
      async update(t) {
        reads.clear();
        run(
          `UPDATE templates SET widget_id = ?, name = ?, channel = ?, subject = ?, body = ?, unicode = ?,
             sender_id = ?, dlt_template_id = ?, translations = ?, updated_at = ? WHERE id = ?`,
          t.widgetId,
          t.name,
          t.channel,
          t.subject,
          t.body,
          t.unicode ? 1 : 0,
          t.senderId,
          t.dltTemplateId,
          JSON.stringify(t.translations),
          t.updatedAt,
          t.id,
        );
      },
      async delete(id) {
        reads.clear();
        return run('DELETE FROM templates WHERE id = ?', id).changes === 1;
      },
      async findFor(accountId, widgetId, channel) {
        // Read for every message composed: cached like widgets (see read-cache.ts), the answer
        // "none" included (most widgets use the built-in wording).
        return reads.get(`template:${accountId}:${widgetId}:${channel}`, () => {
          const row = get<TemplateRow>(
            `SELECT * FROM templates WHERE account_id = ? AND channel = ? AND (widget_id = ? OR widget_id IS NULL)
             ORDER BY widget_id IS NULL, updated_at DESC, id LIMIT 1`,
            accountId,
            channel,
            widgetId,
          );
          return { template: row && deepFreeze(toTemplate(row)) };
        })?.template;
      },
    },

    otpRequests: {
      create(request, message, link) {
        return write(() => {
          return toOtpRequest(createRequest(request, message, link)!);
        });
      },
      send(w) {
        return write(() =>
          undoable((): SendWriteResult => {
            spendAll(w.limits, w.limitsNow, w.pumping);
            const request = toOtpRequest(createRequest(w.request, w.message, w.link)!);
            insertEvent({ ...w.event, requestId: request.id, outcome: 'ok' });
            return { kind: 'created', request };
          }),
        );
      },
      verify(w) {
        return write(() =>
          undoable((): VerifyWriteResult => {
            spendAll(w.limits, w.limitsNow, null);
            const claimedRow = claimAttemptRow(w.id, w.widgetId, w.now);
            if (!claimedRow) return { kind: 'unclaimed' };
            const claimed = toOtpRequest(claimedRow);
            const right = claimed.codeHashes.some((h) => w.candidates.includes(h));
            const guess =
              w.guess && claimedRow.guess_owner !== null
                ? {
                    key: w.guess.keyPrefix + claimedRow.guess_owner,
                    points: w.guess.points,
                    seconds: w.guess.seconds,
                  }
                : undefined;
            if (guess) {
              // A wrong code spends a point of the identifier's guess budget; once it is spent,
              // every code is refused, and the attempt and the limits are undone with the refusal.
              const refused = right
                ? (() => {
                    const spent = counters.peek(guess.key, w.limitsNow);
                    return spent.points >= guess.points ? spent : undefined;
                  })()
                : counters.spend([guess], w.limitsNow);
              if (refused) {
                throw new Undo({
                  kind: 'limited',
                  index: w.limits.length,
                  msBeforeNext: refused.msBeforeNext,
                } satisfies VerifyWriteResult);
              }
            }
            if (!right) return { kind: 'mismatch', claimed };
            const verifiedRow = completeVerificationRow(w.id, w.now);
            if (!verifiedRow) return { kind: 'lost' };
            const verified = toOtpRequest(verifiedRow);
            if (w.token) {
              insertAccessToken({
                ...w.token,
                requestId: verified.id,
                widgetId: verified.widgetId,
                identifier: verified.identifier,
                channel: verified.channel,
                demo: verified.demo,
              });
            }
            insertEvent({ ...w.event, requestId: verified.id, outcome: 'ok' });
            return { kind: 'verified', request: verified };
          }),
        );
      },
      async get(id) {
        const row = get<OtpRequestRow>('SELECT * FROM otp_requests WHERE id = ?', id);
        return row && toOtpRequest(row);
      },
      async latestFor(widgetId, identifier) {
        const row = get<OtpRequestRow>(
          `SELECT * FROM otp_requests WHERE widget_id = ? AND identifier = ?
           ORDER BY created_at DESC, rowid DESC LIMIT 1`,
          widgetId,
          identifier,
        );
        return row && toOtpRequest(row);
      },
      claimAttempt(id, widgetId, now) {
        return write(() => {
          const row = claimAttemptRow(id, widgetId, now);
          return row && toOtpRequest(row);
        });
      },
      completeVerification(id, now) {
        return write(() => {
          const row = completeVerificationRow(id, now);
          return row && toOtpRequest(row);
        });
      },
      recordResend(id, widgetId, { channel, codeHash, now }, message, link) {
        return write(() => {
          const row = db.transaction(() => {
            const updated = get<OtpRequestRow>(
              `UPDATE otp_requests
               SET resend_count = resend_count + 1, channel = ?,
                   code_hashes = CASE WHEN ? IS NULL THEN code_hashes ELSE json_insert(code_hashes, '$[#]', ?) END,
                   last_sent_at = ?, expires_at = ? + ttl_ms, updated_at = ?
               WHERE id = ? AND widget_id = ? AND status = 'pending' AND expires_at > ?
                 AND attempts < max_attempts AND resend_count < max_resends
                 AND last_sent_at + resend_interval_ms <= ?
               RETURNING *`,
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
            );
            if (updated && message) insertMessage(message);
            if (updated && link) insertLink(link);
            return updated;
          })();
          return row && toOtpRequest(row);
        });
      },
      addFallback(id, { channel, codeHash, now }, message) {
        return write(() => {
          const row = db.transaction(() => {
            const updated = get<OtpRequestRow>(
              `UPDATE otp_requests
               SET fallback_count = fallback_count + 1, channel = ?,
                   code_hashes = json_insert(code_hashes, '$[#]', ?), updated_at = ?
               WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
               RETURNING *`,
              channel,
              codeHash,
              now,
              id,
              now,
            );
            if (updated) insertMessage(message);
            return updated;
          })();
          return row && toOtpRequest(row);
        });
      },
    },

    magicLinks: {
      async get(tokenHash) {
        const row = get<MagicLinkRow>('SELECT * FROM magic_links WHERE token_hash = ?', tokenHash);
        return row && toMagicLink(row);
      },
      markOpened(tokenHash, now) {
        return write(() => {
          run(
            'UPDATE magic_links SET opened_at = ? WHERE token_hash = ? AND opened_at IS NULL',
            now,
            tokenHash,
          );
        });
      },
      confirm(tokenHash, now) {
        return write(() => {
          try {
            const row = confirmLink(tokenHash, now);
            return row && toOtpRequest(row);
          } catch (error) {
            if (error instanceof LinkRefused) return undefined;
            throw error;
          }
        });
      },
      refuse(tokenHash, now) {
        return write(() => {
          try {
            const row = refuseLink(tokenHash, now);
            return row && toOtpRequest(row);
          } catch (error) {
            if (error instanceof LinkRefused) return undefined;
            throw error;
          }
        });
      },
      attachAccessToken(requestId, { sealed, jti }) {
        return write(() => {
          return (
            run(
              `UPDATE otp_requests SET access_token = ?, access_token_jti = ?
               WHERE id = ? AND status = 'verified' AND access_token IS NULL`,
              sealed,
              jti,
              requestId,
            ).changes === 1
          );
        });
      },
    },

    messages: {
      async get(id) {
        const row = get<MessageRow>('SELECT * FROM messages WHERE id = ?', id);
        return row && toMessage(row);
      },
      async listForRequest(requestId) {
        return all<MessageRow>(
          'SELECT * FROM messages WHERE request_id = ? ORDER BY created_at, rowid',
          requestId,
        ).map(toMessage);
      },
      claimDue(now, leaseMs, limit) {
        return write(() => {
          return all<MessageRow>(
            `UPDATE messages SET attempts = attempts + 1, locked_until = ?, updated_at = ?
             WHERE id IN (
               SELECT id FROM messages
               WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
               ORDER BY next_attempt_at LIMIT ?
             )
             RETURNING *`,
            now + leaseMs,
            now,
            now,
            now,
            limit,
          ).map((m) =>
            toClaimedMessage({
              request_status: null,
              request_expires_at: null,
              ...m,
              ...get<Pick<ClaimedMessageRow, 'request_status' | 'request_expires_at'>>(
                `SELECT ${CLAIMED_REQUEST_COLUMNS} FROM otp_requests r WHERE r.id = ?`,
                m.request_id,
              ),
            }),
          );
        });
      },
      markSent(id, sent) {
        return write(() => {
          markSentRow(id, sent);
        });
      },
      reschedule(id, change) {
        return write(() => {
          rescheduleRow(id, change);
        });
      },
      markFailed(id, change) {
        return write(() => {
          markFailedRow(id, change);
        });
      },
      finish(outcomes) {
        return write(() =>
          db.transaction(() => {
            for (const o of outcomes) {
              for (const d of o.deliveries) insertDelivery(d);
              if (o.kind === 'sent') markSentRow(o.id, o);
              else if (o.kind === 'failed') markFailedRow(o.id, o);
              else rescheduleRow(o.id, o);
            }
          })(),
        );
      },
      report(provider, providerMessageId, { status, error, now }) {
        return write(() => {
          const row =
            status === 'delivered'
              ? get<MessageRow>(
                  `UPDATE messages SET status = 'delivered', delivered_at = ?, fallback_at = NULL, updated_at = ?
                   WHERE provider = ? AND provider_message_id = ? AND status IN ('pending', 'sent')
                   RETURNING *`,
                  now,
                  now,
                  provider,
                  providerMessageId,
                )
              : get<MessageRow>(
                  `UPDATE messages SET status = 'failed', error = ?, updated_at = ?,
                     fallback_at = CASE WHEN fallback_at IS NOT NULL THEN ? END
                   WHERE provider = ? AND provider_message_id = ? AND status IN ('pending', 'sent')
                   RETURNING *`,
                  error ?? 'reported failed',
                  now,
                  now,
                  provider,
                  providerMessageId,
                );
          if (row) return toMessage(row);
          const known = get<MessageRow>(
            'SELECT * FROM messages WHERE provider = ? AND provider_message_id = ?',
            provider,
            providerMessageId,
          );
          return known && toMessage(known);
        });
      },
      claimFallbacks(now, limit) {
        return write(() => {
          return all<MessageRow>(
            `UPDATE messages SET fallback_at = NULL, updated_at = ?
             WHERE id IN (
               SELECT id FROM messages WHERE fallback_at IS NOT NULL AND fallback_at <= ? AND status != 'delivered'
               ORDER BY fallback_at LIMIT ?
             )
             RETURNING *`,
            now,
            now,
            limit,
          ).map(toMessage);
        });
      },
      async queueStats() {
        const row = get<{ depth: number; oldest: number | null }>(
          `SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM messages WHERE status = 'pending'`,
        );
        return { depth: row?.depth ?? 0, oldestPendingAt: row?.oldest ?? null };
      },
    },

    deliveries: {
      insert(d) {
        return write(() => {
          insertDelivery(d);
        });
      },
      async listForRequest(requestId) {
        return all<{
          id: string;
          message_id: string | null;
          attempt: number;
          request_id: string;
          channel: string;
          provider: string;
          provider_message_id: string | null;
          status: string;
          error: string | null;
          created_at: number;
        }>(
          'SELECT * FROM deliveries WHERE request_id = ? ORDER BY created_at, rowid',
          requestId,
        ).map(
          (r): DeliveryRecord => ({
            id: r.id,
            messageId: r.message_id,
            attempt: r.attempt,
            requestId: r.request_id,
            channel: r.channel as Channel,
            provider: r.provider,
            providerMessageId: r.provider_message_id,
            status: r.status as DeliveryRecord['status'],
            error: r.error,
            createdAt: r.created_at,
          }),
        );
      },
    },

    accessTokens: {
      insert(t) {
        return write(() => {
          insertAccessToken(t);
        });
      },
      async get(jti) {
        const row = get<AccessTokenRow>('SELECT * FROM access_tokens WHERE jti = ?', jti);
        return row && toAccessToken(row);
      },
      markVerified(jti, now) {
        return write(() => {
          const row = markVerifiedRow(jti, now);
          return row && toAccessToken(row);
        });
      },
      redeem(jti, now, event) {
        return write(() => {
          const row = markVerifiedRow(jti, now);
          if (!row) return undefined;
          const request = get<{ verified_at: number | null }>(
            'SELECT verified_at FROM otp_requests WHERE id = ?',
            row.request_id,
          );
          insertEvent({ ...event, outcome: 'ok' });
          return { record: toAccessToken(row), requestVerifiedAt: request?.verified_at ?? null };
        });
      },
    },

    passkeys: {
      insert(p) {
        return write(
          () => run(PASSKEY_SQL.insert, ...passkeyValues(p).map(sqliteValue)).changes === 1,
        );
      },
      async byCredentialId(credentialId) {
        const row = get<PasskeyRow>(PASSKEY_SQL.byCredentialId, credentialId);
        return row && toPasskey(row);
      },
      async listFor(accountId, identifier) {
        return all<PasskeyRow>(PASSKEY_SQL.listFor, accountId, identifier).map(toPasskey);
      },
      recordUse(id, counter, now) {
        return write(
          () => run(PASSKEY_SQL.recordUse, counter, now, id, counter, counter).changes === 1,
        );
      },
      revoke(accountId, id, now) {
        return write(() => {
          const row = get<PasskeyRow>(PASSKEY_SQL.revoke, now, accountId, id);
          return row && toPasskey(row);
        });
      },
    },

    passkeyChallenges: {
      insert(c) {
        return write(() => {
          run(
            PASSKEY_SQL.insertChallenge,
            c.id,
            c.kind,
            c.widgetId,
            c.identifier,
            c.origin,
            c.requestId,
            c.expiresAt,
            c.createdAt,
          );
        });
      },
      async peek(id, kind, now) {
        const row = get<PasskeyChallengeRow>(PASSKEY_SQL.peekChallenge, id, kind, now);
        return row && toPasskeyChallenge(row);
      },
      take(id, kind, now) {
        return write(() => {
          const row = get<PasskeyChallengeRow>(PASSKEY_SQL.takeChallenge, id, kind);
          return row && row.expires_at > now ? toPasskeyChallenge(row) : undefined;
        });
      },
      purgeExpired(now) {
        return write(() => run(PASSKEY_SQL.purgeChallenges, now).changes);
      },
    },

    signingKeys: {
      async list() {
        return all<{
          kid: string;
          alg: string;
          public_jwk: string;
          private_jwk: string;
          created_at: number;
          retired_at: number | null;
        }>('SELECT * FROM signing_keys ORDER BY created_at DESC, rowid DESC').map(
          (r): SigningKey => ({
            kid: r.kid,
            alg: r.alg as 'EdDSA',
            publicJwk: r.public_jwk,
            privateJwk: r.private_jwk,
            createdAt: r.created_at,
            retiredAt: r.retired_at,
          }),
        );
      },
      async insert(k) {
        run(
          'INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
          k.kid,
          k.alg,
          k.publicJwk,
          k.privateJwk,
          k.createdAt,
          k.retiredAt,
        );
      },
      async retireAllBut(keepKid, now) {
        run(
          'UPDATE signing_keys SET retired_at = ? WHERE kid != ? AND retired_at IS NULL',
          now,
          keepKid,
        );
      },
    },

    outbox: {
      insert(m) {
        return write(() => {
          run(
            `INSERT INTO dev_outbox (id, request_id, recipient, channel, subject, text, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
            m.id,
            m.requestId,
            m.to,
            m.channel,
            m.subject,
            m.text,
            m.createdAt,
          );
        });
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
            ? all<Row>(
                'SELECT * FROM dev_outbox ORDER BY created_at DESC, rowid DESC LIMIT ?',
                limit,
              )
            : all<Row>(
                'SELECT * FROM dev_outbox WHERE recipient = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
                to,
                limit,
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
      markUsed(challenge, expiresAt, now) {
        return write(() => {
          run('DELETE FROM captcha_uses WHERE expires_at <= ?', now);
          return (
            run(
              'INSERT INTO captcha_uses (challenge, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
              challenge,
              expiresAt,
            ).changes === 1
          );
        });
      },
    },

    sendCounters: {
      bump(widgetId, country, hour) {
        return write(() => bumpSendCounter(widgetId, country, hour));
      },
      async total(widgetId, country, fromHour, toHour) {
        return (
          get<{ n: number | null }>(
            'SELECT sum(count) AS n FROM send_counters WHERE widget_id = ? AND country = ? AND hour >= ? AND hour < ?',
            widgetId,
            country,
            fromHour,
            toHour,
          )!.n ?? 0
        );
      },
    },

    events: {
      insert(e) {
        return write(() => {
          insertEvent(e);
        });
      },
      async listRefused(accountId, f) {
        return all<{
          id: number;
          request_id: string | null;
          widget_id: string | null;
          kind: string;
          outcome: string;
          ip: string | null;
          host: string | null;
          user_agent: string | null;
          created_at: number;
          identifier: string | null;
        }>(
          `SELECT e.* FROM request_events e JOIN widgets w ON w.id = e.widget_id
           WHERE w.account_id = ? AND e.request_id IS NULL AND e.outcome != 'ok'
             AND e.created_at >= ? AND e.created_at <= ? AND (? IS NULL OR e.widget_id = ?) AND e.id < ?
           ORDER BY e.id DESC LIMIT ?`,
          accountId,
          f.from,
          f.to,
          f.widgetId ?? null,
          f.widgetId ?? null,
          f.beforeId ?? Number.MAX_SAFE_INTEGER,
          f.limit,
        ).map((r) => ({
          id: r.id,
          requestId: r.request_id,
          widgetId: r.widget_id,
          kind: r.kind,
          outcome: r.outcome,
          ip: r.ip,
          host: r.host,
          userAgent: r.user_agent,
          createdAt: r.created_at,
          identifier: r.identifier,
        }));
      },
      async listForRequest(requestId) {
        return all<{
          request_id: string | null;
          widget_id: string | null;
          kind: string;
          outcome: string;
          ip: string | null;
          host: string | null;
          user_agent: string | null;
          created_at: number;
        }>('SELECT * FROM request_events WHERE request_id = ? ORDER BY id', requestId).map((r) => ({
          requestId: r.request_id,
          widgetId: r.widget_id,
          kind: r.kind,
          outcome: r.outcome,
          ip: r.ip,
          host: r.host,
          userAgent: r.user_agent,
          createdAt: r.created_at,
        }));
      },
    },

    logs: sqliteLogs(db, stmt),
  };
}
