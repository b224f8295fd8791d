/**
 * `otpRequests.send`, `otpRequests.verify` and `accessTokens.redeem` as a
 * sequence of the store's single operations, for an adapter that does not
 * do them in one step (PostgreSQL: each operation is already one statement,
 * and a transaction around them would hold the hot rate-limit rows locked
 * across several round trips). Each operation stays atomic on its own, as
 * the services used them before the combined operations existed; SQLite
 * runs the same steps in one write of its group commit.
 */
import type { CounterRefusal, LimitHit, PumpingHit } from './limits.ts';
import type {
  AccessTokenRecord,
  RequestEvent,
  SendWrite,
  SendWriteResult,
  Store,
  VerifyWrite,
  VerifyWriteResult,
} from './types.ts';

type Steps = Pick<Store, 'otpRequests' | 'sendCounters' | 'events' | 'accessTokens'>;

/** The adapter's counters: `hit` all or nothing, `refund` gives points back. */
export interface StepCounters {
  hit(
    hits: readonly LimitHit[],
    now: number,
    pumping?: PumpingHit | null,
  ): Promise<CounterRefusal | undefined>;
  refund(keys: readonly string[], now: number): Promise<void>;
  peek(key: string, now: number): Promise<{ points: number; msBeforeNext: number }>;
}

/**
 * The event row of a call whose state change has committed: a failure to
 * write it is reported to the caller (which logs it), not thrown, so the
 * call still answers with what it did.
 */
async function recordEvent(store: Steps, event: RequestEvent): Promise<string | undefined> {
  try {
    await store.events.insert(event);
    return undefined;
  } catch (error) {
    return String(error);
  }
}

/** A send: its limits and pumping counter in one all-or-nothing step, then the request and its event. */
export async function sendInSteps(
  store: Steps,
  counters: StepCounters,
  w: SendWrite,
): Promise<SendWriteResult> {
  if (w.limits.length > 0 || w.pumping) {
    const refused = await counters.hit(w.limits, w.limitsNow, w.pumping);
    if (refused) return refused;
  }
  const request = await store.otpRequests.create(w.request, w.message, w.link);
  const eventError = await recordEvent(store, { ...w.event, requestId: request.id, outcome: 'ok' });
  return { kind: 'created', request, ...(eventError ? { eventError } : {}) };
}

/**
 * A code check: the limits, the attempt, then the guess budget of the
 * claimed request's identifier: a wrong code spends a point of it, and
 * once it is spent every code is refused (a right one is only checked
 * against it, so right codes sent at once never use it up). A refusal by
 * the budget gives back the attempt (`unclaim`) and the limit points.
 */
export async function verifyInSteps(
  store: Steps,
  counters: StepCounters,
  unclaim: (id: string) => Promise<void>,
  w: VerifyWrite,
): Promise<VerifyWriteResult> {
  if (w.limits.length > 0) {
    const refused = await counters.hit(w.limits, w.limitsNow);
    if (refused?.kind === 'limited') return refused;
  }
  const claimed = await store.otpRequests.claimAttempt(w.id, w.widgetId, w.now);
  if (!claimed) return { kind: 'unclaimed' };
  const right = w.matches(claimed);
  const guess = w.guess?.(claimed);
  if (guess) {
    let msBeforeNext: number | undefined;
    if (right) {
      const spent = await counters.peek(guess.key, w.limitsNow);
      if (spent.points >= guess.points) msBeforeNext = spent.msBeforeNext;
    } else {
      const refused = await counters.hit([guess], w.limitsNow);
      if (refused?.kind === 'limited') msBeforeNext = refused.msBeforeNext;
    }
    if (msBeforeNext !== undefined) {
      await unclaim(w.id);
      if (w.limits.length > 0)
        await counters.refund(
          w.limits.map((h) => h.key),
          w.limitsNow,
        );
      return { kind: 'limited', index: w.limits.length, msBeforeNext };
    }
  }
  if (!right) return { kind: 'mismatch', claimed };
  const verified = await store.otpRequests.completeVerification(w.id, w.now);
  if (!verified) return { kind: 'lost' };
  if (w.token) await store.accessTokens.insert(w.token(verified));
  const eventError = await recordEvent(store, {
    ...w.event,
    requestId: verified.id,
    outcome: 'ok',
  });
  return { kind: 'verified', request: verified, ...(eventError ? { eventError } : {}) };
}

export async function redeemInSteps(
  store: Steps,
  jti: string,
  now: number,
  event: Omit<RequestEvent, 'outcome'>,
): Promise<
  { record: AccessTokenRecord; requestVerifiedAt: number | null; eventError?: string } | undefined
> {
  const record = await store.accessTokens.markVerified(jti, now);
  if (!record) return undefined;
  const request = await store.otpRequests.get(record.requestId);
  const eventError = await recordEvent(store, { ...event, outcome: 'ok' });
  return {
    record,
    requestVerifiedAt: request?.verifiedAt ?? null,
    ...(eventError ? { eventError } : {}),
  };
}
