/**
 * What the widget editor's sections share: the form they edit, the choices
 * their selects offer, and how an error key reads in the error summary and
 * which control it points at.
 */
import {
  CAPTCHA_PROVIDERS,
  type CaptchaProvider,
  CHANNEL_NAMES,
  MOBILE_CHANNELS as MOBILE_CHANNEL_VALUES,
  type MobileChannel,
  VERIFICATION_TYPES as VERIFICATION_TYPE_VALUES,
  type VerificationType,
  WIDGET_STATUSES,
  type WidgetStatus,
} from '@otpkit/protocol';
import type { FieldFrame, SelectOption } from '../../ui/components.tsx';
import { countryOptions } from '../../ui/countries.ts';
import { fieldId } from '../../ui/field-errors.ts';
import { LANGUAGE_OPTIONS } from '../../ui/languages.ts';
import type { FormState } from '../../ui/use-form.ts';
import type { WidgetForm } from '../form.ts';

/** Every section's props: the editor's one form. */
export interface SectionProps {
  f: FormState<WidgetForm>;
}

/** Options from a union's values and a label for each (a new value must get its label). */
function optionsOf<V extends string>(
  values: readonly V[],
  labels: Readonly<Record<V, string>>,
): SelectOption<V>[] {
  return values.map((value) => ({ value, label: labels[value] }));
}

export const MOBILE_CHANNELS: SelectOption<MobileChannel>[] = optionsOf(
  MOBILE_CHANNEL_VALUES,
  CHANNEL_NAMES,
);

export const STATUSES: SelectOption<WidgetStatus>[] = optionsOf(WIDGET_STATUSES, {
  enabled: 'Enabled',
  disabled: 'Disabled',
});

export const VERIFICATION_TYPES: SelectOption<VerificationType>[] = optionsOf(
  VERIFICATION_TYPE_VALUES,
  { otp: 'One-time code (OTP)', magic_link: 'Magic link' },
);

export const LANGUAGES: SelectOption<WidgetForm['language']>[] = [
  { value: 'auto', label: 'Automatic (visitor’s browser)' },
  ...LANGUAGE_OPTIONS,
];

export const CAPTCHAS: SelectOption<CaptchaProvider>[] = optionsOf(CAPTCHA_PROVIDERS, {
  none: 'None',
  pow: 'Proof of work (built in, no keys)',
  'recaptcha-v3': 'Google reCAPTCHA v3',
  turnstile: 'Cloudflare Turnstile',
  hcaptcha: 'hCaptcha',
});

const LABELS: Readonly<Record<string, string>> = {
  name: 'Widget name',
  status: 'Status',
  verificationType: 'Verification type',
  contactPoints: 'Contact points',
  'primaryChannel.mobile': 'Primary mobile channel',
  otpLength: 'OTP length',
  'retryChannels.mobile': 'Mobile resend channels',
  retryCount: 'Resend count',
  retryTime: 'Resend wait (seconds)',
  expiryTime: 'Code expiry (minutes)',
  countryChannels: 'Country-wise primary channel',
  allowedCountries: 'Allowed countries',
  defaultCountry: 'Default country',
  maxAttempts: 'Max attempts',
  'captcha.provider': 'Captcha provider',
  'captcha.siteKey': 'Captcha site key',
  'captcha.secretKey': 'Captcha secret key',
  'captcha.scoreThreshold': 'Captcha score threshold',
  allowedOrigins: 'Allowed origins',
  language: 'Popup language',
  redirectUrl: 'Redirect URL',
  brandColor: 'Brand colour',
  logoUrl: 'Logo URL',
  demoCredentials: 'Demo credentials',
  channelProviders: 'Delivery providers',
  countryProviders: 'Delivery providers by country',
};

/** Human names of error keys, for the error summary. */
export function labelFor(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const row = /^countryChannels\.(\d+)$/.exec(key);
  if (row) return `Country-wise channel, row ${Number(row[1]) + 1}`;
  const demo = /^demoCredentials\.(\d+)\.(identifier|otp)$/.exec(key);
  if (demo) return `Demo ${demo[2] === 'otp' ? 'OTP' : 'identifier'}, row ${Number(demo[1]) + 1}`;
  const channel = /^channelProviders\.(\w+)$/.exec(key);
  if (channel) return `Providers for ${channelLabel(channel[1]!)}`;
  const override = /^countryProviders\.(\d+)$/.exec(key);
  if (override) return `Provider override, row ${Number(override[1]) + 1}`;
  return key;
}

function channelLabel(channel: string): string {
  return channel === 'email'
    ? 'Email'
    : (MOBILE_CHANNELS.find((c) => c.value === channel)?.label ?? channel);
}

/** The id of the control an error key points at (the first checkbox of a group). */
export function targetId(key: string): string {
  if (key === 'contactPoints') return `${fieldId('contactPoints')}-mobile`;
  if (key === 'retryChannels.mobile') return `${fieldId('retryChannels.mobile')}-sms`;
  if (key === 'countryChannels') return fieldId('countryChannels');
  if (/^countryChannels\.\d+$/.test(key)) return `${fieldId(key)}-country`;
  if (/^countryProviders\.\d+$/.test(key)) return `${fieldId(key)}-country`;
  if (key === 'demoCredentials') return fieldId('demoCredentials');
  return fieldId(key);
}

/** The form's lists of rows. */
type RowsKey = 'countryChannels' | 'countryProviders' | 'demoCredentials';

/**
 * Editing one of the form's lists of rows: change a row, remove one, add one.
 * `errorKey` is as in {@link FormState.set} (by default the list's own key).
 */
export function rowsOf<K extends RowsKey>(f: FormState<WidgetForm>, key: K) {
  type Row = WidgetForm[K][number];
  const rows: readonly Row[] = f.form[key];
  const save = (next: Row[], errorKey: string | null) =>
    f.set(key, next as WidgetForm[K], errorKey);
  return {
    update(i: number, patch: Partial<Row>, errorKey: string | null = key): void {
      save(
        rows.map((row, j) => (j === i ? { ...row, ...patch } : row)),
        errorKey,
      );
    },
    remove(i: number, errorKey: string | null = key): void {
      save(
        rows.filter((_, j) => j !== i),
        errorKey,
      );
    },
    add(row: Row, errorKey: string | null = key): void {
      save([...rows, row], errorKey);
    },
  };
}

/**
 * A row's country select (`<rowKey>.country`): it shows the row's error and
 * leaving it marks the row left, as the row's first field.
 */
export function rowCountry(
  f: FormState<WidgetForm>,
  rowKey: string,
  label: string,
): FieldFrame & { placeholder: string; options: SelectOption<string>[] } {
  return {
    name: `${rowKey}.country`,
    label,
    hideLabel: true,
    error: f.err(rowKey),
    onBlurField: () => f.blur(rowKey),
    placeholder: 'Choose a country…',
    options: countryOptions(),
  };
}
