/**
 * The PostgreSQL store's combined operations, each one statement and so one
 * round trip, all or nothing (a statement is its own transaction):
 * - a send: the call's rate-limit and pumping counters (`otpkit_count_hits`,
 *   migration 015), the superseding of the pending request under its lock
 *   (`otpkit_supersede_pending`, 014), the request, its message, its link and
 *   the call's event row (guarded: `otpkit_record_event`, migration 024), as CTEs
 *   of one statement;
 * - a code check: `otpkit_verify` (migration 024);
 * - a token redemption: the token's update, its event row and the request's
 *   verification time.
 * Each is gated by the read cache's generation (migration 027, read-cache.ts):
 * given the generation the caller's cached rows were read at, it does
 * nothing and throws `StaleRead` when a change has moved it since.
 *
 * `relaxedCommit` (the dialect's, ../sql/driver.ts) lets a send, a code check
 * and a batch of deliveries commit without waiting for their WAL flush: a
 * crash of the database may lose the last of them (a code to ask for again, an
 * attempt or a rate-limit point not counted, a message sent again). A token
 * redemption always waits: a lost one could be redeemed twice.
 */
import { eventRow, linkRow, messageRow, requestRow } from '../sql/request-writes.ts';
import type {
  MessageOutcome,
  NewMagicLink,
  NewMessage,
  NewOtpRequest,
  RequestEvent,
  SendWrite,
  SendWriteResult,
  VerifyWrite,
  VerifyWriteResult,
} from '../types.ts';
import { COUNT_HITS, countHitsValues, hitArrays } from './counters.ts';
import { lockLiteral, type Queryable, query } from './db.ts';
import { postgresDialect } from './driver.ts';
import { type AccessTokenRow, type OtpRequestRow, toAccessToken, toOtpRequest } from './rows.ts';

/**
 * Thrown by an operation refused, with no effect, because a change has moved
 * the generation the caller's cached rows were read at (never without one).
 */
export class StaleRead extends Error {
  override name = 'StaleRead';
}

/**
 * The gate CTE: whether the generation is still the one the caller's cached
 * rows were read at (true when it carries none). A pseudo-constant condition
 * on it becomes a one-time filter: when false, nothing under it runs.
 */
function gateCte(generation: number | null, params: unknown[]): string {
  params.push(generation);
  return `gate AS (SELECT coalesce((SELECT generation FROM otpkit_cache_generation) = ?::bigint, true) AS fresh)`;
}

/** A request's message, inserted by a CTE of the statement that writes the request (`source`). */
export function messageCte(source: string, m: NewMessage, params: unknown[]): string {
  params.push(...messageRow.values(m));
  return `, message AS (
      INSERT INTO messages (${messageRow.columns}, status)
      SELECT ?, ?, ?, ?, ?, ?, ?, ?::bigint, ?::bigint, ?::bigint, 'pending' FROM ${source})`;
}

/** A request's magic link, inserted by a CTE of the statement that writes the request (`source`). */
export function linkCte(source: string, l: NewMagicLink, params: unknown[]): string {
  params.push(...linkRow.values(l));
  return `, link AS (
      INSERT INTO magic_links (${linkRow.columns}) SELECT ?, ?, ?, ?::bigint, ?::bigint FROM ${source})`;
}

/**
 * The call's event row for the request `source` wrote (outcome `ok`), guarded
 * (`otpkit_record_event`, migration 024): a refused row leaves the rest of the
 * statement as it is, and `event.error` says why.
 */
function eventCte(
  source: string,
  e: Omit<RequestEvent, 'outcome' | 'requestId'>,
  params: unknown[],
): string {
  params.push(...eventRow.call(e));
  return `, event AS (
      SELECT otpkit_record_event(id, ?, ?, ?, ?, ?, ?::bigint, ?) AS error FROM ${source})`;
}

