/** `verifyAccessToken`: a customer backend redeems an access token, once. */

import type { RequestContext } from '../../model/call.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import { AUTHENTICATE_ERRORS, accountForAuthkey } from '../accounts/authkeys.ts';
import {
  type CallEvent,
  type EventDeps,
  eventNotRecorded,
  eventRow,
  recordCall,
} from '../events/index.ts';
import type { RateLimits } from '../limits/index.ts';
import { readAccessToken, type TokenDeps } from './access-token.ts';

export interface VerifiedAccess {
  identifier: string;
  widgetId: string;
  channel: string;
  /** ISO 8601 time the code was verified. */
  verifiedAt: string;
  /** True for a widget's demo credentials, false otherwise. */
  demo: boolean;
  /** RFC 8176 method references from the token. */
  amr: string[];
}

/** `redeemAccessToken`: the authkey, and a token that is not genuine, expired or already redeemed. */
export const REDEEM_ACCESS_TOKEN_ERRORS = errorCodes(
  ...AUTHENTICATE_ERRORS,
  'INVALID_REQUEST',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_ALREADY_VERIFIED',
);

/**
 * Checks the authkey, the token's signature, issuer and expiry, that the
 * authkey's account owns the token's widget (and that it is the `widgetId`
 * the caller expects, when it names one), and that the token was not
 * redeemed before. A token refused for any of these stays unused.
 *
 * With `limits`, the call counts against its client network's authkey
 * limits (see `authenticate`). Throws {@link REDEEM_ACCESS_TOKEN_ERRORS}.
 */
export async function redeemAccessToken(
  deps: TokenDeps & Pick<EventDeps, 'log' | 'metrics'> & { limits?: RateLimits },
  input: {
    authkey: unknown;
    token: unknown;
    /** The widget the caller expects the token to be issued for. */
    widgetId?: string;
    context: RequestContext;
  },
): Promise<VerifiedAccess> {
  // The token names its widget and request once it is read; a refusal before is recorded without.
  const event: CallEvent = {
    kind: 'verify-token',
    widgetId: null,
    requestId: null,
    context: input.context,
  };
  return recordCall(deps, event, async (state) => {
    const accountId = await accountForAuthkey(
      deps.store,
      input.authkey,
      deps.clock.now(),
      deps.limits && { limits: deps.limits, ip: input.context.ip },
    );
    const claims = await readAccessToken(deps, input.token);
    event.widgetId = claims.aud;
    event.requestId = claims.reqId;
    const widget = await deps.store.widgets.get(claims.aud);
    // Another account's token is reported exactly like a forged one.
    if (!widget || widget.accountId !== accountId) throw new OtpkitError('TOKEN_INVALID');
    // Checked before the redemption: a token shown to the wrong backend is still good for the right one.
    if (input.widgetId !== undefined && input.widgetId !== claims.aud) {
      throw new OtpkitError('TOKEN_INVALID', 'The access token was issued for another widget.');
    }
    // The redemption and its event row are one store write.
    const redeemed = await deps.store.accessTokens.redeem(claims.jti, deps.clock.now(), {
      ...eventRow(deps, event),
      requestId: claims.reqId,
    });
    if (!redeemed) throw new OtpkitError('TOKEN_ALREADY_VERIFIED');
    state.recorded = true;
    if (redeemed.eventError) eventNotRecorded(deps, event.kind, redeemed.eventError);
    const { record } = redeemed;
    return {
      identifier: record.identifier,
      widgetId: record.widgetId,
      channel: record.channel,
      verifiedAt: new Date(redeemed.requestVerifiedAt ?? record.issuedAt).toISOString(),
      demo: record.demo,
      // Tokens from before `amr` existed were all codes.
      amr: Array.isArray(claims.amr) ? claims.amr : ['otp'],
    };
  });
}
