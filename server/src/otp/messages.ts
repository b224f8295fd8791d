/**
 * The message that carries a code: rendered from the widget's template,
 * sealed, and ready to be queued in the same transaction as the state change
 * it belongs to. Also the autoRetry fallback, when a message fails or no
 * delivery report arrives in time.
 */
import type { Channel } from '@otpkit/protocol';
import { OtpkitError } from '../errors.ts';
import type {
  MessagePurpose,
  NewMessage,
  QueuedMessage,
  TemplateRecord,
  WidgetRecord,
} from '../store/index.ts';
import { type CallerText, composeMessage } from '../templates/service.ts';
import { assertSmsFits } from '../templates/sms-length.ts';
import { generateCode, hashCode } from './codes.ts';
import type { OtpDeps } from './service.ts';

/** Who the message goes to, and what the request knows about the asking page. */
export interface MessageTarget {
  reqId: string;
  identifier: string;
  country: string | null;
  variables: Record<string, string>;
  /** Host of the page that asked (for the WebOTP line in SMS). */
  host: string | null;
  /** The language of the message (the widget's, or the visitor's when the widget follows the browser). */
  language: string;
  /** A template named by the caller (server API v5), used instead of the widget's. */
  template?: TemplateRecord;
  /** Minutes the code stays valid, when the request's expiry is not the widget's. */
  expiryMinutes?: number;
  /** The caller's own SMS text (legacy API `message`), used instead of any template. */
  text?: CallerText;
}

/** What a message carries: a code to type back, or a magic link to open. */
export type MessageContent = { code: string } | { link: string };

/**
 * A caller's own SMS text must carry the code in its own words (else the API
 * would send any text the caller likes), and the SMS it becomes must fit the
 * length cap.
 *
 * @throws OtpkitError `INVALID_REQUEST`, `MESSAGE_TOO_LONG`
 */
function checkCallerText(
  written: string,
  sent: string,
  content: MessageContent,
  unicode: boolean,
): void {
  // The code as a number of its own, not digits inside a longer one.
  if (!('code' in content) || !new RegExp(`(?<!\\d)${content.code}(?!\\d)`).test(written)) {
    throw new OtpkitError(
      'INVALID_REQUEST',
      'message must contain the code: put ##OTP## where it goes, or pass the code in otp.',
    );
  }
  assertSmsFits(sent, { unicode });
}

/**
 * Renders and seals the message carrying a code or a link. Rendering happens before
 * any state changes, so a template problem refuses the call instead of
 * leaving a request that nothing was sent for.
 *
 * @throws OtpkitError `TEMPLATE_VARIABLE_MISSING`
 */
export async function buildMessage(
  deps: OtpDeps,
  widget: WidgetRecord,
  target: MessageTarget,
  channel: Channel,
  content: MessageContent,
  purpose: MessagePurpose,
): Promise<NewMessage> {
  const message = await composeMessage(deps.store, widget, channel, {
    ...content,
    variables: target.variables,
    language: target.language,
    ...(target.template ? { template: target.template } : {}),
    ...(target.expiryMinutes !== undefined ? { expiryMinutes: target.expiryMinutes } : {}),
    ...(target.text ? { text: target.text } : {}),
  });
  // The WebOTP API (Android Chrome) fills the code when the SMS's last line names the site.
  const text =
    channel === 'sms' && target.host && 'code' in content
      ? `${message.text}\n\n@${target.host} #${content.code}`
      : message.text;
  if (target.text?.body !== undefined) {
    // The code must be in the caller's words, not only in the WebOTP line added after them.
    checkCallerText(message.text, text, content, Boolean(message.unicode));
  }
  return {
    id: deps.random.sortable(16),
    requestId: target.reqId,
    widgetId: widget.id,
    channel,
    purpose,
    recipient: target.identifier,
    payload: deps.delivery.seal({
      ...message,
      text,
      country: target.country,
      language: target.language,
      ...(channel === 'voice' && widget.settings.voiceCallerId
        ? { callerId: widget.settings.voiceCallerId }
        : {}),
    }),
    createdAt: deps.clock.now(),
  };
}

/**
 * Sends a request's fallback (autoRetry): a fresh code on the widget's
 * fallback channel, once per message, only while the request is pending.
 */
export async function sendFallback(deps: OtpDeps, failed: QueuedMessage): Promise<void> {
  const request = await deps.store.otpRequests.get(failed.requestId);
  if (request?.status !== 'pending' || request.expiresAt <= deps.clock.now()) return;
  // A magic link is not re-sent automatically (the fallback channel is usually voice).
  if (request.verificationType === 'magic_link') return;
  const widget = await deps.store.widgets.get(failed.widgetId);
  if (!widget) return;
  const channel = widget.settings.fallbackChannel;
  if (channel === failed.channel || !deps.delivery.supports(channel, widget)) return;
  const code = generateCode(deps.random, request.codeLength ?? widget.settings.otpLength);
  const message = await buildMessage(
    deps,
    widget,
    {
      reqId: request.id,
      identifier: request.identifier,
      country: request.country,
      variables: request.variables,
      host: request.host,
      language: request.language,
    },
    channel,
    { code },
    'fallback',
  );
  const updated = await deps.store.otpRequests.addFallback(
    request.id,
    { channel, codeHash: hashCode(deps.secret, request.id, code), now: deps.clock.now() },
    message,
  );
  if (!updated) return;
  deps.log.info('fallback queued', {
    requestId: request.id,
    from: failed.channel,
    to: channel,
    reason: failed.status === 'failed' ? 'failed' : 'no delivery report',
  });
  deps.delivery.kick();
}
