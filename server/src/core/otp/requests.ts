/**
 * What a request tells its caller: the answer to a send or resend, and,
 * from a fresh read, why an atomic operation on it was refused.
 */
import type { Channel } from '@otpkit/protocol';
import { OtpkitError } from '../../platform/errors.ts';
import type { OtpRequest } from '../../store/index.ts';
import type { OtpDeps } from './deps.ts';

/** What a send or resend tells the caller. */
export interface SendResult {
  reqId: string;
  channel: Channel;
  /** Seconds until a resend is allowed. */
  retryAfter: number;
  retriesLeft: number;
  /** Seconds until the code expires. */
  expiresIn: number;
  /** Magic links: the number the asking tab shows, which the confirmation page asks for. */
  matchNumber?: number;
}

/** The channel a request's code went out on (a passkey sign-in has none and is never resent). */
function deliveryChannel(request: OtpRequest): Channel {
  if (request.channel === 'passkey') throw new OtpkitError('ALREADY_VERIFIED');
  return request.channel;
}

export function sendResult(request: OtpRequest, now: number): SendResult {
  return {
    reqId: request.id,
    channel: deliveryChannel(request),
    retryAfter: Math.max(
      0,
      Math.ceil((request.lastSentAt + request.resendIntervalMs - now) / 1000),
    ),
    retriesLeft: Math.max(0, request.maxResends - request.resendCount),
    expiresIn: Math.max(0, Math.ceil((request.expiresAt - now) / 1000)),
    ...(request.matchNumber !== null ? { matchNumber: request.matchNumber } : {}),
  };
}

/** Why an atomic operation on a request was refused, from a fresh read. */
export async function explainRefusal(
  deps: OtpDeps,
  reqId: string,
  widgetId: string,
  operation: 'verify' | 'retry',
): Promise<OtpkitError> {
  const now = deps.clock.now();
  const request = await deps.store.otpRequests.get(reqId);
  if (!request || request.widgetId !== widgetId) return new OtpkitError('REQUEST_NOT_FOUND');
  if (request.status === 'verified') return new OtpkitError('ALREADY_VERIFIED');
  if (request.status === 'superseded') {
    return new OtpkitError('OTP_EXPIRED', 'A newer code was sent; use the latest one.');
  }
  if (request.attempts >= request.maxAttempts) {
    // A link request's attempts are spent by a wrong match number on its page (or codes tried on it).
    return new OtpkitError(
      request.verificationType === 'magic_link' ? 'LINK_EXPIRED' : 'MAX_ATTEMPTS_REACHED',
    );
  }
  if (request.expiresAt <= now) return new OtpkitError('OTP_EXPIRED');
  if (operation === 'retry') {
    if (request.resendCount >= request.maxResends) return new OtpkitError('RETRY_LIMIT_REACHED');
    const wait = Math.ceil((request.lastSentAt + request.resendIntervalMs - now) / 1000);
    if (wait > 0) {
      return new OtpkitError(
        'RETRY_TOO_SOON',
        `Wait ${wait} second${wait === 1 ? '' : 's'} before requesting another code.`,
        { retryAfter: wait },
      );
    }
  }
  // Another call changed the request between the update and this read.
  return new OtpkitError('RATE_LIMITED', 'The request changed; try again.', { retryAfter: 1 });
}
