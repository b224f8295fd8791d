/**
 * The OTP rules: issue a code, re-deliver it, verify it. No HTTP and no SQL
 * here: every state change is one atomic store operation, and a refused
 * operation is explained from a fresh read.
 */
import { type Channel, channelFromCode, type ErrorCode, type Language } from '@otpkit/protocol';
import { checkCaptcha } from '../captcha/index.ts';
import { OtpkitError } from '../errors.ts';
import {
  type GuessOwner,
  guessOwnerKey,
  type LimitPlan,
  type PumpingCheck,
  pumpingCheck,
  pumpingRefusal,
} from '../limits/index.ts';
import { linkChannel, newMagicLink, newMatchNumber } from '../magic-links/links.ts';
import type { RequestContext } from '../model/call.ts';
import {
  checkDestination,
  type Identifier,
  limitKeyOf,
  parseIdentifier,
} from '../model/identifier.ts';
import { primaryChannelFor, retryChannelsFor } from '../model/widget-settings.ts';
import type {
  OtpRequest,
  RequestChannel,
  RequestEvent,
  TemplateRecord,
  WidgetRecord,
} from '../store/index.ts';
import type { CallerText } from '../templates/service.ts';
import {
  type AccessTokenStamp,
  accessTokenClaims,
  signAccessToken,
  stampAccessToken,
} from '../tokens/access-token.ts';
import { generateCode, hashCode } from './codes.ts';
import type { OtpDeps } from './deps.ts';
import { buildMessage } from './messages.ts';

export type { RequestContext } from '../model/call.ts';
export type { OtpDeps } from './deps.ts';

/** How a call reached the widget API. */
export interface CallOrigin {
  /** Authenticated by the account authkey (the customer's backend): no captcha, no per-IP limit. */
  serverToServer: boolean;
  /** The captcha token or proof-of-work solution the browser sent. */
  captcha?: unknown;
}

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

const MAX_VARIABLES = 20;

function sanitizeVariables(input: unknown): Record<string, string> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new OtpkitError('INVALID_REQUEST', 'variables must be an object of strings.');
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > MAX_VARIABLES) {
    throw new OtpkitError('INVALID_REQUEST', `At most ${MAX_VARIABLES} template variables.`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (!/^[A-Za-z_][\w-]{0,63}$/.test(key)) {
      throw new OtpkitError(
        'INVALID_REQUEST',
        `Template variable name "${key.slice(0, 64)}" is invalid.`,
      );
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new OtpkitError('INVALID_REQUEST', `Template variable ${key} must be a string.`);
    }
    const text = String(value);
    if (text.length > 500) {
      throw new OtpkitError(
        'INVALID_REQUEST',
        `Template variable ${key} is longer than 500 characters.`,
      );
    }
    out[key] = text;
  }
  return out;
}

/** The channel a request's code went out on (a passkey sign-in has none and is never resent). */
function deliveryChannel(request: OtpRequest): Channel {
  if (request.channel === 'passkey') throw new OtpkitError('ALREADY_VERIFIED');
  return request.channel;
}

