/**
 * The message that carries a code: rendered from the widget's template,
 * sealed, and ready to be queued in the same transaction as the state change
 * it belongs to. Also the autoRetry fallback, when a message fails or no
 * delivery report arrives in time.
 */
import { isIP } from 'node:net';
import type { Channel } from '@otpkit/protocol';
import { z } from 'zod';
import { OtpkitError } from '../../platform/errors.ts';
import type {
  MessagePurpose,
  NewMessage,
  QueuedMessage,
  TemplateRecord,
  WidgetRecord,
} from '../../store/index.ts';
import { type CallerText, type ComposedMessage, composeMessage } from '../templates/service.ts';
import { withAutofillLine } from '../templates/sms-autofill.ts';
import { MAX_SMS_SEGMENTS, type SmsLength, smsLength } from '../templates/sms-length.ts';
import { generateCode, hashCode } from './codes.ts';
import type { OtpDeps } from './deps.ts';

/** Who the message goes to, and what the request knows about the asking page. */
export interface MessageTarget {
  reqId: string;
  identifier: string;
  country: string | null;
  variables: Record<string, string>;
  /** Host of the page that asked (for the WebOTP line in SMS). */
  host: string | null;
  /** Host of the top page when the page that asked is a cross-origin frame. */
  topHost?: string | null;
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

/** A DNS hostname (letters, digits, hyphens; labels of at most 63, 253 in all); not an IP address. */
const hostnameSchema = z.hostname();

/**
 * The host a WebOTP line may name: the asking page's, when it is a plain
 * hostname (no port, no IP address, at most 253 characters) and, for a
 * widget with `allowedOrigins`, the host of one of them. Anything else gets
 * no line: the host comes from the caller's `Origin` header and would
 * otherwise go into the SMS (and its bill) unchecked.
 */
export function webOtpHost(host: string | null, allowedOrigins: readonly string[]): string | null {
  if (!host || host.length > 253 || host.endsWith('.') || isIP(host) !== 0) return null;
  if (!hostnameSchema.safeParse(host).success) return null;
  if (allowedOrigins.length > 0 && !allowedOrigins.some((origin) => hostOf(origin) === host)) {
    return null;
  }
  return host;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * The text a message goes out with: the rendered template, then, for a code
 * by SMS, the line that lets the phone fill the code in ({@link withAutofillLine}:
 * the WebOTP line `@host #code`, which the Android WebOTP API and Safari's
 * autofill read from the last line, its form for frames, or an app's hash).
 * Every line an SMS carries is added here, and the whole is then held to
 * {@link MAX_SMS_SEGMENTS}.
 *
 * @throws OtpkitError `MESSAGE_TOO_LONG` for an SMS over the limit, naming the longest variables.
 */
export function messageText(
  channel: Channel,
  rendered: Pick<ComposedMessage, 'text' | 'unicode'>,
  extras: {
    content: MessageContent;
    host: string | null;
    /** Host of the top page when the page that asked is a cross-origin frame. */
    topHost?: string | null;
    /** The widget's app hash, for a call that comes from no page. */
    androidAppHash?: string | null;
    allowedOrigins: readonly string[];
    /** The caller's template variables, named in the error when the text is too long. */
    variables: Record<string, string>;
    /** The text is the caller's own (legacy API `message`), not a template. */
    callerText?: boolean;
  },
): string {
  if (channel !== 'sms') return rendered.text;
  let text = rendered.text;
  if ('code' in extras.content) {
    // A page asked: the WebOTP line, for a host it may name (the frame form when the top page
    // is another valid host); no page (an app, a backend): the widget's app hash, if any.
    const host = webOtpHost(extras.host, extras.allowedOrigins);
    const topHost =
      host && extras.topHost ? webOtpHost(extras.topHost, extras.allowedOrigins) : null;
    text = extras.host
      ? withAutofillLine(text, extras.content.code, { host, topHost })
      : withAutofillLine(text, extras.content.code, {
          host: null,
          androidAppHash: extras.androidAppHash ?? null,
        });
  }
  const length = smsLength(text, { unicode: rendered.unicode === true });
  if (length.segments > MAX_SMS_SEGMENTS) {
    throw new OtpkitError('MESSAGE_TOO_LONG', tooLongMessage(length, extras), {
      segments: length.segments,
      maxSegments: MAX_SMS_SEGMENTS,
    });
  }
  return text;
}

function tooLongMessage(
  length: SmsLength,
  extras: { variables: Record<string, string>; callerText?: boolean },
): string {
  const limit = length.encoding === 'GSM-7' ? 459 : 201;
  const longest = Object.entries(extras.variables)
    .filter(([, value]) => value.length > 0)
    .sort(([, a], [, b]) => b.length - a.length)
    .slice(0, 3)
    .map(([name, value]) => `${name} (${value.length} characters)`);
  return (
    `The SMS would take ${length.segments} segments (${length.units} ${length.encoding} characters); ` +
    `otpkit sends at most ${MAX_SMS_SEGMENTS} (${limit} ${length.encoding} characters). ` +
    (longest.length > 0
      ? `Shorten the template variables: ${longest.join(', ')}.`
      : `Shorten the ${extras.callerText ? 'message' : 'template'}.`)
  );
}

/**
 * A caller's own SMS text must carry the code in its own words (else the API
 * would send any text the caller likes); the SMS it becomes is held to the
 * length cap by {@link messageText}, as every SMS is.
 *
 * @throws OtpkitError `INVALID_REQUEST`
 */
function checkCallerText(written: string, content: MessageContent): void {
  // The code as a number of its own, not digits inside a longer one.
  if (!('code' in content) || !new RegExp(`(?<!\\d)${content.code}(?!\\d)`).test(written)) {
    throw new OtpkitError(
      'INVALID_REQUEST',
      'message must contain the code: put ##OTP## where it goes, or pass the code in otp.',
    );
  }
}

/**
 * Renders and seals the message carrying a code or a link. Rendering happens before
 * any state changes, so a template problem refuses the call instead of
 * leaving a request that nothing was sent for.
 *
 * @throws OtpkitError `TEMPLATE_VARIABLE_MISSING`, `MESSAGE_TOO_LONG`
 */
export async function buildMessage(
  deps: OtpDeps,
  widget: WidgetRecord,
  target: MessageTarget,
  channel: Channel,
  content: MessageContent,
  purpose: MessagePurpose,
): Promise<NewMessage> {
  // A call goes in English when the voice provider can't speak the language (docs: README, Languages).
  const speaker = channel === 'voice' ? deps.delivery.providerFor(channel, widget) : undefined;
  const language = speaker?.speaks?.(target.language) === false ? 'en' : target.language;
  const message = await composeMessage(deps.store, widget, channel, {
    ...content,
    variables: target.variables,
    language,
    ...(target.template ? { template: target.template } : {}),
    ...(target.expiryMinutes !== undefined ? { expiryMinutes: target.expiryMinutes } : {}),
    ...(target.text ? { text: target.text } : {}),
  });
  // The code must be in the caller's words, not only in the WebOTP line added after them.
  if (target.text?.body !== undefined) checkCallerText(message.text, content);
  const text = messageText(channel, message, {
    content,
    host: target.host,
    topHost: target.topHost ?? null,
    androidAppHash: widget.settings.androidAppHash,
    allowedOrigins: widget.settings.allowedOrigins,
    variables: target.variables,
    ...(target.text?.body !== undefined ? { callerText: true } : {}),
  });
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
      language,
      // Providers that send the code apart from the text (Telegram, WhatsApp templates, MSG91 flows).
      ...('code' in content ? { code: content.code } : {}),
      ...(channel === 'voice' && widget.settings.voiceCallerId
        ? { callerId: widget.settings.voiceCallerId }
        : {}),
    }),
    createdAt: deps.clock.now(),
  };
}

