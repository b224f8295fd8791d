/**
 * The captcha providers a widget may require, declared once. Two surfaces
 * spell reCAPTCHA v3 differently and both stay as customers send them: a
 * widget's settings (admin API, console, CLI) say `recaptcha-v3`; the widget
 * data the browser reads (`widgetMeta.captcha_type`, as MSG91's widget has it)
 * says `recaptcha_v3`.
 */

/** Every provider a widget's settings may name (`captcha.provider`). */
export const CAPTCHA_PROVIDERS = ['none', 'pow', 'recaptcha-v3', 'turnstile', 'hcaptcha'] as const;

/** A captcha provider, as a widget's settings name it. */
export type CaptchaProvider = (typeof CAPTCHA_PROVIDERS)[number];

/** The third-party providers: each needs a site key, a secret key and its own script. */
export const THIRD_PARTY_CAPTCHAS = ['recaptcha-v3', 'turnstile', 'hcaptcha'] as const;

/** A third-party captcha provider, as a widget's settings name it. */
export type ThirdPartyCaptcha = (typeof THIRD_PARTY_CAPTCHAS)[number];

/** Each provider's name in the widget data (`widgetMeta.captcha_type`). */
export const CAPTCHA_TYPES = {
  pow: 'pow',
  'recaptcha-v3': 'recaptcha_v3',
  turnstile: 'turnstile',
  hcaptcha: 'hcaptcha',
} as const satisfies Record<Exclude<CaptchaProvider, 'none'>, string>;

/** A captcha provider, as the widget data names it (`widgetMeta.captcha_type`). */
export type CaptchaType = (typeof CAPTCHA_TYPES)[keyof typeof CAPTCHA_TYPES];
