/**
 * The Store: every piece of state otpkit keeps, behind a narrow interface
 * with atomic operations. Services never read-then-write; adapters (SQLite
 * now, PostgreSQL for several instances) implement each operation as one
 * statement or one transaction. Times are epoch milliseconds. Every adapter
 * passes the same conformance suite (`conformance.ts`).
 */

import type { Channel, ContactPoint } from '@otpkit/protocol';
import type { WidgetSettings } from '../model/widget-settings.ts';
import type { LimitBackend, LimitHit, PumpingHit } from './limits.ts';

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
export type OtpRequestStatus = 'pending' | 'verified' | 'superseded';

/** How a request is verified: a code typed back, or a link opened and confirmed. */
export type VerificationType = 'otp' | 'magic_link';

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

/** Where a queued message stands: waiting or retrying, handed to the provider, or final. */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'failed';

/** Why a message exists: the first send, a resend the user asked for, or an automatic fallback. */
export type MessagePurpose = 'send' | 'retry' | 'fallback';

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
  status: 'sent' | 'failed';
  error: string | null;
  createdAt: number;
}

/** One call to the widget API, successful or not. */
export interface RequestEvent {
  requestId: string | null;
  widgetId: string | null;
  /** `send`, `retry`, `verify`, `verify-token`. */
  kind: string;
  /** `ok` or an error code. */
  outcome: string;
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

/** How a log entry stands, derived from the request and its latest message. */
export type LogStatus = 'pending' | 'delivered' | 'failed' | 'retry' | 'verified';

/** One OTP request as the logs show it. */
export interface LogEntry {
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
  requestStatus: OtpRequestStatus;
  /** Status of the latest queued message; null for demo requests. */
  deliveryStatus: MessageStatus | null;
  resendCount: number;
  fallbackCount: number;
  attempts: number;
  otpVerifiedAt: number | null;
  /** When the customer backend redeemed the access token. */
  tokenVerifiedAt: number | null;
  demo: boolean;
  ip: string | null;
  host: string | null;
  userAgent: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

/** Filters of a log query; every one narrows. Times are inclusive. */
export interface LogFilter {
  /** Only this account's widgets (always set). */
  accountId: string;
  from?: number;
  to?: number;
  reqId?: string;
  /** Matches any of these normalised identifiers exactly. */
  identifiers?: string[];
  widgetId?: string;
  /** Requests that used any of these channels. */
  channels?: Channel[];
  resendCount?: { op: 'gt' | 'lt' | 'eq'; value: number };
  otpVerified?: boolean;
  tokenVerified?: boolean;
}

/** A page of log entries, newest first. */
export interface LogPage {
  entries: LogEntry[];
  /** Opaque; passes to the next call for the following page. */
  nextCursor: string | null;
}

/** One provider's numbers on one channel (the analytics' provider table). */
export interface ProviderStatsRow {
  provider: string;
  channel: string;
  sent: number;
  failed: number;
  failovers: number;
  delivered: number;
  /** Mean milliseconds from queueing a message to this provider accepting it (null with none). */
  meanLatencyMs: number | null;
}

/** Pre-aggregated analytics for one slice: a time bucket and channel, or a country. */
export interface AnalyticsRow {
  /** Start of the bucket, epoch ms (UTC); the range's start for country rows. */
  bucket: number;
  /** The channel (bucket rows); null in country rows. */
  channel: Channel | null;
  /** ISO country, or null (email, and bucket rows). */
  country: string | null;
  requests: number;
  sent: number;
  delivered: number;
  failed: number;
  verified: number;
  /** Verifications per latency bin (see `LATENCY_BOUNDS_S`). */
  latency: number[];
}

/**
 * Everything a send writes, for one atomic store step (`otpRequests.send`):
 * its rate-limit counters, the SMS-pumping counter, the request with its
 * first message (or magic link), and the call's event row. The counters
 * are spent all or nothing: a refusal by any of them (or by the brake)
 * leaves every counter as it was.
 */
export interface SendWrite {
  /** Counters to spend when the store counts the limits (`'counters'` backend); empty otherwise. */
  limits: readonly LimitHit[];
  /** Wall-clock time of the limit windows. */
  limitsNow: number;
  /** The SMS-pumping brake: this hour's counter is bumped, and a count above `ceiling` refuses. */
  pumping: PumpingHit | null;
  request: NewOtpRequest;
  message?: NewMessage;
  link?: NewMagicLink;
  /** The call's event, recorded with outcome `ok` when the request is created. */
  event: Omit<RequestEvent, 'outcome' | 'requestId'>;
}

/** How a `SendWrite` ended. A refusal records no event: the caller records it with its error. */
export type SendWriteResult =
  | { kind: 'created'; request: OtpRequest }
  /** The counter at `index` of `limits` is past its limit. */
  | { kind: 'limited'; index: number; msBeforeNext: number }
  /** This hour's pumping count, with this send, would be above the ceiling (nothing was bumped). */
  | { kind: 'pumping'; count: number };

/**
 * Everything checking a code writes, for one atomic store step
 * (`otpRequests.verify`): the verification rate limit, the attempt claim,
 * and for a right code the verification, its access-token row and the
 * call's event row.
 */
export interface VerifyWrite {
  limits: readonly LimitHit[];
  limitsNow: number;
  id: string;
  widgetId: string;
  now: number;
  /**
   * Keyed hashes of the code as typed (`hashCode`), one for each way it may
   * be read (a code sent as a JSON number, padded to each length): the code
   * is right when one of them is among the claimed request's `codeHashes`.
   * Data, not a callback, so an engine can compare in SQL.
   */
  candidates: readonly string[];
  /**
   * The guess budget of the claimed request's identifier: its counter is
   * `keyPrefix` followed by the request's `guessOwner` (a request without one
   * has no budget). A wrong code spends a point of it; once it is spent,
   * every code (right or wrong) is `limited` at index `limits.length`, and
   * neither the attempt nor the limits are spent. A right code only checks it.
   */
  guess?: { keyPrefix: string; points: number; seconds: number };
  /**
   * The access token to record for the verified request: its id and times;
   * the rest of the row is the request's. Unset: none (server API v5).
   */
  token?: { jti: string; issuedAt: number; expiresAt: number };
  /** The call's event, recorded with outcome `ok` when the request is verified. */
  event: Omit<RequestEvent, 'outcome' | 'requestId'>;
}

/** How a `VerifyWrite` ended. Only `verified` records the event. */
export type VerifyWriteResult =
  | { kind: 'verified'; request: OtpRequest }
  /** The limit at `index` of `limits` (or the guess budget, at `limits.length`) is past its limit. */
  | { kind: 'limited'; index: number; msBeforeNext: number }
  /** No attempt could be claimed (not found, not pending, expired, locked): explain from a fresh read. */
  | { kind: 'unclaimed' }
  /** The attempt was counted and the code did not match. */
  | { kind: 'mismatch'; claimed: OtpRequest }
  /** The code matched but another call verified the request first. */
  | { kind: 'lost' };

export interface Store {
  /** Creates or upgrades the schema. */
  migrate(): Promise<void>;
  /**
   * A cheap round trip to the database, for readiness checks: resolves to
   * the migrations not yet applied (empty when the schema is current);
   * rejects when the database does not answer.
   */
  health(): Promise<{ migrationsPending: string[] }>;
  /**
   * Where the rate limits count: SQLite counts them itself, in the group
   * commit of the call they belong to (`client` is its connection, for
   * tests); PostgreSQL hands its pool to rate-limiter-flexible.
   */
  rateLimitBackend(): LimitBackend;
  close(): Promise<void>;

