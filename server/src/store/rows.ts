/**
 * Rows whose shape is the same in every adapter (SQLite and PostgreSQL
 * read these columns as the same JavaScript types), and their mapping to
 * the store's records. Rows that differ (JSON text against jsonb, 0/1
 * against booleans) keep their mappers in their adapter.
 */
import type { Channel } from '@otpkit/protocol';
import type { AuthkeyRecord, MagicLink, QueuedMessage } from './types.ts';

export interface AuthkeyRow {
  id: string;
  account_id: string;
  label: string | null;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
}

export function toAuthkey(row: AuthkeyRow): AuthkeyRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    label: row.label,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export interface MagicLinkRow {
  token_hash: string;
  request_id: string;
  widget_id: string;
  expires_at: number;
  opened_at: number | null;
  used_at: number | null;
  created_at: number;
}

export function toMagicLink(row: MagicLinkRow): MagicLink {
  return {
    tokenHash: row.token_hash,
    requestId: row.request_id,
    widgetId: row.widget_id,
    expiresAt: row.expires_at,
    openedAt: row.opened_at,
    usedAt: row.used_at,
    createdAt: row.created_at,
  };
}

export interface MessageRow {
  id: string;
  request_id: string;
  widget_id: string;
  channel: string;
  purpose: string;
  recipient: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  provider: string | null;
  provider_message_id: string | null;
  error: string | null;
  fallback_at: number | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  delivered_at: number | null;
}

export function toMessage(row: MessageRow): QueuedMessage {
  return {
    id: row.id,
    requestId: row.request_id,
    widgetId: row.widget_id,
    channel: row.channel as Channel,
    purpose: row.purpose as QueuedMessage['purpose'],
    recipient: row.recipient,
    payload: row.payload,
    status: row.status as QueuedMessage['status'],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lockedUntil: row.locked_until,
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    error: row.error,
    fallbackAt: row.fallback_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
  };
}
