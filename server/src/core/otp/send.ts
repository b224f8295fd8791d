/**
 * `sendOtp`: issues a code (or a magic link) for an identifier and queues
 * its message, in one atomic store write with the limits, the pumping
 * counter and the event.
 */
import type { Language } from '@otpkit/protocol';
import type { RequestContext } from '../../model/call.ts';
import { checkDestination } from '../../model/identifier.ts';
import { primaryChannelFor } from '../../model/widget-settings.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { TemplateRecord, WidgetRecord } from '../../store/index.ts';
import { eventNotRecorded, eventRow, recordCall } from '../events/index.ts';
import { pumpingRefusal } from '../limits/index.ts';
import { linkChannel, newMagicLink, newMatchNumber } from '../magic-links/links.ts';
import type { CallerText } from '../templates/service.ts';
import { generateCode, hashCode } from './codes.ts';
import { demoCredentialFor } from './demo.ts';
import type { OtpDeps } from './deps.ts';
import { type CallOrigin, guardSend, guessOwnerOf, type SendGuard } from './guards.ts';
import type { IdentifierReading, TemplateVariables } from './input.ts';
import { buildMessage } from './messages.ts';
import { type SendResult, sendResult } from './requests.ts';

/**
 * What a server API v5 caller may choose per request, within the widget's
 * rules (everything else comes from the widget).
 */
export interface SendOverrides {
  /** Digits of the code (4–9). */
  otpLength?: number;
  /** Minutes the code stays valid. */
  expiryMinutes?: number;
  /** The code itself, chosen by the caller (4–9 digits). */
  code?: string;
  /** The template of the first message (its channel is the send's channel). */
  template?: TemplateRecord;
  /** The caller's own SMS text (sent by SMS, with the code in it) and sender id, for the first message. */
  text?: CallerText;
  /** The message's language, named by the caller (server API `language`), instead of the widget's. */
  language?: Language;
}

/** What `sendOtp` takes: typed values the route read. */
export interface SendInput {
  widget: WidgetRecord;
  /** The identifier read by the widget's rules (`readIdentifier`); a refused one is refused here, and recorded. */
  identifier: IdentifierReading;
  variables: TemplateVariables;
  context: RequestContext;
  call?: CallOrigin;
  overrides?: SendOverrides;
}

/**
 * Issues a code for an identifier and delivers it on the widget's primary
 * channel. A pending request for the same widget and identifier is superseded.
 *
 * @throws OtpkitError `INVALID_IDENTIFIER`, `INVALID_REQUEST`, `DELIVERY_FAILED`,
 *   `CAPTCHA_REQUIRED`, `CAPTCHA_FAILED`, `RATE_LIMITED`
 */
