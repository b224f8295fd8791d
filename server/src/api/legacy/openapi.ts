/** The legacy API's operations for the OpenAPI document (`/openapi.json`). */
import { LEGACY_API_MESSAGES, LEGACY_API_SUCCESS } from '@otpkit/protocol';
import { ok, type RouteGroup } from '../http/openapi-registry.ts';
import { authkeyCall, wordingList } from '../server-v5/openapi.ts';
import {
  legacyAnswer,
  legacyRetryFields,
  legacySendFields,
  legacyVerifyFields,
} from './schemas.ts';
import {
  RETRY_BY_LEGACY_API_ERRORS,
  SEND_BY_LEGACY_API_ERRORS,
  VERIFY_BY_LEGACY_API_ERRORS,
} from './service.ts';

const FAILURES =
  'Failures are answered with **HTTP 200** and `{"message","type":"error","code"}`, as SendOTP’s legacy API did (its callers branch on `type` and compare `message`); the error codes below are the `code` values.';

/** SendOTP's legacy wording for the route's errors, as a Markdown list. */
const wording = (route: keyof typeof LEGACY_API_MESSAGES) =>
  wordingList(LEGACY_API_MESSAGES[route]);

/** `/api/sendotp.php`, `/api/verifyRequestOTP.php`, `/api/retryotp.php`. */
export const LEGACY_API_DOCS: RouteGroup = {
  tag: 'Legacy SendOTP API',
  description:
    'SendOTP’s legacy OTP API, for backends that still call it (the `sendotp` npm package, PHP and Python snippets): GET or POST, parameters in the query string or a form or JSON body, the authkey in the query, the body or a header. The same rules, limits and codes as the server API v5: requests belong to the account’s “Server API (v5)” widget.',
  prefix: '/api',
  routes: [
    ...authkeyCall({
      path: '/sendotp.php',
      operationId: 'legacySendOtp',
      summary: 'Send a code to a mobile number, in the caller’s own text',
      description: `Answers \`{"message":"<request id>","type":"success"}\`. The \`message\` must hold the code (the \`otp\` given, or \`##OTP##\`) and fit 3 SMS segments. Rate limits and the SMS-pumping brake apply. ${FAILURES}\n\n${wording('send')}`,
      fields: legacySendFields,
      response: ok('The code is on its way; `message` is the request id.', legacyAnswer),
      errors: SEND_BY_LEGACY_API_ERRORS,
    }),
    ...authkeyCall({
      path: '/verifyRequestOTP.php',
      operationId: 'legacyVerifyOtp',
      summary: 'Check the code a number’s latest request was sent',
      description: `${FAILURES}\n\n${wording('verify')}`,
      fields: legacyVerifyFields,
      response: ok(`\`${LEGACY_API_SUCCESS.verify}\`.`, legacyAnswer),
      errors: VERIFY_BY_LEGACY_API_ERRORS,
    }),
    ...authkeyCall({
      path: '/retryotp.php',
      operationId: 'legacyRetryOtp',
      summary: 'Resend a number’s latest code, by SMS or voice',
      description: `A fresh code of the same length in the widget’s template; codes sent before stay valid. ${FAILURES}\n\n${wording('retry')}`,
      fields: legacyRetryFields,
      response: ok(`\`${LEGACY_API_SUCCESS.retry}\`.`, legacyAnswer),
      errors: RETRY_BY_LEGACY_API_ERRORS,
    }),
  ],
};