  settings: {
    get(key: string): Promise<string | undefined>;
    /** Stores `value` unless the key exists; returns the value that is stored. */
    setIfAbsent(key: string, value: string): Promise<string>;
  };

  accounts: {
    /** The default account, created on first call. */
    ensureDefault(id: string, now: number): Promise<Account>;
  };

  authkeys: {
    /** Live (unrevoked) authkeys of an account. */
    countForAccount(accountId: string): Promise<number>;
    insert(key: AuthkeyRecord & { hash: string }): Promise<void>;
    /** The live authkey with this hash; records its use (at most once a minute). */
    use(hash: string, now: number): Promise<AuthkeyRecord | undefined>;
    list(accountId: string): Promise<AuthkeyRecord[]>;
    /** Revokes a key unless it is the account's last live one. */
    revoke(accountId: string, id: string, now: number): Promise<'revoked' | 'not_found' | 'last'>;
  };

  widgets: {
    insert(widget: WidgetRecord): Promise<void>;
    /** A widget that is not deleted. */
    get(id: string): Promise<WidgetRecord | undefined>;
    list(accountId: string): Promise<WidgetRecord[]>;
    update(
      id: string,
      settings: WidgetRecord['settings'],
      now: number,
    ): Promise<WidgetRecord | undefined>;
    /** Marks a widget deleted (its history stays); its tokens stop working. */
    delete(id: string, now: number): Promise<boolean>;
  };

