/**
 * Shapes of the admin API (`/api/v1/*`) as the console reads and sends them.
 */
import type { CaptchaProvider, Channel, ContactPoint, Language } from '@otpkit/protocol';

/** A mobile delivery channel. */
export type MobileChannel = Exclude<Channel, 'email'>;

export type { CaptchaProvider } from '@otpkit/protocol';

/** Captcha settings; `secretKey` comes back masked as `********`. */
export interface CaptchaSettings {
  provider: CaptchaProvider;
  siteKey?: string;
  secretKey?: string;
  scoreThreshold?: number;
}

/** One fixed identifier/code pair for app-store reviewers. */
export interface DemoCredential {
  identifier: string;
  otp: string;
}

/** Everything a widget owner configures. */
export interface WidgetSettings {
  name: string;
  status: 'enabled' | 'disabled';
  verificationType: 'otp' | 'magic_link';
  contactPoints: ContactPoint[];
  primaryChannel: { mobile: MobileChannel; email: 'email' };
  retryChannels: { mobile: MobileChannel[]; email: 'email'[] };
  countryChannels: Record<string, MobileChannel>;
  otpLength: number;
  retryCount: number;
  retryTime: number;
  expiryTime: number;
  maxAttempts: number;
  defaultCountry: string;
  allowedCountries: string[] | null;
  captcha: CaptchaSettings;
  invisible: boolean;
  mobileIntegration: boolean;
  iFrame: boolean;
  /** The Android app's 11-character SMS Retriever hash: an app's code SMS ends with it. */
  androidAppHash: string | null;
  autoRetry: boolean;
  /** After a verified code, offer a passkey; then sign in with it (needs `allowedOrigins`). */
  passkeys: boolean;
  allowedOrigins: string[];
  /** `auto`: the first of the visitor's browser languages otpkit speaks, else English. */
  language: 'auto' | Language;
  redirectUrl: string | null;
  demoCredentials: DemoCredential[];
  brandColor: string | null;
  logoUrl: string | null;
}

/** A widget as the admin API returns it. */
export interface Widget extends WidgetSettings {
  widgetId: string;
  createdAt: string;
  updatedAt: string;
}

/** `POST /widgets` answer: the widget and its first browser token. */
export interface CreatedWidget extends Widget {
  tokenAuth: string;
}

/**
 * A widget's browser token. The server keeps only its hash: `tokenAuth` is
 * present only in the answer that created it; lists show its `prefix`.
 */
export interface WidgetToken {
  tokenId: string;
  tokenAuth?: string;
  prefix: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A person's passkey, as `GET /passkeys` lists it (no key material). */
export interface Passkey {
  passkeyId: string;
  identifier: string;
  widgetId: string;
  /** The site it belongs to (registrable domain of the page it was made on). */
  rpId: string;
  /** `singleDevice` (bound to one authenticator) or `multiDevice` (synced). */
  deviceType: string;
  backedUp: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An account authkey, as listed (the key itself is never shown again). */
export interface Authkey {
  authkeyId: string;
  label: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** The key this session signed in with. */
  current: boolean;
}

/** `POST /authkeys` answer: the only time the key is shown. */
export interface CreatedAuthkey {
  authkeyId: string;
  authkey: string;
  label: string;
  prefix: string;
  createdAt: string;
}

/** A message template. */
export interface Template {
  templateId: string;
  name: string;
  channel: Channel;
  body: string;
  subject: string | null;
  unicode: boolean;
  senderId: string | null;
  dltTemplateId: string | null;
  widgetId: string | null;
  /** The body (and email subject) in other languages, by language tag. */
  translations: Partial<Record<Language, TemplateTranslation>>;
  createdAt: string;
  updatedAt: string;
}

/** A template's words in one language. */
export interface TemplateTranslation {
  body: string;
  subject: string | null;
}

/** What a template is created or changed with. */
export interface TemplateInput {
  name: string;
  channel: Channel;
  body: string;
  subject?: string;
  unicode?: boolean;
  senderId?: string;
  dltTemplateId?: string;
  widgetId?: string | null;
  translations?: Partial<Record<Language, TemplateTranslation>>;
}

/** A rendered template. */
export interface TemplatePreview {
  subject?: string;
  text: string;
  html?: string;
  /** Variable names the body uses. */
  variables: string[];
  /** Variables without a value. */
  missing: string[];
}

/** `GET /api/v1/meta`. */
export interface Meta {
  env: 'development' | 'production' | 'test';
  devOutbox: boolean;
  /**
   * Whether browsers may use a widget with no `allowedOrigins` (false in
   * production unless OTPKIT_ALLOW_ANY_ORIGIN=true). Missing from older servers.
   */
  allowAnyOrigin?: boolean;
  publicUrl: string;
  version: string;
}
