/**
 * The admin API's (`/api/v1/*`) answers and bodies as the console reads and
 * sends them. The server's zod schemas are checked against these types at
 * compile time (`server/src/api/admin-v1/schemas.ts`), so a change on either
 * side that the other does not follow fails `pnpm typecheck`.
 */
import type { CaptchaProvider } from './captcha.ts';
import type { Channel, ContactPoint } from './channels.ts';
import type { Language } from './languages.ts';
import type { ProviderName } from './providers.ts';
import type {
  DeliveryAttemptStatus,
  LogStatus,
  MessagePurpose,
  MessageStatus,
} from './statuses.ts';

/** A channel that reaches a mobile number. */
export type MobileChannel = Exclude<Channel, 'email'>;

/** Every mobile channel, in the order the console offers them. */
export const MOBILE_CHANNELS = [
  'sms',
  'whatsapp',
  'telegram',
  'voice',
] as const satisfies readonly MobileChannel[];

/** The channels a template may be written for (Telegram's Gateway sends its own words). */
export const TEMPLATE_CHANNELS = [
  'sms',
  'whatsapp',
  'voice',
  'email',
] as const satisfies readonly Channel[];

/** A channel a template may be written for. */
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

/** Whether a widget sends codes. */
export const WIDGET_STATUSES = ['enabled', 'disabled'] as const;

/** Whether a widget sends codes (`WIDGET_DISABLED` when not). */
export type WidgetStatus = (typeof WIDGET_STATUSES)[number];

/** What a widget's message carries: a code to type, or a link to click. */
export const VERIFICATION_TYPES = ['otp', 'magic_link'] as const;

/** What a widget's message carries. */
export type VerificationType = (typeof VERIFICATION_TYPES)[number];

/** Captcha settings; `secretKey` comes back masked as `********`. */
export interface CaptchaSettings {
  provider: CaptchaProvider;
  siteKey?: string | undefined;
  secretKey?: string | undefined;
  scoreThreshold?: number | undefined;
}

/** One fixed identifier/code pair for app-store reviewers. */
export interface DemoCredential {
  identifier: string;
  otp: string;
}

/** One delivery provider's name, or an ordered list of them (the next takes over on a passing failure). */
export type ProviderChoice = ProviderName | ProviderName[];

/** Per channel, the providers that carry it (`{"sms": ["msg91", "twilio"]}`). */
export type ChannelProviders = Partial<Record<Channel, ProviderChoice>>;

