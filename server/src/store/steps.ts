/**
 * `otpRequests.send`, `otpRequests.verify` and `accessTokens.redeem` as a
 * sequence of the store's single operations, for an adapter that does not
 * do them in one step (PostgreSQL: each operation is already one statement,
 * and a transaction around them would hold the hot rate-limit rows locked
 * across several round trips). Each operation stays atomic on its own, as
 * the services used them before the combined operations existed; SQLite
 * runs the same steps in one write of its group commit.
 */
import type { LimitHit, LimitRefusal } from '../limits/index.ts';
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
type Hit = (hits: readonly LimitHit[], now: number) => Promise<LimitRefusal | undefined>;

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

export async function sendInSteps(store: Steps, hit: Hit, w: SendWrite): Promise<SendWriteResult> {
  if (w.limits.length > 0) {
    const refused = await hit(w.limits, w.limitsNow);
    if (refused) return { kind: 'limited', ...refused };
  }
  if (w.pumping) {
    const { widgetId, country, hour, ceiling } = w.pumping;
    const count = await store.sendCounters.bump(widgetId, country, hour);
    if (count > ceiling) return { kind: 'pumping', count };
  }
  const request = await store.otpRequests.create(w.request, w.message, w.link);
  const eventError = await recordEvent(store, { ...w.event, requestId: request.id, outcome: 'ok' });
  return { kind: 'created', request, ...(eventError ? { eventError } : {}) };
}

export async function verifyInSteps(
  store: Steps,
  hit: Hit,
  w: VerifyWrite,
): Promise<VerifyWriteResult> {
  if (w.limits.length > 0) {
    const refused = await hit(w.limits, w.limitsNow);
    if (refused) return { kind: 'limited', ...refused };
  }
  const claimed = await store.otpRequests.claimAttempt(w.id, w.widgetId, w.now);
  if (!claimed) return { kind: 'unclaimed' };
  if (!w.matches(claimed)) return { kind: 'mismatch', claimed };
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
): Promise<{ record: AccessTokenRecord; requestVerifiedAt: number | null } | undefined> {
  const record = await store.accessTokens.markVerified(jti, now);
  if (!record) return undefined;
  const request = await store.otpRequests.get(record.requestId);
  await store.events.insert({ ...event, outcome: 'ok' });
  return { record, requestVerifiedAt: request?.verifiedAt ?? null };
}
