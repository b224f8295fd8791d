/**
 * Which captcha a widget uses, read from its data. Kept apart from the
 * solvers so the core script can decide without loading them: a widget
 * without a captcha never fetches `otp-captcha.js`.
 */
import type { CaptchaType, WidgetData } from '@otpkit/protocol';

/** The third-party providers the widget can load, as the widget data names them. */
export type ThirdParty = Exclude<CaptchaType, 'pow'>;

// Spelled out rather than read from CAPTCHA_TYPES, so the core script carries no map.
const KNOWN: ReadonlySet<string> = new Set<CaptchaType>([
  'pow',
  'recaptcha_v3',
  'turnstile',
  'hcaptcha',
]);

/**
 * The provider named by the widget data (`widgetMeta.captcha_type`), or null for none.
 *
 * @example providerOf(data) // 'pow'
 */
export function providerOf(data: WidgetData): 'pow' | ThirdParty | null {
  if (data.captchaValidations === false) return null;
  const type = String(data.widgetMeta?.captcha_type ?? '')
    .toLowerCase()
    .replace('-', '_');
  return KNOWN.has(type) ? (type as 'pow' | ThirdParty) : null;
}

/** Whether a widget with this data needs a captcha in the browser at all. */
export function needsCaptcha(data: WidgetData): boolean {
  // A widget that won't run here needs no captcha.
  return data.status?.value !== '0' && !data.mobileIntegration && providerOf(data) !== null;
}
