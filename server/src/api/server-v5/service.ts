/**
 * The server API v5 behaviour: SendOTP's `/api/v5/otp` calls mapped onto
 * otpkit's OTP service. No HTTP here; routes read the parameters and call
 * these.
 *
 * How a v5 request maps onto the store: the API is authenticated by the
 * account authkey, not a widget, so each account has one **server API
 * widget** ("Server API (v5)"), created on first use and recorded in the
 * settings under `server_api_widget:<accountId>`. Every v5 request belongs
 * to it: its settings (retry channels, resend count and interval, attempts,
 * allowed countries, default country, templates) apply and can be changed
 * in the console like any widget's, its requests show in the logs under its
 * name, and disabling it turns the v5 API off. Verify and retry by mobile
 * take that widget's latest request for the number.
 */
import { matchLanguage, SERVER_API_RETRY_TYPES, SUPPORTED_LANGUAGES } from '@otpkit/protocol';
import { RETRY_OTP_ERRORS, SEND_OTP_ERRORS, VERIFY_OTP_ERRORS } from '../../core/otp/errors.ts';
import {
  confirmCode,
  parseTemplateVariables,
  type RequestContext,
  readAlready,
  readCode,
  retryOtp,
  type SendOverrides,
  sendOtp,
} from '../../core/otp/index.ts';
import type { CallerText } from '../../core/templates/service.ts';
import { createWidget } from '../../core/widgets/service.ts';
import { type Identifier, parseIdentifier } from '../../model/identifier.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { OtpRequest, TemplateRecord, WidgetRecord } from '../../store/index.ts';
import type { Services } from '../app-types.ts';

/** Minutes a v5 code stays valid by default (the widget's `expiryTime`), and the longest allowed (7 days). */
export const DEFAULT_EXPIRY_MINUTES = 10;
/** Digits of a v5 code by default (the widget's `otpLength`); a call may ask 4–9 (`otp_length`). */
export const DEFAULT_OTP_LENGTH = 6;
export const MAX_EXPIRY_MINUTES = 7 * 24 * 60;

/** The account's server API widget is disabled or was deleted: the v5 API is off. */
const SERVER_API_WIDGET_ERRORS = errorCodes('WIDGET_DISABLED');

/** A v5 call's mobile number: not a number, or from a country the widget does not allow. */
const MOBILE_ERRORS = errorCodes('INVALID_IDENTIFIER', 'COUNTRY_NOT_ALLOWED');

/**
 * `sendByServerApi`: as `sendOtp`, and a bad `otp` (`INVALID_OTP`),
 * `otp_length`, `otp_expiry` or `language`, or a `template_id` of no
 * template of the account or of an email template.
 */
export const SEND_BY_SERVER_API_ERRORS = errorCodes(
  ...SERVER_API_WIDGET_ERRORS,
  ...MOBILE_ERRORS,
  'INVALID_OTP',
  'TEMPLATE_NOT_FOUND',
  'CHANNEL_NOT_ALLOWED',
  ...SEND_OTP_ERRORS,
);

/** `verifyByServerApi`: no request for the number, and as `confirmCode`. */
export const VERIFY_BY_SERVER_API_ERRORS = errorCodes(
  ...SERVER_API_WIDGET_ERRORS,
  ...MOBILE_ERRORS,
  'REQUEST_NOT_FOUND',
  ...VERIFY_OTP_ERRORS,
);

/** `retryByServerApi`: no request for the number, a bad `retrytype`, and as `retryOtp`. */
export const RETRY_BY_SERVER_API_ERRORS = errorCodes(
  ...SERVER_API_WIDGET_ERRORS,
  ...MOBILE_ERRORS,
  'INVALID_REQUEST',
  ...RETRY_OTP_ERRORS,
);

/** The settings key that names an account's server API widget. */
export const serverApiWidgetKey = (accountId: string): string => `server_api_widget:${accountId}`;

/**
 * Settings of a new server API widget: mobile numbers, resend by SMS or
 * voice, 6-digit codes valid 10 minutes (a 4-digit code valid an hour was
 * a guess in a few thousand, with hours to make them).
 */
const SERVER_API_WIDGET_SETTINGS = {
  name: 'Server API (v5)',
  contactPoints: ['mobile'],
  retryChannels: { mobile: ['sms', 'voice'], email: ['email'] },
  otpLength: DEFAULT_OTP_LENGTH,
  expiryTime: DEFAULT_EXPIRY_MINUTES,
} as const;