/**
 * The request CTE: `otpkit_supersede_pending` takes the lock of the widget
 * and identifier and supersedes the pending request, then the request is
 * inserted; the lock holds until the statement commits, so exactly one
 * stays pending when two arrive together. `when` gates it (a refusal of the
 * counters writes nothing). The request is inserted with its first message's
 * log columns, so that the message's trigger need not rewrite it (migration 025).
 */
function requestCtes(
  r: NewOtpRequest,
  params: unknown[],
  message: NewMessage | undefined,
  when = '',
): string {
  params.push(
    lockLiteral(`otp_requests:${r.widgetId}\n${r.identifier}`),
    r.widgetId,
    r.identifier,
    r.createdAt,
    ...requestRow.values(r, message, postgresDialect),
    message?.channel ?? '',
  );
  return `superseded AS (SELECT otpkit_supersede_pending(?::bigint, ?, ?, ?::bigint) ${when}),
    request AS (
      INSERT INTO otp_requests (${requestRow.columns}, status, log_channels)
      SELECT ?, ?, ?, ?, ?, ?, ?::jsonb, ?::integer, ?::integer, ?::bigint, ?::bigint, ?::bigint, ?::bigint,
        ?, ?, ?, ?::json, ?::boolean, ?, ?, ?::integer, ?::smallint, ?, ?::bigint, ?::bigint, ?, ?,
        'pending', otpkit_channel_bit(?)
      FROM superseded RETURNING *)`;
}

/** `otpRequests.create`: the request, its message and its link, one statement. */
export async function createRequest(
  db: Queryable,
  r: NewOtpRequest,
  message?: NewMessage,
  link?: NewMagicLink,
) {
  const params: unknown[] = [];
  let sql = `WITH ${requestCtes(r, params, message)}`;
  if (message) sql += messageCte('request', message, params);
  if (link) sql += linkCte('request', link, params);
  const { rows } = await query<OtpRequestRow>(db, `${sql} SELECT * FROM request`, params);
  return toOtpRequest(rows[0]!);
}

/**
 * How a combined write runs: the generation the caller's cached rows were
 * read at (`null`: none, never stale), and the dialect's `relaxedCommit`.
 */
export interface WriteOptions {
  generation?: number | null;
  relaxedCommit?: string;
}

/** `otpRequests.send`: counters, request, message, link and event, one statement. */
export async function send(
  db: Queryable,
  w: SendWrite,
  { generation = null, relaxedCommit = '' }: WriteOptions = {},
): Promise<SendWriteResult> {
  const params: unknown[] = [];
  const gate = gateCte(generation, params);
  params.push(...countHitsValues(w.limits, w.limitsNow, w.pumping));
  // The counters first: the request's CTEs read `refusal`, so it is counted before them, once.
  let sql = `WITH ${gate}, refusal AS (
      SELECT * FROM ${COUNT_HITS} WHERE (SELECT fresh FROM gate)),
    ${requestCtes(w.request, params, w.message, 'WHERE NOT EXISTS (SELECT 1 FROM refusal) AND (SELECT fresh FROM gate)')}`;
  if (w.message) sql += messageCte('request', w.message, params);
  if (w.link) sql += linkCte('request', w.link, params);
  sql += eventCte('request', w.event, params);
  sql += ` SELECT g.fresh, f.refused, f.ms_before_next, f.pumping_count, e.error AS event_error, r.*${relaxedCommit}
    FROM gate g LEFT JOIN refusal f ON true LEFT JOIN request r ON true
      LEFT JOIN event e ON true`;
  const { rows } = await query<
    OtpRequestRow & {
      fresh: boolean;
      refused: number | null;
      ms_before_next: number | null;
      pumping_count: number | null;
      event_error: string | null;
    }
  >(db, sql, params);
  const row = rows[0]!;
  if (!row.fresh) throw new StaleRead();
  if (row.pumping_count !== null) return { kind: 'pumping', count: row.pumping_count };
  if (row.refused !== null) {
    return { kind: 'limited', index: row.refused, msBeforeNext: Number(row.ms_before_next) };
  }
  return { kind: 'created', request: toOtpRequest(row), ...eventErrorOf(row) };
}

