/**
 * The widget editor's form model and its conversion to and from the admin
 * API's settings, with the client-side checks that give instant feedback.
 * Error keys are settings paths (`otpLength`, `retryChannels.mobile`,
 * `demoCredentials.0.otp`), the same the server names; country rows are keyed
 * by row (`countryChannels.0`).
 */
import {
  type CaptchaProvider,
  type CaptchaSettings,
  type Language,
  type MobileChannel,
  THIRD_PARTY_CAPTCHAS,
  type VerificationType,
  type Widget,
  type WidgetSettings,
  type WidgetStatus,
} from '@otpkit/protocol';
import type { FieldIssue } from '../api/client.ts';
import { NON_GEOGRAPHIC } from '../ui/countries.ts';
import { type FieldErrors, mapFieldIssues } from '../ui/field-errors.ts';
import {
  type CountryProvidersRow,
  channelProvidersFromLists,
  countryProviderRowsFrom,
  countryProvidersFromRows,
  type ProviderLists,
  placeProviderIssue,
  providerListsFrom,
  validateCountryProviders,
} from './providers-form.ts';

/**
 * The settings the editor edits: all but the autoRetry channel and the
 * voice caller id, which it leaves as they are (a PATCH keeps what it omits).
 */
export type EditedSettings = Omit<WidgetSettings, 'fallbackChannel' | 'voiceCallerId'>;

/** Masked captcha secret as the server shows it back; sent back unchanged to keep it. */
export const MASKED_SECRET = '********';

/** The editor's state: text inputs stay strings until saved. */
export interface WidgetForm {
  name: string;
  status: WidgetStatus;
  verificationType: VerificationType;
  mobile: boolean;
  email: boolean;
  primaryMobile: MobileChannel;
  otpLength: string;
  retryMobile: MobileChannel[];
  retryCount: string;
  retryTime: string;
  expiryTime: string;
  countryChannels: { country: string; channel: MobileChannel }[];
  /**
   * ISO codes separated by commas or spaces, and `001` to allow numbers of no
   * country (satellite and international networks); empty: any country but those.
   */
  allowedCountries: string;
  defaultCountry: string;
  maxAttempts: string;
  captchaProvider: CaptchaProvider;
  captchaSiteKey: string;
  captchaSecretKey: string;
  captchaScoreThreshold: string;
  invisible: boolean;
  mobileIntegration: boolean;
  iFrame: boolean;
  /** 11 characters, or empty for none. */
  androidAppHash: string;
  autoRetry: boolean;
  passkeys: boolean;
  /** One origin per line. */
  allowedOrigins: string;
  language: 'auto' | Language;
  redirectUrl: string;
  brandColor: string;
  logoUrl: string;
  demoCredentials: { identifier: string; otp: string }[];
  /** Per channel, the providers in the order to try them (empty: the deployment's first). */
  channelProviders: ProviderLists;
  /** Per country and channel, a list that overrides `channelProviders`. */
  countryProviders: CountryProvidersRow[];
}

/** The form for a new widget: the server's defaults. */
export function newWidgetForm(): WidgetForm {
  return {
    name: '',
    status: 'enabled',
    verificationType: 'otp',
    mobile: true,
    email: false,
    primaryMobile: 'sms',
    otpLength: '6',
    retryMobile: ['sms', 'voice'],
    retryCount: '3',
    retryTime: '30',
    expiryTime: '10',
    countryChannels: [],
    allowedCountries: '',
    defaultCountry: 'IN',
    maxAttempts: '5',
    captchaProvider: 'none',
    captchaSiteKey: '',
    captchaSecretKey: '',
    captchaScoreThreshold: '',
    invisible: false,
    mobileIntegration: false,
    iFrame: false,
    androidAppHash: '',
    autoRetry: false,
    passkeys: false,
    allowedOrigins: '',
    language: 'auto',
    redirectUrl: '',
    brandColor: '',
    logoUrl: '',
    demoCredentials: [],
    channelProviders: providerListsFrom({}),
    countryProviders: [],
  };
}

