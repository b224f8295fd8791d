/**
 * One error class for every expected failure, carrying a stable code from
 * the shared catalogue; `toErrorResponse` is the one place that turns it
 * into an HTTP answer.
 */
import { ERRORS, type ErrorBody, type ErrorCode } from '@otpkit/protocol';

/** Extra, safe-to-share facts attached to an error body. */
export interface ErrorDetails {
  retryAfter?: number;
  attemptsLeft?: number;
  /** Parts the refused SMS would have taken, and the most otpkit sends (`MESSAGE_TOO_LONG`). */
  segments?: number;
  maxSegments?: number;
  /** Field-level problems of an invalid request (`{path, message}`). */
  fields?: { path: string; message: string }[];
}

/**
 * Thrown when the environment (or a store's connection settings) is invalid;
 * the message names every bad variable. Stops the start, never an HTTP answer.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** An expected failure with a stable machine-readable code. */
export class OtpkitError extends Error {
  override name = 'OtpkitError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message?: string, details: ErrorDetails = {}) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.details = details;
  }

  /** The HTTP status of this error's code. */
  get status(): number {
    return ERRORS[this.code].status;
  }

  /** The JSON body sent to clients. */
  toBody(): ErrorBody & { fields?: ErrorDetails['fields'] } {
    return { type: 'error', message: this.message, code: this.code, ...this.details };
  }
}

/**
 * The codes an operation can throw, declared once beside it; the OpenAPI
 * document lists them, and the test app refuses a code a route's operations
 * did not declare (api/http/error-audit.ts).
 *
 * @example export const REVOKE_AUTHKEY_ERRORS = errorCodes('AUTHKEY_NOT_FOUND', 'LAST_AUTHKEY');
 */
export function errorCodes<const T extends readonly ErrorCode[]>(...codes: T): T {
  return codes;
}
