import { ERRORS, type ErrorCode } from '@otpkit/protocol';

/** Options of an {@link OtpkitError}: everything but the code is optional. */
export interface OtpkitErrorOptions {
  /** Human-readable message; defaults to the catalogue message of the code. */
  message?: string;
  /** HTTP status; defaults to the catalogue status of the code. */
  status?: number;
  /** The underlying error (a jose error, a fetch `TypeError`, …), for logs. */
  cause?: unknown;
}

/**
 * The one error the SDK rejects with when a token is not accepted or the
 * otpkit server cannot answer. Branch on `code`, a stable
 * {@link ErrorCode} from `@otpkit/protocol`, never on `message`.
 *
 * Misuse by the calling code (a missing `authkey` or `widgetId`) throws a
 * plain `TypeError` instead.
 *
 * @example
 * ```ts
 * try {
 *   const { identifier } = await otpkit.verifyAccessToken(token);
 * } catch (error) {
 *   if (error instanceof OtpkitError && error.code === 'TOKEN_EXPIRED') {
 *     // ask the user to verify again
 *   }
 *   throw error;
 * }
 * ```
 */
export class OtpkitError extends Error {
  override readonly name = 'OtpkitError';
  /** Stable machine-readable code, such as `TOKEN_INVALID`. */
  readonly code: ErrorCode;
  /**
   * HTTP status: the otpkit server's answer for endpoint errors, otherwise
   * the catalogue status of the code (401 for token errors, 503 for
   * `NETWORK_ERROR`).
   */
  readonly status: number;

  constructor(code: ErrorCode, options: OtpkitErrorOptions = {}) {
    super(options.message ?? ERRORS[code].message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERRORS[code].status;
  }
}

/**
 * Whether a value is an {@link OtpkitError}, optionally with a given code.
 *
 * @example
 * ```ts
 * if (isOtpkitError(error, 'TOKEN_ALREADY_VERIFIED')) return c.json({ ok: false }, 409);
 * ```
 */
export function isOtpkitError(error: unknown, code?: ErrorCode): error is OtpkitError {
  return error instanceof OtpkitError && (code === undefined || error.code === code);
}