/** A combined write's report of an event row that was not written (`eventError`), if any. */
function eventErrorOf(row: { event_error: string | null }): { eventError?: string } {
  return row.event_error === null ? {} : { eventError: row.event_error };
}

/**
 * `otpRequests.verify`: `otpkit_verify` (migration 024), one statement. No
 * row (the function not called at all) when the generation moved.
 */
export async function verify(
  db: Queryable,
  w: VerifyWrite,
  { generation = null, relaxedCommit = '' }: WriteOptions = {},
): Promise<VerifyWriteResult> {
  const { rows } = await query<
    OtpRequestRow & {
      outcome: string;
      refused: number | null;
      ms_before_next: number | null;
      event_error: string | null;
    }
  >(
    db,
    `SELECT v.outcome, v.refused, v.ms_before_next, v.event_error, (v.request).*${relaxedCommit}
     FROM otpkit_verify(?::text[], ?::integer[], ?::bigint[], ?::bigint, ?, ?, ?::bigint, ?::text[],
       ?, ?::integer, ?::bigint, ?, ?::bigint, ?::bigint, ?, ?, ?, ?, ?, ?::bigint, ?) v
     WHERE coalesce((SELECT generation FROM otpkit_cache_generation) = ?::bigint, true)`,
    [
      ...hitArrays(w.limits),
      w.limitsNow,
      w.id,
      w.widgetId,
      w.now,
      w.candidates,
      w.guess?.keyPrefix ?? null,
      w.guess?.points ?? null,
      w.guess ? w.guess.seconds * 1000 : null,
      w.token?.jti ?? null,
      w.token?.issuedAt ?? null,
      w.token?.expiresAt ?? null,
      ...eventRow.call(w.event),
      generation,
    ],
  );
  const row = rows[0];
  if (!row) throw new StaleRead();
  switch (row.outcome) {
    case 'limited':
      return { kind: 'limited', index: row.refused!, msBeforeNext: Number(row.ms_before_next) };
    case 'unclaimed':
      return { kind: 'unclaimed' };
    case 'lost':
      return { kind: 'lost' };
    case 'mismatch':
      return { kind: 'mismatch', claimed: toOtpRequest(row) };
    default:
      return { kind: 'verified', request: toOtpRequest(row), ...eventErrorOf(row) };
  }
}

/**
 * `accessTokens.redeem`: the token, its event row (guarded, as a send's) and
 * the request's verification time, one statement.
 */
export async function redeem(
  db: Queryable,
  jti: string,
  now: number,
  e: Omit<RequestEvent, 'outcome'>,
  { generation = null }: Pick<WriteOptions, 'generation'> = {},
) {
  const params: unknown[] = [];
  const gate = gateCte(generation, params);
  params.push(now, jti, e.requestId, ...eventRow.call(e));
  // The gate row is always there: no token row (unknown, spent, or not tried) leaves `t.*` null.
  const { rows } = await query<
    Omit<AccessTokenRow, 'jti'> & {
      jti: string | null;
      fresh: boolean;
      request_verified_at: number | null;
      event_error: string | null;
    }
  >(
    db,
    `WITH ${gate},
     token AS (
       UPDATE access_tokens SET verified_at = ?::bigint
       WHERE jti = ? AND verified_at IS NULL AND (SELECT fresh FROM gate) RETURNING *),
     event AS (
       SELECT otpkit_record_event(?, ?, ?, ?, ?, ?, ?::bigint, ?) AS error FROM token)
     SELECT g.fresh, t.*, r.verified_at AS request_verified_at, e.error AS event_error
     FROM gate g LEFT JOIN token t ON true LEFT JOIN otp_requests r ON r.id = t.request_id
       LEFT JOIN event e ON true`,
    params,
  );
  const row = rows[0]!;
  if (!row.fresh) throw new StaleRead();
  if (row.jti === null) return undefined;
  return {
    record: toAccessToken({ ...row, jti: row.jti }),
    requestVerifiedAt: row.request_verified_at,
    ...eventErrorOf(row),
  };
}