function sendResult(request: OtpRequest, now: number): SendResult {
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
async function explainRefusal(
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

/** A browser call's captcha. @throws OtpkitError `CAPTCHA_REQUIRED`, `CAPTCHA_FAILED` */
async function guardCaptcha(
  deps: OtpDeps,
  widget: WidgetRecord,
  call: CallOrigin | undefined,
  context: RequestContext,
): Promise<void> {
  if (call?.serverToServer) return;
  try {
    await checkCaptcha(deps.captcha, widget, call?.captcha, context.ip);
  } catch (error) {
    if (error instanceof OtpkitError) deps.metrics.captchaFailure(widget.settings.captcha.provider);
    throw error;
  }
}

/** What a send spends in the store's write of the send (see `guardSend`). */
interface SendGuard {
  limits: LimitPlan | undefined;
  pumping: PumpingCheck | null;
}

/**
 * What a call must pass before anything is sent: the widget's captcha, the
 * rate limits, and for mobiles the SMS-pumping brake. The captcha is
 * checked here. The limits (when the store counts them) and the brake come
 * back as a plan for the store's single write of the send; limits counted
 * elsewhere (Redis) are spent here.
 *
 * @throws OtpkitError `CAPTCHA_REQUIRED`, `CAPTCHA_FAILED`, `RATE_LIMITED`
 */
async function guardSend(
  deps: OtpDeps,
  widget: WidgetRecord,
  call: CallOrigin | undefined,
  context: RequestContext,
  target: { identifier: string; country: string | null },
): Promise<SendGuard> {
  await guardCaptcha(deps, widget, call, context);
  const sendCall = {
    widgetId: widget.id,
    identifier: limitKeyOf(target.identifier),
    country: target.country,
    ip: context.ip,
    serverToServer: call?.serverToServer ?? false,
  };
  const limits = deps.limits.planSend?.(sendCall);
  if (!limits) await deps.limits.consumeSend(sendCall);
  const pumping = target.country ? await pumpingCheck(deps, widget.id, target.country) : null;
  return { limits, pumping };
}

/**
 * A resend's captcha, then its limits and brake in one all-or-nothing step,
 * before the resend's write.
 *
 * @throws OtpkitError `CAPTCHA_REQUIRED`, `CAPTCHA_FAILED`, `RATE_LIMITED`
 */
async function guardResend(
  deps: OtpDeps,
  widget: WidgetRecord,
  call: CallOrigin | undefined,
  context: RequestContext,
  target: { identifier: string; country: string | null },
): Promise<void> {
  await guardCaptcha(deps, widget, call, context);
  const pumping = target.country ? await pumpingCheck(deps, widget.id, target.country) : null;
  const refused = await deps.limits.consumeSend(
    {
      widgetId: widget.id,
      identifier: limitKeyOf(target.identifier),
      country: target.country,
      ip: context.ip,
      serverToServer: call?.serverToServer ?? false,
    },
    pumping,
  );
  if (refused && pumping) throw pumpingRefusal(deps, pumping, refused.pumping);
}

/** The widget's demo pair for an identifier, if it has one. */
function demoCredentialFor(widget: WidgetRecord, identifier: Identifier): string | undefined {
  for (const pair of widget.settings.demoCredentials) {
    try {
      if (parseIdentifier(pair.identifier, widget.settings).value === identifier.value)
        return pair.otp;
    } catch {
      // A pair the widget can no longer accept (e.g. its contact point was removed) matches nothing.
    }
  }
  return undefined;
}

/** What a send asked for, as the event row keeps it. */
function eventIdentifier(identifier: unknown): string | null {
  return typeof identifier === 'string' || typeof identifier === 'number'
    ? String(identifier).slice(0, 100)
    : null;
}

/** A call's event row, without its outcome and request (the store's combined writes add them). */
function eventOf(
  deps: OtpDeps,
  event: { kind: string; widgetId: string; context: RequestContext; identifier?: unknown },
): Omit<RequestEvent, 'outcome' | 'requestId'> {
  return {
    widgetId: event.widgetId,
    kind: event.kind,
    ip: event.context.ip,
    host: event.context.host,
    userAgent: event.context.userAgent,
    createdAt: deps.clock.now(),
    identifier: eventIdentifier(event.identifier),
  };
}

/**
 * Runs a call and records its event row with the outcome, unless the call
 * recorded it itself in the store's write of its success (`state.recorded`).
 */
async function recorded<T extends { reqId?: string }>(
  deps: OtpDeps,
  event: {
    kind: string;
    widgetId: string;
    requestId: string | null;
    context: RequestContext;
    /** The identifier a send asked for, as given. */
    identifier?: unknown;
  },
  run: (state: { recorded: boolean }) => Promise<T>,
): Promise<T> {
  let outcome: ErrorCode | 'ok' = 'INTERNAL_ERROR';
  let requestId = event.requestId;
  const state = { recorded: false };
  try {
    const result = await run(state);
    outcome = 'ok';
    requestId = result.reqId ?? requestId;
    return result;
  } catch (error) {
    if (error instanceof OtpkitError) outcome = error.code;
    throw error;
  } finally {
    if (event.kind === 'verify') deps.metrics.verification(outcome === 'ok' ? 'verified' : outcome);
    if (!state.recorded) {
      await deps.store.events
        .insert({ ...eventOf(deps, event), requestId, outcome })
        .catch((error: unknown) => deps.log.error('event not recorded', { error: String(error) }));
    }
  }
}

/**
 * Issues a code for an identifier and delivers it on the widget's primary
 * channel. A pending request for the same widget and identifier is superseded.
 *
 * @throws OtpkitError `INVALID_IDENTIFIER`, `INVALID_REQUEST`, `DELIVERY_FAILED`
 */
export function sendOtp(
  deps: OtpDeps,
  input: {
    widget: WidgetRecord;
    identifier: unknown;
    variables?: unknown;
    context: RequestContext;
    call?: CallOrigin;
    overrides?: SendOverrides;
  },
): Promise<SendResult> {
  const { widget, context } = input;
  const overrides = input.overrides ?? {};
  const magic = widget.settings.verificationType === 'magic_link';
  return recorded(
    deps,
    {
      kind: magic ? 'link-sent' : 'send',
      widgetId: widget.id,
      requestId: null,
      context,
      identifier: input.identifier,
    },
    async (state) => {
      const s = widget.settings;
      const identifier = parseIdentifier(input.identifier, s);
      checkDestination(identifier, s);
      const variables = sanitizeVariables(input.variables);
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
      const code =
        demoCode ?? overrides.code ?? generateCode(deps.random, codeLength ?? s.otpLength);
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
        event: eventOf(deps, {
          kind: magic ? 'link-sent' : 'send',
          widgetId: widget.id,
          context,
          identifier: input.identifier,
        }),
      });
      if (outcome.kind === 'limited') {
        throw guard.limits!.refused(outcome.index, outcome.msBeforeNext);
      }
      if (outcome.kind === 'pumping') throw pumpingRefusal(deps, guard.pumping!, outcome.count);
      state.recorded = true;
      const request = outcome.request;
      if (message) deps.delivery.kick();
      if (link)
        deps.log.info('magic link sent', { requestId: reqId, widgetId: widget.id, channel });
      return sendResult(request, now);
    },
  );
}