/** The form showing a saved widget. */
export function formFromWidget(widget: Widget): WidgetForm {
  return {
    name: widget.name,
    status: widget.status,
    verificationType: widget.verificationType,
    mobile: widget.contactPoints.includes('mobile'),
    email: widget.contactPoints.includes('email'),
    primaryMobile: widget.primaryChannel.mobile,
    otpLength: String(widget.otpLength),
    retryMobile: [...widget.retryChannels.mobile],
    retryCount: String(widget.retryCount),
    retryTime: String(widget.retryTime),
    expiryTime: String(widget.expiryTime),
    countryChannels: Object.entries(widget.countryChannels).map(([country, channel]) => ({
      country,
      channel,
    })),
    allowedCountries: widget.allowedCountries?.join(', ') ?? '',
    defaultCountry: widget.defaultCountry,
    maxAttempts: String(widget.maxAttempts),
    captchaProvider: widget.captcha.provider,
    captchaSiteKey: widget.captcha.siteKey ?? '',
    captchaSecretKey: widget.captcha.secretKey ?? '',
    captchaScoreThreshold:
      widget.captcha.scoreThreshold === undefined ? '' : String(widget.captcha.scoreThreshold),
    invisible: widget.invisible,
    mobileIntegration: widget.mobileIntegration,
    iFrame: widget.iFrame,
    androidAppHash: widget.androidAppHash ?? '',
    autoRetry: widget.autoRetry,
    passkeys: widget.passkeys ?? false,
    allowedOrigins: widget.allowedOrigins.join('\n'),
    language: widget.language,
    redirectUrl: widget.redirectUrl ?? '',
    brandColor: widget.brandColor ?? '',
    logoUrl: widget.logoUrl ?? '',
    demoCredentials: widget.demoCredentials.map((d) => ({ ...d })),
    channelProviders: providerListsFrom(widget.channelProviders),
    countryProviders: countryProviderRowsFrom(widget.countryProviders),
  };
}

/** `"in, us gb"` → `['IN', 'US', 'GB']`. */
export function parseCountryList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

/** Non-empty trimmed lines. */
export function parseLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** Whether a captcha provider needs a site key and a secret key. */
export function needsCaptchaKeys(provider: CaptchaProvider): boolean {
  return (THIRD_PARTY_CAPTCHAS as readonly CaptchaProvider[]).includes(provider);
}

function captchaFromForm(form: WidgetForm): CaptchaSettings {
  if (!needsCaptchaKeys(form.captchaProvider)) return { provider: form.captchaProvider };
  const captcha: CaptchaSettings = {
    provider: form.captchaProvider,
    siteKey: form.captchaSiteKey.trim(),
    secretKey: form.captchaSecretKey.trim(),
  };
  if (form.captchaProvider === 'recaptcha-v3' && form.captchaScoreThreshold.trim() !== '') {
    captcha.scoreThreshold = toNumber(form.captchaScoreThreshold);
  }
  return captcha;
}

/**
 * The settings the form describes, as `POST`/`PATCH /widgets` take them
 * (a full set: PATCH accepts it too). Run {@link validateWidgetForm} first:
 * a number that does not parse comes out as NaN.
 */
export function settingsFromForm(form: WidgetForm): EditedSettings {
  const allowedCountries = parseCountryList(form.allowedCountries);
  return {
    name: form.name.trim(),
    status: form.status,
    verificationType: form.verificationType,
    contactPoints: [
      ...(form.mobile ? ['mobile' as const] : []),
      ...(form.email ? ['email' as const] : []),
    ],
    primaryChannel: { mobile: form.primaryMobile, email: 'email' },
    retryChannels: { mobile: [...form.retryMobile], email: ['email'] },
    countryChannels: Object.fromEntries(
      form.countryChannels
        .filter((row) => row.country.trim() !== '')
        .map((row) => [row.country.trim().toUpperCase(), row.channel]),
    ),
    otpLength: toNumber(form.otpLength),
    retryCount: toNumber(form.retryCount),
    retryTime: toNumber(form.retryTime),
    expiryTime: toNumber(form.expiryTime),
    maxAttempts: toNumber(form.maxAttempts),
    defaultCountry: form.defaultCountry.trim().toUpperCase(),
    allowedCountries: allowedCountries.length > 0 ? allowedCountries : null,
    captcha: captchaFromForm(form),
    invisible: form.invisible,
    mobileIntegration: form.mobileIntegration,
    iFrame: form.iFrame,
    androidAppHash: form.androidAppHash.trim() || null,
    autoRetry: form.autoRetry,
    passkeys: form.passkeys,
    allowedOrigins: parseLines(form.allowedOrigins),
    language: form.language,
    redirectUrl: form.redirectUrl.trim() || null,
    demoCredentials: form.demoCredentials.map((d) => ({
      identifier: d.identifier.trim(),
      otp: d.otp.trim(),
    })),
    brandColor: form.brandColor.trim() || null,
    logoUrl: form.logoUrl.trim() || null,
    channelProviders: channelProvidersFromLists(form.channelProviders),
    countryProviders: countryProvidersFromRows(form.countryProviders),
  };
}

