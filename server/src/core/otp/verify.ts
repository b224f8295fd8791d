/**
 * Verifying a code: `verifyOtp` (the widget API: an access token) and
 * `confirmCode` (the server API v5: yes or no). Every attempt is counted
 * atomically before the comparison, in the store write that verifies.
 */

import type { EventOutcome } from '@otpkit/protocol';
import type { RequestContext } from '../../model/call.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { OtpRequest, RequestChannel, WidgetRecord } from '../../store/index.ts';
import { eventNotRecorded, eventRow, type RecordingState, recordCall } from '../events/index.ts';
import {
  type AccessTokenStamp,
  accessTokenClaims,
  signAccessToken,
  stampAccessToken,
} from '../tokens/access-token.ts';
import { candidateHashes } from './codes.ts';
import type { OtpDeps } from './deps.ts';
import { type CallOrigin, checkGuesses } from './guards.ts';
import type { CodeGuess } from './input.ts';
import { explainRefusal } from './requests.ts';

/** What `verifyOtp` takes: typed values the route read. */
export interface VerifyInput {
  widget: WidgetRecord;
  reqId: string;
  /** The code as typed (`readCode`). */
  otp: CodeGuess;
  context: RequestContext;
  call?: CallOrigin;
}

/** A verified request, with the access token that proves it. */
export interface Verified {
  reqId: string;
  accessToken: string;
  identifier: string;
  channel: RequestChannel;
  demo: boolean;
}

/** Every verification's outcome, counted (`otpkit_verifications_total`). */
const countVerification =
  (deps: OtpDeps) =>
  (outcome: EventOutcome): void =>
    deps.metrics.verification(outcome === 'ok' ? 'verified' : outcome);

/**
 * Checks a code for a request and marks it verified: the part verifyOtp and
 * confirmCode share. The rate limit (when the store counts it), the attempt,
 * the verification, the access-token row (`mint`) and the event are one
 * store write (`otpRequests.verify`); a refusal is explained and recorded
 * afterwards.
 */
async function checkCode(
  deps: OtpDeps,
  widget: WidgetRecord,
  reqId: string,
  input: { otp: CodeGuess; context: RequestContext; call?: CallOrigin },
  state: RecordingState,
  mint?: AccessTokenStamp,
): Promise<OtpRequest> {
  // A code sent as a JSON number lost its leading zeros: it is padded to each code length, and only
  // the request's own length can match (a server API send may choose a length other than the widget's).
  const typed =
    typeof input.otp === 'number' &&
    Number.isSafeInteger(input.otp) &&
    input.otp >= 0 &&
    input.otp < 1e9
      ? input.otp
      : typeof input.otp === 'string'
        ? input.otp.trim()
        : '';
  if (typeof typed === 'string' && !/^\d{4,9}$/.test(typed)) throw new OtpkitError('INVALID_OTP');
  // A backend verifies every user's code from one address: the per-IP limit is for browsers.
  // Each request's own attempt limit and the identifier's guess budget still apply.
  const browser = input.call?.serverToServer !== true;
  const ip = browser ? input.context.ip : null;
  const limits = deps.limits.planVerify?.(ip);
  if (!limits) await deps.limits.consumeVerify(ip);
  // Without a store that counts the budget in its write, it is checked here and spent below.
  const owner = limits ? undefined : await checkGuesses(deps, widget, reqId);

  const now = deps.clock.now();
  const outcome = await deps.store.otpRequests.verify({
    limits: limits?.hits ?? [],
    limitsNow: limits?.now ?? now,
    id: reqId,
    widgetId: widget.id,
    now,
    // Compared by the store with every code of the request (a link request has none).
    candidates: candidateHashes(deps.secret, reqId, typed),
    ...(limits?.guess ? { guess: limits.guess } : {}),
    ...(mint ? { token: mint } : {}),
    event: eventRow(deps, { kind: 'verify', widgetId: widget.id, context: input.context }),
  });
  if (owner && outcome.kind === 'mismatch') await deps.limits.recordWrongGuess(owner);
  switch (outcome.kind) {
    case 'verified':
      state.recorded = true;
      if (outcome.eventError) eventNotRecorded(deps, 'verify', outcome.eventError);
      return outcome.request;
    case 'limited':
      throw limits!.refused(outcome.index, outcome.msBeforeNext);
    case 'unclaimed':
      throw await explainRefusal(deps, reqId, widget.id, 'verify');
    case 'lost':
      throw new OtpkitError('ALREADY_VERIFIED');
    case 'mismatch': {
      const { claimed } = outcome;
      if (claimed.verificationType === 'magic_link') {
        throw new OtpkitError(
          'INVALID_REQUEST',
          'This request is verified by the link that was sent, not by a code.',
        );
      }
      const attemptsLeft = Math.max(0, claimed.maxAttempts - claimed.attempts);
      throw new OtpkitError(
        'OTP_MISMATCH',
        attemptsLeft > 0
          ? `The code is incorrect. ${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left.`
          : 'The code is incorrect. No attempts left: request a new code.',
        { attemptsLeft },
      );
    }
  }
}

/**
 * Checks a code. Every attempt is counted atomically before the comparison;
 * after `maxAttempts` wrong codes the request is dead, even for the right
 * one. A right code verifies the request once and yields an access token.
 *
 * @throws OtpkitError `INVALID_OTP`, `OTP_MISMATCH`, `OTP_EXPIRED`, `MAX_ATTEMPTS_REACHED`,
 *   `ALREADY_VERIFIED`, `REQUEST_NOT_FOUND`
 */
export function verifyOtp(deps: OtpDeps, input: VerifyInput): Promise<Verified> {
  const { widget, context, reqId } = input;
  return recordCall(
    deps,
    { kind: 'verify', widgetId: widget.id, requestId: reqId, context },
    async (state) => {
      const stamp = stampAccessToken(deps.tokens);
      const verified = await checkCode(
        deps,
        widget,
        reqId,
        { otp: input.otp, context, ...(input.call ? { call: input.call } : {}) },
        state,
        stamp,
      );
      const claims = accessTokenClaims(
        deps.tokens,
        {
          requestId: verified.id,
          widgetId: widget.id,
          identifier: verified.identifier,
          channel: verified.channel,
          demo: verified.demo,
        },
        stamp,
      );
      // Signed once its row has committed with the verification.
      const accessToken = await signAccessToken(deps.tokens, claims);
      return {
        reqId: verified.id,
        accessToken,
        identifier: verified.identifier,
        channel: verified.channel,
        demo: verified.demo,
      };
    },
    countVerification(deps),
  );
}

/**
 * Checks a code with the same rules as `verifyOtp`, without minting an
 * access token: the server API v5 answers only success or failure, to a
 * caller that already holds the authkey.
 *
 * @throws OtpkitError as `verifyOtp`
 */
export function confirmCode(
  deps: OtpDeps,
  input: Omit<VerifyInput, 'call'>,
): Promise<{ reqId: string; identifier: string }> {
  const { widget, context } = input;
  return recordCall(
    deps,
    { kind: 'verify', widgetId: widget.id, requestId: input.reqId, context },
    async (state) => {
      const verified = await checkCode(
        deps,
        widget,
        input.reqId,
        { otp: input.otp, context, call: { serverToServer: true } },
        state,
      );
      return { reqId: verified.id, identifier: verified.identifier };
    },
    countVerification(deps),
  );
}