export function sendOtp(deps: OtpDeps, input: SendInput): Promise<SendResult> {
  const { widget, context } = input;
  const overrides = input.overrides ?? {};
  const magic = widget.settings.verificationType === 'magic_link';
  const event = {
    kind: magic ? ('link-sent' as const) : ('send' as const),
    widgetId: widget.id,
    requestId: null,
    context,
    identifier: input.identifier.asGiven,
  };
  return recordCall(deps, event, async (state) => {
    const s = widget.settings;
    if (!input.identifier.ok) throw input.identifier.error;
    const { identifier } = input.identifier;
    checkDestination(identifier, s);
    const variables = { ...input.variables };
    const primary =
      overrides.template?.channel ??
      (overrides.text?.body !== undefined
        ? 'sms'
        : primaryChannelFor(s, identifier.contactPoint, identifier.country));
    const channel = magic ? linkChannel(primary) : primary;
    if (!deps.delivery.supports(channel, widget)) {
      throw new OtpkitError(
        'DELIVERY_FAILED',
        `No delivery provider is configured for ${channel} on this server.`,
      );
    }
    // Demo pairs are codes: a magic-link widget sends every identifier a link.
    const demoCode = magic ? undefined : demoCredentialFor(widget, identifier);
    const now = deps.clock.now();
    const reqId = deps.random.sortable(12);
    const codeLength = overrides.code?.length ?? overrides.otpLength;
    const code = demoCode ?? overrides.code ?? generateCode(deps.random, codeLength ?? s.otpLength);
    // The caller's choice, else the widget's, else (auto) the language the popup showed, which
    // the widget sends as Accept-Language (or the browser's own header).
    const language =
      overrides.language ?? (s.language === 'auto' ? (context.language ?? 'en') : s.language);
    const expiryMinutes = overrides.expiryMinutes ?? s.expiryTime;
    const ttlMs = expiryMinutes * 60_000;
    const link = magic
      ? newMagicLink(deps, { requestId: reqId, widgetId: widget.id, now, ttlMs })
      : undefined;
    // Demo pairs (app-store reviewers, tests) deliver nothing: their code is fixed.
    const message =
      demoCode === undefined
        ? await buildMessage(
            deps,
            widget,
            {
              reqId,
              identifier: identifier.value,
              country: identifier.country,
              variables,
              host: context.host,
              topHost: context.topHost ?? null,
              language,
              expiryMinutes,
              ...(overrides.template ? { template: overrides.template } : {}),
              ...(overrides.text ? { text: overrides.text } : {}),
            },
            channel,
            link ? { link: link.url } : { code },
            'send',
          )
        : undefined;
    // Demo pairs are exempt from captcha and limits: store reviewers and tests never get throttled.
    // The message is built first: one that cannot be sent (too long) costs no captcha and no limit.
    const guard: SendGuard =
      demoCode === undefined
        ? await guardSend(deps, widget, input.call, context, {
            identifier: identifier.value,
            country: identifier.country,
          })
        : { limits: undefined, pumping: null };
    // One store write: the limits, the pumping counter, the request with its message, the event.
    const outcome = await deps.store.otpRequests.send({
      limits: guard.limits?.hits ?? [],
      limitsNow: guard.limits?.now ?? now,
      pumping: guard.pumping,
      request: {
        id: reqId,
        verificationType: magic ? 'magic_link' : 'otp',
        widgetId: widget.id,
        identifier: identifier.value,
        contactPoint: identifier.contactPoint,
        channel,
        // A link request has no code at all: verifyOtp can never succeed for it.
        codeHashes: link ? [] : [hashCode(deps.secret, reqId, code)],
        maxAttempts: s.maxAttempts,
        maxResends: s.retryCount,
        resendIntervalMs: s.retryTime * 1000,
        ttlMs,
        lastSentAt: now,
        expiresAt: now + ttlMs,
        ip: context.ip,
        host: context.host,
        userAgent: context.userAgent,
        variables,
        demo: demoCode !== undefined,
        country: identifier.country,
        language,
        codeLength: codeLength ?? null,
        matchNumber: link ? newMatchNumber(deps.random) : null,
        guessOwner: guessOwnerOf(widget, {
          demo: demoCode !== undefined,
          verificationType: magic ? 'magic_link' : 'otp',
          identifier: identifier.value,
        }),
        createdAt: now,
      },
      ...(message ? { message } : {}),
      ...(link ? { link: link.record } : {}),
      event: eventRow(deps, event),
    });
    if (outcome.kind === 'limited') {
      throw guard.limits!.refused(outcome.index, outcome.msBeforeNext);
    }
    if (outcome.kind === 'pumping') throw pumpingRefusal(deps, guard.pumping!, outcome.count);
    state.recorded = true;
    if (outcome.eventError) eventNotRecorded(deps, event.kind, outcome.eventError);
    const request = outcome.request;
    if (message) deps.delivery.kick();
    if (link) deps.log.info('magic link sent', { requestId: reqId, widgetId: widget.id, channel });
    return sendResult(request, now);
  });
}
