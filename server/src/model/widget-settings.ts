/**
 * A widget's settings: what its owner configures, validated with zod.
 * Defaults are the safe, common choice; every range is named in the error.
 */
import {
  CAPTCHA_PROVIDERS,
  CHANNELS_BY_CONTACT_POINT,
  type Channel,
  CONTACT_POINTS,
  type ContactPoint,
  MOBILE_CHANNELS,
  SUPPORTED_LANGUAGES,
  THIRD_PARTY_CAPTCHAS,
  VERIFICATION_TYPES,
  WIDGET_STATUSES,
} from '@otpkit/protocol';
import { getCountries } from 'libphonenumber-js/max';
import { z } from 'zod';
import { NON_GEOGRAPHIC } from './identifier.ts';
import { refuse } from './issues.ts';
import {
  PROVIDER_CHANNELS,
  PROVIDER_NAMES,
  type ProviderName,
  providersOfChannel,
} from './provider-names.ts';

const COUNTRIES = new Set<string>(getCountries());

const contactPoint = z.enum(CONTACT_POINTS);
const mobileChannel = z.enum(MOBILE_CHANNELS);

/** An app hash: 11 characters of the standard base64 alphabet (Google's AppSignatureHelper). */
export const ANDROID_APP_HASH = /^[A-Za-z0-9+/]{11}$/;

/** One provider that carries `channel`, or an ordered list of them (the next takes over when one fails for a passing reason). */
const providerChoice = (channel: Channel) => {
  const names = providersOfChannel(channel);
  const error = `must be one of ${names.map((n) => `"${n}"`).join(', ')} (the providers of ${channel}), or a list of them`;
  const name = z.enum(names as [ProviderName, ...ProviderName[]], { error });
  return z.union(
    [
      name,
      z
        .array(name)
        .min(1, 'must name at least one provider')
        .max(names.length)
        .refine((a) => new Set(a).size === a.length, 'must not repeat a provider'),
    ],
    { error },
  );
};
const providersPerChannel = z
  .object({
    sms: providerChoice('sms').optional(),
    whatsapp: providerChoice('whatsapp').optional(),
    telegram: providerChoice('telegram').optional(),
    voice: providerChoice('voice').optional(),
    email: providerChoice('email').optional(),
  })
  .strict();
const emailChannel = z.enum(['email']);
const country = z
  .string()
  .transform((v) => v.toUpperCase())
  .refine((v) => COUNTRIES.has(v), 'must be an ISO 3166 country code such as IN or US');
/**
 * A country a widget may send to: an ISO code, or `001` for numbers of no
 * country (satellite and international networks), which are refused unless listed.
 */
const allowedCountry = z
  .string()
  .transform((v) => v.toUpperCase())
  .refine(
    (v) => COUNTRIES.has(v) || v === NON_GEOGRAPHIC,
    'must be an ISO 3166 country code such as IN or US, or 001 (satellite and international networks)',
  );

const int = (min: number, max: number, unit = '') =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}${unit}` })
    .int(`must be a whole number from ${min} to ${max}${unit}`)
    .min(min, `must be ${min} to ${max}${unit}`)
    .max(max, `must be ${min} to ${max}${unit}`);

/** `https://shop.example` or `http://localhost:3000`: scheme, host and port only. */
const origin = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value);
    if (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.origin === value.replace(/\/$/, '')
    ) {
      return url.origin;
    }
  } catch {}
  ctx.addIssue({
    code: 'custom',
    message:
      'must be an origin such as https://shop.example (scheme, host and optional port; no path)',
  });
  return z.NEVER;
});

/** The origin of an absolute http(s) URL, or null for anything else. */
function httpOrigin(value: unknown): string | null {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname
      ? url.origin
      : null;
  } catch {
    return null;
  }
}

/** `https://shop.example/welcome`: an absolute http(s) URL with a host, kept as given. */
const httpUrl = z
  .string({ error: 'must be an absolute http(s) URL' })
  .refine(
    (value) => httpOrigin(value) !== null,
    'must be an absolute http(s) URL such as https://shop.example/welcome',
  );

const captchaSchema = z
  .object({
    provider: z.enum(CAPTCHA_PROVIDERS).default('none'),
    siteKey: z.string().max(200).optional(),
    secretKey: z.string().max(200).optional(),
    scoreThreshold: z.number().min(0, 'must be 0 to 1').max(1, 'must be 0 to 1').optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((THIRD_PARTY_CAPTCHAS as readonly string[]).includes(c.provider)) {
      if (!c.siteKey) refuse(ctx, ['siteKey'], `is required for ${c.provider}`);
      if (!c.secretKey) {
        refuse(ctx, ['secretKey'], `is required for ${c.provider}`);
      }
    }
  });