/**
 * The account's server API widget, created on the first v5 call. Two first
 * calls at once create one widget each; the settings record keeps one and
 * the other is deleted. Throws {@link SERVER_API_WIDGET_ERRORS}.
 */
export async function serverApiWidget(
  services: Services,
  accountId: string,
): Promise<WidgetRecord> {
  const { store, clock } = services;
  const key = serverApiWidgetKey(accountId);
  let widgetId = await store.settings.get(key);
  if (widgetId === undefined) {
    const { widget } = await createWidget(services.widgets, accountId, SERVER_API_WIDGET_SETTINGS);
    widgetId = await store.settings.setIfAbsent(key, widget.id);
    if (widgetId !== widget.id) await store.widgets.delete(widget.id, clock.now());
    else services.log.info('server API widget created', { accountId, widgetId });
  }
  const widget = await store.widgets.get(widgetId);
  if (!widget) {
    throw new OtpkitError(
      'WIDGET_DISABLED',
      `The server API is off: its widget (${widgetId}) was deleted.`,
    );
  }
  if (widget.settings.status === 'disabled') {
    throw new OtpkitError(
      'WIDGET_DISABLED',
      `The server API is off: its widget (${widgetId}) is disabled.`,
    );
  }
  if (widget.settings.verificationType !== 'otp') {
    throw new OtpkitError(
      'INVALID_REQUEST',
      `The server API widget (${widgetId}) must verify by OTP, not magic link.`,
    );
  }
  return widget;
}

/** Parameters not passed to the template as variables. */
const RESERVED = new Set([
  'authkey',
  'tokenAuth',
  'mobile',
  'template_id',
  'otp_length',
  'otp_expiry',
  'language',
  'otp',
  'pluginsource',
  'unicode',
  'invisible',
  'userip',
  'realTimeResponse',
  'extra_param',
]);

/** An integer parameter (a number or a string of digits) within bounds, or `undefined` when absent. */
function intParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number =
    typeof value === 'number' ? value : /^\d{1,9}$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new OtpkitError(
      'INVALID_REQUEST',
      `${name} must be a whole number from ${min} to ${max}.`,
    );
  }
  return number;
}

/** The mobile number of a v5 call, normalised for the widget. Throws {@link MOBILE_ERRORS}. */
function mobileOf(widget: WidgetRecord, value: unknown): Identifier {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\+?\d{4,20}$/.test(text)) throw new OtpkitError('INVALID_IDENTIFIER');
  return parseIdentifier(text, widget.settings);
}

/** The options a send's parameters choose. */
async function sendOverrides(
  services: Services,
  accountId: string,
  params: Record<string, unknown>,
): Promise<SendOverrides> {
  // Unset, the widget's own `expiryTime` applies (DEFAULT_EXPIRY_MINUTES for a new one).
  const overrides: SendOverrides = {};
  const expiryMinutes = intParam(params.otp_expiry, 'otp_expiry', 1, MAX_EXPIRY_MINUTES);
  if (expiryMinutes !== undefined) overrides.expiryMinutes = expiryMinutes;
  const otpLength = intParam(params.otp_length, 'otp_length', 4, 9);
  if (otpLength !== undefined) overrides.otpLength = otpLength;
  if (params.otp !== undefined && params.otp !== '') {
    const code = String(params.otp).trim();
    if (!/^\d{4,9}$/.test(code)) {
      throw new OtpkitError('INVALID_OTP', 'otp must be 4 to 9 digits.');
    }
    overrides.code = code;
  }
  if (params.template_id !== undefined && params.template_id !== '') {
    overrides.template = await templateFor(services, accountId, params.template_id);
  }
  if (params.language !== undefined && params.language !== '') {
    const language =
      typeof params.language === 'string' ? matchLanguage(params.language) : undefined;
    if (!language) {
      throw new OtpkitError(
        'INVALID_REQUEST',
        `language must be one of ${SUPPORTED_LANGUAGES.join(', ')}.`,
        { fields: [{ path: 'language', message: 'is not a language otpkit speaks' }] },
      );
    }
    overrides.language = language;
  }
  return overrides;
}

/**
 * The template a `template_id` names: one of the account's, for a channel
 * that reaches a mobile.
 *
 * @throws OtpkitError `TEMPLATE_NOT_FOUND`, `CHANNEL_NOT_ALLOWED`
 */
