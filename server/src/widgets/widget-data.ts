/**
 * A widget's settings in the wire contract's `WidgetData` shape, as
 * `getWidgetProcess` returns them to the SDKs.
 */
import {
  CHANNEL_CODES,
  CHANNEL_NAMES,
  type Channel,
  type NamedValue,
  type WidgetData,
  type WidgetProcess,
} from '@otpkit/protocol';
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';
import type { WidgetRecord } from '../store/index.ts';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

const PROCESS_VIA = {
  mobile: { value: '2', name: 'Mobile' },
  email: { value: '3', name: 'Email' },
  retry: { value: '5', name: 'Retry' },
} as const;

function channelValue(channel: Channel): NamedValue {
  return { value: String(CHANNEL_CODES[channel]), name: CHANNEL_NAMES[channel] };
}

function processOf(via: NamedValue, channel: Channel): WidgetProcess {
  return { processVia: via, channel: channelValue(channel), templateId: null, countryCode: [] };
}

/** The `WidgetData` of a widget. */
export function toWidgetData(widget: WidgetRecord): WidgetData {
  const s = widget.settings;
  const mobile = s.contactPoints.includes('mobile');
  const email = s.contactPoints.includes('email');
  const processes: WidgetProcess[] = [];
  if (mobile) processes.push(processOf(PROCESS_VIA.mobile, s.primaryChannel.mobile));
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
  return {
    widgetId: widget.id,
    name: s.name,
    widgetType: { value: '1', name: 'OTP Widget' },
    processType,
    otpLength: s.otpLength,
    status: { value: '1', name: 'Enabled' },
    invisible: false,
    captchaValidations: false,
    retryTime: s.retryTime,
    retryCount: s.retryCount,
    expiryTime: s.expiryTime,
    iFrame: false,
    defaultCountry: {
      iso2: s.defaultCountry,
      name: regionNames.of(s.defaultCountry) ?? s.defaultCountry,
      dialCode: getCountryCallingCode(s.defaultCountry as CountryCode),
    },
    mobileIntegration: false,
    verificationType: { value: '1', name: 'OTP' },
    widgetMeta: { captcha_type: null },
    autoRetry: false,
    processes,
    countriesDefaultChannel: {},
    maxAttempts: s.maxAttempts,
    language: s.language,
  };
}