/** A record keyed by ISO 3166 country code, in any case (kept upper-case); `example` names one. */
const byCountry = <T extends z.ZodType>(value: T, example: string) =>
  z.record(z.string(), value).transform((record, ctx) => {
    const out: Record<string, z.output<T>> = {};
    for (const [key, entry] of Object.entries(record)) {
      const iso = key.toUpperCase();
      if (!COUNTRIES.has(iso)) {
        refuse(ctx, [key], `must be keyed by ISO 3166 country codes such as ${example}`);
      }
      out[iso] = entry;
    }
    return out;
  });

const demoCredential = z
  .object({
    identifier: z.string().trim().min(3, 'is required').max(254),
    otp: z.string().regex(/^\d{4,9}$/, 'must be 4 to 9 digits'),
  })
  .strict();

const fields = {
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  status: z.enum(WIDGET_STATUSES).default('enabled'),
  verificationType: z.enum(VERIFICATION_TYPES).default('otp'),
  contactPoints: z
    .array(contactPoint)
    .min(1, 'must name at least one of mobile, email')
    .max(2)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a contact point')
    .default(['mobile']),
  primaryChannel: z
    .object({ mobile: mobileChannel.default('sms'), email: emailChannel.default('email') })
    .strict()
    .default({ mobile: 'sms', email: 'email' }),
  retryChannels: z
    .object({
      mobile: z
        .array(mobileChannel)
        .min(1, 'must name at least one channel')
        .default(['sms', 'voice']),
      email: z.array(emailChannel).min(1, 'must name at least one channel').default(['email']),
    })
    .strict()
    .default({ mobile: ['sms', 'voice'], email: ['email'] }),
  countryChannels: byCountry(mobileChannel, 'US').default({}),
  otpLength: int(4, 9).default(6),
  retryCount: int(0, 10).default(3),
  retryTime: int(0, 600, ' seconds').default(30),
  expiryTime: int(1, 1440, ' minutes').default(10),
  maxAttempts: int(1, 20).default(5),
  defaultCountry: country.default('IN'),
  allowedCountries: z.array(allowedCountry).max(250).nullable().default(null),
  captcha: captchaSchema.default({ provider: 'none' }),
  invisible: z.boolean().default(false),
  mobileIntegration: z.boolean().default(false),
  iFrame: z.boolean().default(false),
  androidAppHash: z
    .string()
    .regex(
      ANDROID_APP_HASH,
      'must be the 11-character app hash of the SMS Retriever API (letters, digits, + and /)',
    )
    .nullable()
    .default(null),
  allowedOrigins: z.array(origin).max(50, 'must list at most 50 origins').default([]),
  language: z.enum(['auto', ...SUPPORTED_LANGUAGES]).default('auto'),
  fallbackChannel: mobileChannel.default('voice'),
  channelProviders: providersPerChannel.default({}),
  countryProviders: byCountry(providersPerChannel, 'IN').default({}),
  voiceCallerId: z
    .string()
    .regex(/^\+\d{6,15}$/, 'must be a phone number like +15005550006')
    .nullable()
    .default(null),
  autoRetry: z.boolean().default(false),
  redirectUrl: httpUrl.nullable().default(null),
  demoCredentials: z.array(demoCredential).max(20, 'must list at most 20 pairs').default([]),
  passkeys: z.boolean().default(false),
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a73e8')
    .nullable()
    .default(null),
  logoUrl: httpUrl.nullable().default(null),
};

function crossChecks(s: z.output<z.ZodObject<typeof fields>>, ctx: z.RefinementCtx): void {
  // A magic link redirects only to a site the widget names, so an empty list allows none.
  // Runs even when a field failed: a redirectUrl that is no URL was reported by its own check.
  const target = httpOrigin(s.redirectUrl);
  if (target && (s.allowedOrigins.length > 0 || s.verificationType === 'magic_link')) {
    if (!s.allowedOrigins.includes(target)) {
      refuse(ctx, ['redirectUrl'], 'must be on one of allowedOrigins');
    }
  }
  if (
    s.verificationType === 'magic_link' &&
    s.contactPoints.includes('mobile') &&
    s.primaryChannel.mobile === 'voice'
  ) {
    refuse(ctx, ['primaryChannel', 'mobile'], 'cannot be voice for magic links');
  }
  if (
    s.allowedCountries &&
    !s.allowedCountries.includes(s.defaultCountry) &&
    s.contactPoints.includes('mobile')
  ) {
    refuse(ctx, ['defaultCountry'], 'must be one of allowedCountries');
  }
  if (s.passkeys && s.allowedOrigins.length === 0) {
    refuse(ctx, ['passkeys'], 'needs allowedOrigins: a passkey belongs to the site it was made on');
  }
  s.demoCredentials.forEach((d, i) => {
    if (d.otp.length !== s.otpLength) {
      refuse(ctx, ['demoCredentials', i, 'otp'], `must have otpLength (${s.otpLength}) digits`);
    }
  });
}

