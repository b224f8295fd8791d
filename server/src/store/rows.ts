/**
 * Rows whose shape is the same in every adapter (SQLite and PostgreSQL
 * read these columns as the same JavaScript types), and their mapping to
 * the store's records. Rows that differ (JSON text against jsonb, 0/1
 * against booleans) keep their mappers in their adapter.
 */
import type { Channel } from '@otpkit/protocol';
import type {
  AuthkeyRecord,
  ClaimedMessage,
  MagicLink,
  OtpRequestStatus,
  PasskeyChallenge,
  PasskeyChallengeKind,
  PasskeyRecord,
  QueuedMessage,
} from './types.ts';

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

/** A claimed message's row: the message and its request's status (NULL: the request is gone). */
export type ClaimedMessageRow = MessageRow & {
  request_status: string | null;
  request_expires_at: number | null;
};

/** The statement that reads a claimed message's request (`claimDue`: a join on PostgreSQL). */
export const CLAIMED_REQUEST_COLUMNS =
  'r.status AS request_status, r.expires_at AS request_expires_at';

export function toClaimedMessage(row: ClaimedMessageRow): ClaimedMessage {
  return {
    ...toMessage(row),
    request:
      row.request_status === null || row.request_expires_at === null
        ? null
        : { status: row.request_status as OtpRequestStatus, expiresAt: row.request_expires_at },
  };
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

export interface PasskeyRow {
  id: string;
  credential_id: string;
  account_id: string;
  widget_id: string;
  identifier: string;
  rp_id: string;
  public_key: string;
  counter: number;
  transports: string;
  device_type: string;
  /** 0/1 on SQLite, a boolean on PostgreSQL. */
  backed_up: number | boolean;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function toPasskey(row: PasskeyRow): PasskeyRecord {
  return {
    id: row.id,
    credentialId: row.credential_id,
    accountId: row.account_id,
    widgetId: row.widget_id,
    identifier: row.identifier,
    rpId: row.rp_id,
    publicKey: row.public_key,
    counter: row.counter,
    transports: JSON.parse(row.transports) as string[],
    deviceType: row.device_type,
    backedUp: Boolean(row.backed_up),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** A passkey's column values, in the order of `PASSKEY_COLUMNS`. */
export function passkeyValues(p: PasskeyRecord): unknown[] {
  return [
    p.id,
    p.credentialId,
    p.accountId,
    p.widgetId,
    p.identifier,
    p.rpId,
    p.publicKey,
    p.counter,
    JSON.stringify(p.transports),
    p.deviceType,
    p.backedUp,
    p.createdAt,
    p.lastUsedAt,
    p.revokedAt,
  ];
}

export const PASSKEY_COLUMNS =
  'id, credential_id, account_id, widget_id, identifier, rp_id, public_key, counter, transports, device_type, backed_up, created_at, last_used_at, revoked_at';

export interface PasskeyChallengeRow {
  id: string;
  kind: string;
  widget_id: string;
  identifier: string | null;
  origin: string | null;
  request_id: string | null;
  expires_at: number;
  created_at: number;
}

export function toPasskeyChallenge(row: PasskeyChallengeRow): PasskeyChallenge {
  return {
    id: row.id,
    kind: row.kind as PasskeyChallengeKind,
    widgetId: row.widget_id,
    identifier: row.identifier,
    origin: row.origin,
    requestId: row.request_id,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}

/** The SQL of the passkey operations, the same on both engines but for the placeholders. */
export const PASSKEY_SQL = {
  insert: `INSERT INTO passkeys (${PASSKEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (credential_id) DO NOTHING`,
  byCredentialId: 'SELECT * FROM passkeys WHERE credential_id = ? AND revoked_at IS NULL',
  listFor:
    'SELECT * FROM passkeys WHERE account_id = ? AND identifier = ? ORDER BY created_at DESC, id DESC',
  // A counter must move forward; authenticators that keep none always say 0.
  recordUse: `UPDATE passkeys SET counter = ?, last_used_at = ?
    WHERE id = ? AND revoked_at IS NULL AND (counter < ? OR (counter = 0 AND ? = 0))`,
  revoke: `UPDATE passkeys SET revoked_at = coalesce(revoked_at, ?)
    WHERE account_id = ? AND id = ? RETURNING *`,
  insertChallenge: `INSERT INTO passkey_challenges (id, kind, widget_id, identifier, origin, request_id, expires_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  peekChallenge: 'SELECT * FROM passkey_challenges WHERE id = ? AND kind = ? AND expires_at > ?',
  takeChallenge: 'DELETE FROM passkey_challenges WHERE id = ? AND kind = ? RETURNING *',
  purgeChallenges: 'DELETE FROM passkey_challenges WHERE expires_at <= ?',
} as const;