  widgetTokens: {
    insert(token: WidgetToken): Promise<void>;
    /** Whether the token with this hash is a live token of `widgetId`; records its use (at most once a minute). */
    use(widgetId: string, tokenHash: string, now: number): Promise<boolean>;
    /** Live tokens, oldest first. */
    list(widgetId: string): Promise<WidgetToken[]>;
    revoke(widgetId: string, id: string, now: number): Promise<boolean>;
  };

  templates: {
    insert(template: TemplateRecord): Promise<void>;
    get(id: string): Promise<TemplateRecord | undefined>;
    /** An account's templates, newest first; `widgetId` narrows to one widget's. */
    list(accountId: string, filter?: { widgetId?: string }): Promise<TemplateRecord[]>;
    update(template: TemplateRecord): Promise<void>;
    delete(id: string): Promise<boolean>;
    /** The template a widget uses on a channel: its own, else the account's, newest first. */
    findFor(
      accountId: string,
      widgetId: string,
      channel: Channel,
    ): Promise<TemplateRecord | undefined>;
  };

  otpRequests: {
    /**
     * Inserts a request, supersedes any pending one for the same widget and
     * identifier, and queues its first message (and records its magic link): one transaction.
     */
    create(request: NewOtpRequest, message?: NewMessage, link?: NewMagicLink): Promise<OtpRequest>;
    /**
     * A whole send in one step: limits, pumping counter, `create`, event
     * (SQLite: one write of the group commit).
     */
    send(write: SendWrite): Promise<SendWriteResult>;
    /**
     * A whole code check in one step: limit, `claimAttempt`, the comparison,
     * `completeVerification`, the access-token row, event (SQLite: one write
     * of the group commit).
     */
    verify(write: VerifyWrite): Promise<VerifyWriteResult>;
    get(id: string): Promise<OtpRequest | undefined>;
    /**
     * A widget's most recent request for an identifier, whatever its status
     * (the server API v5 verifies and resends by mobile number, not by id).
     */
    latestFor(widgetId: string, identifier: string): Promise<OtpRequest | undefined>;
    /**
     * Counts one verification attempt if the request is pending, unexpired
     * and has attempts left; returns the updated row, or `undefined`.
     */
    claimAttempt(id: string, widgetId: string, now: number): Promise<OtpRequest | undefined>;
    /** Marks a pending request verified, refunding the attempt a right code used; one caller wins. */
    completeVerification(id: string, now: number): Promise<OtpRequest | undefined>;
    /**
     * Records a re-delivery if the request is pending, unexpired, unlocked,
     * under its resend limit and past its resend interval; adds the new
     * code's hash (a link resend has none, and records its link instead)
     * and renews the expiry.
     */
    recordResend(
      id: string,
      widgetId: string,
      change: { channel: Channel; codeHash: string | null; now: number },
      message?: NewMessage,
      link?: NewMagicLink,
    ): Promise<OtpRequest | undefined>;
    /**
     * Adds an automatic fallback code and queues its message if the request
     * is still pending, unexpired and unlocked (does not count as a resend).
     */
    addFallback(
      id: string,
      change: { channel: Channel; codeHash: string; now: number },
      message: NewMessage,
    ): Promise<OtpRequest | undefined>;
  };