function checkInt(
  errors: FieldErrors,
  key: string,
  text: string,
  min: number,
  max: number,
  unit = '',
): void {
  const value = toNumber(text);
  if (!Number.isInteger(value)) errors[key] = `Must be a whole number from ${min} to ${max}${unit}`;
  else if (value < min || value > max) errors[key] = `Must be ${min} to ${max}${unit}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `https://shop.example` (no path) → the origin; anything else → null. */
export function parseOrigin(text: string): string | null {
  if (!isHttpUrl(text)) return null;
  const url = new URL(text);
  return url.origin === text.replace(/\/$/, '') ? url.origin : null;
}

const ISO = /^[A-Z]{2}$/;

/**
 * The obvious mistakes, found before a round trip. The server checks
 * everything again; its answer is mapped with {@link widgetErrorsFromIssues}.
 */
export function validateWidgetForm(form: WidgetForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.name.trim()) errors.name = 'Is required';
  else if (form.name.trim().length > 100) errors.name = 'Must be at most 100 characters';
  if (!form.mobile && !form.email) errors.contactPoints = 'Choose at least one contact point';
  if (form.mobile && form.retryMobile.length === 0) {
    errors['retryChannels.mobile'] = 'Must name at least one channel';
  }
  if (form.verificationType === 'magic_link' && form.mobile && form.primaryMobile === 'voice') {
    errors['primaryChannel.mobile'] = 'Cannot be voice for magic links';
  }
  const appHash = form.androidAppHash.trim();
  if (appHash && !/^[A-Za-z0-9+/]{11}$/.test(appHash)) {
    errors.androidAppHash = 'Must be the 11-character app hash (letters, digits, + and /)';
  }
  checkInt(errors, 'otpLength', form.otpLength, 4, 9);
  checkInt(errors, 'retryCount', form.retryCount, 0, 10);
  checkInt(errors, 'retryTime', form.retryTime, 0, 600, ' seconds');
  checkInt(errors, 'expiryTime', form.expiryTime, 1, 1440, ' minutes');
  checkInt(errors, 'maxAttempts', form.maxAttempts, 1, 20);

  const seen = new Set<string>();
  form.countryChannels.forEach((row, i) => {
    const country = row.country.trim().toUpperCase();
    if (!ISO.test(country)) errors[`countryChannels.${i}`] = 'Choose a country';
    else if (seen.has(country)) errors[`countryChannels.${i}`] = 'This country already has a row';
    seen.add(country);
  });

  const defaultCountry = form.defaultCountry.trim().toUpperCase();
  if (!ISO.test(defaultCountry))
    errors.defaultCountry = 'Must be an ISO country code such as IN or US';
  const allowed = parseCountryList(form.allowedCountries);
  const badCountry = allowed.find((c) => !ISO.test(c) && c !== NON_GEOGRAPHIC);
  if (badCountry) {
    errors.allowedCountries = `“${badCountry}” is not an ISO country code such as IN or US, or 001 (satellite and international networks)`;
  } else if (allowed.length > 0 && form.mobile && !allowed.includes(defaultCountry)) {
    errors.defaultCountry = 'Must be one of the allowed countries';
  }

  if (needsCaptchaKeys(form.captchaProvider)) {
    if (!form.captchaSiteKey.trim())
      errors['captcha.siteKey'] = `Is required for ${form.captchaProvider}`;
    if (!form.captchaSecretKey.trim()) {
      errors['captcha.secretKey'] = `Is required for ${form.captchaProvider}`;
    }
    if (form.captchaProvider === 'recaptcha-v3' && form.captchaScoreThreshold.trim() !== '') {
      const score = toNumber(form.captchaScoreThreshold);
      if (!(score >= 0 && score <= 1)) errors['captcha.scoreThreshold'] = 'Must be 0 to 1';
    }
  }

  const origins = parseLines(form.allowedOrigins);
  const badLine = origins.findIndex((o) => parseOrigin(o) === null);
  if (badLine >= 0) {
    errors.allowedOrigins = `Line ${badLine + 1}: must be an origin such as https://shop.example (no path)`;
  } else if (origins.length > 50) errors.allowedOrigins = 'Must list at most 50 origins';

  const redirectUrl = form.redirectUrl.trim();
  if (redirectUrl && !isHttpUrl(redirectUrl)) errors.redirectUrl = 'Must be an http(s) URL';
  else if (redirectUrl && origins.length > 0 && badLine < 0) {
    const target = new URL(redirectUrl).origin;
    if (!origins.map(parseOrigin).includes(target)) {
      errors.redirectUrl = 'Must be on one of the allowed origins';
    }
  }
  const logoUrl = form.logoUrl.trim();
  if (logoUrl && !isHttpUrl(logoUrl)) errors.logoUrl = 'Must be an http(s) URL';
  const brandColor = form.brandColor.trim();
  if (brandColor && !/^#[0-9a-fA-F]{6}$/.test(brandColor)) {
    errors.brandColor = 'Must be a colour like #1a73e8';
  }

  const length = toNumber(form.otpLength);
  form.demoCredentials.forEach((d, i) => {
    if (d.identifier.trim().length < 3) errors[`demoCredentials.${i}.identifier`] = 'Is required';
    if (!/^\d+$/.test(d.otp.trim())) errors[`demoCredentials.${i}.otp`] = 'Must be digits only';
    else if (Number.isInteger(length) && d.otp.trim().length !== length) {
      errors[`demoCredentials.${i}.otp`] = `Must have ${length} digits (the OTP length)`;
    }
  });
  if (form.demoCredentials.length > 20) errors.demoCredentials = 'Must list at most 20 pairs';
  validateCountryProviders(form.countryProviders, errors);
  return errors;
}

