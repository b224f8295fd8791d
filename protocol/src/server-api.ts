/**
 * The server API v5 (`/api/v5/otp`, `/verify`, `/retry`): what SendOTP's
 * server-to-server clients (the `msg91` npm package, plain HTTP calls) send
 * and read. Failures carry the same stable `code` as the widget API, and the
 * message text SendOTP's clients compare against.
 */
import type { ErrorCode } from './errors.ts';

/** Paths of the server API v5 on an otpkit server (each accepts GET and POST). */
export const SERVER_API_PATHS = {
  send: '/api/v5/otp',
  verify: '/api/v5/otp/verify',
  retry: '/api/v5/otp/retry',
} as const;

/** Parameters of `/api/v5/otp`, from the query string or a JSON or form body. */
export interface ServerApiSendParams {
  /** The account authkey (or an `authkey` header). */
  authkey: string;
  /** Mobile number with country code and no `+` (`919999999999`). */
  mobile: string;
  /** An otpkit template id (SMS, WhatsApp or voice) of the account; the v5 widget's own when absent. */
  template_id?: string;
  /** Digits of the code, 4–9 (default: the v5 widget's `otpLength`). */
  otp_length?: string | number;
  /** Minutes the code stays valid, 1 to 10080 (7 days); default 60. */
  otp_expiry?: string | number;
  /** A code chosen by the caller (4–9 digits) instead of a random one. */
  otp?: string | number;
  /** Any other body field is a template variable (`##name##`). */
  [variable: string]: unknown;
}

/** `/api/v5/otp` success. */
export interface ServerApiSendSuccess {
  type: 'success';
  request_id: string;
}

/** `/api/v5/otp/verify` and `/api/v5/otp/retry` success. */
export interface ServerApiMessageSuccess {
  type: 'success';
  message: 'OTP verified success' | 'retry send successfully';
}

/** Every server API v5 failure (answered with HTTP 200, as SendOTP does). */
export interface ServerApiError {
  type: 'error';
  message: string;
  code: ErrorCode;
  retryAfter?: number;
  requestId?: string;
}

/** `retrytype` values and the channel each resends on. */
export const SERVER_API_RETRY_TYPES = { text: 'sms', voice: 'voice' } as const;

/**
 * The message each route answers for an error code, where SendOTP has its
 * own wording; other codes keep the catalogue's message.
 */
export const SERVER_API_MESSAGES = {
  send: {
    INVALID_IDENTIFIER: 'Mobile no. empty or not numeric',
  },
  verify: {
    OTP_MISMATCH: 'OTP not match',
    OTP_EXPIRED: 'OTP expired',
    ALREADY_VERIFIED: 'Mobile no. already verified',
    MAX_ATTEMPTS_REACHED: 'Max limit reached for this otp verification',
    REQUEST_NOT_FOUND: 'Mobile no. not found',
    INVALID_IDENTIFIER: 'Mobile no. empty or not numeric',
  },
  retry: {
    REQUEST_NOT_FOUND: 'No OTP request found to retryotp',
    RETRY_LIMIT_REACHED: 'OTP retry count maxed out',
    OTP_EXPIRED: 'OTP expired',
    ALREADY_VERIFIED: 'Mobile no. already verified',
    MAX_ATTEMPTS_REACHED: 'Max limit reached for this otp verification',
    INVALID_IDENTIFIER: 'Mobile no. empty or not numeric',
  },
} as const satisfies Record<'send' | 'verify' | 'retry', Partial<Record<ErrorCode, string>>>;

/** The success messages of verify and retry. */
export const SERVER_API_SUCCESS = {
  verify: 'OTP verified success',
  retry: 'retry send successfully',
} as const;
