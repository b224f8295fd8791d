/**
 * The PostgreSQL store's send queue and delivery attempts: claimed with `FOR UPDATE SKIP
 * LOCKED`, so several workers share the queue without handing out a message twice.
 */
import {
  CLAIMED_REQUEST_COLUMNS,
  type ClaimedMessageRow,
  type MessageRow,
  toClaimedMessage,
  toMessage,
} from '../rows.ts';
import type { Store } from '../types.ts';
import type { PgContext } from './context.ts';
import * as combined from './operations.ts';
import { type DeliveryRow, toDelivery } from './rows.ts';

export function pgQueueStores(c: PgContext): Pick<Store, 'messages' | 'deliveries'> {
  const { pool, one, all, run } = c;
  const claimMessages = (sql: string, params: unknown[]) =>
    all<MessageRow>(sql, params).then((rows) => rows.map(toMessage));
  return {
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
  };
}
