/**
 * The widget API's bodies as zod schemas: the routes validate each request
 * with them, and the OpenAPI document is generated from them. Request
 * schemas check the types of the fields the contract names (and the
 * aliases the SendOTP SDKs send) and keep any other key, as the SDKs put
 * extra configuration in the body; what a value means (a known widget, a
 * valid number, a live request) is the services' to check. Response schemas
 * are typed against the protocol's interfaces, so they cannot drift.
 */
import type {
  GetWidgetProcessResponse,
  IsOneTapAuthenticatedSuccess,
  PowChallenge,
  SendOtpSuccess,
  VerifyAccessTokenSuccess,
  VerifyOtpSuccess,
} from '@otpkit/protocol';
import { CHANNELS, ERRORS } from '@otpkit/protocol';
import { z } from 'zod';

const id = (description: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .max(200, 'must be at most 200 characters')
    .describe(description);
const widgetId = id('The widget id (console → Widgets).');
/**
 * A field the service reads and judges itself, answering a bad value with
 * its own error code (`INVALID_TOKEN_AUTH`, `INVALID_IDENTIFIER`,
 * `CAPTCHA_FAILED`…); SDKs send odd types in fields a widget ignores (a
 * widget without captcha ignores `captcha`), so the route lets any value
 * through and the schema documents the type the contract names.
 */
const judgedByService = (json: { type?: string | string[]; description: string }) =>
  z.unknown().optional().meta(json);

const tokenAuth = judgedByService({
  type: 'string',
  description:
    'A widget token. Not needed server to server, when the `authkey` header is sent instead.',
});
const reqId = id('The request id `sendOtpMobile` answered with.');
const captcha = judgedByService({
  type: 'string',
  description:
    "The captcha's answer, for widgets with a captcha (browser calls). Also accepted as `captchaToken` or `g-recaptcha-response`.",
});
const captchaAliases = {
  captchaToken: judgedByService({ type: 'string', description: 'Alias of `captcha`.' }),
  'g-recaptcha-response': judgedByService({ type: 'string', description: 'Alias of `captcha`.' }),
};
const authkey = judgedByService({
  type: 'string',
  description: 'Server to server: the account authkey (also accepted as the `authkey` header).',
});
const topOrigin = judgedByService({
  type: 'string',
  description:
    'Browser calls from a widget in a cross-origin frame: the top page’s origin (`https://shop.example`). With `iFrame` on, the SMS ends with `@top-host #code @frame-host`, the WebOTP line for frames.',
});
const identifier = (description: string) =>
  judgedByService({ type: ['string', 'number'], description });

/** `GET getWidgetProcess` and `GET captchaChallenge` query. */
export const widgetQuery = z.object({ widgetId, tokenAuth });

/**
 * The template variables of a send or resend: every key of the body that is
 * not a field of the contract (nor an alias the SDKs send), as the SendOTP
 * SDKs put them beside `identifier`, with the `variables` object on top (it
 * wins on a clash). A `variables` that is not an object is passed on as it
 * is, for the service to refuse.
 *
 * @example templateVariables(sendOtpBody, { widgetId: 'w', tokenAuth: 't', identifier: '91…', name: 'Ravi' }) // { name: 'Ravi' }
 */
export function templateVariables(schema: z.ZodObject, body: Record<string, unknown>): unknown {
  const named = body.variables;
  if (
    named !== undefined &&
    named !== null &&
    (typeof named !== 'object' || Array.isArray(named))
  ) {
    return named;
  }
  const extra = Object.entries(body).filter(([key]) => !Object.hasOwn(schema.shape, key));
  if (extra.length === 0) return named;
  return { ...Object.fromEntries(extra), ...(named as Record<string, unknown> | null | undefined) };
}

/** `POST sendOtpMobile` / `sendOtp` body: any key not named here is a template variable. */
export const sendOtpBody = z.looseObject({
  widgetId,
  tokenAuth,
  identifier: identifier(
    'A mobile number with country code and no `+` (`919876543210`; without a country code it is read in the widget’s `defaultCountry`), or an email address. `mobile` and `email` are accepted too.',
  ),
  mobile: identifier('Alias of `identifier`.'),
  email: judgedByService({ type: 'string', description: 'Alias of `identifier`.' }),
  variables: judgedByService({
    type: 'object',
    description:
      'Template variables (`##name##` in a template): strings, numbers or booleans, at most 20 in all. Any other key of the body is a template variable too (as the SendOTP SDKs send them); `variables` wins on a clash.',
  }),
  captcha,
  ...captchaAliases,
  authkey,
  topOrigin,
});

/** The widget a resend or verification calls, and the request it is about (either name). */
const requestOfWidget = {
  widgetId,
  tokenAuth,
  reqId: reqId.optional(),
  requestId: reqId.optional().describe('Alias of `reqId`.'),
};

/** `POST retryOtp` body: any key not named here is a template variable for the resent message. */
export const retryOtpBody = z.looseObject({
  ...requestOfWidget,
  retryChannel: judgedByService({
    type: ['integer', 'string', 'null'],
    description:
      'Channel code: 11 SMS, 4 voice, 3 email, 12 WhatsApp; omitted or null for the widget’s next retry channel. `retryType` is accepted too.',
  }),
  retryType: judgedByService({
    type: ['integer', 'string', 'null'],
    description: 'Alias of `retryChannel`.',
  }),
  variables: judgedByService({
    type: 'object',
    description:
      'Template variables for the resent message, over those of the send; any other key of the body is one too (`variables` wins on a clash).',
  }),
  captcha,
  ...captchaAliases,
  authkey,
  topOrigin,
});

/** `POST verifyOtp` body. */
export const verifyOtpBody = z.looseObject({
  ...requestOfWidget,
  // Any string, number or null passes here: the service answers a malformed code with INVALID_OTP.
  otp: z
    .union([z.string(), z.number(), z.null()], { error: 'is required' })
    .describe('The code the visitor typed: 4 to 9 digits, as a string or a number.'),
  authkey,
});

/** `POST isOneTapAuthenticated` body. */
export const isOneTapAuthenticatedBody = z.looseObject({
  requestId: reqId.optional(),
  reqId: reqId.optional().describe('Alias of `requestId`.'),
  widgetId: widgetId.optional().describe('The widget id; found from the request when omitted.'),
  tokenAuth,
  authkey,
});

/** `POST verifyAccessToken` body (the customer's backend). */
export const verifyAccessTokenBody = z.looseObject({
  authkey,
  'access-token': judgedByService({
    type: 'string',
    description: 'The access token the widget handed the page (`accessToken` is accepted too).',
  }),
  accessToken: judgedByService({ type: 'string', description: 'Alias of `access-token`.' }),
  widgetId: widgetId
    .optional()
    .describe(
      'The widget the token must be issued for: a token of another widget is refused (`TOKEN_INVALID`) and not used up.',
    ),
});

const namedValue = z.object({ value: z.string(), name: z.string() });

/** `GET getWidgetProcess` success. */
export const getWidgetProcessResponse: z.ZodType<GetWidgetProcessResponse> = z.object({
  status: z.enum(['success', 'error']),
  hasError: z.boolean(),
  errors: z.array(z.string()),
  data: z
    .object({
      widgetId: z.string(),
      name: z.string(),
      widgetType: namedValue,
      processType: namedValue.describe('"1" both, "2" mobile, "3" email.'),
      otpLength: z.number().int(),
      status: namedValue.describe('"1" enabled, "0" disabled.'),
      invisible: z.boolean(),
      captchaValidations: z.boolean(),
      retryTime: z.number().int().describe('Seconds between resends.'),
      retryCount: z.number().int(),
      expiryTime: z.number().int().describe('Minutes a code stays valid.'),
      iFrame: z.boolean(),
      defaultCountry: z.object({ iso2: z.string(), name: z.string(), dialCode: z.string() }),
      mobileIntegration: z.boolean(),
      verificationType: namedValue.describe('"1" OTP, "2" magic link.'),
      widgetMeta: z.object({
        captcha_type: z.string().nullable(),
        captcha_site_key: z.string().optional(),
        captcha_script_url: z.string().optional(),
      }),
      autoRetry: z.boolean(),
      processes: z.array(
        z.object({
          processVia: namedValue,
          channel: namedValue,
          templateId: z.string().nullable(),
          countryCode: z.array(z.string()),
        }),
      ),
      countriesDefaultChannel: z.record(z.string(), z.string()),
      maxAttempts: z.number().int(),
      language: z.string(),
      resendChannels: z.object({
        mobile: z.array(z.enum(CHANNELS)),
        email: z.array(z.enum(CHANNELS)),
      }),
      brandColor: z.string().nullable(),
      brandTheme: z
        .object({ accent: z.string(), onAccent: z.string(), link: z.string() })
        .nullable(),
      logoUrl: z.string().nullable(),
      allowedOrigins: z.array(z.string()),
      allowedCountries: z.array(z.string()).nullable(),
      passkeys: z.boolean().optional().describe('otpkit: the widget offers passkeys.'),
    })
    .nullable(),
  code: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS]).optional(),
});

