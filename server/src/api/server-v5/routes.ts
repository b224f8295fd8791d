/**
 * `/api/v5/otp`, `/api/v5/otp/verify`, `/api/v5/otp/retry`: SendOTP's server
 * API v5, as the `msg91` npm package and plain HTTP callers use it. GET or
 * POST; parameters in the query string or a JSON or form body (the body
 * wins); `authkey` in a header, the query or the body.
 *
 * Failures are answered with HTTP 200 and `{"type":"error","message","code"}`,
 * as SendOTP does: its clients branch on `type` and compare `message`, and
 * the `msg91` package turns any other status into a transport error.
 */
import {
  SERVER_API_MESSAGES,
  SERVER_API_SUCCESS,
  type ServerApiMessageSuccess,
  type ServerApiSendSuccess,
} from '@otpkit/protocol';
import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import { AUTHENTICATE_ERRORS, accountForAuthkey } from '../../core/accounts/authkeys.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { readBody, requestContext } from '../http/context.ts';
import { errorsInBody, wordingFor } from '../http/errors.ts';
import { routeOf } from '../http/observability.ts';
import { serverApiRetryFields, serverApiSendFields, serverApiVerifyFields } from './schemas.ts';
import { retryByServerApi, sendByServerApi, verifyByServerApi } from './service.ts';

const FIELDS = {
  send: serverApiSendFields,
  verify: serverApiVerifyFields,
  retry: serverApiRetryFields,
} as const;

type Route = keyof typeof SERVER_API_MESSAGES;

/** The message a route answers for an error: SendOTP's wording where it has one. */
export function serverApiMessage(route: Route, error: OtpkitError): string {
  return wordingFor(SERVER_API_MESSAGES[route], error);
}

/** Which of the three routes failed (`/api/v5/otp`, `…/verify`, `…/retry`). */
function routeNameOf(c: Context<AppEnv>): Route {
  const route = routeOf(c);
  return route.endsWith('/verify') ? 'verify' : route.endsWith('/retry') ? 'retry' : 'send';
}

/** What reading an authkey call can refuse: the authkey, and the fields. */
export const READ_AUTHKEY_CALL_ERRORS = errorCodes(...AUTHENTICATE_ERRORS, 'INVALID_REQUEST');

/**
 * Reads a call authenticated by the account authkey (the server API v5, the
 * legacy API): query and body merged (the body wins), the authkey's account
 * (from the `authkey` header, the query or the body), the fields checked.
 * Throws {@link READ_AUTHKEY_CALL_ERRORS}.
 */
export async function readAuthkeyCall(
  c: Context<AppEnv>,
  services: Services,
  fields: z.ZodType,
): Promise<{
  accountId: string;
  params: Record<string, unknown>;
  body: Record<string, unknown>;
  context: ReturnType<typeof requestContext>;
}> {
  const body = c.req.method === 'GET' ? {} : await readBody(c);
  const params: Record<string, unknown> = { ...c.req.query(), ...body };
  const authkey = c.req.header('authkey') ?? params.authkey;
  const context = requestContext(c, services.config);
  // Per client network: the calls, and the wrong authkeys (see `authenticate`).
  const accountId = await accountForAuthkey(services.store, authkey, services.clock.now(), {
    limits: services.otp.limits,
    ip: context.ip,
  });
  const checked = fields.safeParse(params);
  if (!checked.success) {
    throw new OtpkitError('INVALID_REQUEST', checked.error.issues[0]?.message);
  }
  return { accountId, params, body, context };
}

/** The server API v5 routes, mounted at `/api/v5/otp`. */
export function serverApiRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const readCall = (c: Context<AppEnv>, route: Route) =>
    readAuthkeyCall(c, services, FIELDS[route]);

  const send = async (c: Context<AppEnv>): Promise<Response> => {
    const call = await readCall(c, 'send');
    const { reqId } = await sendByServerApi(services, call);
    const answer: ServerApiSendSuccess = { request_id: reqId, type: 'success' };
    return c.json(answer);
  };
  const verify = async (c: Context<AppEnv>): Promise<Response> => {
    await verifyByServerApi(services, await readCall(c, 'verify'));
    const answer: ServerApiMessageSuccess = { message: SERVER_API_SUCCESS.verify, type: 'success' };
    return c.json(answer);
  };
  const retry = async (c: Context<AppEnv>): Promise<Response> => {
    await retryByServerApi(services, await readCall(c, 'retry'));
    const answer: ServerApiMessageSuccess = { message: SERVER_API_SUCCESS.retry, type: 'success' };
    return c.json(answer);
  };

  for (const [path, handler] of [
    ['/', send],
    ['/verify', verify],
    ['/retry', retry],
  ] as const) {
    app.on(['GET', 'POST'], path, handler);
  }
  // Failures answered with HTTP 200, the message in SendOTP's wording for the route.
  app.onError(errorsInBody(services.log, (error, c) => serverApiMessage(routeNameOf(c), error)));
  return app;
}
