/**
 * The event log's vocabulary: what each recorded call was (`EventKind`) and
 * how it ended (`EventOutcome`). The server writes these, the admin API
 * returns them (`/logs/refused`, a request's timeline), the console names
 * them. Declared once here so that a new kind is a type error wherever it
 * is not handled.
 */
import type { ErrorCode } from './errors.ts';

/** Every kind of recorded call, in the order a request's life meets them. */
export const EVENT_KINDS = [
  /** A code sent (`sendOtp`, server API v5, legacy `sendotp.php`). */
  'send',
  /** A code resent (`retryOtp`, server API v5 retry). */
  'retry',
  /** A code checked (`verifyOtp`, server API v5 verify). */
  'verify',
  /** A magic link sent, by a `magic_link` widget's send. */
  'link-sent',
  /** A magic link resent. */
  'link-resent',
  /** A magic link's confirmation page opened (by a person or a mail scanner). */
  'link-opened',
  /** A magic link confirmed (or refused) on its page. */
  'link-verified',
  /** An access token redeemed by a customer backend (`verifyAccessToken`). */
  'verify-token',
  /** A passkey registered after a code. */
  'passkey-register',
  /** A sign-in with a passkey. */
  'passkey-sign-in',
] as const;

/** What a recorded call was. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** How a recorded call ended: `ok`, or the error code it was refused with. */
export type EventOutcome = 'ok' | ErrorCode;

/**
 * Whether `value` names a known event kind (rows written by an older or
 * newer server may not).
 *
 * @example isEventKind('send') // true
 */
export function isEventKind(value: string): value is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(value);
}
