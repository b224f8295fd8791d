/** The widget API's operations for the OpenAPI document (`/openapi.json`). */
import type { ApiRoute, ErrorCode, RouteGroup } from '../http/openapi-registry.ts';
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

/** What any call naming a widget can be refused with. */
const WIDGET_ACCESS: ErrorCode[] = [
  'INVALID_REQUEST',
  'WIDGET_NOT_FOUND',
  'WIDGET_DISABLED',
  'ORIGIN_NOT_ALLOWED',
  'WIDGET_MOBILE_ONLY',
];
const SENDING: ErrorCode[] = [
  'CAPTCHA_REQUIRED',
  'CAPTCHA_FAILED',
  'TEMPLATE_VARIABLE_MISSING',
  'MESSAGE_TOO_LONG',
  'RETRY_TOO_SOON',
  'RATE_LIMITED',
  'DELIVERY_FAILED',
];
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
  response: { status: 200, description: 'The code is on its way.', schema: sendOtpResponse },
  errors: [
    ...WIDGET_ACCESS,
    'INVALID_IDENTIFIER',
    'NUMBER_NOT_ALLOWED',
    'COUNTRY_NOT_ALLOWED',
    ...SENDING,
  ],
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
      response: {
        status: 200,
        description: 'The widget’s configuration.',
        schema: getWidgetProcessResponse,
      },
      errors: ['INVALID_REQUEST', 'WIDGET_NOT_FOUND', 'ORIGIN_NOT_ALLOWED', 'WIDGET_MOBILE_ONLY'],
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
      response: { status: 200, description: 'The challenge.', schema: powChallengeResponse },
      errors: WIDGET_ACCESS,
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
      response: {
        status: 200,
        description: 'The new code is on its way.',
        schema: sendOtpResponse,
      },
      errors: [
        ...WIDGET_ACCESS,
        'REQUEST_NOT_FOUND',
        'ALREADY_VERIFIED',
        'OTP_EXPIRED',
        'LINK_EXPIRED',
        'RETRY_LIMIT_REACHED',
        'CHANNEL_NOT_ALLOWED',
        ...SENDING,
      ],
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
      response: { status: 200, description: 'Verified.', schema: verifyOtpResponse },
      errors: [
        ...WIDGET_ACCESS,
        'INVALID_OTP',
        'OTP_MISMATCH',
        'REQUEST_NOT_FOUND',
        'MAX_ATTEMPTS_REACHED',
        'OTP_EXPIRED',
        'LINK_EXPIRED',
        'ALREADY_VERIFIED',
        'RATE_LIMITED',
      ],
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
      response: {
        status: 200,
        description: 'Whether the link was confirmed.',
        schema: isOneTapAuthenticatedResponse,
      },
      errors: [...WIDGET_ACCESS, 'REQUEST_NOT_FOUND', 'OTP_EXPIRED', 'LINK_EXPIRED'],
    },
    {
      method: 'post',
      path: '/verifyAccessToken',
      operationId: 'verifyAccessToken',
      summary: 'Check an access token (customer backend)',
      description:
        'The customer’s backend checks the token the widget handed its page. A token verifies once. With `widgetId`, a token issued for another widget of the account is refused with `TOKEN_INVALID` and stays unused.',
      security: ['authkey'],
      body: verifyAccessTokenBody,
      bodyMediaTypes: BODY_TYPES,
      response: {
        status: 200,
        description: 'The token is genuine; the verified identifier.',
        schema: verifyAccessTokenResponse,
      },
      errors: ['INVALID_REQUEST', 'TOKEN_INVALID', 'TOKEN_EXPIRED', 'TOKEN_ALREADY_VERIFIED'],
    },
  ],
};
