/** The server API v5's operations for the OpenAPI document (`/openapi.json`). */
import { SERVER_API_MESSAGES } from '@otpkit/protocol';
import {
  type ApiRoute,
  type ErrorCode,
  errorsOf,
  getAndPost,
  ok,
  type RouteGroup,
} from '../http/openapi-registry.ts';
import { READ_AUTHKEY_CALL_ERRORS } from './routes.ts';
import {
  serverApiMessageResponse,
  serverApiRetryFields,
  serverApiSendFields,
  serverApiSendResponse,
  serverApiVerifyFields,
} from './schemas.ts';
import {
  RETRY_BY_SERVER_API_ERRORS,
  SEND_BY_SERVER_API_ERRORS,
  VERIFY_BY_SERVER_API_ERRORS,
} from './service.ts';

const FAILURES =
  'Failures are answered with **HTTP 200** and `{"type":"error","message","code"}`, as SendOTP does (its clients branch on `type` and compare `message`); the error codes below are the `code` values.';

/** SendOTP's wording for a route's errors, as a Markdown list. */
export function wordingList(messages: Readonly<Record<string, string>>): string {
  return Object.entries(messages)
    .map(([code, message]) => `- \`${code}\`: "${message}"`)
    .join('\n');
}

const wording = (route: keyof typeof SERVER_API_MESSAGES) =>
  wordingList(SERVER_API_MESSAGES[route]);

/**
 * One call of a SendOTP-style API (this one or the legacy one): GET or POST,
 * the authkey in a header or the query, and the authkey's errors before the
 * call's own.
 */
export function authkeyCall(
  route: Omit<Parameters<typeof getAndPost>[0], 'security' | 'errors'> & {
    readonly errors: readonly ErrorCode[];
  },
): ApiRoute[] {
  return getAndPost({
    ...route,
    security: ['authkey', 'authkeyQuery'],
    errors: errorsOf(READ_AUTHKEY_CALL_ERRORS, route.errors),
  });
}

/** `/api/v5/otp*`. */
export const SERVER_API_DOCS: RouteGroup = {
  tag: 'Server API v5',
  description:
    'SendOTP’s server-to-server OTP API, for backends (the `msg91` npm package and plain HTTP callers): GET or POST, parameters in the query string or a JSON or form body, the authkey in a header or the query. Requests belong to the account’s “Server API (v5)” widget, whose settings apply.',
  prefix: '/api/v5/otp',
  routes: [
    ...authkeyCall({
      path: '/',
      operationId: 'serverApiSendOtp',
      summary: 'Send a code to a mobile number',
      description: `Any parameter not listed is a template variable. Rate limits and the SMS-pumping brake apply; the authkey stands in for the captcha. ${FAILURES}\n\n${wording('send')}`,
      fields: serverApiSendFields,
      response: ok('The code is on its way.', serverApiSendResponse),
      errors: SEND_BY_SERVER_API_ERRORS,
    }),
    ...authkeyCall({
      path: '/verify',
      operationId: 'serverApiVerifyOtp',
      summary: 'Check the code a number’s latest request was sent',
      description: `${FAILURES}\n\n${wording('verify')}`,
      fields: serverApiVerifyFields,
      response: ok('`OTP verified success`.', serverApiMessageResponse),
      errors: VERIFY_BY_SERVER_API_ERRORS,
    }),
    ...authkeyCall({
      path: '/retry',
      operationId: 'serverApiRetryOtp',
      summary: 'Resend a number’s latest code, by SMS or voice',
      description: `A fresh code of the same length; codes sent before stay valid. ${FAILURES}\n\n${wording('retry')}`,
      fields: serverApiRetryFields,
      response: ok('`retry send successfully`.', serverApiMessageResponse),
      errors: RETRY_BY_SERVER_API_ERRORS,
    }),
  ],
};