/**
 * The channel a failed message falls back to: the widget's `fallbackChannel`;
 * for a recipient a channel cannot reach at all (a number with no Telegram),
 * the next channel of `retryChannels`, else SMS, else `fallbackChannel`.
 */
function fallbackChannelFor(
  deps: OtpDeps,
  widget: WidgetRecord,
  failed: QueuedMessage,
): Channel | undefined {
  const usable = (c: Channel) => c !== failed.channel && deps.delivery.supports(c, widget);
  if (failed.channel === 'telegram') {
    const listed = widget.settings.retryChannels.mobile as Channel[];
    const after = listed.slice(listed.indexOf('telegram') + 1);
    return [...after, ...listed, 'sms' as const, widget.settings.fallbackChannel].find(usable);
  }
  const channel = widget.settings.fallbackChannel;
  return usable(channel) ? channel : undefined;
}

/**
 * Sends a request's fallback (autoRetry, or a channel that cannot reach the
 * recipient): a fresh code on the fallback channel, once per message, only
 * while the request is pending.
 */
export async function sendFallback(deps: OtpDeps, failed: QueuedMessage): Promise<void> {
  const request = await deps.store.otpRequests.get(failed.requestId);
  if (request?.status !== 'pending' || request.expiresAt <= deps.clock.now()) return;
  // A magic link is not re-sent automatically (the fallback channel is usually voice).
  if (request.verificationType === 'magic_link') return;
  const widget = await deps.store.widgets.get(failed.widgetId);
  if (!widget) return;
  const channel = fallbackChannelFor(deps, widget, failed);
  if (!channel) return;
  const code = generateCode(deps.random, request.codeLength ?? widget.settings.otpLength);
  let message: NewMessage;
  try {
    message = await buildMessage(
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
  } catch (error) {
    // The request's variables fit its first channel, not the fallback's (an SMS after a voice call).
    if (!(error instanceof OtpkitError) || error.code !== 'MESSAGE_TOO_LONG') throw error;
    deps.log.info('fallback skipped', { requestId: request.id, to: channel, reason: error.code });
    return;
  }
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