  magicLinks: {
    get(tokenHash: string): Promise<MagicLink | undefined>;
    /** Records the first showing of the confirmation page. */
    markOpened(tokenHash: string, now: number): Promise<void>;
    /**
     * Uses an unused, unexpired link and verifies its pending, unexpired
     * request: one transaction, one caller wins. Returns the verified
     * request, or `undefined` (nothing changed).
     */
    confirm(tokenHash: string, now: number): Promise<OtpRequest | undefined>;
    /**
     * A wrong match number: uses the unused, unexpired link and ends its
     * pending request for good (its attempts are spent, so no other link of
     * it confirms and it cannot be resent): one transaction, and it races
     * `confirm` fairly (one of the two wins). Returns the ended request, or
     * `undefined` (nothing changed).
     */
    refuse(tokenHash: string, now: number): Promise<OtpRequest | undefined>;
    /** Keeps the sealed access token minted for a verified request, unless one is kept already. */
    attachAccessToken(requestId: string, token: { sealed: string; jti: string }): Promise<boolean>;
  };

  messages: {
    get(id: string): Promise<QueuedMessage | undefined>;
    listForRequest(requestId: string): Promise<QueuedMessage[]>;
    /**
     * Leases up to `limit` pending messages that are due, counting an attempt
     * on each, with their requests' status: one round trip.
     */
    claimDue(now: number, leaseMs: number, limit: number): Promise<ClaimedMessage[]>;
    /**
     * Records how a batch of claimed messages' deliveries ended (`markSent`,
     * `markFailed` or `reschedule` of each, with its attempt rows): one round
     * trip. Only a pending message moves.
     */
    finish(outcomes: readonly MessageOutcome[]): Promise<void>;
    /** The provider took the message: erases the payload. */
    markSent(
      id: string,
      result: {
        provider: string;
        providerMessageId: string;
        now: number;
        fallbackAt: number | null;
      },
    ): Promise<void>;
    /** A transient failure: try again at `nextAttemptAt`. */
    reschedule(
      id: string,
      change: { nextAttemptAt: number; error: string; now: number },
    ): Promise<void>;
    /** A permanent failure, or attempts exhausted: erases the payload. */
    markFailed(
      id: string,
      change: { provider: string | null; error: string; now: number; fallbackAt: number | null },
    ): Promise<void>;
    /**
     * A delivery report. Moves a message forward only (a late `sent` never
     * undoes `delivered`); `failed` makes a scheduled fallback due now,
     * `delivered` cancels it. Returns the message, or `undefined` if unknown.
     */
    report(
      provider: string,
      providerMessageId: string,
      outcome: { status: 'delivered' | 'failed'; error?: string; now: number },
    ): Promise<QueuedMessage | undefined>;
    /** Takes the messages whose fallback is due (each is returned once, ever). */
    claimFallbacks(now: number, limit: number): Promise<QueuedMessage[]>;
    /** How many messages wait to be sent, and when the oldest of them was queued (metrics). */
    queueStats(): Promise<{ depth: number; oldestPendingAt: number | null }>;
  };

  deliveries: {
    insert(delivery: DeliveryRecord): Promise<void>;
    listForRequest(requestId: string): Promise<DeliveryRecord[]>;
  };

  accessTokens: {
    insert(token: Omit<AccessTokenRecord, 'verifiedAt'>): Promise<void>;
    get(jti: string): Promise<AccessTokenRecord | undefined>;
    /** Sets `verifiedAt` if unset; returns the record when this call did it. */
    markVerified(jti: string, now: number): Promise<AccessTokenRecord | undefined>;
    /**
     * `markVerified`, with the request's verification time and, when this
     * call redeemed the token, its event row (outcome `ok`) in the same step.
     */
    redeem(
      jti: string,
      now: number,
      event: Omit<RequestEvent, 'outcome'>,
    ): Promise<{ record: AccessTokenRecord; requestVerifiedAt: number | null } | undefined>;
  };

