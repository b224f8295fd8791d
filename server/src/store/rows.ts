/**
 * The store's rows and their mapping to its records, written once for both
 * engines. Columns the engines read as different JavaScript types (JSON as
 * text against jsonb, 0/1 against booleans) are typed `unknown` and read
 * through the dialect's hooks: `rowMappers(dialect)` gives an engine's
 * mappers of those rows.
 */
import type { Channel, ContactPoint } from '@otpkit/protocol';
import type { WidgetSettings } from '../model/widget-settings.ts';
import type {
  AccessTokenRecord,
  AuthkeyRecord,
  ClaimedMessage,
  DeliveryRecord,
  MagicLink,
  OtpRequest,
  OtpRequestStatus,
  PasskeyChallenge,
  PasskeyChallengeKind,
  PasskeyRecord,
  QueuedMessage,
  SigningKey,
  TemplateRecord,
  VerificationType,
  WidgetRecord,
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

/** A passkey's column values, in the order of `PASSKEY_COLUMNS` (`bool`: the dialect's). */
export function passkeyValues(p: PasskeyRecord, bool: (value: boolean) => unknown): unknown[] {
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
    bool(p.backedUp),
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

export interface OtpRequestRow {
  id: string;
  widget_id: string;
  identifier: string;
  contact_point: string;
  channel: string;
  /** JSON: a list of code hashes. */
  code_hashes: unknown;
  status: string;
  attempts: number;
  max_attempts: number;
  resend_count: number;
  max_resends: number;
  resend_interval_ms: number;
  ttl_ms: number;
  last_sent_at: number;
  expires_at: number;
  verified_at: number | null;
  ip: string | null;
  host: string | null;
  user_agent: string | null;
  /** JSON: the template variables. */
  variables: unknown;
  /** Boolean. */
  demo: unknown;
  country: string | null;
  fallback_count: number;
  language: string;
  code_length: number | null;
  match_number: number | null;
  verification_type: string;
  guess_owner: string | null;
  access_token: string | null;
  access_token_jti: string | null;
  created_at: number;
  updated_at: number;
}

export interface WidgetRow {
  id: string;
  account_id: string;
  /** JSON: the widget's settings. */
  settings: unknown;
  created_at: number;
  updated_at: number;
}

export interface AccessTokenRow {
  jti: string;
  request_id: string;
  widget_id: string;
  identifier: string;
  channel: string;
  issued_at: number;
  expires_at: number;
  verified_at: number | null;
  /** Boolean. */
  demo: unknown;
}

export interface TemplateRow {
  id: string;
  account_id: string;
  widget_id: string | null;
  name: string;
  channel: string;
  subject: string | null;
  body: string;
  /** Boolean. */
  unicode: unknown;
  sender_id: string | null;
  dlt_template_id: string | null;
  /** JSON as text on both engines (a `text` column): `{}` when empty. */
  translations: string;
  created_at: number;
  updated_at: number;
}

/** The mappers of the rows whose columns an engine reads its own way (see `SqlDialect`). */
export interface RowMappers {
  toOtpRequest(row: OtpRequestRow): OtpRequest;
  toWidget(row: WidgetRow): WidgetRecord;
  toAccessToken(row: AccessTokenRow): AccessTokenRecord;
  toTemplate(row: TemplateRow): TemplateRecord;
}

/** How an engine reads booleans and JSON: the read hooks of its SQL dialect (sql/driver.ts). */
export interface ColumnReaders {
  readBool(value: unknown): boolean;
  readJson<T>(value: unknown): T;
}

/** An engine's row mappers, reading booleans and JSON through its dialect. */
export function rowMappers(dialect: ColumnReaders): RowMappers {
  const { readBool, readJson } = dialect;
  return {
    toOtpRequest: (row) => ({
      id: row.id,
      verificationType: row.verification_type as VerificationType,
      widgetId: row.widget_id,
      identifier: row.identifier,
      contactPoint: row.contact_point as ContactPoint,
      channel: row.channel as Channel,
      codeHashes: readJson<string[]>(row.code_hashes),
      status: row.status as OtpRequestStatus,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      resendCount: row.resend_count,
      maxResends: row.max_resends,
      resendIntervalMs: row.resend_interval_ms,
      ttlMs: row.ttl_ms,
      lastSentAt: row.last_sent_at,
      expiresAt: row.expires_at,
      verifiedAt: row.verified_at,
      ip: row.ip,
      host: row.host,
      userAgent: row.user_agent,
      variables: readJson<Record<string, string>>(row.variables),
      demo: readBool(row.demo),
      country: row.country,
      fallbackCount: row.fallback_count,
      language: row.language,
      codeLength: row.code_length,
      matchNumber: row.match_number,
      accessToken:
        row.access_token && row.access_token_jti
          ? { sealed: row.access_token, jti: row.access_token_jti }
          : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }),
    toWidget: (row) => ({
      id: row.id,
      accountId: row.account_id,
      settings: readJson<WidgetSettings>(row.settings),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }),
    toAccessToken: (row) => ({
      jti: row.jti,
      requestId: row.request_id,
      widgetId: row.widget_id,
      identifier: row.identifier,
      channel: row.channel as Channel,
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
      verifiedAt: row.verified_at,
      demo: readBool(row.demo),
    }),
    toTemplate: (row) => ({
      id: row.id,
      accountId: row.account_id,
      widgetId: row.widget_id,
      name: row.name,
      channel: row.channel as Channel,
      subject: row.subject,
      body: row.body,
      unicode: readBool(row.unicode),
      senderId: row.sender_id,
      dltTemplateId: row.dlt_template_id,
      translations: JSON.parse(row.translations || '{}'),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }),
  };
}

export interface DeliveryRow {
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
}

export function toDelivery(r: DeliveryRow): DeliveryRecord {
  return {
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
  };
}

export interface SigningKeyRow {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export function toSigningKey(r: SigningKeyRow): SigningKey {
  return {
    kid: r.kid,
    alg: r.alg as 'EdDSA',
    publicJwk: r.public_jwk,
    privateJwk: r.private_jwk,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
  };
}