/** `GET captchaChallenge` success. */
export const powChallengeResponse: z.ZodType<PowChallenge> = z.object({
  algorithm: z.literal('SHA-256'),
  challenge: z.string(),
  maxnumber: z.number().int(),
  salt: z.string(),
  signature: z.string(),
});

/** `POST sendOtpMobile` / `retryOtp` success. */
export const sendOtpResponse: z.ZodType<SendOtpSuccess> = z.object({
  type: z.literal('success'),
  message: z.string().describe('The request id (as the SendOTP contract puts it).'),
  reqId: z.string(),
  channel: z.string().describe('The channel the code went out on.'),
  retryAfter: z.number().int().describe('Seconds until a resend is allowed.'),
  retriesLeft: z.number().int(),
  expiresIn: z.number().int().describe('Seconds until the code expires.'),
  matchNumber: z
    .number()
    .int()
    .min(10)
    .max(99)
    .optional()
    .describe(
      'Magic links only: the two-digit number the asking tab shows; the link’s confirmation page asks the visitor to type it (one try).',
    ),
});

/** `POST verifyOtp` success. */
export const verifyOtpResponse: z.ZodType<VerifyOtpSuccess> = z.object({
  type: z.literal('success'),
  message: z.string().describe('The access token (a JWT).'),
  'access-token': z.string(),
  passkeyTicket: z
    .string()
    .optional()
    .describe(
      'When the widget has `passkeys` on: registers a passkey for this identifier (`passkeys/registrationOptions`, `passkeys/register`) within 5 minutes, once.',
    ),
});