  passkeys: {
    /** Stores a new passkey; false when its credential id is registered already. */
    insert(passkey: PasskeyRecord): Promise<boolean>;
    /** A live (unrevoked) passkey by credential id. */
    byCredentialId(credentialId: string): Promise<PasskeyRecord | undefined>;
    /** An identifier's passkeys in an account, revoked ones included, newest first. */
    listFor(accountId: string, identifier: string): Promise<PasskeyRecord[]>;
    /**
     * Records a sign-in: the new signature counter and the time, only if the
     * passkey is not revoked and the counter moved forward (or both are 0,
     * for authenticators that keep none). False: refuse the sign-in.
     */
    recordUse(id: string, counter: number, now: number): Promise<boolean>;
    /** Revokes one of the account's passkeys; returns it, or `undefined` if unknown. */
    revoke(accountId: string, id: string, now: number): Promise<PasskeyRecord | undefined>;
  };

  passkeyChallenges: {
    insert(challenge: PasskeyChallenge): Promise<void>;
    /** Reads an unexpired challenge or ticket without using it. */
    peek(
      id: string,
      kind: PasskeyChallengeKind,
      now: number,
    ): Promise<PasskeyChallenge | undefined>;
    /** Uses a challenge or ticket: returns it once, if unexpired; never again. */
    take(
      id: string,
      kind: PasskeyChallengeKind,
      now: number,
    ): Promise<PasskeyChallenge | undefined>;
    /** Deletes expired ones; returns how many. */
    purgeExpired(now: number): Promise<number>;
  };

  signingKeys: {
    /** Newest first. */
    list(): Promise<SigningKey[]>;
    insert(key: SigningKey): Promise<void>;
    /** Marks every key but `keepKid` retired (if not already). */
    retireAllBut(keepKid: string, now: number): Promise<void>;
  };

  outbox: {
    insert(message: OutboxMessage): Promise<void>;
    /** Newest first. */
    list(filter: { to?: string; limit: number }): Promise<OutboxMessage[]>;
  };

  captcha: {
    /** Records a proof-of-work challenge as used; false if it was used before. */
    markUsed(challenge: string, expiresAt: number, now: number): Promise<boolean>;
  };

  sendCounters: {
    /** Adds one send for a widget, country and hour; returns the hour's new count. */
    bump(widgetId: string, country: string, hour: number): Promise<number>;
    /** Sends for a widget and country over the hours `[fromHour, toHour)`. */
    total(widgetId: string, country: string, fromHour: number, toHour: number): Promise<number>;
  };

  events: {
    insert(event: RequestEvent): Promise<void>;
    /** A request's events, oldest first. */
    listForRequest(requestId: string): Promise<RequestEvent[]>;
    /** Refused calls that created no request, newest first, for an account's widgets. */
    listRefused(
      accountId: string,
      filter: { from: number; to: number; widgetId?: string; beforeId?: number; limit: number },
    ): Promise<RefusedCall[]>;
  };

  logs: {
    /** A page of the filter's entries, newest first; `cursor` from the previous page. */
    list(filter: LogFilter, page: { cursor?: string; limit: number }): Promise<LogPage>;
    /** Whether a cursor is one this store issued. */
    validCursor(cursor: string): boolean;
    /** One entry of the account's widgets. */
    get(accountId: string, reqId: string): Promise<LogEntry | undefined>;
    /**
     * Analytics of `[from, to)`: rows summed per `bucketMs` (hour or day) and
     * channel, and rows summed per country over the whole range.
     */
    analytics(query: {
      accountId: string;
      from: number;
      to: number;
      widgetId?: string;
      bucketMs: number;
    }): Promise<{ buckets: AnalyticsRow[]; countries: AnalyticsRow[] }>;
    /**
     * Per provider and channel, over the requests created in `[from, to)`:
     * hand-overs it accepted and refused, refusals that failed over to the
     * next provider, messages it reported delivered, and the mean time from
     * queueing to its acceptance.
     */
    providerStats(query: {
      accountId: string;
      from: number;
      to: number;
      widgetId?: string;
    }): Promise<ProviderStatsRow[]>;
    /**
     * Deletes up to `limit` requests created before `before`, with their
     * messages, deliveries, access tokens and events; returns how many.
     */
    purge(before: number, limit: number): Promise<number>;
  };
}
