/**
 * Twilio for SMS, WhatsApp and voice, over its REST API (base URL
 * configurable). Voice calls speak the template through TwiML `<Say>` in the
 * widget's language. Delivery reports arrive at `/api/hooks/twilio`, signed
 * with `X-Twilio-Signature`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from '@otpkit/protocol';
import {
  DeliveryError,
  type DeliveryOutcome,
  type DeliveryProvider,
  deliveredOutcome,
  failedOutcome,
  type OutgoingMessage,
} from '../types.ts';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** Default sender (`*`), per-country senders, or a messaging service SID. */
  from: Readonly<Record<string, string>>;
  whatsappFrom?: string;
  baseUrl: string;
}

/** Twilio error codes that no retry can fix (invalid or unreachable numbers, blocked regions). */
const PERMANENT_CODES = new Set([
  21211, 21212, 21214, 21215, 21216, 21217, 21219, 21408, 21421, 21610, 21612, 21614, 63003, 63024,
]);

/**
 * The voice `<Say>` uses per otpkit language: the locale, and for languages
 * beyond Twilio's basic voices a Google voice of that locale (Twilio's
 * Google text-to-speech), which reads the code's digits in the language.
 * A language missing here (Urdu: no Twilio voice otpkit relies on) is
 * spoken in English: `speaks` says no, and the message is written in
 * English for the call (otp/messages.ts).
 */
const SAY_VOICES: Readonly<Record<string, { language: string; voice?: string }>> = {
  en: { language: 'en-US' },
  hi: { language: 'hi-IN' },
  ...Object.fromEntries(
    (
      [
        ['bn', 'bn-IN'],
        ['te', 'te-IN'],
        ['mr', 'mr-IN'],
        ['ta', 'ta-IN'],
        ['gu', 'gu-IN'],
        ['kn', 'kn-IN'],
        ['ml', 'ml-IN'],
        ['pa', 'pa-IN'],
        ['ar', 'ar-XA'],
        ['es', 'es-ES'],
        ['pt-BR', 'pt-BR'],
        ['fr', 'fr-FR'],
        ['de', 'de-DE'],
        ['id', 'id-ID'],
        ['ru', 'ru-RU'],
        ['tr', 'tr-TR'],
        ['vi', 'vi-VN'],
        ['zh-CN', 'cmn-CN'],
        ['ja', 'ja-JP'],
      ] as const
    ).map(([lang, locale]) => [lang, { language: locale, voice: `Google.${locale}-Standard-A` }]),
  ),
};

