/**
 * What a call must pass before it costs anything: the widget's captcha, the
 * rate limits, the SMS-pumping brake, and the identifier's guess budget.
 */
import type { RequestContext } from '../../model/call.ts';
import { limitKeyOf } from '../../model/identifier.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { OtpRequest, WidgetRecord } from '../../store/index.ts';
import { checkCaptcha } from '../captcha/index.ts';
import {
  type GuessOwner,
  guessOwnerKey,
  type LimitPlan,
  type PumpingCheck,
  pumpingCheck,
  pumpingRefusal,
  type SendCall,
} from '../limits/index.ts';
import type { OtpDeps } from './deps.ts';

/** How a call reached the widget API. */
export interface CallOrigin {
  /** Authenticated by the account authkey (the customer's backend): no captcha, no per-IP limit. */
  serverToServer: boolean;
  /** The captcha token or proof-of-work solution the browser sent. */
  captcha?: unknown;
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

/** Who a send or resend goes to, as the limits and the brake see it. */
type SendTarget = { identifier: string; country: string | null };

/** What the rate limits count a send or resend by. */
function limitedCall(
  widget: WidgetRecord,
  call: CallOrigin | undefined,
  context: RequestContext,
  target: SendTarget,
): SendCall {
  return {
    widgetId: widget.id,
    identifier: limitKeyOf(target.identifier),
    country: target.country,
    ip: context.ip,
    serverToServer: call?.serverToServer ?? false,
  };
}

/** What a send spends in the store's write of the send (see `guardSend`). */
export interface SendGuard {
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
export async function guardSend(
  deps: OtpDeps,
  widget: WidgetRecord,
  call: CallOrigin | undefined,
  context: RequestContext,
  target: SendTarget,
): Promise<SendGuard> {
  await guardCaptcha(deps, widget, call, context);
  const sendCall = limitedCall(widget, call, context, target);
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
export async function guardResend(
  deps: OtpDeps,
  widget: WidgetRecord,
  call: CallOrigin | undefined,
  context: RequestContext,
  target: SendTarget,
): Promise<void> {
  await guardCaptcha(deps, widget, call, context);
  const pumping = target.country ? await pumpingCheck(deps, widget.id, target.country) : null;
  const refused = await deps.limits.consumeSend(
    limitedCall(widget, call, context, target),
    pumping,
  );
  if (refused && pumping) throw pumpingRefusal(deps, pumping, refused.pumping);
}

/**
 * Whose guess budget a verification of `request` spends: its identifier
 * (by canonical mailbox) within the widget's account. Demo pairs and magic
 * links have none (a demo code is public; a link is not guessed).
 */
export function guessOwner(
  widget: WidgetRecord,
  request: Pick<OtpRequest, 'demo' | 'verificationType' | 'identifier'>,
): GuessOwner | undefined {
  if (request.demo || request.verificationType !== 'otp') return undefined;
  return { accountId: widget.accountId, identifier: limitKeyOf(request.identifier) };
}

/** The guess budget's owner a new request keeps (`NewOtpRequest.guessOwner`). */
export function guessOwnerOf(
  widget: WidgetRecord,
  request: Pick<OtpRequest, 'demo' | 'verificationType' | 'identifier'>,
): string | null {
  const owner = guessOwner(widget, request);
  return owner ? guessOwnerKey(owner) : null;
}

/**
 * The guess budget checked before a verification, for limits counted
 * outside the store (Redis): the request is read to learn its identifier.
 *
 * @throws OtpkitError `RATE_LIMITED`
 */
export async function checkGuesses(
  deps: OtpDeps,
  widget: WidgetRecord,
  reqId: string,
): Promise<GuessOwner | undefined> {
  const request = await deps.store.otpRequests.get(reqId);
  const owner = request && request.widgetId === widget.id ? guessOwner(widget, request) : undefined;
  if (owner) await deps.limits.checkGuesses(owner);
  return owner;
}
