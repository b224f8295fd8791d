/**
 * The codes each OTP operation can throw (`sendOtp`, `retryOtp`,
 * `verifyOtp`, `confirmCode` in service.ts). The OpenAPI document lists
 * them for every route that calls the operation, and the test app refuses
 * a code a route's operations did not declare (api/http/error-audit.ts).
 */
import { errorCodes } from '../../platform/errors.ts';

/** A browser call's captcha: none given, or a wrong, used or expired one. */
export const CAPTCHA_ERRORS = errorCodes('CAPTCHA_REQUIRED', 'CAPTCHA_FAILED');

/** Building and queueing the message of a send or resend. */
const MESSAGE_ERRORS = errorCodes(
  'TEMPLATE_VARIABLE_MISSING',
  'MESSAGE_TOO_LONG',
  'DELIVERY_FAILED',
);

/** `sendOtp`. */
export const SEND_OTP_ERRORS = errorCodes(
  'INVALID_REQUEST',
  'INVALID_IDENTIFIER',
  'NUMBER_NOT_ALLOWED',
  'COUNTRY_NOT_ALLOWED',
  ...CAPTCHA_ERRORS,
  ...MESSAGE_ERRORS,
  'RETRY_TOO_SOON',
  'RATE_LIMITED',
);

/** `retryOtp`. */
export const RETRY_OTP_ERRORS = errorCodes(
  'INVALID_REQUEST',
  'REQUEST_NOT_FOUND',
  'ALREADY_VERIFIED',
  'OTP_EXPIRED',
  'LINK_EXPIRED',
  'RETRY_LIMIT_REACHED',
  'MAX_ATTEMPTS_REACHED',
  'CHANNEL_NOT_ALLOWED',
  ...CAPTCHA_ERRORS,
  ...MESSAGE_ERRORS,
  'RETRY_TOO_SOON',
  'RATE_LIMITED',
);

/** `verifyOtp` and `confirmCode`. */
export const VERIFY_OTP_ERRORS = errorCodes(
  'INVALID_REQUEST',
  'INVALID_OTP',
  'OTP_MISMATCH',
  'REQUEST_NOT_FOUND',
  'MAX_ATTEMPTS_REACHED',
  'OTP_EXPIRED',
  'LINK_EXPIRED',
  'ALREADY_VERIFIED',
  'RATE_LIMITED',
);
