/**
 * What every widget-API call ends with: a success shape of its own, or an
 * {@link OtpError}. Data only, shared by the client, the captcha, the
 * magic-link poll and the passkey chunk.
 */
import type { ErrorCode, WidgetData } from '@otpkit/protocol';

/** A failed call, as every caller sees it. */
export interface OtpError {
  type: 'error';
  message: string;
  /** A protocol error code; `NETWORK_ERROR` when the server could not be reached. */
  code: ErrorCode;
  /** Seconds to wait (`RETRY_TOO_SOON`, `RATE_LIMITED`). */
  retryAfter?: number;
  /** Wrong guesses left (`OTP_MISMATCH`). */
  attemptsLeft?: number;
}

/** A successful send or resend: `message` is the request id. */
export interface OtpSent {
  type: 'success';
  message: string;
  reqId: string;
  /** Channel the code went out on (`sms`, `voice`, `email`, `whatsapp`, `telegram`), when the server says. */
  channel?: string;
  /** Seconds until a resend is allowed. */
  retryAfter?: number;
  /** Resends still allowed. */
  retriesLeft?: number;
  /** Seconds until the code expires. */
  expiresIn?: number;
  /**
   * Magic links: the two-digit number to show the visitor in this tab. The
   * link's confirmation page asks them to type it; a wrong number ends the
   * link (the wait then fails with `LINK_EXPIRED`).
   */
  matchNumber?: number;
}

/** A successful verification: `message` is the access token (a JWT). */
export interface OtpVerified {
  type: 'success';
  message: string;
  /**
   * When the widget offers passkeys: lets this browser create one for the
   * identifier just verified (`registerPasskey`), within 5 minutes, once.
   */
  passkeyTicket?: string;
}

/** A loaded widget configuration; `message` is the widget id. */
export interface WidgetLoaded {
  type: 'success';
  message: string;
  data: WidgetData;
}

/** Every outcome of a call: its success shape, or an {@link OtpError}. */
export type Outcome<S> = S | OtpError;

/**
 * A magic link's state: still waiting (with the number this tab shows), or
 * confirmed with the access token in `message`.
 */
export type LinkStatus =
  | { type: 'success'; verified: false; matchNumber?: number }
  | (OtpVerified & { verified: true });

/** A stored passkey: `message` is its id. */
export interface PasskeyRegistered {
  type: 'success';
  message: string;
  passkeyId: string;
}

/** A passkey sign-in: `message` is the access token; `amr` says how (RFC 8176). */
export interface PasskeySignedIn {
  type: 'success';
  message: string;
  reqId: string;
  amr: string[];
}

/** Options of {@link OtpClient.signInWithPasskey}. */
export interface PasskeySignInOptions {
  identifier?: string | undefined;
  /** Wait for a pick from the autofill of a `webauthn` field (conditional mediation). */
  autofill?: boolean;
}