/** The settings schema for a new widget; `parse` fills defaults. */
// Unknown settings are ignored (dropped), as the API ignores unknown fields everywhere.
export const widgetSettingsSchema = z.object(fields).superRefine(crossChecks);

/** How the configuration reference describes one widget setting. */
export interface SettingDoc {
  readonly description: string;
  /** The values it takes, when the schema alone would not say it readably. */
  readonly allowed?: string;
}

/**
 * Every widget setting's documentation, beside the schema: the widget
 * settings table of `docs/configuration.md` is generated from both.
 */
export const SETTING_DOCS: { readonly [K in keyof typeof fields]: SettingDoc } = {
  name: { description: 'Shown in the console and available to templates as `##WIDGET##`.' },
  status: { description: 'A disabled widget refuses sends (`WIDGET_DISABLED`).' },
  verificationType: { description: 'A typed code, or a link to click (magic links).' },
  contactPoints: { description: 'What a visitor may verify: a mobile number, an email, or both.' },
  primaryChannel: {
    description:
      'The first channel per contact point. With `telegram`, a number that has no Telegram gets the next channel of `retryChannels` (else SMS) at once.',
    allowed: '`{"mobile": "sms"|"whatsapp"|"telegram"|"voice", "email": "email"}`',
  },
  retryChannels: {
    description: 'The channels a resend may use, per contact point.',
    allowed: '`{"mobile": [...], "email": ["email"]}`',
  },
  countryChannels: {
    description: 'Country-wise primary channel for mobiles, e.g. `{"US":"whatsapp"}`.',
    allowed: 'ISO country code → `sms` | `whatsapp` | `telegram` | `voice`',
  },
  otpLength: { description: 'Digits in a code.' },
  retryCount: { description: 'Resends allowed per request.' },
  retryTime: { description: 'Seconds between sends.' },
  expiryTime: { description: 'Minutes a code (or link) stays valid.' },
  maxAttempts: { description: 'Wrong codes before the request is closed.' },
  defaultCountry: {
    description: 'The country of a mobile number typed without a country code.',
    allowed: 'ISO 3166 country code',
  },
  allowedCountries: {
    description:
      'Optional allowlist of mobile countries; others get `COUNTRY_NOT_ALLOWED`. Numbers of no country (satellite and international networks: +870, +881, +882, +883, +888, +979…) are refused with `NUMBER_NOT_ALLOWED` unless this lists `001`; they are then limited and braked as country `001`.',
    allowed: 'list of ISO 3166 country codes and `001`, or null (any country; never `001`)',
  },
  captcha: {
    description:
      'The captcha browser calls must pass (`pow` for new browser widgets). The secret is stored sealed and shown masked.',
    allowed: `\`{provider: ${CAPTCHA_PROVIDERS.map((p) => `"${p}"`).join('|')}, siteKey?, secretKey?, scoreThreshold?}\``,
  },
  invisible: {
    description:
      "SendOTP's invisible-widget flag, passed to the SDKs in `getWidgetProcess`; otpkit's browser script does not act on it.",
  },
  mobileIntegration: {
    description: 'For mobile apps: the browser script refuses the widget (`WIDGET_MOBILE_ONLY`).',
  },
  iFrame: {
    description:
      'Whether the widget may run inside a frame. A code SMS asked for from a cross-origin frame ends with the frame form of the WebOTP line, `@top-host #code @frame-host`.',
  },
  androidAppHash: {
    description:
      'The 11-character app hash of an Android app that reads codes with the SMS Retriever API: an SMS asked for without a web page (the mobile SDKs, the server API) ends with it, and the whole message must fit 140 bytes (else saving is refused with `APP_HASH_MESSAGE_TOO_LONG`).',
    allowed: '11 characters of `A-Z a-z 0-9 + /`, or null',
  },
  allowedOrigins: {
    description:
      'Sites that may embed the widget (empty: any); others get `ORIGIN_NOT_ALLOWED` and CORS names only these.',
    allowed: 'list of origins such as `https://shop.example`',
  },
  language: {
    description:
      "The popup's and the messages' language; `auto` follows the visitor's browser (its languages in order, `pt-PT` → `pt-BR`, else English).",
  },
  fallbackChannel: { description: 'The `autoRetry` channel.' },
  channelProviders: {
    description:
      'Per channel, the configured provider to use, or an ordered list of them: when one fails for a passing reason (timeout, 5xx, 429, refused connection) the next sends the same message at once. E.g. `{"sms":["msg91","twilio"]}`.',
    allowed: `\`{sms?, whatsapp?, telegram?, voice?, email?}\`, each a provider name or a list of them: ${PROVIDER_NAMES.map((n) => `\`${n}\` (${PROVIDER_CHANNELS[n].join(', ')})`).join('; ')}`,
  },
  countryProviders: {
    description:
      'Per destination country, `channelProviders` for that country, e.g. `{"IN":{"sms":["msg91","twilio"]}}`.',
    allowed: 'ISO country code → the same shape as `channelProviders`',
  },
  voiceCallerId: {
    description: "Caller ID for voice calls (else the provider's number for the country).",
  },
  autoRetry: {
    description: 'Send a fallback when a mobile message fails or has no delivery report in time.',
  },
  redirectUrl: {
    description: 'Where a magic link lands (must be on `allowedOrigins`).',
    allowed: 'an absolute http(s) URL such as `https://shop.example/welcome`, or null',
  },
  demoCredentials: {
    description:
      'Fixed pairs for app-store reviewers and tests: nothing is sent, the fixed code verifies, the token carries `demo: true`.',
    allowed: 'up to 20 `{identifier, otp}`',
  },
  passkeys: {
    description:
      'After a verified code, offer a passkey; then sign in with it (the code stays one click away). Needs `allowedOrigins`: the RP ID is the registrable domain of the page.',
  },
  brandColor: { description: "The popup's accent colour (text on it keeps 4.5:1 contrast)." },
  logoUrl: {
    description: "The popup's logo.",
    allowed: 'an absolute http(s) URL, or null',
  },
};

