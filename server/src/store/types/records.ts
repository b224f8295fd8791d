/** The records the store keeps: one type per concept, times in epoch milliseconds. */
import type {
  Channel,
  ContactPoint,
  DeliveryAttemptStatus,
  EventKind,
  EventOutcome,
  MessagePurpose,
  MessageStatus,
  RequestStatus,
  VerificationType,
} from '@otpkit/protocol';
import type { WidgetSettings } from '../../model/widget-settings.ts';

/**
 * How a request was verified: a delivered code or link on a channel, or a
 * passkey (no message at all).
 */
export type RequestChannel = Channel | 'passkey';

export interface Account {
  id: string;
  name: string;
  createdAt: number;
}

/** A widget token: embedded in pages; several per widget, each revocable; stored hashed. */
export interface WidgetToken {
  id: string;
  /** SHA-256 of the token. */
  tokenHash: string;
  /** The first characters, to tell tokens apart in lists. */
  prefix: string;
  widgetId: string;
  label: string | null;
  createdAt: number;
  lastUsedAt: number | null;
}

/** An account API key, without its hash. */
export interface AuthkeyRecord {
  id: string;
  accountId: string;
  label: string | null;
  /** The first characters of the key, to tell keys apart. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A message template for a channel: the account's, or one widget's. */
export interface TemplateRecord {
  id: string;
  accountId: string;
  /** The widget it belongs to; `null` for an account-wide template. */
  widgetId: string | null;
  name: string;
  channel: Channel;
  /** Email subject. */
  subject: string | null;
  body: string;
  /** SMS may use Unicode (UCS-2) instead of GSM-7. */
  unicode: boolean;
  /** SMS sender ID passed to the provider. */
  senderId: string | null;
  /** Indian DLT template id passed to the provider. */
  dltTemplateId: string | null;
  /**
   * The body (and email subject) in other languages, by language tag: a
   * message in one of them uses its own words, any other language `body`.
   */
  translations: Readonly<Record<string, TemplateTranslation>>;
  createdAt: number;
  updatedAt: number;
}

/** A template's words in one language. */
export interface TemplateTranslation {
  body: string;
  /** Email subject (`null`: the template's own). */
  subject: string | null;
}

export interface WidgetRecord {
  id: string;
  accountId: string;
  settings: WidgetSettings;
  createdAt: number;
  updatedAt: number;
}

/** Lifecycle of a verification request. A locked request is `pending` with `attempts >= maxAttempts`. */
export type OtpRequestStatus = RequestStatus;

/** How a request is verified: a code typed back, or a link opened and confirmed. */
export type { VerificationType } from '@otpkit/protocol';

export interface OtpRequest {
  id: string;
  verificationType: VerificationType;
  widgetId: string;
  /** Normalised: E.164 digits without `+`, or a lower-case email. */
  identifier: string;
  contactPoint: ContactPoint;
  /** Channel of the latest delivery. */
  channel: RequestChannel;
  /**
   * HMAC-SHA256 (hex, keyed by the server secret) of every code delivered for
   * this request; each stays valid until the request expires, so a late
   * first message still works after a resend.
   */
  codeHashes: string[];
  status: OtpRequestStatus;
  attempts: number;
  maxAttempts: number;
  resendCount: number;
  maxResends: number;
  /** Minimum milliseconds between two deliveries. */
  resendIntervalMs: number;
  /** Milliseconds a delivered code stays valid. */
  ttlMs: number;
  lastSentAt: number;
  expiresAt: number;
  verifiedAt: number | null;
  ip: string | null;
  host: string | null;
  userAgent: string | null;
  variables: Record<string, string>;
  /** Sent to one of the widget's demo credentials: nothing delivered, a fixed code. */
  demo: boolean;
  /** ISO country of a mobile identifier. */
  country: string | null;
  /** Automatic fallback sends (autoRetry). */
  fallbackCount: number;
  /** Language of the messages (`en`, `hi`). */
  language: string;
  /**
   * Digits of this request's codes, chosen by a server API v5 caller
   * (`otp_length`, or the length of its own `otp`); resends keep it.
   * `null`: the widget's `otpLength`.
   */
  codeLength: number | null;
  /**
   * Magic links: the access token minted when the link was confirmed,
   * sealed, for the asking tab to collect; and its id.
   */
  accessToken: { sealed: string; jti: string } | null;
  /**
   * Magic links: the two-digit number (10–99) the asking tab shows and the
   * confirmation page asks for; `null` for code requests.
   */
  matchNumber: number | null;
  createdAt: number;
  updatedAt: number;
}

export type NewOtpRequest = Omit<
  OtpRequest,
  | 'status'
  | 'attempts'
  | 'resendCount'
  | 'fallbackCount'
  | 'verifiedAt'
  | 'updatedAt'
  | 'accessToken'
  | 'codeLength'
  | 'matchNumber'
> & {
  codeLength?: number | null;
  matchNumber?: number | null;
  /**
   * Whose guess budget a wrong code of this request spends (`VerifyWrite.guess`):
   * the account and the identifier's limit key; `null` or unset: none (demo
   * requests, magic links). Kept on the request so a verification can count
   * it in the same statement that claims the attempt.
   */
  guessOwner?: string | null;
};

/** A magic link sent for a request; the token itself is never stored, only its keyed hash. */
export interface MagicLink {
  tokenHash: string;
  requestId: string;
  widgetId: string;
  expiresAt: number;
  /** First time the confirmation page was shown. */
  openedAt: number | null;
  /** When the link was confirmed (it is single use). */
  usedAt: number | null;
  createdAt: number;
}

export type NewMagicLink = Pick<
  MagicLink,
  'tokenHash' | 'requestId' | 'widgetId' | 'expiresAt' | 'createdAt'
>;

export interface AccessTokenRecord {
  jti: string;
  requestId: string;
  widgetId: string;
  identifier: string;
  channel: RequestChannel;
  issuedAt: number;
  expiresAt: number;
  verifiedAt: number | null;
  demo: boolean;
}

/** A passkey (WebAuthn credential) of an identifier, registered after a verified code. */
export interface PasskeyRecord {
  /** otpkit's id for it (admin API). */
  id: string;
  /** The WebAuthn credential id, base64url. */
  credentialId: string;
  accountId: string;
  /** The widget it was registered through. */
  widgetId: string;
  identifier: string;
  /** The relying party: the registrable domain of the page it was made on. */
  rpId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter (0 when it keeps none). */
  counter: number;
  transports: string[];
  /** `singleDevice` (bound to one authenticator) or `multiDevice` (synced). */
  deviceType: string;
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** What a passkey challenge or ticket is for. */
export type PasskeyChallengeKind = 'register' | 'sign-in' | 'ticket';

/**
 * A single-use passkey challenge, or the ticket a verified code gives for
 * registering one; stored by the SHA-256 of its value.
 */
export interface PasskeyChallenge {
  id: string;
  kind: PasskeyChallengeKind;
  widgetId: string;
  /** Tickets and registrations: whose passkey it is. */
  identifier: string | null;
  /** The page origin it was issued for. */
  origin: string | null;
  /** Tickets: the request whose code was verified. */
  requestId: string | null;
  expiresAt: number;
  createdAt: number;
}

export interface SigningKey {
  kid: string;
  alg: 'EdDSA';
  publicJwk: string;
  /** Sealed with the server secret. */
  privateJwk: string;
  createdAt: number;
  /** When a rotation replaced it; it stays published until its tokens have expired. */
  retiredAt: number | null;
}

export interface OutboxMessage {
  id: string;
  requestId: string | null;
  to: string;
  channel: Channel;
  subject: string | null;
  text: string;
  createdAt: number;
}

export type { MessagePurpose, MessageStatus } from '@otpkit/protocol';

/** One outgoing message in the durable queue. */
export interface QueuedMessage {
  /** Also the idempotency key every attempt carries. */
  id: string;
  requestId: string;
  widgetId: string;
  channel: Channel;
  purpose: MessagePurpose;
  /** Normalised identifier. */
  recipient: string;
  /** The rendered message, sealed; empty once the provider has it. */
  payload: string;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number | null;
  provider: string | null;
  providerMessageId: string | null;
  error: string | null;
  /** When to send the fallback if no delivery report has come (autoRetry); null: none due. */
  fallbackAt: number | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
}

export type NewMessage = Pick<
  QueuedMessage,
  'id' | 'requestId' | 'widgetId' | 'channel' | 'purpose' | 'recipient' | 'payload' | 'createdAt'
>;

/** A message the worker claimed, with where its request stands (`null`: the request is gone). */
export type ClaimedMessage = QueuedMessage & {
  request: { status: OtpRequestStatus; expiresAt: number } | null;
};

/**
 * How a claimed message's delivery ended, with the attempt rows it made
 * (one per provider tried): the provider took it (`sent`: its payload is
 * erased), it failed for good (`failed`: erased too), or it is tried again
 * at `nextAttemptAt` (`rescheduled`).
 */
export type MessageOutcome = { id: string; now: number; deliveries: DeliveryRecord[] } & (
  | { kind: 'sent'; provider: string; providerMessageId: string; fallbackAt: number | null }
  | { kind: 'failed'; provider: string | null; error: string; fallbackAt: number | null }
  | { kind: 'rescheduled'; nextAttemptAt: number; error: string }
);

/** One delivery attempt of a request's code. */
export interface DeliveryRecord {
  id: string;
  /** The queued message this attempt delivered. */
  messageId: string | null;
  attempt: number;
  requestId: string;
  channel: Channel;
  provider: string;
  providerMessageId: string | null;
  status: DeliveryAttemptStatus;
  error: string | null;
  createdAt: number;
}

/** One call to the widget API, successful or not. */
export interface RequestEvent {
  requestId: string | null;
  widgetId: string | null;
  /** What the call was (`send`, `verify`, `link-opened`, `verify-token`…). */
  kind: EventKind;
  /** `ok` or the error code the call was refused with. */
  outcome: EventOutcome;
  ip: string | null;
  host: string | null;
  userAgent: string | null;
  createdAt: number;
  /** What a send asked for (as given), kept so refused sends show in the log. */
  identifier?: string | null;
}

/** A refused widget API call that created no request (rate limit, captcha, pumping brake…). */
export interface RefusedCall extends RequestEvent {
  id: number;
}
