/**
 * The send queue and its delivery attempts, written once for both engines on
 * the shared driver. A claim takes due messages with `FOR UPDATE SKIP
 * LOCKED` on PostgreSQL (the dialect's hook; SQLite has one writer), so
 * several workers share the queue without handing out a message twice. Each
 * operation is one statement, so one round trip on PostgreSQL and one write
 * of the group commit on SQLite (`alone`); a batch's outcomes (`finish`) are
 * one transaction, or the engine's own single statement (`QueueHooks`).
 */
import {
  type ClaimedMessageRow,
  type DeliveryRow,
  type MessageRow,
  toClaimedMessage,
  toDelivery,
  toMessage,
} from '../rows.ts';
import type { DeliveryRecord, MessageOutcome, Store } from '../types.ts';
import { runSteps, type SqlDriver, type SqlStatement, type SqlSteps, sql } from './driver.ts';

/** What an engine may do its own way. */
export interface QueueHooks {
  /**
   * Records a batch's outcomes in one statement (PostgreSQL: one round trip,
   * its requests locked before the log triggers take the rollup rows).
   * Without it, the outcomes' statements run in one transaction.
   */
  finish?(outcomes: readonly MessageOutcome[]): Promise<void>;
}

/**
 * Runs a body of one (or a few independent) statements: on SQLite in one
 * write of the group commit, which every write of the store goes through;
 * on PostgreSQL each statement on its own, a round trip each (no BEGIN and
 * COMMIT around a single statement).
 */
function alone<T>(db: SqlDriver, body: () => SqlSteps<T>): Promise<T> {
  if (db.dialect.engine === 'sqlite') return db.transaction(body);
  return runSteps(body(), (s: SqlStatement) =>
    s.kind === 'one'
      ? db.one(s.sql, s.params)
      : s.kind === 'all'
        ? db.all(s.sql, s.params)
        : db.run(s.sql, s.params),
  );
}

