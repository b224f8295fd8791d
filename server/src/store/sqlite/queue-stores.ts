/**
 * The SQLite store's send queue and delivery attempts.
 */
import type { Channel } from '@otpkit/protocol';
import {
  CLAIMED_REQUEST_COLUMNS,
  type ClaimedMessageRow,
  type MessageRow,
  toClaimedMessage,
  toMessage,
} from '../rows.ts';
import type { DeliveryRecord, Store } from '../types.ts';
import type { SqliteContext } from './context.ts';

export function sqliteQueueStores(c: SqliteContext): Pick<Store, 'messages' | 'deliveries'> {
  const { db, get, all, write, insertDelivery, markSentRow, rescheduleRow, markFailedRow } = c;
  return {
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
  };
}
