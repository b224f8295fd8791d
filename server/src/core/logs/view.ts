/**
 * How a log entry reads over the API and in exports: ISO times, booleans
 * for the two verifications, and optional masking of identifiers.
 */
import type { LogEntry as AdminLogEntry } from '@otpkit/protocol';
import type { LogEntry } from '../../store/index.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A log entry as the API returns it (the admin API's type, `@otpkit/protocol`). */
export type LogEntryView = AdminLogEntry;

/** Every field an export may carry, in their default order. */
export const LOG_FIELDS = [
  'reqId',
  'widgetId',
  'widgetName',
  'identifier',
  'contactPoint',
  'country',
  'channels',
  'channel',
  'status',
  'resendCount',
  'fallbackCount',
  'attempts',
  'otpVerified',
  'otpVerifiedAt',
  'tokenVerified',
  'tokenVerifiedAt',
  'demo',
  'ip',
  'host',
  'userAgent',
  'createdAt',
  'updatedAt',
  'expiresAt',
] as const satisfies readonly (keyof LogEntryView)[];

export type LogField = (typeof LOG_FIELDS)[number];

/**
 * Hides the middle of an identifier: the country code and last four digits
 * of a number, the first letter and the domain of an email.
 *
 * @example maskIdentifier('919876543210') // '91******3210'
 * @example maskIdentifier('alice@example.com') // 'a***@example.com'
 */
export function maskIdentifier(identifier: string): string {
  const at = identifier.lastIndexOf('@');
  if (at > 0) return `${identifier[0]}***${identifier.slice(at)}`;
  if (identifier.length <= 4) return '*'.repeat(identifier.length);
  if (identifier.length <= 8) return '*'.repeat(identifier.length - 4) + identifier.slice(-4);
  return identifier.slice(0, 2) + '*'.repeat(identifier.length - 6) + identifier.slice(-4);
}

/** Renders a log entry for the API. */
export function viewLogEntry(entry: LogEntry, options: { mask?: boolean } = {}): LogEntryView {
  return {
    reqId: entry.reqId,
    widgetId: entry.widgetId,
    widgetName: entry.widgetName,
    identifier: options.mask ? maskIdentifier(entry.identifier) : entry.identifier,
    contactPoint: entry.contactPoint,
    country: entry.country,
    channels: entry.channels,
    channel: entry.channel,
    status: entry.status,
    resendCount: entry.resendCount,
    fallbackCount: entry.fallbackCount,
    attempts: entry.attempts,
    otpVerified: entry.otpVerifiedAt !== null,
    otpVerifiedAt: iso(entry.otpVerifiedAt),
    tokenVerified: entry.tokenVerifiedAt !== null,
    tokenVerifiedAt: iso(entry.tokenVerifiedAt),
    demo: entry.demo,
    ip: entry.ip,
    host: entry.host,
    userAgent: entry.userAgent,
    createdAt: iso(entry.createdAt)!,
    updatedAt: iso(entry.updatedAt)!,
    expiresAt: iso(entry.expiresAt)!,
  };
}
