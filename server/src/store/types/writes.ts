/** The combined writes: a send and a code check, each one atomic step of the store. */
import type { LimitHit, PumpingHit } from '../limits.ts';
import type {
  NewMagicLink,
  NewMessage,
  NewOtpRequest,
  OtpRequest,
  RequestEvent,
} from './records.ts';

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
  | {
      kind: 'created';
      request: OtpRequest;
      /**
       * Set when the event row could not be written: the request stands (an
       * event row never undoes its call), and the caller logs and counts it.
       */
      eventError?: string;
    }
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
  | { kind: 'verified'; request: OtpRequest /** As in `SendWriteResult`. */; eventError?: string }
  /** The limit at `index` of `limits` (or the guess budget, at `limits.length`) is past its limit. */
  | { kind: 'limited'; index: number; msBeforeNext: number }
  /** No attempt could be claimed (not found, not pending, expired, locked): explain from a fresh read. */
  | { kind: 'unclaimed' }
  /** The attempt was counted and the code did not match. */
  | { kind: 'mismatch'; claimed: OtpRequest }
  /** The code matched but another call verified the request first. */
  | { kind: 'lost' };
