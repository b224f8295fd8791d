/**
 * The operations that decide with cached rows (a send, a code check, a token
 * redemption), kept exact across instances: each carries the generation its
 * rows were read at (read-cache.ts) and does nothing when a change has moved
 * it (operations.ts, `StaleRead`). The store cannot replay the call's checks,
 * so it reads again the rows the call may have decided with, the widget and
 * the credentials cached for it, at the new generation:
 * - the widget deleted, or one of its credentials revoked: the call is
 *   refused with the error a fresh read would have given (when several of
 *   the widget's credentials were cached and one was revoked, the call is
 *   refused as if it used that one: the safe side, for the milliseconds
 *   before the instance hears of the change);
 * - nothing gone (an edit, or a change to another widget's rows): retried
 *   once at the new generation; an edit applies to calls that read after it,
 *   as on one instance. Another change meanwhile: read and retried again, a
 *   few times at most.
 * A call whose rows did not come from the cache (not listening) carries no
 * generation and is never refused.
 */

import type { ErrorCode } from '@otpkit/protocol';
import { OtpkitError } from '../../platform/errors.ts';
import type { PgContext } from './context.ts';
import { StaleRead } from './operations.ts';
import { type ChangedRow, GENERATION_SQL } from './read-cache.ts';

/** How a call authenticated: a widget call (widget token or authkey), or a server call (authkey only). */
export type CallerKind = 'widget' | 'server';

/** Rounds of read-again-and-retry before giving up (each needs a new change within milliseconds). */
const ROUNDS = 3;

// The read cache's keys (config-stores.ts): `widget:ID`, `token:WIDGET:HASH`, `authkey:HASH`.
const widgetKey = (widgetId: string) => `widget:${widgetId}`;

/** The cached rows a call on `widgetId` may have decided with. */
function rowsOf(widgetId: string | null, caller: CallerKind) {
  return function* (rows: ReadonlyMap<string, unknown>): Iterable<string> {
    if (widgetId === null) return;
    const widget = rows.get(widgetKey(widgetId)) as { accountId: string } | undefined;
    yield widgetKey(widgetId);
    for (const [key, value] of rows) {
      if (caller === 'widget' && key.startsWith(`token:${widgetId}:`)) yield key;
      // An authkey of another account cannot call for this widget.
      if (
        key.startsWith('authkey:') &&
        (widget === undefined || (value as { account_id: string }).account_id === widget.accountId)
      ) {
        yield key;
      }
    }
  };
}

/** The refusal a fresh read would have given, when a row the call may have used is gone. */
function refusalFor(changed: readonly ChangedRow[], caller: CallerKind): ErrorCode | undefined {
  const gone = changed.filter((r) => r.after === undefined).map((r) => r.key);
  if (gone.some((k) => k.startsWith('widget:'))) {
    // A redemption reports a token of a widget that is no more as an invalid token.
    return caller === 'widget' ? 'WIDGET_NOT_FOUND' : 'TOKEN_INVALID';
  }
  if (gone.some((k) => k.startsWith('token:'))) return 'INVALID_TOKEN_AUTH';
  if (gone.some((k) => k.startsWith('authkey:'))) return 'INVALID_AUTHKEY';
  return undefined;
}

/**
 * Runs `op` with the read cache's generation; when it was stale, checks the
 * call's rows again and refuses or retries (see above).
 */
export function exactOperations(c: Pick<PgContext, 'reads' | 'one'>) {
  return async function exact<T>(
    widgetId: string | null,
    caller: CallerKind,
    op: (generation: number | null) => Promise<T>,
  ): Promise<T> {
    let carried = c.reads.generation();
    for (let round = 0; ; round++) {
      try {
        return await op(carried);
      } catch (error) {
        if (!(error instanceof StaleRead) || carried === null || round === ROUNDS) throw error;
      }
      const current = Number((await c.one<{ generation: string }>(GENERATION_SQL))!.generation);
      const changed = await c.reads.revalidate(carried, current, rowsOf(widgetId, caller));
      const refusal = refusalFor(changed, caller);
      if (refusal) throw new OtpkitError(refusal);
      carried = current;
    }
  };
}
