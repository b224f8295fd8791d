/**
 * Plivo for SMS and voice, over its REST API with Basic auth
 * (`auth_id:auth_token`): SMS by `POST /v1/Account/{id}/Message/` (202 with
 * `message_uuid`), calls by `POST /v1/Account/{id}/Call/` (201 with
 * `request_uuid`) whose `answer_url` serves Plivo XML that speaks the
 * message (`<Speak>` in the widget's language). The answer URL carries the
 * words sealed (and expiring), so only the call's own answer can read them.
 *
 * Status callbacks arrive at `/api/hooks/plivo`, signed with
 * `X-Plivo-Signature-V3` (base64 HMAC-SHA256, keyed by the auth token, of
 * the URL, `?`, the POST parameters sorted and concatenated as name+value,
 * `.`, and `X-Plivo-Signature-V3-Nonce`; the header may list several
 * signatures, comma-separated), as Plivo's request validation does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PlivoConfig } from '../../../platform/config/gateways.ts';
import { type DeliveryOutcome, deliveredOutcome, failedOutcome } from '../types.ts';
import { type GatewayResponse, httpGatewayProvider } from './http.ts';

/** What the answer URLs' sealing key is for (apart from the queue's). */
export const PLIVO_ANSWER_PURPOSE = 'plivo call answer';

/** How long a call's answer URL speaks its message. */
export const PLIVO_ANSWER_TTL_MS = 15 * 60_000;

const SPEAK_LANGUAGES: Record<string, string> = { en: 'en-US', hi: 'hi-IN' };

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** Plivo XML that speaks the message (the template already reads the code twice). */
export function speakXml(text: string, language: string): string {
  const lang = SPEAK_LANGUAGES[language] ?? 'en-US';
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Wait length="1"/><Speak language="${lang}">${escapeXml(text)}</Speak></Response>`;
}

interface PlivoAnswer {
  message_uuid: string[];
  request_uuid: string;
  error: string | Record<string, unknown>;
}

/** A refusal about the destination number (Plivo "error codes": invalid or unsupported destination). */
const RECIPIENT_REFUSAL = /dst|destination|invalid number|not a valid phone/i;

/** What a Plivo provider needs besides its configuration. */
export interface PlivoOptions {
  statusCallbackUrl: string;
  /** The answer URL of a call that speaks `text` (sealed into the URL). */
  answerUrl(text: string, language: string): string;
}

/** A Plivo provider for SMS and voice. */
export const createPlivoProvider = httpGatewayProvider({
  name: 'plivo',
  vendor: 'Plivo',
  channels: ['sms', 'voice'],
  request(config: PlivoConfig, message, options: PlivoOptions) {
    const auth = `Basic ${Buffer.from(`${config.authId}:${config.authToken}`).toString('base64')}`;
    const api = `${config.baseUrl}/v1/Account/${config.authId}`;
    const voice = message.channel === 'voice';
    const from = voice ? (message.callerId ?? config.from) : (message.senderId ?? config.from);
    const json = voice
      ? {
          from,
          to: message.to,
          answer_url: options.answerUrl(message.text, message.language),
          answer_method: 'GET',
          hangup_url: options.statusCallbackUrl,
          hangup_method: 'POST',
        }
      : {
          src: from,
          dst: message.to,
          text: message.text,
          type: 'sms',
          url: options.statusCallbackUrl,
          method: 'POST',
          ...(message.dltTemplateId ? { dlt_template_id: message.dltTemplateId } : {}),
        };
    return {
      url: `${api}/${voice ? 'Call' : 'Message'}/`,
      headers: { authorization: auth },
      json,
    };
  },
  accepted({ ok, body }: GatewayResponse<PlivoAnswer>, message) {
    if (!ok) return undefined;
    return message.channel === 'voice' ? body.request_uuid : body.message_uuid?.[0];
  },
  refusal({ status, body, text }) {
    const error =
      typeof body.error === 'string'
        ? body.error
        : JSON.stringify(body.error ?? text.slice(0, 200));
    return { detail: error, recipient: status !== 401 && RECIPIENT_REFUSAL.test(error) };
  },
});

/** The string Plivo's V3 signature covers. */
function signedString(url: string, params: Record<string, string>, nonce: string): string {
  const keys = Object.keys(params).sort();
  const sorted = keys.map((k) => `${k}${params[k]}`).join('');
  return `${url}${keys.length > 0 ? '?' : ''}${sorted}.${nonce}`;
}

/** The `X-Plivo-Signature-V3` of a callback. */
export function plivoSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  nonce: string,
): string {
  return createHmac('sha256', authToken)
    .update(signedString(url, params, nonce))
    .digest('base64');
}

/** Whether a callback carries a valid V3 signature (any of a comma-separated list). */
export function verifyPlivoSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  headers: { signature: string | undefined; nonce: string | undefined },
): boolean {
  if (!headers.signature || !headers.nonce) return false;
  const expected = Buffer.from(plivoSignature(authToken, url, params, headers.nonce));
  return headers.signature.split(',').some((s) => {
    const given = Buffer.from(s.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** A message status or call hangup callback as an outcome. */
export function readPlivoCallback(params: Record<string, string>): DeliveryOutcome | undefined {
  if (params.MessageUUID) {
    const s = params.Status;
    if (s === 'delivered') return deliveredOutcome(params.MessageUUID);
    if (s === 'failed' || s === 'undelivered' || s === 'rejected') {
      return failedOutcome(
        params.MessageUUID,
        `Plivo ${s}${params.ErrorCode ? ` (${params.ErrorCode})` : ''}`,
      );
    }
    return undefined;
  }
  // A hangup: the call's `RequestUUID` is what the send returned.
  const id = params.RequestUUID ?? params.CallUUID;
  if (!id || !params.CallStatus) throw new TypeError('not a Plivo callback');
  if (params.CallStatus === 'completed') return deliveredOutcome(id);
  return failedOutcome(id, `Plivo call ${params.CallStatus}`);
}
