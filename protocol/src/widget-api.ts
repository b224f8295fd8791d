/**
 * Request and response bodies of the widget API (`/api/v5/widget/*`),
 * exactly as the existing SendOTP clients send and read them.
 */
import type { BrandTheme } from './brand.ts';
import type { Channel, ContactPoint } from './channels.ts';
import type { ErrorCode } from './errors.ts';

/** Base path of the widget API on an otpkit server. */
export const WIDGET_API_PATH = '/api/v5/widget';

/**
 * The keys of `initSendOTP`'s configuration that the widget reads itself;
 * every other string or number key is a template variable.
 */
export const WIDGET_CONFIGURATION_KEYS: readonly string[] = [
  'widgetId',
  'tokenAuth',
  'identifier',
  'exposeMethods',
  'success',
  'failure',
  'captchaRenderId',
  'apiBaseUrl',
];

/** `{"type":"success","message":…}`: every widget API success. */
export interface SuccessBody<M = string> {
  type: 'success';
  message: M;
}

/** `{"type":"error","message":…,"code":…}`: every failure. */
export interface ErrorBody {
  type: 'error';
  message: string;
  code: ErrorCode;
  /** Seconds to wait, for `RETRY_TOO_SOON` and `RATE_LIMITED`. */
  retryAfter?: number;
  /** Wrong guesses left, for `OTP_MISMATCH`. */
  attemptsLeft?: number;
  /** The server's id of the HTTP request (also its `X-Request-Id` header), to find it in the logs. */
  requestId?: string;
}

/** `POST sendOtpMobile` */
export interface SendOtpRequest {
  widgetId: string;
  tokenAuth: string;
  /** Mobile number with country code and no `+` (`919999999999`), or an email. */
  identifier: string;
  /**
   * Template variables (any other configuration key of `initSendOTP`). The
   * server also reads every body key that is not a field of the contract as
   * a template variable, as the SendOTP SDKs send them (`{identifier, name}`);
   * `variables` wins on a clash.
   */
  variables?: Record<string, string>;
  /** The top page's origin when the widget runs in a cross-origin frame (for the WebOTP line). */
  topOrigin?: string;
}

/** A proof-of-work challenge in the ALTCHA (v1) format, from `GET captchaChallenge`. */
export interface PowChallenge {
  algorithm: 'SHA-256';
  /** Hex SHA-256 of `salt + number` for the secret number. */
  challenge: string;
  /** The number lies in `[0, maxnumber]`. */
  maxnumber: number;
  salt: string;
  signature: string;
}

/** `POST retryOtp` */
export interface RetryOtpRequest {
  widgetId: string;
  tokenAuth: string;
  reqId: string;
  /** Channel code (11 SMS, 4 voice, 3 email, 12 WhatsApp, 41 Telegram: otpkit only); omitted or null for the widget's default. */
  retryChannel?: number | null;
  /** Template variables for the resent message, over those of the send (other body keys count too). */
  variables?: Record<string, string>;
  /** The top page's origin when the widget runs in a cross-origin frame (for the WebOTP line). */
  topOrigin?: string;
}

/** `POST verifyOtp` */
export interface VerifyOtpRequest {
  widgetId: string;
  tokenAuth: string;
  reqId: string;
  otp: string;
}

/** `POST verifyOtp` success: the access token, in `message` and `access-token`. */
export interface VerifyOtpSuccess extends SuccessBody {
  'access-token': string;
  /**
   * otpkit: when the widget offers passkeys, the single-use proof (5 minutes)
   * that lets this browser register one for the verified identifier.
   */
  passkeyTicket?: string;
}

/** `POST isOneTapAuthenticated`: has the magic link of a request been confirmed? Polled every 2 s. */
export interface IsOneTapAuthenticatedRequest {
  /** The request id `sendOtpMobile` answered (`reqId` is accepted too). */
  requestId: string;
  tokenAuth: string;
  widgetId?: string;
}

/**
 * `POST isOneTapAuthenticated` success: `verified:false` while the link is
 * unconfirmed (with the `matchNumber` the asking tab shows); `verified:true`
 * with the access token in `message` (and `access-token`) once it is.
 */
export type IsOneTapAuthenticatedSuccess =
  | { type: 'success'; verified: false; matchNumber?: number }
  | {
      type: 'success';
      verified: true;
      message: string;
      'access-token': string;
      matchNumber?: number;
    };

/** `POST verifyAccessToken` (called by a customer backend). */
export interface VerifyAccessTokenRequest {
  authkey: string;
  'access-token': string;
  /** The widget the token must be issued for; a token of another widget is refused (and not used up). */
  widgetId?: string;
}

