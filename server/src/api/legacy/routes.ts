/**
 * `/api/sendotp.php`, `/api/verifyRequestOTP.php`, `/api/retryotp.php`:
 * SendOTP's legacy API, as the `sendotp` npm package (GET, parameters in the
 * query string) and the PHP and Python snippets of its era (often POST, the
 * query string or a form body) call it. `authkey` in the query, the body or
 * a header, checked as on every authkey route.
 *
 * Every answer is `{"message","type"}` with HTTP 200, as SendOTP's was: its
 * callers branch on `type` and compare `message`; a failure adds the stable
 * `code`.
 */
import { LEGACY_API_MESSAGES, LEGACY_API_SUCCESS, type LegacyApiAnswer } from '@otpkit/protocol';
import { type Context, Hono } from 'hono';
import type { OtpkitError } from '../../platform/errors.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { errorsInBody, wordingFor } from '../http/errors.ts';
import { routeOf } from '../http/observability.ts';
import { readAuthkeyCall } from '../server-v5/index.ts';
import { legacyRetryFields, legacySendFields, legacyVerifyFields } from './schemas.ts';
import { retryByLegacyApi, sendByLegacyApi, verifyByLegacyApi } from './service.ts';

type Route = keyof typeof LEGACY_API_MESSAGES;

/** The message a legacy route answers for an error: SendOTP's legacy wording where it has one. */
export function legacyApiMessage(route: Route, error: OtpkitError): string {
  return wordingFor(LEGACY_API_MESSAGES[route], error);
}

/** Which of the three routes failed. */
function routeNameOf(c: Context<AppEnv>): Route {
  const route = routeOf(c);
  return route.endsWith('/verifyRequestOTP.php')
    ? 'verify'
    : route.endsWith('/retryotp.php')
      ? 'retry'
      : 'send';
}

const answer = (c: Context<AppEnv>, body: LegacyApiAnswer): Response => c.json(body);

/** The legacy API routes, mounted at `/api`. */
export function legacyApiRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const send = async (c: Context<AppEnv>): Promise<Response> => {
    const call = await readAuthkeyCall(c, services, legacySendFields);
    const { reqId } = await sendByLegacyApi(services, call);
    return answer(c, { message: reqId, type: 'success' });
  };
  const verify = async (c: Context<AppEnv>): Promise<Response> => {
    await verifyByLegacyApi(services, await readAuthkeyCall(c, services, legacyVerifyFields));
    return answer(c, { message: LEGACY_API_SUCCESS.verify, type: 'success' });
  };
  const retry = async (c: Context<AppEnv>): Promise<Response> => {
    await retryByLegacyApi(services, await readAuthkeyCall(c, services, legacyRetryFields));
    return answer(c, { message: LEGACY_API_SUCCESS.retry, type: 'success' });
  };

  for (const [path, handler] of [
    ['/sendotp.php', send],
    ['/verifyRequestOTP.php', verify],
    ['/retryotp.php', retry],
  ] as const) {
    // GETs that send and verify codes, with the authkey in the URL: no cache may keep or replay them.
    app.on(['GET', 'POST'], path, async (c, next) => {
      c.header('Cache-Control', 'no-store');
      await next();
    });
    app.on(['GET', 'POST'], path, handler);
  }
  // Failures answered with HTTP 200, the message in SendOTP's legacy wording for the route.
  app.onError(errorsInBody(services.log, (error, c) => legacyApiMessage(routeNameOf(c), error)));
  return app;
}