async function templateFor(
  services: Services,
  accountId: string,
  templateId: unknown,
): Promise<TemplateRecord> {
  const template =
    typeof templateId === 'string' && templateId.length <= 100
      ? await services.store.templates.get(templateId)
      : undefined;
  if (!template || template.accountId !== accountId) throw new OtpkitError('TEMPLATE_NOT_FOUND');
  if (template.channel === 'email') {
    throw new OtpkitError(
      'CHANNEL_NOT_ALLOWED',
      'template_id names an email template; the server API sends to mobile numbers.',
    );
  }
  if (!template.body.includes('##OTP##')) {
    throw new OtpkitError(
      'INVALID_REQUEST',
      'template_id names a template without ##OTP##: the server API sends codes.',
    );
  }
  return template;
}

/** The parameters that are template variables: every body field the API does not read itself. */
function variablesOf(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !RESERVED.has(key)));
}

/**
 * `/api/v5/otp`: sends a code to a mobile number. Rate limits and the
 * SMS-pumping brake apply; the authkey stands in for the captcha. The legacy
 * API's `sendotp.php` sends through here too, with the caller's own SMS
 * text (`text`). Throws {@link SEND_BY_SERVER_API_ERRORS}.
 */
export async function sendByServerApi(
  services: Services,
  input: {
    accountId: string;
    params: Record<string, unknown>;
    body: Record<string, unknown>;
    context: RequestContext;
    /** The caller's own SMS text, with the code in it, instead of a template. */
    text?: CallerText;
  },
): Promise<{ reqId: string }> {
  const widget = await serverApiWidget(services, input.accountId);
  const mobile = mobileOf(widget, input.params.mobile);
  const overrides = await sendOverrides(services, input.accountId, input.params);
  if (input.text) overrides.text = input.text;
  return sendOtp(services.otp, {
    widget,
    identifier: readAlready(mobile),
    variables: parseTemplateVariables(variablesOf(input.body)),
    context: input.context,
    call: { serverToServer: true },
    overrides,
  });
}

/**
 * The account's server-API widget and the latest request for the call's
 * mobile number: what verify and retry act on. Throws `REQUEST_NOT_FOUND`
 * when the number has none.
 */
async function latestRequest(
  services: Services,
  input: { accountId: string; params: Record<string, unknown> },
): Promise<{ widget: WidgetRecord; request: OtpRequest }> {
  const widget = await serverApiWidget(services, input.accountId);
  const request = await services.store.otpRequests.latestFor(
    widget.id,
    mobileOf(widget, input.params.mobile).value,
  );
  if (!request) throw new OtpkitError('REQUEST_NOT_FOUND');
  return { widget, request };
}

/**
 * `/api/v5/otp/verify`: checks a code against the number's latest request.
 * Throws {@link VERIFY_BY_SERVER_API_ERRORS}.
 */
export async function verifyByServerApi(
  services: Services,
  input: { accountId: string; params: Record<string, unknown>; context: RequestContext },
): Promise<void> {
  const { widget, request } = await latestRequest(services, input);
  await confirmCode(services.otp, {
    widget,
    reqId: request.id,
    otp: readCode(input.params.otp),
    context: input.context,
  });
}

/**
 * `/api/v5/otp/retry`: resends the number's latest request by SMS
 * (`retrytype=text`, the default) or voice, with a fresh code of the same
 * length; codes sent before stay valid. Throws {@link RETRY_BY_SERVER_API_ERRORS}.
 */
export async function retryByServerApi(
  services: Services,
  input: { accountId: string; params: Record<string, unknown>; context: RequestContext },
): Promise<void> {
  const { widget, request } = await latestRequest(services, input);
  const retryType = input.params.retrytype ?? input.params.retryType ?? 'text';
  const channel =
    typeof retryType === 'string' && Object.hasOwn(SERVER_API_RETRY_TYPES, retryType)
      ? SERVER_API_RETRY_TYPES[retryType as keyof typeof SERVER_API_RETRY_TYPES]
      : undefined;
  if (!channel) throw new OtpkitError('INVALID_REQUEST', 'retrytype must be text or voice.');
  await retryOtp(services.otp, {
    widget,
    reqId: request.id,
    retryChannel: channel,
    context: input.context,
    call: { serverToServer: true },
  });
}
