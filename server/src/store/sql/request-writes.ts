/**
 * The rows the request writes insert or change (a request, its message and
 * link, an access token, an event, a new code) as SQL and parameter lists,
 * built once for both engines, one object per row. Each engine keeps
 * its own way of running them, so that its hot path keeps its cost: SQLite
 * binds them to single statements in one write of the group commit
 * (sqlite/request-stores.ts), PostgreSQL to the CTEs of one statement
 * (postgres/operations.ts).
 */
import type {
  AccessTokenRecord,
  NewMagicLink,
  NewMessage,
  NewOtpRequest,
  RequestEvent,
} from '../types.ts';
import type { SqlDialect } from './driver.ts';

/** How a dialect binds a boolean and a JSON value. */
type Binds = Pick<SqlDialect, 'bool' | 'json'>;

/**
 * A new request. Each engine adds `status` ('pending') and its log columns
 * after `columns`. The request is written with its first message's log
 * columns (`last_message_id`, `delivery_status`), so that the message's
 * trigger need not rewrite it.
 */
export const requestRow = {
  columns: `id, verification_type, widget_id, identifier, contact_point, channel,
    code_hashes, max_attempts, max_resends, resend_interval_ms, ttl_ms, last_sent_at, expires_at,
    ip, host, user_agent, variables, demo, country, language, code_length, match_number, guess_owner,
    created_at, updated_at, last_message_id, delivery_status`,
  /** The values of `columns`; `message` is the request's first message, if any. */
  values(r: NewOtpRequest, message: NewMessage | undefined, dialect: Binds): unknown[] {
    return [
      r.id,
      r.verificationType,
      r.widgetId,
      r.identifier,
      r.contactPoint,
      r.channel,
      dialect.json(r.codeHashes),
      r.maxAttempts,
      r.maxResends,
      r.resendIntervalMs,
      r.ttlMs,
      r.lastSentAt,
      r.expiresAt,
      r.ip,
      r.host,
      r.userAgent,
      dialect.json(r.variables),
      dialect.bool(r.demo),
      r.country,
      r.language,
      r.codeLength ?? null,
      r.matchNumber ?? null,
      r.guessOwner ?? null,
      r.createdAt,
      r.createdAt,
      message?.id ?? null,
      message ? 'pending' : null,
    ];
  },
};

/** A new message, due at once; each engine adds its `status` ('pending') after `columns`. */
export const messageRow = {
  columns:
    'id, request_id, widget_id, channel, purpose, recipient, payload, next_attempt_at, created_at, updated_at',
  values(m: NewMessage): unknown[] {
    return [
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
    ];
  },
};

/** A new magic link. */
export const linkRow = {
  columns: 'token_hash, request_id, widget_id, expires_at, created_at',
  values(l: NewMagicLink): unknown[] {
    return [l.tokenHash, l.requestId, l.widgetId, l.expiresAt, l.createdAt];
  },
};

/** An access token, inserted by `insert` (the same SQL on both engines). */
export const accessTokenRow = {
  insert: `INSERT INTO access_tokens (jti, request_id, widget_id, identifier, channel, issued_at, expires_at, demo)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  values(t: Omit<AccessTokenRecord, 'verifiedAt'>, dialect: Pick<SqlDialect, 'bool'>): unknown[] {
    return [
      t.jti,
      t.requestId,
      t.widgetId,
      t.identifier,
      t.channel,
      t.issuedAt,
      t.expiresAt,
      dialect.bool(t.demo),
    ];
  },
};

/** An event row, inserted by `insert` (the same SQL on both engines). */
export const eventRow = {
  insert: `INSERT INTO request_events (request_id, outcome, widget_id, kind, ip, host, user_agent, created_at, identifier)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  values(e: RequestEvent): unknown[] {
    return [e.requestId, e.outcome, ...eventRow.call(e)];
  },
  /**
   * What the row says of its call: the values after the request id and the
   * outcome, in the order of the parameters after the request id of
   * `otpkit_record_event` (PostgreSQL, an `ok` row).
   */
  call(e: Omit<RequestEvent, 'outcome' | 'requestId'>): unknown[] {
    return [e.widgetId, e.kind, e.ip, e.host, e.userAgent, e.createdAt, e.identifier ?? null];
  },
};

/** `createVerified`: the request just created, verified at its creation. */
export const verifyCreated = {
  update: `UPDATE otp_requests SET status = 'verified', verified_at = ?, updated_at = ?
    WHERE id = ? RETURNING *`,
  values(r: NewOtpRequest): unknown[] {
    return [r.createdAt, r.createdAt, r.id];
  },
};

/**
 * A request's new code: a resend's update (`recordResend`: the request,
 * pending, not expired, with attempts and resends left, past its resend
 * interval; a NULL code keeps the codes) and an automatic fallback's
 * (`addFallback`: pending, not expired, with attempts left). Each returns the
 * request's row, or none when refused. `appendCode` is the engine's
 * expression of `code_hashes` with a parameter appended to the JSON list.
 */
export function codeUpdates(appendCode: string): { resend: string; fallback: string } {
  return {
    resend: `UPDATE otp_requests
      SET resend_count = resend_count + 1, channel = ?,
        code_hashes = CASE WHEN CAST(? AS TEXT) IS NULL THEN code_hashes ELSE ${appendCode} END,
        last_sent_at = ?, expires_at = CAST(? AS BIGINT) + ttl_ms, updated_at = ?
      WHERE id = ? AND widget_id = ? AND status = 'pending' AND expires_at > ?
        AND attempts < max_attempts AND resend_count < max_resends
        AND last_sent_at + resend_interval_ms <= ?
      RETURNING *`,
    fallback: `UPDATE otp_requests
      SET fallback_count = fallback_count + 1, channel = ?, code_hashes = ${appendCode}, updated_at = ?
      WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
      RETURNING *`,
  };
}

/** The parameters of `codeUpdates(…).resend`. */
export function resendValues(
  id: string,
  widgetId: string,
  change: { channel: string; codeHash: string | null; now: number },
): unknown[] {
  const { channel, codeHash, now } = change;
  return [channel, codeHash, codeHash, now, now, now, id, widgetId, now, now];
}

/** The parameters of `codeUpdates(…).fallback`. */
export function fallbackValues(
  id: string,
  change: { channel: string; codeHash: string; now: number },
): unknown[] {
  const { channel, codeHash, now } = change;
  return [channel, codeHash, now, id, now];
}
