/** PostgreSQL rows and their conversion to the store's records. */
import type { Channel, ContactPoint } from '@otpkit/protocol';
import type { WidgetSettings } from '../../model/widget-settings.ts';
import type {
  AccessTokenRecord,
  OtpRequest,
  OtpRequestStatus,
  SigningKey,
  TemplateRecord,
  VerificationType,
  WidgetRecord,
} from '../types.ts';

export interface OtpRequestRow {
  id: string;
  widget_id: string;
  identifier: string;
  contact_point: string;
  channel: string;
  code_hashes: string[];
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
  variables: Record<string, string>;
  demo: boolean;
  country: string | null;
  fallback_count: number;
  language: string;
  code_length: number | null;
  match_number: number | null;
  verification_type: string;
  access_token: string | null;
  access_token_jti: string | null;
  created_at: number;
  updated_at: number;
}

export function toOtpRequest(row: OtpRequestRow): OtpRequest {
  return {
    id: row.id,
    verificationType: row.verification_type as VerificationType,
    widgetId: row.widget_id,
    identifier: row.identifier,
    contactPoint: row.contact_point as ContactPoint,
    channel: row.channel as Channel,
    codeHashes: row.code_hashes,
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
    variables: row.variables,
    demo: row.demo,
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
  };
}

export interface WidgetRow {
  id: string;
  account_id: string;
  settings: WidgetSettings;
  created_at: number;
  updated_at: number;
}

export function toWidget(row: WidgetRow): WidgetRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    settings: row.settings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
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
  demo: boolean;
}

export function toAccessToken(row: AccessTokenRow): AccessTokenRecord {
  return {
    jti: row.jti,
    requestId: row.request_id,
    widgetId: row.widget_id,
    identifier: row.identifier,
    channel: row.channel as Channel,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    verifiedAt: row.verified_at,
    demo: row.demo,
  };
}

export interface TemplateRow {
  id: string;
  account_id: string;
  widget_id: string | null;
  name: string;
  channel: string;
  subject: string | null;
  body: string;
  unicode: boolean;
  sender_id: string | null;
  dlt_template_id: string | null;
  translations: string;
  created_at: number;
  updated_at: number;
}

export function toTemplate(row: TemplateRow): TemplateRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    widgetId: row.widget_id,
    name: row.name,
    channel: row.channel as Channel,
    subject: row.subject,
    body: row.body,
    unicode: row.unicode,
    senderId: row.sender_id,
    dltTemplateId: row.dlt_template_id,
    translations: JSON.parse(row.translations || '{}'),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
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
