/**
 * The error-code catalogue: every failure otpkit reports, with its HTTP
 * status and a default human message. Server, widget and SDK import these
 * same constants, so a code never drifts between them.
 */

interface ErrorSpec {
  /** HTTP status the server answers with. */
  readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 429 | 500 | 502 | 503;
  /** Default human-readable message (never contains a secret). */
  readonly message: string;
}

/** Every stable error code, its HTTP status and default message. */
export const ERRORS = {
  INVALID_REQUEST: { status: 400, message: 'The request is malformed.' },
  INVALID_JSON: { status: 400, message: 'The body is not valid JSON.' },
  CAPTCHA_REQUIRED: { status: 400, message: 'Complete the captcha first.' },
  NUMBER_NOT_ALLOWED: {
    status: 400,
    message: 'This kind of number (premium-rate, shared-cost, pager…) cannot receive codes.',
  },
  INVALID_IDENTIFIER: {
    status: 400,
    message: 'Enter a valid mobile number with country code, or a valid email address.',
  },
  INVALID_OTP: { status: 400, message: 'The code must be digits only.' },
  CHANNEL_NOT_ALLOWED: { status: 400, message: 'This channel cannot be used for this request.' },
  TEMPLATE_VARIABLE_MISSING: {
    status: 400,
    message: 'A variable the message template needs was not provided.',
  },
  MESSAGE_TOO_LONG: {
    status: 400,
    message: 'The message is longer than 3 SMS segments (459 GSM-7 or 201 Unicode characters).',
  },
  APP_HASH_MESSAGE_TOO_LONG: {
    status: 400,
    message:
      "With the widget's androidAppHash, the code SMS would be longer than the 140 bytes Android's SMS Retriever reads.",
  },
  INVALID_AUTHKEY: { status: 401, message: 'The authkey is missing or invalid.' },
  INVALID_TOKEN_AUTH: { status: 401, message: 'The widget token is missing or invalid.' },
  OTP_MISMATCH: { status: 400, message: 'The code is incorrect.' },
  TOKEN_INVALID: { status: 401, message: 'The access token is invalid.' },
  TOKEN_EXPIRED: { status: 401, message: 'The access token has expired.' },
  PASSKEY_FAILED: { status: 401, message: 'The passkey could not be used. Sign in with a code.' },
  PASSKEY_CANCELLED: {
    status: 400,
    message:
      'The passkey prompt was closed or timed out (browser only; the server never sends it).',
  },
  PASSKEY_UNSUPPORTED: {
    status: 400,
    message: 'This browser cannot use passkeys here (browser only; the server never sends it).',
  },
  PASSKEY_TICKET_INVALID: {
    status: 401,
    message: 'The passkey ticket is invalid, used or expired. Verify a code first.',
  },
  INVALID_SIGNATURE: { status: 401, message: 'The request signature is missing or invalid.' },
  INVALID_METRICS_TOKEN: {
    status: 401,
    message: 'The metrics bearer token (OTPKIT_METRICS_TOKEN) is missing or invalid.',
  },
  WIDGET_DISABLED: { status: 403, message: 'This widget is disabled.' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'This site may not use this widget.' },
  CAPTCHA_FAILED: { status: 403, message: 'The captcha check failed. Try again.' },
  WIDGET_MOBILE_ONLY: {
    status: 403,
    message:
      'This widget is set up for mobile apps (mobileIntegration) and cannot run in a browser.',
  },
  IFRAME_NOT_ALLOWED: { status: 403, message: 'This widget may not run inside a frame.' },
  PASSKEYS_NOT_ENABLED: { status: 403, message: 'This widget does not offer passkeys.' },
  COUNTRY_NOT_ALLOWED: {
    status: 403,
    message: 'Numbers from this country cannot be verified here.',
  },
  MAX_ATTEMPTS_REACHED: {
    status: 403,
    message: 'Too many incorrect codes. Request a new code.',
  },
  RETRY_LIMIT_REACHED: {
    status: 403,
    message: 'The code cannot be resent again. Request a new code.',
  },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  WIDGET_NOT_FOUND: { status: 404, message: 'The widget does not exist.' },
  REQUEST_NOT_FOUND: { status: 404, message: 'No verification request with this id.' },
  TEMPLATE_NOT_FOUND: { status: 404, message: 'The template does not exist.' },
  TOKEN_NOT_FOUND: { status: 404, message: 'The widget token does not exist.' },
  AUTHKEY_NOT_FOUND: { status: 404, message: 'The authkey does not exist.' },
  PASSKEY_NOT_FOUND: { status: 404, message: 'The passkey does not exist.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed here.' },
  ALREADY_VERIFIED: { status: 409, message: 'This request has already been verified.' },
  TOKEN_ALREADY_VERIFIED: { status: 409, message: 'This access token has already been verified.' },
  LAST_AUTHKEY: {
    status: 409,
    message: 'This is the account’s last authkey: create another before revoking it.',
  },
  OTP_EXPIRED: { status: 410, message: 'The code has expired. Request a new code.' },
  LINK_EXPIRED: {
    status: 410,
    message:
      'The sign-in link was ended: the number typed on its page did not match. Request a new link.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as JSON.' },
  RETRY_TOO_SOON: { status: 429, message: 'Wait before requesting another code.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Try again later.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong on our side.' },
  DELIVERY_FAILED: { status: 502, message: 'The code could not be delivered.' },
  NETWORK_ERROR: { status: 503, message: 'The otpkit server could not be reached.' },
  NOT_READY: {
    status: 503,
    message: 'The server is not ready for traffic (starting, shutting down or unhealthy).',
  },
} as const satisfies Record<string, ErrorSpec>;

/** A stable, machine-readable error code such as `OTP_MISMATCH`. */
export type ErrorCode = keyof typeof ERRORS;

/** Every error code, for iteration. */
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** Whether a value is one of the catalogue's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}
