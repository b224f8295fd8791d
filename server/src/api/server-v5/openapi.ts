/** The server API v5's operations for the OpenAPI document (`/openapi.json`). */
import { SERVER_API_MESSAGES } from '@otpkit/protocol';
import { errorsOf, getAndPost, type RouteGroup } from '../http/openapi-registry.ts';
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

const SECURITY = ['authkey', 'authkeyQuery'] as const;
const FAILURES =
  'Failures are answered with **HTTP 200** and `{"type":"error","message","code"}`, as SendOTP does (its clients branch on `type` and compare `message`); the error codes below are the `code` values.';

/** SendOTP's wording for the route's errors, as a Markdown list. */
const wording = (route: keyof typeof SERVER_API_MESSAGES) =>
  Object.entries(SERVER_API_MESSAGES[route])
    .map(([code, message]) => `- \`${code}\`: "${message}"`)
    .join('\n');

/** `/api/v5/otp*`. */
export const SERVER_API_DOCS: RouteGroup = {
  tag: 'Server API v5',
  description:
    'SendOTP’s server-to-server OTP API, for backends (the `msg91` npm package and plain HTTP callers): GET or POST, parameters in the query string or a JSON or form body, the authkey in a header or the query. Requests belong to the account’s “Server API (v5)” widget, whose settings apply.',
  prefix: '/api/v5/otp',
  routes: [
    ...getAndPost({
      path: '/',
      operationId: 'serverApiSendOtp',
      summary: 'Send a code to a mobile number',
      description: `Any parameter not listed is a template variable. Rate limits and the SMS-pumping brake apply; the authkey stands in for the captcha. ${FAILURES}\n\n${wording('send')}`,
      security: SECURITY,
      fields: serverApiSendFields,
      response: {
        status: 200,
        description: 'The code is on its way.',
        schema: serverApiSendResponse,
      },
      errors: errorsOf(READ_AUTHKEY_CALL_ERRORS, SEND_BY_SERVER_API_ERRORS),
    }),
    ...getAndPost({
      path: '/verify',
      operationId: 'serverApiVerifyOtp',
      summary: 'Check the code a number’s latest request was sent',
      description: `${FAILURES}\n\n${wording('verify')}`,
      security: SECURITY,
      fields: serverApiVerifyFields,
      response: {
        status: 200,
        description: '`OTP verified success`.',
        schema: serverApiMessageResponse,
      },
      errors: errorsOf(READ_AUTHKEY_CALL_ERRORS, VERIFY_BY_SERVER_API_ERRORS),
    }),
    ...getAndPost({
      path: '/retry',
      operationId: 'serverApiRetryOtp',
      summary: 'Resend a number’s latest code, by SMS or voice',
      description: `A fresh code of the same length; codes sent before stay valid. ${FAILURES}\n\n${wording('retry')}`,
      security: SECURITY,
      fields: serverApiRetryFields,
      response: {
        status: 200,
        description: '`retry send successfully`.',
        schema: serverApiMessageResponse,
      },
      errors: errorsOf(READ_AUTHKEY_CALL_ERRORS, RETRY_BY_SERVER_API_ERRORS),
    }),
  ],
};
