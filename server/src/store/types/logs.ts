/** The log's read models and its store interface: entries, filters, analytics, retention. */
import type { Channel, LogEntryFields, LogStatus } from '@otpkit/protocol';
import type { MessageStatus, OtpRequestStatus } from './records.ts';

export type { LogStatus };

/** One OTP request as the logs show it (times in epoch ms). */
export interface LogEntry extends LogEntryFields<number> {
  requestStatus: OtpRequestStatus;
  /** Status of the latest queued message; null for demo requests. */
  deliveryStatus: MessageStatus | null;
}

/** Filters of a log query; every one narrows. Times are inclusive. */
export interface LogFilter {
  /** Only this account's widgets (always set). */
  accountId: string;
  from?: number;
  to?: number;
  reqId?: string;
  /** Matches any of these normalised identifiers exactly. */
  identifiers?: string[];
  widgetId?: string;
  /** Requests that used any of these channels. */
  channels?: Channel[];
  resendCount?: { op: 'gt' | 'lt' | 'eq'; value: number };
  otpVerified?: boolean;
  tokenVerified?: boolean;
}

/** A page of log entries, newest first. */
export interface LogPage {
  entries: LogEntry[];
  /** Opaque; passes to the next call for the following page. */
  nextCursor: string | null;
}

/** One provider's numbers on one channel (the analytics' provider table). */
export interface ProviderStatsRow {
  provider: string;
  channel: string;
  sent: number;
  failed: number;
  failovers: number;
  delivered: number;
  /** Mean milliseconds from queueing a message to this provider accepting it (null with none). */
  meanLatencyMs: number | null;
}

/** Pre-aggregated analytics for one slice: a time bucket and channel, or a country. */
export interface AnalyticsRow {
  /** Start of the bucket, epoch ms (UTC); the range's start for country rows. */
  bucket: number;
  /** The channel (bucket rows); null in country rows. */
  channel: Channel | null;
  /** ISO country, or null (email, and bucket rows). */
  country: string | null;
  requests: number;
  sent: number;
  delivered: number;
  failed: number;
  verified: number;
  /** Verifications per latency bin (see `LATENCY_BOUNDS_S`). */
  latency: number[];
}

/** `Store.logs`. */
export interface LogStore {
  /** A page of the filter's entries, newest first; `cursor` from the previous page. */
  list(filter: LogFilter, page: { cursor?: string; limit: number }): Promise<LogPage>;
  /** Whether a cursor is one this store issued. */
  validCursor(cursor: string): boolean;
  /** One entry of the account's widgets. */
  get(accountId: string, reqId: string): Promise<LogEntry | undefined>;
  /**
   * Analytics of `[from, to)`: rows summed per `bucketMs` (hour or day) and
   * channel, and rows summed per country over the whole range.
   */
  analytics(query: {
    accountId: string;
    from: number;
    to: number;
    widgetId?: string;
    bucketMs: number;
  }): Promise<{ buckets: AnalyticsRow[]; countries: AnalyticsRow[] }>;
  /**
   * Per provider and channel, over the requests created in `[from, to)`:
   * hand-overs it accepted and refused, refusals that failed over to the
   * next provider, messages it reported delivered, and the mean time from
   * queueing to its acceptance.
   */
  providerStats(query: {
    accountId: string;
    from: number;
    to: number;
    widgetId?: string;
  }): Promise<ProviderStatsRow[]>;
  /**
   * Deletes up to `limit` requests created before `before`, with their
   * messages, deliveries, access tokens and events; returns how many.
   */
  purge(before: number, limit: number): Promise<number>;
}
