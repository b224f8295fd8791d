/**
 * The log's rows and what they become: the log columns of an `otp_requests`
 * row and their entry, and the hourly rollup's sums and rows. The queries
 * are sql/logs.ts's; the encodings of the columns (channel bits, latency
 * bins) are log-sql.ts's.
 */
import type { Channel, ContactPoint } from '@otpkit/protocol';
import { CHANNEL_BITS, LATENCY_COLUMNS } from './log-sql.ts';
import type {
  AnalyticsRow,
  LogEntry,
  LogStatus,
  MessageStatus,
  OtpRequestStatus,
  ProviderStatsRow,
} from './types.ts';

const BIT_ORDER: Channel[] = ['sms', 'whatsapp', 'telegram', 'voice', 'email'];

/** The log columns both adapters select (each adds its own position column for cursors). */
export interface LogRow {
  id: string;
  widget_id: string;
  widget_name: string | null;
  identifier: string;
  contact_point: string;
  country: string | null;
  channel: string;
  log_channels: number;
  status: string;
  delivery_status: string | null;
  resend_count: number;
  fallback_count: number;
  attempts: number;
  verified_at: number | null;
  token_verified_at: number | null;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  demo: number | boolean;
  ip: string | null;
  host: string | null;
  user_agent: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

/** Verified; else Retry once a resend or fallback went out; else what the latest message did. */
export function logStatus(row: {
  status: string;
  resend_count: number;
  fallback_count: number;
  delivery_status: string | null;
}): LogStatus {
  if (row.status === 'verified') return 'verified';
  if (row.resend_count + row.fallback_count > 0) return 'retry';
  if (row.delivery_status === 'delivered') return 'delivered';
  if (row.delivery_status === 'failed') return 'failed';
  return 'pending';
}

export function toLogEntry(row: LogRow): LogEntry {
  return {
    reqId: row.id,
    widgetId: row.widget_id,
    widgetName: row.widget_name,
    identifier: row.identifier,
    contactPoint: row.contact_point as ContactPoint,
    country: row.country,
    channels: BIT_ORDER.filter((c) => (row.log_channels & CHANNEL_BITS[c]) !== 0),
    channel: row.channel as Channel,
    status: logStatus(row),
    requestStatus: row.status as OtpRequestStatus,
    deliveryStatus: row.delivery_status as MessageStatus | null,
    resendCount: row.resend_count,
    fallbackCount: row.fallback_count,
    attempts: row.attempts,
    otpVerifiedAt: row.verified_at,
    tokenVerifiedAt: row.token_verified_at,
    demo: Boolean(row.demo),
    ip: row.ip,
    host: row.host,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}

/** A rollup query's row: an analytics row's slice and sums, its latency bins in columns. */
export type RollupRow = Pick<
  AnalyticsRow,
  'bucket' | 'country' | 'requests' | 'sent' | 'delivered' | 'failed' | 'verified'
> & {
  channel: string | null;
  [lat: `lat_${number}`]: number;
};

/** The sums of a rollup query's select list, named as {@link RollupRow} reads them. */
export const ROLLUP_SUMS = `sum(requests) AS requests, sum(sent) AS sent, sum(delivered) AS delivered,
  sum(failed) AS failed, sum(verified) AS verified, ${LATENCY_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')}`;

export function toAnalyticsRow(r: RollupRow): AnalyticsRow {
  return {
    bucket: r.bucket,
    channel: (r.channel as Channel | null) ?? null,
    country: r.country === null || r.country === '' ? null : r.country,
    requests: r.requests,
    sent: r.sent,
    delivered: r.delivered,
    failed: r.failed,
    verified: r.verified,
    latency: LATENCY_COLUMNS.map((c) => r[c] ?? 0),
  };
}

/** A provider-statistics row as both engines select it. */
export interface ProviderStatsSqlRow {
  provider: string;
  channel: string;
  sent: number | null;
  failed: number | null;
  failovers: number | null;
  delivered: number | null;
  mean_latency_ms: number | null;
}

/** A provider-statistics row for the store's callers. */
export function toProviderStats(r: ProviderStatsSqlRow): ProviderStatsRow {
  return {
    provider: r.provider,
    channel: r.channel,
    sent: Number(r.sent ?? 0),
    failed: Number(r.failed ?? 0),
    failovers: Number(r.failovers ?? 0),
    delivered: Number(r.delivered ?? 0),
    meanLatencyMs: r.mean_latency_ms === null ? null : Math.round(Number(r.mean_latency_ms)),
  };
}