/** The settings fields' own schemas, each with its default (for the configuration reference). */
export const widgetSettingFields: Readonly<typeof fields> = fields;

/** A widget's settings with every default filled. */
export type WidgetSettings = z.output<typeof widgetSettingsSchema>;

/** The channels a resend may use for a contact point. */
export function retryChannelsFor(settings: WidgetSettings, point: ContactPoint): Channel[] {
  const allowed = CHANNELS_BY_CONTACT_POINT[point];
  return settings.retryChannels[point].filter((c) => allowed.includes(c));
}

/** The first channel for a contact point: country-wise for mobiles, else the primary channel. */
export function primaryChannelFor(
  settings: WidgetSettings,
  point: ContactPoint,
  country: string | null,
): Channel {
  if (point === 'email') return settings.primaryChannel.email;
  return (country && settings.countryChannels[country]) || settings.primaryChannel.mobile;
}

/** Settings as an admin sees them: secrets are never shown back. */
export function publicSettings(settings: WidgetSettings): WidgetSettings {
  const { secretKey, ...captcha } = settings.captcha;
  return { ...settings, captcha: secretKey ? { ...captcha, secretKey: '********' } : captcha };
}

/**
 * Applies a partial change to stored settings and validates the result.
 * Nested objects (`primaryChannel`, `retryChannels`, `captcha`) merge one level; the maps
 * keyed by country or channel (`countryChannels`, `channelProviders`, `countryProviders`) are replaced.
 */
export function mergeSettings(current: WidgetSettings, patch: Record<string, unknown>): unknown {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const before = merged[key];
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      before &&
      typeof before === 'object' &&
      !Array.isArray(before) &&
      // Maps keyed by country or channel are replaced whole, so an entry can be removed.
      key !== 'countryChannels' &&
      key !== 'channelProviders' &&
      key !== 'countryProviders'
    ) {
      merged[key] = { ...before, ...value };
    } else {
      merged[key] = value;
    }
  }
  // Keep a stored captcha secret when the console sends back the masked value.
  const captcha = merged.captcha as Record<string, unknown> | undefined;
  if (captcha?.secretKey === '********') captcha.secretKey = current.captcha.secretKey;
  return merged;
}
