/**
 * `retryOtp`: a fresh code (or link) for a pending request, on a channel the
 * widget allows for it, within the request's resend interval and count.
 */
import type { Channel } from '@otpkit/protocol';
import type { RequestContext } from '../../model/call.ts';
import { retryChannelsFor } from '../../model/widget-settings.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { WidgetRecord } from '../../store/index.ts';
import { recordCall } from '../events/index.ts';
import { newMagicLink } from '../magic-links/links.ts';
import { generateCode, hashCode } from './codes.ts';
import { demoCredentialFor } from './demo.ts';
import type { OtpDeps } from './deps.ts';
import { type CallOrigin, guardResend } from './guards.ts';
import { parseTemplateVariables, type TemplateVariables } from './input.ts';
import { buildMessage } from './messages.ts';
import { explainRefusal, type SendResult, sendResult } from './requests.ts';

/** What `retryOtp` takes: typed values the route read. */
export interface ResendInput {
  widget: WidgetRecord;
  reqId: string;
  /** The channel asked for; absent: the widget's first retry channel for the request. */
  retryChannel?: Channel;
  /** Variables for the resent message, over those the request was sent with. */
  variables?: TemplateVariables;
  context: RequestContext;
  call?: CallOrigin;
}

/**
 * Sends a fresh code for a pending request on the chosen channel (or the
 * widget's first retry channel), within the widget's resend interval and
 * count. Codes sent earlier for the request stay valid.
 *
 * @throws OtpkitError `REQUEST_NOT_FOUND`, `CHANNEL_NOT_ALLOWED`, `RETRY_TOO_SOON`,
 *   `RETRY_LIMIT_REACHED`, `OTP_EXPIRED`, `MAX_ATTEMPTS_REACHED`, `ALREADY_VERIFIED`
 */
export function retryOtp(deps: OtpDeps, input: ResendInput): Promise<SendResult> {
  const { widget, context, reqId } = input;
  let magic = false;
  return recordCall(
    deps,
    {
      // Named once the request is read: a link resend is logged as such.
      get kind() {
        return magic ? ('link-resent' as const) : ('retry' as const);
      },
      widgetId: widget.id,
      requestId: reqId,
      context,
    },
    async () => {
      const given = input.variables ?? {};
      const existing = await deps.store.otpRequests.get(reqId);
      if (!existing || existing.widgetId !== widget.id) throw new OtpkitError('REQUEST_NOT_FOUND');
      // Merged, the variables are held to the same rules (at most 20 in all).
      const variables =
        Object.keys(given).length > 0
          ? { ...parseTemplateVariables({ ...existing.variables, ...given }) }
          : existing.variables;
      magic = existing.verificationType === 'magic_link';
      // A link is never read out by voice.
      const allowed = retryChannelsFor(widget.settings, existing.contactPoint).filter(
        (c) => !magic || c !== 'voice',
      );
      const channel = input.retryChannel ?? allowed[0];
      if (!channel || !allowed.includes(channel) || !deps.delivery.supports(channel, widget)) {
        throw new OtpkitError(
          'CHANNEL_NOT_ALLOWED',
          `This code can be resent by ${allowed.join(', ') || 'no channel'} only.`,
        );
      }
      // Refuse a resend that is too soon or over the count before it costs a captcha or a rate-limit point;
      // recordResend below enforces the same rules atomically.
      const now0 = deps.clock.now();
      if (
        existing.status === 'pending' &&
        (existing.resendCount >= existing.maxResends ||
          existing.lastSentAt + existing.resendIntervalMs > now0)
      ) {
        throw await explainRefusal(deps, reqId, widget.id, 'retry');
      }
      const demoCode = existing.demo
        ? demoCredentialFor(widget, { value: existing.identifier })
        : undefined;
      if (existing.demo && demoCode === undefined) throw new OtpkitError('OTP_EXPIRED');
      const code =
        demoCode ?? generateCode(deps.random, existing.codeLength ?? widget.settings.otpLength);
      const now = deps.clock.now();
      const link = magic
        ? newMagicLink(deps, {
            requestId: reqId,
            widgetId: widget.id,
            now,
            ttlMs: existing.ttlMs,
          })
        : undefined;
      const message = existing.demo
        ? undefined
        : await buildMessage(
            deps,
            widget,
            {
              reqId,
              identifier: existing.identifier,
              country: existing.country,
              variables,
              host: context.host ?? existing.host,
              topHost: context.host ? (context.topHost ?? null) : null,
              language: existing.language,
              expiryMinutes: Math.round(existing.ttlMs / 60_000),
            },
            channel,
            link ? { link: link.url } : { code },
            'retry',
          );
      // After the message is built: a resend that cannot be sent (too long) costs no captcha or limit.
      if (!existing.demo) {
        await guardResend(deps, widget, input.call, context, {
          identifier: existing.identifier,
          country: existing.country,
        });
      }
      const updated = await deps.store.otpRequests.recordResend(
        reqId,
        widget.id,
        {
          channel,
          codeHash: link ? null : hashCode(deps.secret, reqId, code),
          now,
        },
        message,
        link?.record,
      );
      if (!updated) throw await explainRefusal(deps, reqId, widget.id, 'retry');
      if (message) deps.delivery.kick();
      if (link)
        deps.log.info('magic link resent', { requestId: reqId, widgetId: widget.id, channel });
      return sendResult(updated, now);
    },
  );
}
