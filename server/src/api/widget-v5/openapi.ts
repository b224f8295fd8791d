/** The widget API's operations for the OpenAPI document (`/openapi.json`). */
import { AUTHENTICATE_ERRORS } from '../../core/accounts/authkeys.ts';
import { LINK_STATUS_ERRORS } from '../../core/magic-links/service.ts';
import { RETRY_OTP_ERRORS, SEND_OTP_ERRORS, VERIFY_OTP_ERRORS } from '../../core/otp/errors.ts';
import { REDEEM_ACCESS_TOKEN_ERRORS } from '../../core/tokens/verify.ts';
import {
  AUTHORIZE_WIDGET_ERRORS,
  FRAME_TOP_HOST_ERRORS,
  WIDGET_ACCESS_ERRORS,
} from '../../core/widgets/service.ts';
import { type ApiRoute, admin, errorsOf, ok, type RouteGroup } from '../http/openapi-registry.ts';
import {
  getWidgetProcessResponse,
  isOneTapAuthenticatedBody,
  isOneTapAuthenticatedResponse,
  powChallengeResponse,
  retryOtpBody,
  sendOtpBody,
  sendOtpResponse,
  verifyAccessTokenBody,
  verifyAccessTokenResponse,
  verifyOtpBody,
  verifyOtpResponse,
  widgetQuery,
} from './schemas.ts';

/**
 * What any call naming a widget can be refused with: the authkey (server to
 * server), the widget and its token, and the widget's rules for the page.
 */
const WIDGET_LOOKUP = errorsOf(AUTHENTICATE_ERRORS, AUTHORIZE_WIDGET_ERRORS, WIDGET_ACCESS_ERRORS);
const BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded'];
const WIDGET_CALLER = ['tokenAuth', 'authkey'] as const;

const sendOtp = (path: string, operationId: string, summary: string): ApiRoute => ({
  method: 'post',
  path,
  operationId,
  summary,
  description:
    'Sends a code (or a magic link) to a mobile number or email on the widget’s primary channel. A new send for the same identifier supersedes the previous code. Browser calls to widgets with a captcha carry its answer as `captcha`; server-to-server calls (the `authkey` header instead of `tokenAuth`) skip the captcha and the per-IP limit.',
  security: WIDGET_CALLER,
  body: sendOtpBody,
  bodyMediaTypes: BODY_TYPES,
  response: ok('The code is on its way.', sendOtpResponse),
  errors: errorsOf(WIDGET_LOOKUP, FRAME_TOP_HOST_ERRORS, SEND_OTP_ERRORS),
});

/** `/api/v5/widget/*`. */
export const WIDGET_API_DOCS: RouteGroup = {
  tag: 'Widget API',
  description:
    'The SendOTP widget API, as the browser widget and the mobile SDKs call it. Each call names its widget and carries a widget token (`tokenAuth`), or, server to server, the account’s `authkey` header.',
  prefix: '/api/v5/widget',
  routes: [
    {
      method: 'get',
      path: '/getWidgetProcess',
      operationId: 'getWidgetProcess',
      summary: 'Describe a widget',
      description:
        'The widget’s configuration as the SendOTP SDKs read it. A disabled widget still describes itself (status "0"). Failures also carry `status:"error"`, `hasError:true` and `errors:[message]`.',
      security: WIDGET_CALLER,
      query: widgetQuery,
      response: ok('The widget’s configuration.', getWidgetProcessResponse),
      // A disabled widget still describes itself.
      errors: WIDGET_LOOKUP.filter((code) => code !== 'WIDGET_DISABLED'),
    },
    {
      method: 'get',
      path: '/captchaChallenge',
      operationId: 'captchaChallenge',
      summary: 'Get a proof-of-work captcha challenge',
      description:
        'A fresh ALTCHA challenge (single use, 5 minutes) for widgets whose captcha provider is `pow`; its solution goes in the next send or resend as `captcha`.',
      security: WIDGET_CALLER,
      query: widgetQuery,
      response: ok('The challenge.', powChallengeResponse),
      // INVALID_REQUEST: the widget's captcha is not the proof of work.
      errors: errorsOf(WIDGET_LOOKUP, ['INVALID_REQUEST']),
    },
    sendOtp('/sendOtpMobile', 'sendOtpMobile', 'Send a code'),
    sendOtp('/sendOtp', 'sendOtp', 'Send a code (alias of sendOtpMobile)'),
    {
      method: 'post',
      path: '/retryOtp',
      operationId: 'retryOtp',
      summary: 'Resend a code',
      description:
        'Delivers a fresh code for a request, on the named channel or the widget’s next retry channel, and renews the expiry. Every code sent for a request stays valid until it expires.',
      security: WIDGET_CALLER,
      body: retryOtpBody,
      bodyMediaTypes: BODY_TYPES,
      response: ok('The new code is on its way.', sendOtpResponse),
      errors: errorsOf(WIDGET_LOOKUP, FRAME_TOP_HOST_ERRORS, RETRY_OTP_ERRORS),
    },
    {
      method: 'post',
      path: '/verifyOtp',
      operationId: 'verifyOtp',
      summary: 'Verify a code',
      description:
        'Checks the code the visitor typed. Success hands back an access token (EdDSA JWT, 5 minutes) for the customer’s backend to check with `verifyAccessToken`.',
      security: WIDGET_CALLER,
      body: verifyOtpBody,
      bodyMediaTypes: BODY_TYPES,
      response: ok('Verified.', verifyOtpResponse),
      errors: errorsOf(WIDGET_LOOKUP, VERIFY_OTP_ERRORS),
    },
    {
      method: 'post',
      path: '/isOneTapAuthenticated',
      operationId: 'isOneTapAuthenticated',
      summary: 'Poll a magic link',
      description:
        'The asking tab polls this (every 2 s) until the magic link sent for the request is confirmed; then it answers with the access token. While it waits it carries the `matchNumber` the tab shows; a wrong number typed on the link’s page ends the request (`LINK_EXPIRED`).',
      security: WIDGET_CALLER,
      body: isOneTapAuthenticatedBody,
      bodyMediaTypes: BODY_TYPES,
      response: ok('Whether the link was confirmed.', isOneTapAuthenticatedResponse),
      // RATE_LIMITED: polls are counted per client network.
      errors: errorsOf(['RATE_LIMITED'], WIDGET_LOOKUP, LINK_STATUS_ERRORS),
    },
    admin({
      method: 'post',
      path: '/verifyAccessToken',
      operationId: 'verifyAccessToken',
      summary: 'Check an access token (customer backend)',
      description:
        'The customer’s backend checks the token the widget handed its page. A token verifies once. With `widgetId`, a token issued for another widget of the account is refused with `TOKEN_INVALID` and stays unused.',
      body: verifyAccessTokenBody,
      bodyMediaTypes: BODY_TYPES,
      response: ok('The token is genuine; the verified identifier.', verifyAccessTokenResponse),
      errors: REDEEM_ACCESS_TOKEN_ERRORS,
    }),
  ],
};