/** Keys of fields the editor shows directly. */
const PLAIN_FIELDS = new Set([
  'name',
  'status',
  'verificationType',
  'contactPoints',
  'primaryChannel.mobile',
  'otpLength',
  'retryChannels.mobile',
  'retryCount',
  'retryTime',
  'expiryTime',
  'countryChannels',
  'defaultCountry',
  'allowedCountries',
  'maxAttempts',
  'captcha.provider',
  'captcha.siteKey',
  'captcha.secretKey',
  'captcha.scoreThreshold',
  'invisible',
  'mobileIntegration',
  'iFrame',
  'androidAppHash',
  'autoRetry',
  'allowedOrigins',
  'language',
  'redirectUrl',
  'brandColor',
  'logoUrl',
  'demoCredentials',
]);

/**
 * Maps the server's field issues onto the editor: list items of text areas
 * collapse onto the field (`allowedOrigins.2` → `allowedOrigins`, "Line 3: …"),
 * country keys onto their row (`countryChannels.US` → `countryChannels.<row>`).
 */
export function widgetErrorsFromIssues(
  issues: readonly FieldIssue[],
  form: WidgetForm,
): { errors: FieldErrors; unplaced: FieldIssue[] } {
  return mapFieldIssues(issues, (path) => {
    const parts = path.split('.');
    const [head, second, third] = parts;
    if (head === 'allowedOrigins' && second !== undefined && /^\d+$/.test(second)) {
      const line = parseLines(form.allowedOrigins)[Number(second)];
      return { key: 'allowedOrigins', prefix: line ? `${line}: ` : `Line ${Number(second) + 1}: ` };
    }
    if (head === 'allowedCountries' && second !== undefined) {
      const code = parseCountryList(form.allowedCountries)[Number(second)];
      return { key: 'allowedCountries', prefix: code ? `${code}: ` : '' };
    }
    if (head === 'countryChannels' && second !== undefined) {
      const row = form.countryChannels.findIndex(
        (r) => r.country.trim().toUpperCase() === second.toUpperCase(),
      );
      return row >= 0 ? { key: `countryChannels.${row}` } : { key: 'countryChannels' };
    }
    if (head === 'demoCredentials' && second !== undefined && /^\d+$/.test(second)) {
      if (third === 'identifier' || third === 'otp')
        return { key: `demoCredentials.${second}.${third}` };
      return { key: 'demoCredentials' };
    }
    if (head === 'primaryChannel')
      return { key: second === 'email' ? 'contactPoints' : 'primaryChannel.mobile' };
    if (head === 'retryChannels' && second === 'mobile') return { key: 'retryChannels.mobile' };
    if (head === 'captcha' && second === undefined) return { key: 'captcha.provider' };
    const provider = placeProviderIssue(path, form.countryProviders);
    if (provider) return provider;
    if (PLAIN_FIELDS.has(path)) return { key: path };
    if (head !== undefined && PLAIN_FIELDS.has(head)) return { key: head };
    return null;
  });
}