/** The worker's statements, alone or in a batch (`finish`). */
const insertDelivery = (d: DeliveryRecord) =>
  sql.run(
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

const markSent = (
  id: string,
  s: { provider: string; providerMessageId: string; now: number; fallbackAt: number | null },
) =>
  sql.run(
    `UPDATE messages SET status = 'sent', payload = '', locked_until = NULL, provider = ?,
       provider_message_id = ?, error = NULL, sent_at = ?, updated_at = ?, fallback_at = ?
     WHERE id = ? AND status = 'pending'`,
    [s.provider, s.providerMessageId, s.now, s.now, s.fallbackAt, id],
  );

const reschedule = (id: string, c: { nextAttemptAt: number; error: string; now: number }) =>
  sql.run(
    `UPDATE messages SET next_attempt_at = ?, locked_until = NULL, error = ?, updated_at = ?
     WHERE id = ? AND status = 'pending'`,
    [c.nextAttemptAt, c.error, c.now, id],
  );

const markFailed = (
  id: string,
  c: { provider: string | null; error: string; now: number; fallbackAt: number | null },
) =>
  sql.run(
    `UPDATE messages SET status = 'failed', payload = '', locked_until = NULL,
       provider = coalesce(?, provider), error = ?, updated_at = ?, fallback_at = ?
     WHERE id = ? AND status = 'pending'`,
    [c.provider, c.error, c.now, c.fallbackAt, id],
  );

/** The `messages` and `deliveries` parts of a store, on its engine's driver. */
export function sqlQueueStores(
  db: SqlDriver,
  hooks: QueueHooks = {},
): Pick<Store, 'messages' | 'deliveries'> {
  const { insertionOrder, forUpdateSkipLocked, relaxedCommit } = db.dialect;
  return {
    messages: {
      async get(id) {
        const row = await db.one<MessageRow>('SELECT * FROM messages WHERE id = ?', [id]);
        return row && toMessage(row);
      },
      async listForRequest(requestId) {
        const rows = await db.all<MessageRow>(
          `SELECT * FROM messages WHERE request_id = ? ORDER BY created_at, ${insertionOrder}`,
          [requestId],
        );
        return rows.map(toMessage);
      },
      async claimDue(now, leaseMs, limit) {
        // SKIP LOCKED: a worker passes over rows another worker is claiming
        // instead of waiting for them, and never gets the same row. A claim that a
        // crash of the database loses leaves its messages due again: sent at least
        // once, as after a worker's crash.
        const rows = await alone(db, () =>
          sql.all<ClaimedMessageRow>(
            `UPDATE messages SET attempts = attempts + 1, locked_until = ?, updated_at = ?
             WHERE id IN (
               SELECT id FROM messages
               WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
               ORDER BY next_attempt_at LIMIT ?${forUpdateSkipLocked}
             )
             RETURNING *,
               (SELECT r.status FROM otp_requests r WHERE r.id = messages.request_id) AS request_status,
               (SELECT r.expires_at FROM otp_requests r WHERE r.id = messages.request_id) AS request_expires_at${relaxedCommit}`,
            [now + leaseMs, now, now, now, limit],
          ),
        );
        // RETURNING has no order: the claim's is the queue's.
        return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at).map(toClaimedMessage);
      },
      finish(outcomes) {
        if (hooks.finish) return hooks.finish(outcomes);
        if (outcomes.length === 0) return Promise.resolve();
        return db.transaction(function* () {
          for (const o of outcomes) {
            for (const d of o.deliveries) yield* insertDelivery(d);
            if (o.kind === 'sent') yield* markSent(o.id, o);
            else if (o.kind === 'failed') yield* markFailed(o.id, o);
            else yield* reschedule(o.id, o);
          }
        });
      },
      async markSent(id, sent) {
        await alone(db, () => markSent(id, sent));
      },
      async reschedule(id, change) {
        await alone(db, () => reschedule(id, change));
      },
      async markFailed(id, change) {
        await alone(db, () => markFailed(id, change));
      },
      report(provider, providerMessageId, { status, error, now }) {
        return alone(db, function* () {
          const row =
            status === 'delivered'
              ? yield* sql.one<MessageRow>(
                  `UPDATE messages SET status = 'delivered', delivered_at = ?, fallback_at = NULL, updated_at = ?
                   WHERE provider = ? AND provider_message_id = ? AND status IN ('pending', 'sent')
                   RETURNING *`,
                  [now, now, provider, providerMessageId],
                )
              : yield* sql.one<MessageRow>(
                  `UPDATE messages SET status = 'failed', error = ?, updated_at = ?,
                     fallback_at = CASE WHEN fallback_at IS NOT NULL THEN CAST(? AS BIGINT) END
                   WHERE provider = ? AND provider_message_id = ? AND status IN ('pending', 'sent')
                   RETURNING *`,
                  [error ?? 'reported failed', now, now, provider, providerMessageId],
                );
          if (row) return toMessage(row);
          const known = yield* sql.one<MessageRow>(
            'SELECT * FROM messages WHERE provider = ? AND provider_message_id = ?',
            [provider, providerMessageId],
          );
          return known && toMessage(known);
        });
      },
      async claimFallbacks(now, limit) {
        const rows = await alone(db, () =>
          sql.all<MessageRow>(
            `UPDATE messages SET fallback_at = NULL, updated_at = ?
             WHERE id IN (
               SELECT id FROM messages WHERE fallback_at IS NOT NULL AND fallback_at <= ? AND status <> 'delivered'
               ORDER BY fallback_at LIMIT ?${forUpdateSkipLocked}
             )
             RETURNING *`,
            [now, now, limit],
          ),
        );
        return rows.map(toMessage);
      },
      async queueStats() {
        const row = await db.one<{ depth: number | string; oldest: number | string | null }>(
          `SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM messages WHERE status = 'pending'`,
        );
        return {
          depth: Number(row?.depth ?? 0),
          oldestPendingAt: row?.oldest == null ? null : Number(row.oldest),
        };
      },
    },
    deliveries: {
      async insert(d) {
        await alone(db, () => insertDelivery(d));
      },
      async listForRequest(requestId) {
        const rows = await db.all<DeliveryRow>(
          `SELECT * FROM deliveries WHERE request_id = ? ORDER BY created_at, ${insertionOrder}`,
          [requestId],
        );
        return rows.map(toDelivery);
      },
    },
  };
}
