/**
 * The logs and analytics pages' pure parts: filters ↔ query strings, status
 * labels, and number formats.
 */
import { CHANNELS, type EventKind, isEventKind, type LogStatus } from '@otpkit/protocol';

/** The log filters as the form holds them (strings; empty = unset). */
export interface LogFilters {
  from: string;
  to: string;
  reqId: string;
  identifier: string;
  widgetId: string;
  channels: string[];
  resendOp: '' | 'gt' | 'lt' | 'eq';
  resendCount: string;
  otpVerified: '' | 'true' | 'false';
  tokenVerified: '' | 'true' | 'false';
}

export const EMPTY_FILTERS: LogFilters = {
  from: '',
  to: '',
  reqId: '',
  identifier: '',
  widgetId: '',
  channels: [],
  resendOp: '',
  resendCount: '',
  otpVerified: '',
  tokenVerified: '',
};

/**
 * The query string of a set of filters, for `GET /logs` and the export.
 *
 * @example filtersToQuery({ ...EMPTY_FILTERS, channels: ['sms', 'voice'] }).toString() // 'channel=sms%2Cvoice'
 */
export function filtersToQuery(f: LogFilters): URLSearchParams {
  const q = new URLSearchParams();
  const set = (name: string, value: string) => {
    if (value.trim()) q.set(name, value.trim());
  };
  set('from', f.from);
  set('to', f.to);
  set('reqId', f.reqId);
  set('identifier', f.identifier);
  set('widgetId', f.widgetId);
  if (f.channels.length > 0) q.set('channel', f.channels.join(','));
  if (f.resendCount.trim()) {
    set('resendCount', f.resendCount);
    q.set('resendOp', f.resendOp || 'eq');
  }
  set('otpVerified', f.otpVerified);
  set('tokenVerified', f.tokenVerified);
  return q;
}

/** Reads filters back from a page's query string (unknown values are dropped). */
export function filtersFromQuery(q: URLSearchParams): LogFilters {
  const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | '' =>
    allowed.includes(value as T) ? (value as T) : '';
  return {
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    reqId: q.get('reqId') ?? '',
    identifier: q.get('identifier') ?? '',
    widgetId: q.get('widgetId') ?? '',
    channels: (q.get('channel') ?? '')
      .split(',')
      .filter((c) => (CHANNELS as readonly string[]).includes(c)),
    resendOp: oneOf(q.get('resendOp'), ['gt', 'lt', 'eq'] as const),
    resendCount: /^\d+$/.test(q.get('resendCount') ?? '') ? (q.get('resendCount') ?? '') : '',
    otpVerified: oneOf(q.get('otpVerified'), ['true', 'false'] as const),
    tokenVerified: oneOf(q.get('tokenVerified'), ['true', 'false'] as const),
  };
}

/** Label, colour tone and icon of each status: colour is never the only cue. */
export const STATUS_INFO: Record<
  LogStatus,
  {
    label: string;
    tone: 'danger' | 'info' | 'warning' | 'neutral' | 'verified';
    icon: string;
    meaning: string;
  }
> = {
  failed: {
    label: 'Failed',
    tone: 'danger',
    icon: '✕',
    meaning: 'the latest message could not be delivered',
  },
  delivered: {
    label: 'Delivered',
    tone: 'info',
    icon: '●',
    meaning: 'the provider reported the latest message delivered',
  },
  pending: {
    label: 'Pending',
    tone: 'warning',
    icon: '…',
    meaning: 'waiting to be sent or for a delivery report',
  },
  retry: {
    label: 'Retry',
    tone: 'neutral',
    icon: '↻',
    meaning: 'the code was sent again (a resend or an automatic fallback)',
  },
  verified: {
    label: 'Verified',
    tone: 'verified',
    icon: '✓',
    meaning: 'the right code was entered',
  },
};

/** `0.3333` → `33.3%`; null → `—`. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** `12.5` → `12.5 s`, `150` → `2 min 30 s`; null → `—`. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Number(seconds.toFixed(1))} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** `YYYY-MM-DD` of a time, in UTC (the analytics buckets are UTC days). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The default analytics range: the last 30 days, ending today (UTC). */
export function defaultRange(now = Date.now()): { from: string; to: string } {
  return { from: isoDay(now - 29 * 86_400_000), to: isoDay(now) };
}

/** The file name a `Content-Disposition` header names, or a fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

/** What a refused call's code means, in plain words for the owner (unknown codes: the code itself). */
const REFUSED_TEXT: Record<string, string> = {
  RATE_LIMITED: 'Too many requests (rate limit)',
  CAPTCHA_REQUIRED: 'No captcha was sent',
  CAPTCHA_FAILED: 'The captcha check failed',
  NUMBER_NOT_ALLOWED: 'Premium-rate, satellite or similar number',
  COUNTRY_NOT_ALLOWED: 'Country not allowed',
  PUMPING_SUSPECTED: 'SMS-pumping brake',
  INVALID_IDENTIFIER: 'Not a valid number or email',
  WIDGET_DISABLED: 'Widget disabled',
  ORIGIN_NOT_ALLOWED: 'Site not allowed',
  RETRY_TOO_SOON: 'Resend asked too soon',
  RETRY_LIMIT_REACHED: 'No resends left',
  CHANNEL_NOT_ALLOWED: 'Channel not allowed',
  IFRAME_NOT_ALLOWED: 'Ran inside a frame',
  WIDGET_MOBILE_ONLY: 'Mobile-app widget used in a browser',
  TEMPLATE_VARIABLE_MISSING: 'Template variable missing',
  MESSAGE_TOO_LONG: 'SMS over 3 segments',
  DELIVERY_FAILED: 'Could not be delivered',
};

/**
 * A refused call's code in plain words.
 *
 * @example refusedText('CAPTCHA_REQUIRED') // 'No captcha was sent'
 */
export function refusedText(code: string): string {
  return (
    REFUSED_TEXT[code] ??
    code
      .toLowerCase()
      .replace(/_/g, ' ')
      .replace(/^./, (c) => c.toUpperCase())
  );
}

/**
 * Each kind of recorded call in words. Every kind the server records is
 * named: a kind added to `EventKind` fails the typecheck here until it is.
 */
export const CALL_KIND_TEXT = {
  send: 'Send',
  retry: 'Resend',
  verify: 'Verify',
  'link-sent': 'Magic link',
  'link-resent': 'Magic link resent',
  'link-opened': 'Magic link opened',
  'link-verified': 'Magic link confirmed',
  'verify-token': 'Access token check',
  'passkey-register': 'Passkey registration',
  'passkey-sign-in': 'Passkey sign-in',
} as const satisfies Record<EventKind, string>;

/**
 * A recorded call's kind in words; a kind this console does not know (a
 * newer server's) is shown as it is.
 *
 * @example callKindText('link-sent') // 'Magic link'
 */
export function callKindText(kind: string): string {
  return isEventKind(kind) ? CALL_KIND_TEXT[kind] : kind;
}

/** The refused-calls query (`/logs/refused`): the log filters' date range and widget only. */
export function refusedQuery(f: LogFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.from.trim()) q.set('from', f.from.trim());
  if (f.to.trim()) q.set('to', f.to.trim());
  if (f.widgetId.trim()) q.set('widgetId', f.widgetId.trim());
  return q;
}