/**
 * `messages.finish`: a batch of deliveries' attempt rows and their messages'
 * new states, one statement (the rows as JSON, read by `jsonb_to_recordset`).
 */
export async function finishMessages(
  db: Queryable,
  outcomes: readonly MessageOutcome[],
  relaxedCommit = '',
): Promise<void> {
  if (outcomes.length === 0) return;
  const deliveries = outcomes.flatMap((o) =>
    o.deliveries.map((d) => ({
      id: d.id,
      message_id: d.messageId,
      attempt: d.attempt,
      request_id: d.requestId,
      channel: d.channel,
      provider: d.provider,
      provider_message_id: d.providerMessageId,
      status: d.status,
      error: d.error,
      created_at: d.createdAt,
    })),
  );
  const states = outcomes.map((o) => ({
    id: o.id,
    kind: o.kind,
    now: o.now,
    provider: o.kind === 'rescheduled' ? null : o.provider,
    provider_message_id: o.kind === 'sent' ? o.providerMessageId : null,
    error: o.kind === 'sent' ? null : o.error,
    fallback_at: o.kind === 'rescheduled' ? null : o.fallbackAt,
    next_attempt_at: o.kind === 'rescheduled' ? o.nextAttemptAt : null,
  }));
  await query(
    db,
    // The requests first, in id order: the status triggers then update them and upsert the
    // hour's log_rollup row, which a verification (request, then rollup) also takes. Locking
    // every request of the batch before any rollup row keeps the two orders the same; without
    // it a batch holding the rollup row waits for a request a verification holds while that
    // verification waits for the rollup row: a deadlock PostgreSQL breaks after a second.
    `WITH locked AS (
       SELECT r.id FROM otp_requests r
       WHERE r.id IN (SELECT m.request_id FROM messages m
         WHERE m.id IN (SELECT x.id FROM jsonb_to_recordset(?::jsonb) AS x(id text)))
       ORDER BY r.id FOR NO KEY UPDATE),
     attempts AS (
       INSERT INTO deliveries (id, message_id, attempt, request_id, channel, provider, provider_message_id,
         status, error, created_at)
       SELECT d.id, d.message_id, d.attempt, d.request_id, d.channel, d.provider, d.provider_message_id,
         d.status, d.error, d.created_at
       FROM jsonb_to_recordset(?::jsonb) AS d(id text, message_id text, attempt integer,
         request_id text, channel text, provider text, provider_message_id text, status text, error text,
         created_at bigint))
     UPDATE messages m SET
       status = CASE o.kind WHEN 'rescheduled' THEN m.status ELSE o.kind END,
       payload = CASE o.kind WHEN 'rescheduled' THEN m.payload ELSE '' END,
       locked_until = NULL,
       provider = CASE o.kind WHEN 'sent' THEN o.provider WHEN 'failed' THEN coalesce(o.provider, m.provider)
         ELSE m.provider END,
       provider_message_id = CASE o.kind WHEN 'sent' THEN o.provider_message_id ELSE m.provider_message_id END,
       error = o.error,
       sent_at = CASE o.kind WHEN 'sent' THEN o.now ELSE m.sent_at END,
       next_attempt_at = CASE o.kind WHEN 'rescheduled' THEN o.next_attempt_at ELSE m.next_attempt_at END,
       fallback_at = CASE o.kind WHEN 'rescheduled' THEN m.fallback_at ELSE o.fallback_at END,
       updated_at = o.now
     FROM jsonb_to_recordset(?::jsonb) AS o(id text, kind text, now bigint, provider text,
       provider_message_id text, error text, fallback_at bigint, next_attempt_at bigint)
     WHERE m.id = o.id AND m.status = 'pending' AND (SELECT count(*) FROM locked) >= 0
     ${relaxedCommit ? `RETURNING m.id${relaxedCommit}` : ''}`,
    // (A batch whose messages are no longer pending writes its delivery rows and commits durably.)
    [JSON.stringify(states), JSON.stringify(deliveries), JSON.stringify(states)],
  );
}