/** `POST verifyAccessToken` success. */
export interface VerifyAccessTokenSuccess extends SuccessBody {
  /** The verified identifier (also in `message`). */
  identifier: string;
  widgetId: string;
  channel: string;
  /** ISO 8601 time of the OTP verification. */
  verifiedAt: string;
  /**
   * True when the identifier is one of the widget's demo credentials (nothing
   * was sent), false otherwise. Absent only from servers that predate it.
   */
  demo?: boolean;
  /**
   * How the person signed in (RFC 8176): `["otp"]` for a code or link;
   * `["hwk"]` or `["swk"]`, plus `"user"`, for a passkey (`channel: "passkey"`).
   */
  amr?: string[];
}

/** Claims of an otpkit access token (a JWT signed with EdDSA). */
export interface AccessTokenClaims {
  /** The server's public URL. */
  iss: string;
  /** The verified identifier. */
  sub: string;
  /** The widget id. */
  aud: string;
  jti: string;
  iat: number;
  exp: number;
  reqId: string;
  /** The channel the code went out on, or `passkey`. */
  channel: string;
  /** RFC 8176 method references: `["otp"]`, or `["hwk"|"swk", "user"?]` for a passkey. */
  amr?: string[];
  /** Present and true for a widget's demo credentials. */
  demo?: true;
}

/** A `{value, name}` pair as the SendOTP widget data spells enums. */
export interface NamedValue {
  value: string;
  name: string;
}

/** One delivery process of a widget (primary or retry channel). */
export interface WidgetProcess {
  /** "2" mobile, "3" email, "5" retry. */
  processVia: NamedValue;
  /** Channel code as a string ("11", "4", "3", "12", "41" for Telegram: otpkit only). */
  channel: NamedValue;
  templateId: string | null;
  /** ISO country codes this process applies to (empty: all). */
  countryCode: string[];
}

/** The widget's configuration as `getWidgetProcess` returns it. */
export interface WidgetData {
  widgetId: string;
  name: string;
  widgetType: NamedValue;
  /** "1" both, "2" mobile, "3" email. */
  processType: NamedValue;
  otpLength: number;
  /** "1" enabled, "0" disabled. */
  status: NamedValue;
  invisible: boolean;
  captchaValidations: boolean;
  /** Seconds between resends. */
  retryTime: number;
  retryCount: number;
  /** Minutes a code stays valid. */
  expiryTime: number;
  iFrame: boolean;
  defaultCountry: { iso2: string; name: string; dialCode: string };
  mobileIntegration: boolean;
  /** "1" OTP, "2" magic link. */
  verificationType: NamedValue;
  widgetMeta: {
    /** `pow`, `recaptcha_v3`, `turnstile`, `hcaptcha` (a {@link CaptchaType}), or null for none. */
    captcha_type: string | null;
    /** The third-party provider's public site key. */
    captcha_site_key?: string;
    /** Where to load the third-party provider's script from. */
    captcha_script_url?: string;
  };
  autoRetry: boolean;
  processes: WidgetProcess[];
  /** Country-wise primary channel: ISO code → channel code. */
  countriesDefaultChannel: Record<string, string>;
  /** otpkit extension: wrong guesses allowed per request. */
  maxAttempts: number;
  /** otpkit extension: the popup's language. */
  language: string;
  /**
   * otpkit extension: the channels a resend may use, per contact point, in the order a popup
   * offers them (`resendChoices`: the retry processes above, never voice for a magic link).
   */
  resendChannels: Record<ContactPoint, Channel[]>;
  /** otpkit extension: the popup's accent colour (`#rrggbb`), or null for the default. */
  brandColor: string | null;
  /**
   * otpkit extension: the popup's colours worked out from `brandColor` (text on it and
   * links keep 4.5:1 contrast; see `brandTheme`), or null for the default theme.
   */
  brandTheme: BrandTheme | null;
  /** otpkit extension: a logo shown in the popup, or null. */
  logoUrl: string | null;
  /** otpkit extension: origins that may embed the widget (empty: any). */
  allowedOrigins: string[];
  /** otpkit extension: mobile countries codes may be sent to (null: any). */
  allowedCountries: string[] | null;
  /**
   * otpkit extension: the widget offers passkeys (a passkey after the first
   * code, then sign-in with it). Absent: off.
   */
  passkeys?: boolean;
}

/** `GET getWidgetProcess` body. */
export interface GetWidgetProcessResponse {
  status: 'success' | 'error';
  hasError: boolean;
  errors: string[];
  data: WidgetData | null;
  /** Present on failure. */
  code?: ErrorCode;
}

/**
 * `POST sendOtpMobile` / `retryOtp` success. `message` is the reqId as the
 * wire contract says; the other fields are otpkit extensions a UI may use.
 */
export interface SendOtpSuccess extends SuccessBody {
  reqId: string;
  /** The channel the code went out on. */
  channel: string;
  /** Seconds until a resend is allowed. */
  retryAfter: number;
  /** Resends still allowed. */
  retriesLeft: number;
  /** Seconds until the code expires. */
  expiresIn: number;
  /**
   * Magic links only: the two-digit number (10–99) the asking tab shows; the
   * link's confirmation page asks the visitor to type it.
   */
  matchNumber?: number;
}
