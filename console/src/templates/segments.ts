/**
 * SMS length in segments: GSM-7 (160 characters alone, 153 per part when
 * concatenated; extension characters such as `€` or `{` count twice) or
 * UCS-2 (70 alone, 67 per part; characters beyond the BMP count twice).
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

/** The most segments the server sends an SMS in; longer sends are refused (`MESSAGE_TOO_LONG`). */
export const MAX_SMS_SEGMENTS = 3;

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

/** How an SMS text splits into segments. */
export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Length in the encoding's units (septets or UTF-16 code units). */
  units: number;
  segments: number;
  /** Units per segment at this length (160/153 or 70/67). */
  perSegment: number;
  /** Units left before the next segment starts. */
  remaining: number;
  /** Characters GSM-7 cannot carry (each listed once). */
  nonGsm: string[];
}

/** Characters of a text that GSM-7 cannot carry, each once, in order. */
export function nonGsmCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const char of text) {
    if (!BASIC.has(char) && !EXTENSION.has(char)) found.add(char);
  }
  return [...found];
}

/**
 * Counts the segments of an SMS.
 *
 * @param options.unicode send as UCS-2 (the template's `unicode` flag); a text
 *   with characters outside GSM-7 is counted as UCS-2 anyway, since that is
 *   the only way it can be sent intact.
 * @example smsSegments('Your code is 123456').segments // 1
 */
export function smsSegments(text: string, options: { unicode?: boolean } = {}): SmsSegments {
  const nonGsm = nonGsmCharacters(text);
  const ucs2 = options.unicode === true || nonGsm.length > 0;
  let units = 0;
  if (ucs2) units = text.length;
  else for (const char of text) units += EXTENSION.has(char) ? 2 : 1;
  const single = ucs2 ? 70 : 160;
  const multi = ucs2 ? 67 : 153;
  const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
  const perSegment = segments > 1 ? multi : single;
  const capacity = segments <= 1 ? single : segments * multi;
  return {
    encoding: ucs2 ? 'UCS-2' : 'GSM-7',
    units,
    segments,
    perSegment,
    remaining: capacity - units,
    nonGsm,
  };
}

/** Variable names a template body uses (`##name##`), without `OTP`, in order, once each. */
export function templateVariables(body: string): string[] {
  const names = new Set<string>();
  for (const m of body.matchAll(/##([A-Za-z_][A-Za-z0-9_]*)##/g)) {
    const name = m[1];
    if (name && name !== 'OTP') names.add(name);
  }
  return [...names];
}
