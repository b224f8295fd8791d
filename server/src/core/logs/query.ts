/**
 * Log query parameters → a store filter. Every bad parameter is refused
 * with `INVALID_REQUEST` naming it.
 */
import { CHANNELS, type Channel } from '@otpkit/protocol';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js/max';
import { OtpkitError } from '../../platform/errors.ts';
import type { LogFilter } from '../../store/index.ts';

/** The filter parameters `GET /logs` and `GET /logs/export` share. */
export const FILTER_PARAMS = [
  'from',
  'to',
  'reqId',
  'identifier',
  'widgetId',
  'channel',
  'resendCount',
  'resendOp',
  'otpVerified',
  'tokenVerified',
] as const;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Reads query parameters: each name's values, repeated or not. */
export type QueryValues = (name: string) => string[];

/** Throws `INVALID_REQUEST` for one parameter. */
export function invalidParam(param: string, message: string): OtpkitError {
  return new OtpkitError('INVALID_REQUEST', `Invalid request: ${param} ${message}.`, {
    fields: [{ path: param, message }],
  });
}

/** The one value of a parameter, or undefined; refuses a repeated one. */
export function single(values: QueryValues, name: string): string | undefined {
  const all = values(name);
  if (all.length > 1) throw invalidParam(name, 'must be given once');
  const value = all[0]?.trim();
  return value === '' ? undefined : value;
}

/** Refuses parameters outside `allowed`, so a typo does not silently widen a query. */
export function refuseUnknown(names: Iterable<string>, allowed: readonly string[]): void {
  for (const name of names) {
    if (!allowed.includes(name)) throw invalidParam(name, 'is not a known parameter');
  }
}

/**
 * A time: epoch milliseconds, or an ISO date or date-time. A bare date as
 * `to` means the end of that day (UTC), so `to=2025-03-31` includes the 31st.
 */
export function parseTime(
  name: string,
  value: string | undefined,
  edge: 'start' | 'end',
): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) {
    throw invalidParam(name, 'must be an ISO date (2025-03-31), date-time or epoch milliseconds');
  }
  return dateOnly && edge === 'end' ? ms + 86_400_000 - 1 : ms;
}

function parseBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParam(name, 'must be true or false');
}

let callingCodes: string[] | undefined;

/**
 * The stored identifiers a search text can mean. An email matches in any
 * case; a phone number matches with or without its country code, so
 * `9876543210` finds `919876543210` (and `+91 98765-43210` finds it too).
 *
 * @example identifierCandidates('98765 43210') // ['9876543210', '19876543210', …, '919876543210', …]
 */
export function identifierCandidates(text: string): string[] {
  const value = text.trim();
  if (value.includes('@')) return [value.toLowerCase()];
  const digits = value.replace(/[\s()+.-]/g, '');
  if (!/^\d{4,15}$/.test(digits)) return [value.toLowerCase()];
  callingCodes ??= [...new Set(getCountries().map((c) => getCountryCallingCode(c)))];
  // A national number may start with its trunk prefix (0 in most countries).
  const national = digits.replace(/^0+/, '');
  const candidates = new Set([digits, national]);
  if (!value.startsWith('+')) {
    for (const code of callingCodes) {
      if (code.length + national.length <= 15) candidates.add(code + national);
    }
  }
  return [...candidates].filter((c) => c.length > 0);
}

/**
 * Parses the log filters of a query (without the account, added by the caller).
 *
 * @throws OtpkitError `INVALID_REQUEST` naming the bad parameter.
 */
export function parseLogFilter(values: QueryValues): Omit<LogFilter, 'accountId'> {
  const filter: Omit<LogFilter, 'accountId'> = {};
  const from = parseTime('from', single(values, 'from'), 'start');
  const to = parseTime('to', single(values, 'to'), 'end');
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  if (from !== undefined && to !== undefined && from > to) {
    throw invalidParam('to', 'must not be before from');
  }

  const reqId = single(values, 'reqId');
  if (reqId !== undefined) {
    if (reqId.length > 100) throw invalidParam('reqId', 'must be at most 100 characters');
    filter.reqId = reqId;
  }
  const identifier = single(values, 'identifier');
  if (identifier !== undefined) {
    if (identifier.length > 254) throw invalidParam('identifier', 'must be at most 254 characters');
    filter.identifiers = identifierCandidates(identifier);
  }
  const widgetId = single(values, 'widgetId');
  if (widgetId !== undefined) {
    if (widgetId.length > 100) throw invalidParam('widgetId', 'must be at most 100 characters');
    filter.widgetId = widgetId;
  }

  const channels = values('channel')
    .flatMap((v) => v.split(','))
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean);
  if (channels.length > 0) {
    const unknown = channels.find((c) => !(CHANNELS as readonly string[]).includes(c));
    if (unknown !== undefined) {
      throw invalidParam(
        'channel',
        `must be sms, whatsapp, telegram, voice or email (not ${unknown})`,
      );
    }
    filter.channels = [...new Set(channels)] as Channel[];
  }

  const resendCount = single(values, 'resendCount');
  const resendOp = single(values, 'resendOp');
  if (resendOp !== undefined && !['gt', 'lt', 'eq'].includes(resendOp)) {
    throw invalidParam('resendOp', 'must be gt, lt or eq');
  }
  if (resendCount !== undefined) {
    if (!/^\d{1,4}$/.test(resendCount)) {
      throw invalidParam('resendCount', 'must be a whole number from 0');
    }
    filter.resendCount = {
      op: (resendOp ?? 'eq') as 'gt' | 'lt' | 'eq',
      value: Number(resendCount),
    };
  } else if (resendOp !== undefined) {
    throw invalidParam('resendCount', 'is required with resendOp');
  }

  const otpVerified = parseBoolean('otpVerified', single(values, 'otpVerified'));
  if (otpVerified !== undefined) filter.otpVerified = otpVerified;
  const tokenVerified = parseBoolean('tokenVerified', single(values, 'tokenVerified'));
  if (tokenVerified !== undefined) filter.tokenVerified = tokenVerified;
  return filter;
}

/** `limit`: 1 to 500, default 50. */
export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT) {
    throw invalidParam('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return Number(value);
}
