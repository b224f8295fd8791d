/**
 * Errors to HTTP. Each API surface is a Hono sub-app with its own `onError`,
 * built from these: the JSON surfaces (widget API, admin API, passkeys, the
 * service routes) answer with the status of the error's code; SendOTP's
 * server API v5 and legacy API answer with HTTP 200 and the error in the
 * body, as SendOTP does. Anything that is not an `OtpkitError` is handled
 * the same way on every surface (`answerUnexpected`).
 */
import { ERRORS, type ErrorCode, type ServerApiError } from '@otpkit/protocol';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OtpkitError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/runtime.ts';
import type { AppEnv } from '../app-types.ts';
import { CLIENT_CLOSED_REQUEST, isClientHangUp } from './context.ts';
import { routeOf } from './observability.ts';

/**
 * An error that is no `OtpkitError`: a refusal by Hono itself (bad method,
 * malformed request) keeps its status; a client that hung up is a 499; the
 * rest is a generic 500 with the request id, the details in the log only.
 */
export function answerUnexpected(error: Error, c: Context<AppEnv>, log: Logger): Response {
  const requestId = c.var.requestId;
  if (error instanceof HTTPException && error.status < 500) {
    const code = error.status === 405 ? 'METHOD_NOT_ALLOWED' : 'INVALID_REQUEST';
    return c.json({ type: 'error', code, message: ERRORS[code].message, requestId }, error.status);
  }
  // A client that hangs up mid-body is an everyday event, not a failure of ours.
  if (isClientHangUp(error, c)) {
    log.info('client closed the request', { requestId, method: c.req.method, route: routeOf(c) });
    return c.body(null, CLIENT_CLOSED_REQUEST as ContentfulStatusCode);
  }
  // The route pattern, not the path: a path may hold a magic-link token.
  log.error('unexpected error', {
    requestId,
    method: c.req.method,
    route: routeOf(c),
    error: error.stack ?? error.message,
  });
  return c.json(
    { type: 'error', code: 'INTERNAL_ERROR', message: ERRORS.INTERNAL_ERROR.message, requestId },
    500,
  );
}

/**
 * An `OtpkitError` as JSON with its code's HTTP status, the request id (so a
 * user's report finds its log lines) and `Retry-After` when it has one.
 */
export function answerJson(error: OtpkitError, c: Context<AppEnv>): Response {
  if (error.details.retryAfter !== undefined) {
    c.header('Retry-After', String(error.details.retryAfter));
  }
  return c.json({ ...error.toBody(), requestId: c.var.requestId }, error.status as 400);
}

/** The `onError` of a JSON surface: see {@link answerJson} and {@link answerUnexpected}. */
export function jsonErrors(log: Logger): ErrorHandler<AppEnv> {
  return (error, c) =>
    error instanceof OtpkitError ? answerJson(error, c) : answerUnexpected(error, c, log);
}

/**
 * The `onError` of SendOTP's server API v5 and legacy API: HTTP 200 with
 * `{"type":"error","message","code"}` (and `retryAfter` when there is one),
 * the message in the wording `messageFor` gives the route that failed.
 * Their clients branch on `type` and compare `message`, and the `msg91`
 * package turns any other status into a transport error.
 */
export function errorsInBody(
  log: Logger,
  messageFor: (error: OtpkitError, c: Context<AppEnv>) => string,
): ErrorHandler<AppEnv> {
  return (error, c) => {
    if (!(error instanceof OtpkitError)) return answerUnexpected(error, c, log);
    const body: ServerApiError = { type: 'error', message: messageFor(error, c), code: error.code };
    if (error.details.retryAfter !== undefined) {
      body.retryAfter = error.details.retryAfter;
      c.header('Retry-After', String(error.details.retryAfter));
    }
    return c.json(body);
  };
}

/**
 * The wording a SendOTP route gives a code (`SERVER_API_MESSAGES.send`,
 * `LEGACY_API_MESSAGES.verify`, …), else the error's own message.
 */
export function wordingFor(
  messages: Partial<Record<ErrorCode, string>>,
  error: OtpkitError,
): string {
  return messages[error.code] ?? error.message;
}