/** Everything a widget owner configures. */
export interface WidgetSettings {
  name: string;
  status: WidgetStatus;
  verificationType: VerificationType;
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
  /** After a verified code, offer a passkey; then sign in with it (needs `allowedOrigins`). */
  passkeys: boolean;
  allowedOrigins: string[];
  /** `auto`: the first of the visitor's browser languages otpkit speaks, else English. */
  language: 'auto' | Language;
  /** The `autoRetry` channel. */
  fallbackChannel: MobileChannel;
  /** Per channel, the configured provider to use, or an ordered list of them. */
  channelProviders: ChannelProviders;
  /** Per destination country (ISO code), `channelProviders` for that country. */
  countryProviders: Record<string, ChannelProviders>;
  voiceCallerId: string | null;
  autoRetry: boolean;
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
  tokenAuth?: string | undefined;
  prefix: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** An account authkey, as listed (the key itself is never shown again). */
export interface Authkey {
  authkeyId: string;
  label: string | null;
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
  label: string | null;
  prefix: string;
  createdAt: string;
}

/** An access-token signing key (`GET /keys`). */
export interface SigningKey {
  kid: string;
  createdAt: string;
  retiredAt: string | null;
  /** Whether it is still in the JWKS. */
  published: boolean;
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

/** A template's words in one language. */
export interface TemplateTranslation {
  body: string;
  subject: string | null;
}

/** What a template is created with (`POST /templates`; any subset for `PATCH`). */
export interface TemplateInput {
  name: string;
  channel: TemplateChannel;
  body: string;
  subject?: string | null | undefined;
  unicode?: boolean | undefined;
  senderId?: string | null | undefined;
  dltTemplateId?: string | null | undefined;
  widgetId?: string | null | undefined;
  translations?: Partial<Record<Language, TemplateTranslation>> | undefined;
}

/** A message template. */
export interface Template {
  templateId: string;
  name: string;
  channel: TemplateChannel;
  body: string;
  subject: string | null;
  unicode: boolean;
  senderId: string | null;
  dltTemplateId: string | null;
  widgetId: string | null;
  /** The body (and email subject) in other languages, by language tag. */
  translations: Partial<Record<Language, TemplateTranslation>>;
  /** The variables its body and subject use. */
  variables: string[];
  createdAt: string;
  updatedAt: string;
}

/** A rendered template. */
export interface TemplatePreview {
  subject?: string | undefined;
  text: string;
  html?: string | undefined;
  /** Variable names the body uses. */
  variables: string[];
  /** Variables without a value. */
  missing: string[];
  /** SMS only. */
  segments?: number | undefined;
  /** SMS only. */
  encoding?: 'GSM-7' | 'UCS-2' | undefined;
}

/** A delivery provider the deployment has configured (`GET /providers`). */
export interface ConfiguredProvider {
  /** What `channelProviders` and `countryProviders` name it. */
  name: ProviderName;
  /** The channels a widget may choose it for. */
  channels: Channel[];
}

/** `GET /api/v1/meta`. */
export interface Meta {
  env: 'development' | 'production' | 'test';
  devOutbox: boolean;
  /**
   * Whether browsers may use a widget with no `allowedOrigins` (false in
   * production unless OTPKIT_ALLOW_ANY_ORIGIN=true).
   */
  allowAnyOrigin: boolean;
  publicUrl: string;
  version: string;
}

/**
 * What the log knows of one verification request, its times as `Time`: ISO
 * strings in the admin API, epoch milliseconds in the server's store.
 */
export interface LogEntryFields<Time> {
  reqId: string;
  widgetId: string;
  /** The widget's name, if the widget still exists. */
  widgetName: string | null;
  identifier: string;
  contactPoint: ContactPoint;
  country: string | null;
  /** Every channel a message went out on, in the order sms, whatsapp, voice, email. */
  channels: Channel[];
  /** Channel of the latest delivery. */
  channel: Channel;
  status: LogStatus;
  resendCount: number;
  fallbackCount: number;
  attempts: number;
  otpVerifiedAt: Time | null;
  /** When the customer backend redeemed the access token. */
  tokenVerifiedAt: Time | null;
  demo: boolean;
  ip: string | null;
  host: string | null;
  userAgent: string | null;
  createdAt: Time;
  updatedAt: Time;
  expiresAt: Time;
}

/** One verification request in the log (`GET /logs`). */
export interface LogEntry extends LogEntryFields<string> {
  otpVerified: boolean;
  tokenVerified: boolean;
}

/** One message of a logged request, with its hand-overs to providers (`GET /logs/:reqId`). */
export interface LogMessage {
  messageId: string;
  channel: Channel;
  purpose: MessagePurpose;
  status: MessageStatus;
  attempts: number;
  provider: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  deliveries: {
    attempt: number;
    status: DeliveryAttemptStatus;
    provider: string | null;
    error: string | null;
    createdAt: string;
  }[];
}

/** Counts for one bucket, channel or country of the analytics report. */
export interface AnalyticsMetrics {
  /** OTP requests created (demo requests left out). */
  requests: number;
  /** Messages a provider accepted. */
  sent: number;
  /** Messages reported delivered. */
  delivered: number;
  /** Messages that failed. */
  failed: number;
  /** Requests verified with the right code. */
  verified: number;
  /** verified / requests, 0 to 1 (null with no requests). */
  conversionRate: number | null;
  /** Median seconds from the first send to verification (estimated from a histogram; null with none). */
  medianVerifySeconds: number | null;
}

/** One delivery provider's numbers on one channel. */
export interface ProviderStats {
  provider: string;
  channel: Channel;
  /** Hand-overs the provider accepted. */
  sent: number;
  /** Hand-overs it refused or could not take. */
  failed: number;
  /** Refusals for a passing reason that moved the message to the next provider. */
  failovers: number;
  /** Messages it reported delivered. */
  delivered: number;
  /** Mean milliseconds from queueing a message to its acceptance. */
  meanLatencyMs: number | null;
}

/** `GET /analytics`: totals, a series per bucket, per channel (and passkey sign-ins) and per country. */
export interface AnalyticsReport {
  from: string;
  to: string;
  groupBy: 'day' | 'hour';
  widgetId: string | null;
  totals: AnalyticsMetrics;
  series: ({ bucket: string } & AnalyticsMetrics)[];
  channels: ({
    channel: Channel | 'passkey';
    series: ({ bucket: string } & AnalyticsMetrics)[];
  } & AnalyticsMetrics)[];
  countries: ({ country: string | null } & AnalyticsMetrics)[];
  /** Passkey sign-ins (channel `passkey`) and the messages they saved. */
  passkeys: { signIns: number; messagesSaved: number };
  /** Per delivery provider and channel. */
  providers: ProviderStats[];
}
