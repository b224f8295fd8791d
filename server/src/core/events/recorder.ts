/**
 * The one way a call is written to the event log (the requests' timelines,
 * the console's refused calls). Recording is guarded: the log describes a
 * call, it never changes its answer, so a row the database refuses is
 * logged (`event not recorded`) and counted (`otpkit_events_not_recorded_total`),
 * and the call answers as it would have.
 */
import type { ErrorCode, EventKind, EventOutcome } from '@otpkit/protocol';
import type { RequestContext } from '../../model/call.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { Metrics } from '../../platform/observability/metrics.ts';
import type { Clock, Logger } from '../../platform/runtime.ts';
import type { RequestEvent, Store } from '../../store/index.ts';

/** What recording runs on: the part of every service's deps it uses. */
export interface EventDeps {
  store: Pick<Store, 'events'>;
  clock: Clock;
  log: Logger;
  metrics: Pick<Metrics, 'eventNotRecorded'>;
}

/** A call to record, before its outcome is known. */
export interface CallEvent {
  kind: EventKind;
  widgetId: string | null;
  requestId: string | null;
  context: Pick<RequestContext, 'ip' | 'host' | 'userAgent'>;
  /** What a send asked for, as given (kept so refused sends show in the log). */
  identifier?: string | null;
}

/** The longest identifier an event row keeps, as given. */
const MAX_IDENTIFIER_CHARS = 100;

/**
 * The identifier a call gave, as an event row keeps it: text or a number,
 * cut to 100 characters; anything else is not kept.
 *
 * @example identifierAsGiven(919876543210) // '919876543210'
 */
export function identifierAsGiven(identifier: unknown): string | null {
  return typeof identifier === 'string' || typeof identifier === 'number'
    ? String(identifier).slice(0, MAX_IDENTIFIER_CHARS)
    : null;
}

/**
 * How a call that threw ended: the error's code, or `INTERNAL_ERROR` for an
 * error otpkit did not raise itself.
 */
export function outcomeOf(error: unknown): ErrorCode {
  return error instanceof OtpkitError ? error.code : 'INTERNAL_ERROR';
}

/**
 * A call's event row without its outcome and request, for a store write
 * that records the call together with its state change (`otpRequests.send`,
 * `otpRequests.verify`, `accessTokens.redeem`).
 */
export function eventRow(
  deps: Pick<EventDeps, 'clock'>,
  event: Omit<CallEvent, 'requestId'>,
): Omit<RequestEvent, 'outcome' | 'requestId'> {
  return {
    widgetId: event.widgetId,
    kind: event.kind,
    ip: event.context.ip,
    host: event.context.host,
    userAgent: event.context.userAgent,
    createdAt: deps.clock.now(),
    identifier: event.identifier ?? null,
  };
}

/**
 * Says that an event row was not written: logged and counted. For the store
 * writes that record a call with its state change and report a failed row
 * (`eventError`) instead of throwing.
 */
export function eventNotRecorded(deps: EventDeps, kind: EventKind, error: unknown): void {
  deps.metrics.eventNotRecorded(kind);
  deps.log.error('event not recorded', { kind, error: String(error) });
}

/** Writes one event row; a failure is logged and counted, never thrown. */
export async function recordEvent(
  deps: EventDeps,
  event: CallEvent,
  outcome: EventOutcome,
): Promise<void> {
  try {
    await deps.store.events.insert({
      ...eventRow(deps, event),
      requestId: event.requestId,
      outcome,
    });
  } catch (error) {
    eventNotRecorded(deps, event.kind, error);
  }
}

/** What a recorded call tells the recorder while it runs. */
export interface RecordingState {
  /** Set once the call's own store write has recorded its event (its success). */
  recorded: boolean;
}

/**
 * Runs a call and records its event with the outcome (`ok`, or the code it
 * was refused with), unless the call recorded it itself in the store write
 * of its success (`state.recorded`). The request id of a success is the
 * result's `reqId` when it has one. `settled` sees every outcome (metrics).
 *
 * `event` is read after the call ran, so what is known only once the call
 * has read its request (a link resend's kind, a token's widget) can be set
 * on it meanwhile.
 */
export async function recordCall<T extends object>(
  deps: EventDeps,
  event: CallEvent,
  run: (state: RecordingState) => Promise<T>,
  settled?: (outcome: EventOutcome) => void,
): Promise<T> {
  let outcome: EventOutcome = 'INTERNAL_ERROR';
  let resultReqId: string | undefined;
  const state: RecordingState = { recorded: false };
  try {
    const result = await run(state);
    outcome = 'ok';
    if ('reqId' in result && typeof result.reqId === 'string') resultReqId = result.reqId;
    return result;
  } catch (error) {
    outcome = outcomeOf(error);
    throw error;
  } finally {
    settled?.(outcome);
    if (!state.recorded) {
      await recordEvent(
        deps,
        {
          kind: event.kind,
          widgetId: event.widgetId,
          requestId: resultReqId ?? event.requestId,
          context: event.context,
          ...(event.identifier !== undefined ? { identifier: event.identifier } : {}),
        },
        outcome,
      );
    }
  }
}
