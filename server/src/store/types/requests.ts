/** The store's interfaces for one concern. Verifications: requests and their combined writes, magic links, access tokens, passkeys, captcha uses, send counters and the call events. */
import type { Channel } from '@otpkit/protocol';
import type {
  AccessTokenRecord,
  MagicLink,
  NewMagicLink,
  NewMessage,
  NewOtpRequest,
  OtpRequest,
  PasskeyChallenge,
  PasskeyChallengeKind,
  PasskeyRecord,
  RefusedCall,
  RequestEvent,
} from './records.ts';
import type { SendWrite, SendWriteResult, VerifyWrite, VerifyWriteResult } from './writes.ts';

/** `Store.otpRequests`. */
export interface OtpRequestStore {
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
   * Records a request that is verified from the start, with its access token
   * (a passkey sign-in: there is no code to check), superseding any pending
   * request for the same widget and identifier: one transaction.
   */
  createVerified(
    request: NewOtpRequest,
    token: Omit<AccessTokenRecord, 'verifiedAt'>,
  ): Promise<OtpRequest>;
  /**
   * A whole code check in one step: the limits, one attempt claimed (the
   * request pending, unexpired, with attempts left), the comparison, the
   * request verified (one caller wins; the right code's attempt is given
   * back), the access-token row, the event (SQLite: one write of the group
   * commit; PostgreSQL: one function call).
   */
  verify(write: VerifyWrite): Promise<VerifyWriteResult>;
  get(id: string): Promise<OtpRequest | undefined>;
  /**
   * A widget's most recent request for an identifier, whatever its status
   * (the server API v5 verifies and resends by mobile number, not by id).
   */
  latestFor(widgetId: string, identifier: string): Promise<OtpRequest | undefined>;
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
}

/** `Store.magicLinks`. */
export interface MagicLinkStore {
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
}

/** `Store.accessTokens`. */
export interface AccessTokenStore {
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
  ): Promise<
    | {
        record: AccessTokenRecord;
        requestVerifiedAt: number | null;
        /** As in `SendWriteResult`. */
        eventError?: string;
      }
    | undefined
  >;
}

/** `Store.passkeys`. */
export interface PasskeyStore {
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
}

/** `Store.passkeyChallenges`. */
export interface PasskeyChallengeStore {
  insert(challenge: PasskeyChallenge): Promise<void>;
  /** Reads an unexpired challenge or ticket without using it. */
  peek(id: string, kind: PasskeyChallengeKind, now: number): Promise<PasskeyChallenge | undefined>;
  /** Uses a challenge or ticket: returns it once, if unexpired; never again. */
  take(id: string, kind: PasskeyChallengeKind, now: number): Promise<PasskeyChallenge | undefined>;
  /** Deletes expired ones; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

/** `Store.captcha`. */
export interface CaptchaStore {
  /** Records a proof-of-work challenge as used; false if it was used before. */
  markUsed(challenge: string, expiresAt: number, now: number): Promise<boolean>;
}

/** `Store.sendCounters`. */
export interface SendCounterStore {
  /** Adds one send for a widget, country and hour; returns the hour's new count. */
  bump(widgetId: string, country: string, hour: number): Promise<number>;
  /** Sends for a widget and country over the hours `[fromHour, toHour)`. */
  total(widgetId: string, country: string, fromHour: number, toHour: number): Promise<number>;
}

/** `Store.events`. */
export interface EventStore {
  insert(event: RequestEvent): Promise<void>;
  /** A request's events, oldest first. */
  listForRequest(requestId: string): Promise<RequestEvent[]>;
  /** Refused calls that created no request, newest first, for an account's widgets. */
  listRefused(
    accountId: string,
    filter: { from: number; to: number; widgetId?: string; beforeId?: number; limit: number },
  ): Promise<RefusedCall[]>;
}
