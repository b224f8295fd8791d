/**
 * A widget's settings in the wire contract's `WidgetData` shape, as
 * `getWidgetProcess` returns them to the SDKs.
 */
import {
  brandTheme,
  CAPTCHA_TYPES,
  CHANNEL_CODES,
  CHANNEL_NAMES,
  type Channel,
  type NamedValue,
  resendChoices,
  type ThirdPartyCaptcha,
  type WidgetData,
  type WidgetProcess,
} from '@otpkit/protocol';
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';
import type { WidgetRecord } from '../../store/index.ts';
import { COUNTRY_NAMES } from './country-names.ts';

const PROCESS_VIA = {
  mobile: { value: '2', name: 'Mobile' },
  email: { value: '3', name: 'Email' },
  retry: { value: '5', name: 'Retry' },
} as const;

function channelValue(channel: Channel): NamedValue {
  return { value: String(CHANNEL_CODES[channel]), name: CHANNEL_NAMES[channel] };
}

/** The template ids a widget uses, per channel (`null`: the built-in one). */
export type TemplateIds = Partial<Record<Channel, string | null>>;

/** The `WidgetData` of a widget. */
export function toWidgetData(
  widget: WidgetRecord,
  templates: TemplateIds = {},
  captchaScripts: Partial<Record<ThirdPartyCaptcha, string>> = {},
): WidgetData {
  const s = widget.settings;
  const mobile = s.contactPoints.includes('mobile');
  const email = s.contactPoints.includes('email');
  const magic = s.verificationType !== 'otp';
  const processOf = (
    via: NamedValue,
    channel: Channel,
    countryCode: string[] = [],
  ): WidgetProcess => ({
    processVia: via,
    channel: channelValue(channel),
    templateId: templates[channel] ?? null,
    countryCode,
  });

  const processes: WidgetProcess[] = [];
  if (mobile) {
    processes.push(processOf(PROCESS_VIA.mobile, s.primaryChannel.mobile));
    const byChannel = new Map<Channel, string[]>();
    for (const [country, channel] of Object.entries(s.countryChannels)) {
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), country]);
    }
    for (const [channel, countries] of byChannel) {
      processes.push(processOf(PROCESS_VIA.mobile, channel, countries.sort()));
    }
  }
  if (email) processes.push(processOf(PROCESS_VIA.email, s.primaryChannel.email));
  const retry = new Set<Channel>([
    ...(mobile ? s.retryChannels.mobile : []),
    ...(email ? s.retryChannels.email : []),
  ]);
  for (const channel of retry) processes.push(processOf(PROCESS_VIA.retry, channel));

  const processType =
    mobile && email
      ? { value: '1', name: 'Both' }
      : mobile
        ? { value: '2', name: 'Mobile' }
        : { value: '3', name: 'Email' };
  const captcha = s.captcha.provider === 'none' ? null : CAPTCHA_TYPES[s.captcha.provider];
  return {
    widgetId: widget.id,
    name: s.name,
    widgetType: { value: '1', name: 'OTP Widget' },
    processType,
    otpLength: s.otpLength,
    status:
      s.status === 'enabled' ? { value: '1', name: 'Enabled' } : { value: '0', name: 'Disabled' },
    invisible: s.invisible,
    captchaValidations: captcha !== null,
    retryTime: s.retryTime,
    retryCount: s.retryCount,
    expiryTime: s.expiryTime,
    iFrame: s.iFrame,
    defaultCountry: {
      iso2: s.defaultCountry,
      name: COUNTRY_NAMES[s.defaultCountry] ?? s.defaultCountry,
      dialCode: getCountryCallingCode(s.defaultCountry as CountryCode),
    },
    mobileIntegration: s.mobileIntegration,
    verificationType:
      s.verificationType === 'otp'
        ? { value: '1', name: 'OTP' }
        : { value: '2', name: 'Magic Link' },
    widgetMeta: {
      captcha_type: captcha,
      ...(s.captcha.siteKey ? { captcha_site_key: s.captcha.siteKey } : {}),
      ...(s.captcha.provider !== 'none' &&
      s.captcha.provider !== 'pow' &&
      captchaScripts[s.captcha.provider]
        ? { captcha_script_url: captchaScripts[s.captcha.provider] }
        : {}),
    },
    autoRetry: s.autoRetry,
    processes,
    countriesDefaultChannel: Object.fromEntries(
      Object.entries(s.countryChannels).map(([country, channel]) => [
        country,
        String(CHANNEL_CODES[channel]),
      ]),
    ),
    maxAttempts: s.maxAttempts,
    language: s.language,
    resendChannels: {
      mobile: mobile ? resendChoices(s.retryChannels.mobile, 'mobile', magic) : [],
      email: email ? resendChoices(s.retryChannels.email, 'email', magic) : [],
    },
    brandColor: s.brandColor,
    brandTheme: brandTheme(s.brandColor) ?? null,
    logoUrl: s.logoUrl,
    allowedOrigins: s.allowedOrigins,
    allowedCountries: s.allowedCountries,
    passkeys: s.passkeys,
  };
}
