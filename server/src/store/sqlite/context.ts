/**
 * What the SQLite store's parts share: the connection, its prepared
 * statements, the group commit, the read cache, the counters, and the
 * single statements the operations are made of (combined in one write of
 * the group commit by send, verify and redeem).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { sha256Hex } from '../../platform/crypto.ts';
import type { CounterRefusal, LimitHit, PumpingHit } from '../limits.ts';
import { CHANNEL_BITS, channelBit } from '../log-sql.ts';
import type { AccessTokenRecord, NewMagicLink, NewMessage, RequestEvent, Store } from '../types.ts';
import { MAIN_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';
import { sqliteCounters } from './counters.ts';
import { Database } from './driver.ts';
import { createGroupCommit } from './group-commit.ts';
import { createReadCache } from './read-cache.ts';
import type { AccessTokenRow, OtpRequestRow } from './rows.ts';
import { sqliteDriver } from './sql-driver.ts';

export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** Thrown inside `undoable` to roll its savepoint back and answer `result`. */
export class Undo {
  constructor(readonly result: unknown) {}
}

/** Opens (creating if needed) a SQLite database file, or `:memory:`, and its shared parts. */
export function openSqliteContext(file: string) {
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
  // Widgets, widget tokens and authkeys are read on every call: see read-cache.ts for why this stays exact.
  const reads = createReadCache(db);
  // The writes of the hot paths (sends, verifications, deliveries, events) commit in groups: see group-commit.ts.
  const group = createGroupCommit(db);
  const write = group.write;
  // The shared SQL's driver (../sql/driver.ts) on this connection and group commit.
  const driver = sqliteDriver(db, stmt, group);
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
  // An event row describes a call and never undoes it: a refused row is reported (`eventError`), and
  // the statement's failure rolls back that statement only.
  const insertEvent = (e: RequestEvent): string | undefined => {
    try {
      insertEventRow(e);
      return undefined;
    } catch (error) {
      return String(error);
    }
  };
  const insertEventRow = (e: RequestEvent) =>
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

  return {
    db,
    checkpointer,
    cache,
    stmt,
    get,
    all,
    run,
    reads,
    group,
    write,
    driver,
    counters,
    undoable,
    spendAll,
    insertMessage,
    insertLink,
    claimAttemptRow,
    completeVerificationRow,
    insertAccessToken,
    markVerifiedRow,
    bumpSendCounter,
    insertEvent,
    insertEventRow,
    hashLegacyWidgetTokens,
    createRequest,
  };
}

export type SqliteContext = ReturnType<typeof openSqliteContext>;
