/**
 * The lines that let a phone fill the code from an SMS by itself, appended
 * to the rendered text of a code SMS:
 *
 * - WebOTP (Chrome on Android), for a page: the last line names the page's
 *   host, `@shop.example #123456`; for a widget in a frame, the origin-bound
 *   format for frames names the top page, then the frame:
 *   `@shop.example #123456 @otp.example` (WICG WebOTP, "origin-bound
 *   one-time code"; the host page's iframe needs `allow="otp-credentials"`).
 * - The SMS Retriever API (apps built on the Android SDKs), for a call that
 *   comes from no page: the message ends with the app's 11-character hash,
 *   and is at most 140 bytes long as a whole.
 */
import { ANDROID_APP_HASH } from '../../model/widget-settings.ts';
import { isGsm7 } from './render.ts';

export { ANDROID_APP_HASH };

/** What the request knows about who will read the code. */
export interface AutofillTarget {
  /** Host of the page (or frame) that asked, from its `Origin`; null for an app or a backend. */
  host: string | null;
  /** Host of the top page when the widget runs in a cross-origin frame. */
  topHost?: string | null;
  /** The widget's `androidAppHash`, if any. */
  androidAppHash?: string | null;
}

/** The longest SMS the SMS Retriever API reads, in bytes (one GSM-7 or UCS-2 segment). */
export const SMS_RETRIEVER_MAX_BYTES = 140;

const GSM7_EXTENDED = '^{}\\[~]|€\f';

/**
 * The bytes an SMS body takes on the air: 7 bits a character in GSM-7
 * (2 characters for `{`, `€`…), 2 bytes a UTF-16 unit in UCS-2 (text
 * outside GSM-7, or a template marked `unicode`).
 *
 * @example smsBytes('Your code is 123456') // 17
 */
export function smsBytes(text: string, { unicode = false } = {}): number {
  if (unicode || !isGsm7(text)) return text.length * 2;
  let septets = 0;
  for (const char of text) septets += GSM7_EXTENDED.includes(char) ? 2 : 1;
  return Math.ceil((septets * 7) / 8);
}

/**
 * The SMS with its autofill line: the WebOTP line when a page asked (the
 * frame form when the top page is another host), else the app hash when the
 * widget has one, else the text as it is.
 *
 * @example
 * withAutofillLine('Your code is 123456', '123456', { host: 'shop.example' })
 * // 'Your code is 123456\n\n@shop.example #123456'
 * withAutofillLine('Your code is 123456', '123456', { host: 'otp.example', topHost: 'shop.example' })
 * // 'Your code is 123456\n\n@shop.example #123456 @otp.example'
 * withAutofillLine('Your code is 123456', '123456', { host: null, androidAppHash: 'FA+9qCX9VSu' })
 * // 'Your code is 123456\n\nFA+9qCX9VSu'
 */
export function withAutofillLine(text: string, code: string, target: AutofillTarget): string {
  if (target.host) {
    const framed = target.topHost && target.topHost !== target.host;
    return framed
      ? `${text}\n\n@${target.topHost} #${code} @${target.host}`
      : `${text}\n\n@${target.host} #${code}`;
  }
  if (target.androidAppHash) return `${text}\n\n${target.androidAppHash}`;
  return text;
}
