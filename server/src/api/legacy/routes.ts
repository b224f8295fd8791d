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
import {
  type ErrorCode,
  LEGACY_API_MESSAGES,
  LEGACY_API_SUCCESS,
  type LegacyApiAnswer,
} from '@otpkit/protocol';
import { type Context, Hono } from 'hono';
import type { OtpkitError } from '../../platform/errors.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { answeringErrorsInBody, readAuthkeyCall } from '../server-v5/index.ts';
import { legacyRetryFields, legacySendFields, legacyVerifyFields } from './schemas.ts';
import { retryByLegacyApi, sendByLegacyApi, verifyByLegacyApi } from './service.ts';

type Route = keyof typeof LEGACY_API_MESSAGES;

/** The message a legacy route answers for an error: SendOTP's legacy wording where it has one. */
export function legacyApiMessage(route: Route, error: OtpkitError): string {
  const messages: Partial<Record<ErrorCode, string>> = LEGACY_API_MESSAGES[route];
  return messages[error.code] ?? error.message;
}

/** The legacy API routes, mounted at `/api`. */
export function legacyApiRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handle = (route: Route, run: (c: Context<AppEnv>) => Promise<LegacyApiAnswer>) =>
    answeringErrorsInBody(
      (error) => legacyApiMessage(route, error),
      (c) => {
        // GETs that send and verify codes, with the authkey in the URL: no cache may keep or replay them.
        c.header('Cache-Control', 'no-store');
        return run(c);
      },
    );

  const send = handle('send', async (c) => {
    const call = await readAuthkeyCall(c, services, legacySendFields);
    const { reqId } = await sendByLegacyApi(services, call);
    return { message: reqId, type: 'success' };
  });
  const verify = handle('verify', async (c) => {
    await verifyByLegacyApi(services, await readAuthkeyCall(c, services, legacyVerifyFields));
    return { message: LEGACY_API_SUCCESS.verify, type: 'success' };
  });
  const retry = handle('retry', async (c) => {
    await retryByLegacyApi(services, await readAuthkeyCall(c, services, legacyRetryFields));
    return { message: LEGACY_API_SUCCESS.retry, type: 'success' };
  });

  for (const [path, handler] of [
    ['/sendotp.php', send],
    ['/verifyRequestOTP.php', verify],
    ['/retryotp.php', retry],
  ] as const) {
    app.on(['GET', 'POST'], path, handler);
  }
  return app;
}