/**
 * Sends a fresh code for a pending request on the chosen channel (or the
 * widget's first retry channel), within the widget's resend interval and
 * count. Codes sent earlier for the request stay valid.
 *
 * @throws OtpkitError `REQUEST_NOT_FOUND`, `CHANNEL_NOT_ALLOWED`, `RETRY_TOO_SOON`,
 *   `RETRY_LIMIT_REACHED`, `OTP_EXPIRED`, `MAX_ATTEMPTS_REACHED`, `ALREADY_VERIFIED`
 */
export function retryOtp(
  deps: OtpDeps,
  input: {
    widget: WidgetRecord;
    reqId: unknown;
    retryChannel?: unknown;
    /** Variables for the resent message, over those the request was sent with. */
    variables?: unknown;
    context: RequestContext;
    call?: CallOrigin;
  },
): Promise<SendResult> {
  const { widget, context } = input;
  const reqId = typeof input.reqId === 'string' ? input.reqId : null;
  let magic = false;
  return recorded(
    deps,
    {
      // Named once the request is read: a link resend is logged as such.
      get kind() {
        return magic ? 'link-resent' : 'retry';
      },
      widgetId: widget.id,
      requestId: reqId,
      context,
    },
    async () => {
      if (!reqId || reqId.length > 100)
        throw new OtpkitError('INVALID_REQUEST', 'reqId is required.');
      const given = sanitizeVariables(input.variables);
      const existing = await deps.store.otpRequests.get(reqId);
      if (!existing || existing.widgetId !== widget.id) throw new OtpkitError('REQUEST_NOT_FOUND');
      const variables =
        Object.keys(given).length > 0
          ? sanitizeVariables({ ...existing.variables, ...given })
          : existing.variables;
      magic = existing.verificationType === 'magic_link';
      // A link is never read out by voice.
      const allowed = retryChannelsFor(widget.settings, existing.contactPoint).filter(
        (c) => !magic || c !== 'voice',
      );
      const wanted = input.retryChannel;
      let channel: Channel | undefined;
      if (wanted === undefined || wanted === null || wanted === '') {
        channel = allowed[0];
      } else {
        channel = channelFromCode(wanted);
        if (!channel) {
          throw new OtpkitError(
            'INVALID_REQUEST',
            'retryChannel must be 11 (SMS), 4 (voice), 3 (email) or 12 (WhatsApp).',
          );
        }
      }
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
        ? demoCredentialFor(widget, {
            value: existing.identifier,
            contactPoint: existing.contactPoint,
            country: existing.country,
          })
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

/**
 * Whose guess budget a verification of `request` spends: its identifier
 * (by canonical mailbox) within the widget's account. Demo pairs and magic
 * links have none (a demo code is public; a link is not guessed).
 */
function guessOwner(
  widget: WidgetRecord,
  request: Pick<OtpRequest, 'demo' | 'verificationType' | 'identifier'>,
): GuessOwner | undefined {
  if (request.demo || request.verificationType !== 'otp') return undefined;
  return { accountId: widget.accountId, identifier: limitKeyOf(request.identifier) };
}

/** The guess budget's owner a new request keeps (`NewOtpRequest.guessOwner`). */
function guessOwnerOf(
  widget: WidgetRecord,
  request: Pick<OtpRequest, 'demo' | 'verificationType' | 'identifier'>,
): string | null {
  const owner = guessOwner(widget, request);
  return owner ? guessOwnerKey(owner) : null;
}

/** The shortest and longest codes (widget `otpLength`, server API `otp_length`). */
const MIN_CODE_LENGTH = 4;
const MAX_CODE_LENGTH = 9;

/**
 * The keyed hashes a typed code may stand for: itself, or for a JSON number
 * (which lost its leading zeros) the number padded to each code length
 * (only the request's own length can match one of its codes).
 */
function candidateHashes(secret: string, reqId: string, typed: string | number): string[] {
  if (typeof typed === 'string') return [hashCode(secret, reqId, typed)];
  const digits = String(typed);
  const hashes: string[] = [];
  for (let length = Math.max(MIN_CODE_LENGTH, digits.length); length <= MAX_CODE_LENGTH; length++) {
    hashes.push(hashCode(secret, reqId, digits.padStart(length, '0')));
  }
  return hashes;
}

/**
 * The guess budget checked before a verification, for limits counted
 * outside the store (Redis): the request is read to learn its identifier.
 *
 * @throws OtpkitError `RATE_LIMITED`
 */
async function checkGuesses(
  deps: OtpDeps,
  widget: WidgetRecord,
  reqId: string,
): Promise<GuessOwner | undefined> {
  const request = await deps.store.otpRequests.get(reqId);
  const owner = request && request.widgetId === widget.id ? guessOwner(widget, request) : undefined;
  if (owner) await deps.limits.checkGuesses(owner);
  return owner;
}

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
  reqId: string | null,
  input: { otp: unknown; context: RequestContext; call?: CallOrigin },
  state: { recorded: boolean },
  mint?: AccessTokenStamp,
): Promise<OtpRequest> {
  if (!reqId || reqId.length > 100) throw new OtpkitError('INVALID_REQUEST', 'reqId is required.');
  // A code sent as a JSON number lost its leading zeros: it is padded to the request's own length
  // once the request is read (a server API send may choose a length other than the widget's).
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
    event: eventOf(deps, { kind: 'verify', widgetId: widget.id, context: input.context }),
  });
  if (owner && outcome.kind === 'mismatch') await deps.limits.recordWrongGuess(owner);
  switch (outcome.kind) {
    case 'verified':
      state.recorded = true;
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
export function verifyOtp(
  deps: OtpDeps,
  input: {
    widget: WidgetRecord;
    reqId: unknown;
    otp: unknown;
    context: RequestContext;
    call?: CallOrigin;
  },
): Promise<{
  reqId: string;
  accessToken: string;
  identifier: string;
  channel: RequestChannel;
  demo: boolean;
}> {
  const { widget, context } = input;
  const reqId = typeof input.reqId === 'string' ? input.reqId : null;
  return recorded(
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
  input: { widget: WidgetRecord; reqId: string; otp: unknown; context: RequestContext },
): Promise<{ reqId: string; identifier: string }> {
  const { widget, context } = input;
  return recorded(
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
  );
}