/** Whether Twilio's `<Say>` speaks a language (else the call is made in English). */
export function twilioSpeaks(language: string): boolean {
  return Object.hasOwn(SAY_VOICES, language);
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** TwiML that speaks the message (the template already reads the code digit by digit, twice). */
export function sayTwiml(text: string, language: string): string {
  const say = (Object.hasOwn(SAY_VOICES, language) ? SAY_VOICES[language] : undefined) ?? {
    language: 'en-US',
  };
  const voice = say.voice ? ` voice="${say.voice}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="1"/><Say language="${say.language}"${voice}>${escapeXml(text)}</Say></Response>`;
}

function channelsOf(config: TwilioConfig): Channel[] {
  const channels: Channel[] = [];
  if (Object.keys(config.from).length > 0) channels.push('sms', 'voice');
  if (config.whatsappFrom) channels.push('whatsapp');
  return channels;
}

/** The sender for a recipient's country: its own number, else the default (`*`). */
function senderFor(config: TwilioConfig, country: string | null): string | undefined {
  return (
    (country ? config.from[country] : undefined) ??
    config.from['*'] ??
    Object.values(config.from)[0]
  );
}

/**
 * A Twilio provider.
 *
 * @param statusCallbackUrl where Twilio posts delivery reports (`{publicUrl}/api/hooks/twilio`).
 */
export function createTwilioProvider(
  config: TwilioConfig,
  options: { statusCallbackUrl: string; fetch?: typeof fetch },
): DeliveryProvider {
  const doFetch = options.fetch ?? fetch;
  const auth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  const api = `${config.baseUrl}/2010-04-01/Accounts/${config.accountSid}`;

  function form(message: OutgoingMessage): { path: string; params: Record<string, string> } {
    const to = `+${message.to}`;
    if (message.channel === 'voice') {
      const from = message.callerId ?? senderFor(config, message.country);
      if (!from || from.startsWith('MG')) {
        throw new DeliveryError(
          'Twilio: no caller ID for voice (set OTPKIT_TWILIO_FROM to a number)',
          { permanent: true },
        );
      }
      return {
        path: 'Calls.json',
        params: {
          To: to,
          From: from,
          Twiml: sayTwiml(message.text, message.language),
          StatusCallback: options.statusCallbackUrl,
          StatusCallbackEvent: 'completed',
        },
      };
    }
    if (message.channel === 'whatsapp') {
      return {
        path: 'Messages.json',
        params: {
          To: `whatsapp:${to}`,
          From: `whatsapp:${config.whatsappFrom}`,
          Body: message.text,
          StatusCallback: options.statusCallbackUrl,
        },
      };
    }
    const from = message.senderId ?? senderFor(config, message.country);
    if (!from) throw new DeliveryError('Twilio: no SMS sender configured', { permanent: true });
    return {
      path: 'Messages.json',
      params: {
        To: to,
        ...(from.startsWith('MG') ? { MessagingServiceSid: from } : { From: from }),
        Body: message.text,
        StatusCallback: options.statusCallbackUrl,
      },
    };
  }

  return {
    name: 'twilio',
    channels: channelsOf(config),
    speaks: twilioSpeaks,
    async send(message) {
      const { path, params } = form(message);
      let response: Response;
      try {
        response = await doFetch(`${api}/${path}`, {
          method: 'POST',
          headers: {
            Authorization: auth,
            'Content-Type': 'application/x-www-form-urlencoded',
            // Twilio's REST API does not deduplicate on it; it is sent so proxies and stand-ins can.
            'I-Twilio-Idempotency-Token': message.id,
          },
          body: new URLSearchParams(params).toString(),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new DeliveryError(`Twilio unreachable: ${(error as Error).message}`, {
          permanent: false,
        });
      }
      const body = (await response.json().catch(() => ({}))) as {
        sid?: string;
        code?: number;
        message?: string;
      };
      if (response.ok && body.sid) return { providerMessageId: body.sid };
      const reason = `Twilio ${response.status}${body.code ? ` (${body.code})` : ''}: ${body.message ?? response.statusText}`;
      const permanent =
        (body.code !== undefined && PERMANENT_CODES.has(body.code)) ||
        response.status === 400 ||
        response.status === 401 ||
        response.status === 403 ||
        response.status === 404;
      throw new DeliveryError(reason, { permanent });
    },
  };
}

/**
 * Twilio's request signature: base64 HMAC-SHA1 of the full URL followed by
 * each POST parameter's name and value, sorted by name, keyed by the auth token.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Whether a status callback carries a valid `X-Twilio-Signature`. */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A Twilio status callback as an outcome for the queue, or `undefined` for an intermediate status. */
export function readTwilioReport(params: Record<string, string>): DeliveryOutcome | undefined {
  const messageSid = params.MessageSid ?? params.SmsSid;
  if (messageSid && params.MessageStatus) {
    const s = params.MessageStatus;
    if (s === 'delivered' || s === 'read') return deliveredOutcome(messageSid);
    if (s === 'failed' || s === 'undelivered') {
      return failedOutcome(
        messageSid,
        `Twilio ${s}${params.ErrorCode ? ` (${params.ErrorCode})` : ''}`,
      );
    }
    return undefined;
  }
  if (params.CallSid && params.CallStatus) {
    const s = params.CallStatus;
    if (s === 'completed') return deliveredOutcome(params.CallSid);
    if (['busy', 'no-answer', 'failed', 'canceled'].includes(s)) {
      return failedOutcome(params.CallSid, `Twilio call ${s}`);
    }
  }
  return undefined;
}