/** `POST isOneTapAuthenticated` success. */
const matchNumber = z
  .number()
  .int()
  .min(10)
  .max(99)
  .optional()
  .describe('The number the asking tab shows (as `sendOtpMobile` answered it).');
export const isOneTapAuthenticatedResponse: z.ZodType<IsOneTapAuthenticatedSuccess> = z.union([
  z.object({ type: z.literal('success'), verified: z.literal(false), matchNumber }),
  z.object({
    type: z.literal('success'),
    verified: z.literal(true),
    message: z.string(),
    'access-token': z.string(),
    matchNumber,
  }),
]);

/** `POST verifyAccessToken` success. */
export const verifyAccessTokenResponse: z.ZodType<VerifyAccessTokenSuccess> = z.object({
  type: z.literal('success'),
  message: z.string().describe('The verified identifier.'),
  identifier: z.string(),
  widgetId: z.string(),
  channel: z.string().describe('The channel the code went out on, or `passkey`.'),
  verifiedAt: z.string().describe('ISO 8601 time of the OTP verification.'),
  demo: z
    .boolean()
    .describe('True for a widget’s demo credentials (nothing was sent), false otherwise.'),
  amr: z
    .array(z.string())
    .optional()
    .describe('RFC 8176: `["otp"]` for a code or link; `["hwk"|"swk", "user"?]` for a passkey.'),
});
