/**
 * The error-code catalogue: every failure otpkit reports, with its HTTP
 * status and a default human message. Server, widget and SDK import these
 * same constants, so a code never drifts between them.
 */

type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 429 | 500 | 502 | 503;

interface ErrorSpec<S extends ErrorStatus = ErrorStatus> {
  /** HTTP status the server answers with. */
  readonly status: S;
  /** Default human-readable message (never contains a secret). */
  readonly message: string;
}

/** One catalogue entry: the HTTP status and the default message of a code. */
function fail<S extends ErrorStatus>(status: S, message: string): ErrorSpec<S> {
  return { status, message };
}

/** Every stable error code, its HTTP status and default message. */
export const ERRORS = {
  INVALID_REQUEST: fail(400, 'The request is malformed.'),
  INVALID_JSON: fail(400, 'The body is not valid JSON.'),
  CAPTCHA_REQUIRED: fail(400, 'Complete the captcha first.'),
  NUMBER_NOT_ALLOWED: fail(
    400,
    'This kind of number (premium-rate, shared-cost, pager…) cannot receive codes.',
  ),
  INVALID_IDENTIFIER: fail(
    400,
    'Enter a valid mobile number with country code, or a valid email address.',
  ),
  INVALID_OTP: fail(400, 'The code must be digits only.'),
  CHANNEL_NOT_ALLOWED: fail(400, 'This channel cannot be used for this request.'),
  TEMPLATE_VARIABLE_MISSING: fail(400, 'A variable the message template needs was not provided.'),
  MESSAGE_TOO_LONG: fail(
    400,
    'The message is longer than 3 SMS segments (459 GSM-7 or 201 Unicode characters).',
  ),
  APP_HASH_MESSAGE_TOO_LONG: fail(
    400,
    "With the widget's androidAppHash, the code SMS would be longer than the 140 bytes Android's SMS Retriever reads.",
  ),
  INVALID_AUTHKEY: fail(401, 'The authkey is missing or invalid.'),
  INVALID_TOKEN_AUTH: fail(401, 'The widget token is missing or invalid.'),
  OTP_MISMATCH: fail(400, 'The code is incorrect.'),
  TOKEN_INVALID: fail(401, 'The access token is invalid.'),
  TOKEN_EXPIRED: fail(401, 'The access token has expired.'),
  PASSKEY_FAILED: fail(401, 'The passkey could not be used. Sign in with a code.'),
  PASSKEY_CANCELLED: fail(
    400,
    'The passkey prompt was closed or timed out (browser only; the server never sends it).',
  ),
  PASSKEY_UNSUPPORTED: fail(
    400,
    'This browser cannot use passkeys here (browser only; the server never sends it).',
  ),
  PASSKEY_TICKET_INVALID: fail(
    401,
    'The passkey ticket is invalid, used or expired. Verify a code first.',
  ),
  INVALID_SIGNATURE: fail(401, 'The request signature is missing or invalid.'),
  INVALID_METRICS_TOKEN: fail(
    401,
    'The metrics bearer token (OTPKIT_METRICS_TOKEN) is missing or invalid.',
  ),
  WIDGET_DISABLED: fail(403, 'This widget is disabled.'),
  ORIGIN_NOT_ALLOWED: fail(403, 'This site may not use this widget.'),
  CAPTCHA_FAILED: fail(403, 'The captcha check failed. Try again.'),
  WIDGET_MOBILE_ONLY: fail(
    403,
    'This widget is set up for mobile apps (mobileIntegration) and cannot run in a browser.',
  ),
  IFRAME_NOT_ALLOWED: fail(403, 'This widget may not run inside a frame.'),
  PASSKEYS_NOT_ENABLED: fail(403, 'This widget does not offer passkeys.'),
  COUNTRY_NOT_ALLOWED: fail(403, 'Numbers from this country cannot be verified here.'),
  MAX_ATTEMPTS_REACHED: fail(403, 'Too many incorrect codes. Request a new code.'),
  RETRY_LIMIT_REACHED: fail(403, 'The code cannot be resent again. Request a new code.'),
  NOT_FOUND: fail(404, 'Not found.'),
  WIDGET_NOT_FOUND: fail(404, 'The widget does not exist.'),
  REQUEST_NOT_FOUND: fail(404, 'No verification request with this id.'),
  TEMPLATE_NOT_FOUND: fail(404, 'The template does not exist.'),
  TOKEN_NOT_FOUND: fail(404, 'The widget token does not exist.'),
  AUTHKEY_NOT_FOUND: fail(404, 'The authkey does not exist.'),
  PASSKEY_NOT_FOUND: fail(404, 'The passkey does not exist.'),
  METHOD_NOT_ALLOWED: fail(405, 'This method is not allowed here.'),
  ALREADY_VERIFIED: fail(409, 'This request has already been verified.'),
  TOKEN_ALREADY_VERIFIED: fail(409, 'This access token has already been verified.'),
  LAST_AUTHKEY: fail(409, 'This is the account’s last authkey: create another before revoking it.'),
  OTP_EXPIRED: fail(410, 'The code has expired. Request a new code.'),
  LINK_EXPIRED: fail(
    410,
    'The sign-in link was ended: the number typed on its page did not match. Request a new link.',
  ),
  PAYLOAD_TOO_LARGE: fail(413, 'The request body is too large.'),
  UNSUPPORTED_MEDIA_TYPE: fail(415, 'Send the body as JSON.'),
  RETRY_TOO_SOON: fail(429, 'Wait before requesting another code.'),
  RATE_LIMITED: fail(429, 'Too many requests. Try again later.'),
  INTERNAL_ERROR: fail(500, 'Something went wrong on our side.'),
  DELIVERY_FAILED: fail(502, 'The code could not be delivered.'),
  NETWORK_ERROR: fail(503, 'The otpkit server could not be reached.'),
  NOT_READY: fail(
    503,
    'The server is not ready for traffic (starting, shutting down or unhealthy).',
  ),
} as const satisfies Record<string, ErrorSpec>;

/** A stable, machine-readable error code such as `OTP_MISMATCH`. */
export type ErrorCode = keyof typeof ERRORS;

/** Every error code, for iteration. */
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** Whether a value is one of the catalogue's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}
