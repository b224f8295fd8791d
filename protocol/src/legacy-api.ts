/**
 * SendOTP's legacy API (`/api/sendotp.php`, `/api/retryotp.php`,
 * `/api/verifyRequestOTP.php`): what the `sendotp` npm package and the PHP
 * and Python snippets of its era send and read. Every answer is
 * `{"message","type"}` with HTTP 200; failures add the same stable `code` as
 * the other APIs. The message texts are SendOTP's legacy ones, as its
 * callers compare them (gathered from published callers of the API).
 */
import type { ErrorCode } from './errors.ts';

/** Paths of the legacy API on an otpkit server (each accepts GET and POST). */
export const LEGACY_API_PATHS = {
  send: '/api/sendotp.php',
  retry: '/api/retryotp.php',
  verify: '/api/verifyRequestOTP.php',
} as const;

/** Parameters of `/api/sendotp.php`, from the query string (or a form or JSON body). */
export interface LegacySendParams {
  /** The account authkey (or an `authkey` header). */
  authkey: string;
  /** Mobile number with country code and no `+` (`919999999999`). */
  mobile: string;
  /** The SMS text, with the code in it (the `otp` given) or `##OTP##` where it goes; the widget's template when absent. */
  message?: string;
  /** The sender id the SMS shows (3–11 letters or digits). */
  sender?: string;
  /** A code chosen by the caller (4–9 digits) instead of a random one. */
  otp?: string | number;
  /** Minutes the code stays valid, 1 to 10080; default 1440 (one day). */
  otp_expiry?: string | number;
  /** Digits of a generated code, 4–9. */
  otp_length?: string | number;
}

/** A legacy API answer: the request id (send) or a message, success or not. */
export interface LegacyApiAnswer {
  type: 'success' | 'error';
  message: string;
  /** On failures: the stable error code. */
  code?: ErrorCode;
  retryAfter?: number;
}

/** Minutes a legacy code stays valid when `otp_expiry` is absent (SendOTP's default: one day). */
export const LEGACY_DEFAULT_EXPIRY_MINUTES = 1440;

/** The success messages of verify and retry (send answers with the request id). */
export const LEGACY_API_SUCCESS = {
  verify: 'number_verified_successfully',
  retry: 'retry send successfully',
} as const;

const COMMON = {
  INVALID_AUTHKEY: 'invalid_auth_key',
  INVALID_IDENTIFIER: 'invalid_mobile_number',
} as const satisfies Partial<Record<ErrorCode, string>>;

/**
 * The message each route answers for an error code, where SendOTP's legacy
 * API had its own wording; other codes keep the catalogue's message.
 */
export const LEGACY_API_MESSAGES = {
  send: { ...COMMON },
  verify: {
    ...COMMON,
    OTP_MISMATCH: 'otp_not_verified',
    INVALID_OTP: 'invalid_otp',
    OTP_EXPIRED: 'otp_expired',
    ALREADY_VERIFIED: 'already_verified',
    MAX_ATTEMPTS_REACHED: 'max_limit_reached_for_this_otp_verification',
    REQUEST_NOT_FOUND: 'mobile_not_found',
  },
  retry: {
    ...COMMON,
    REQUEST_NOT_FOUND: 'No OTP request found to retryotp',
    RETRY_LIMIT_REACHED: 'max_retry_count_exceeded',
    OTP_EXPIRED: 'otp_expired',
    ALREADY_VERIFIED: 'already_verified',
    MAX_ATTEMPTS_REACHED: 'max_limit_reached_for_this_otp_verification',
  },
} as const satisfies Record<'send' | 'verify' | 'retry', Partial<Record<ErrorCode, string>>>;
