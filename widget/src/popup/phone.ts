/**
 * Phone formatting as the visitor types, from a small table of national
 * layouts worked out at build time from libphonenumber-js's metadata (see
 * `phoneLayouts` in vite.shared.ts): `IN` is `xxxxx xxxxx`, `US`
 * `(xxx) xxx-xxxx`, `GB` `0xxxx xxxxxx` (leading digits: the national
 * prefix, used when the visitor types it). Its own chunk, imported on the
 * first keystroke in the phone field; until it arrives the field takes
 * digits as typed. A number longer than its country's layout shows as typed.
 */
import FORMATS from 'virtual:otpkit-phone-formats';
import type { Country } from './countries.ts';

const layouts = new Map(
  FORMATS.split(';').map((entry) => [entry.slice(0, 2), entry.slice(3)] as const),
);

/** The national prefix of a layout (its digits before the first `x`: `8 0` is `80`), and the rest. */
function split(layout: string): { prefix: string; rest: string } {
  const head = /^[^x]*\d/.exec(layout)?.[0] ?? '';
  return { prefix: head.replace(/\D/g, ''), rest: layout.slice(head.length).replace(/^\s+/, '') };
}

/** The layout of `iso2` for `digits`: with the national prefix when they start with it. */
function layoutFor(iso2: string, digits: string, { withPrefix = true } = {}): string | undefined {
  const layout = layouts.get(iso2);
  if (!layout) return undefined;
  const { prefix, rest } = split(layout);
  return withPrefix && prefix && digits.startsWith(prefix) ? layout : rest;
}

/** Puts digits into a layout, as far as they go. */
function fill(layout: string | undefined, digits: string): string | undefined {
  if (!layout) return undefined;
  let out = '';
  let next = 0;
  for (const char of layout) {
    if (next === digits.length) break;
    out += /[x\d]/.test(char) ? digits[next++] : char;
  }
  return next < digits.length ? undefined : out;
}

/**
 * Formats a national number for a country as far as it has been typed.
 *
 * @example formatNational('IN', '9876543210') // '98765 43210'
 * @example formatNational('US', '4155') // '(415) 5'
 */
export function formatNational(iso2: string, text: string): string {
  const digits = text.replace(/\D/g, '');
  if (!digits) return text;
  return fill(layoutFor(iso2, digits), digits) ?? text;
}

/**
 * The international form of national digits behind a dial code (a national
 * prefix the visitor typed is left out, as it is dialled from abroad).
 *
 * @example formatInternational({ iso2: 'IN', dialCode: '91' }, '9876543210') // '+91 98765 43210'
 */
export function formatInternational(country: Country, national: string): string {
  let digits = national.replace(/\D/g, '');
  const { prefix } = split(layouts.get(country.iso2) ?? '');
  if (prefix && digits.startsWith(prefix)) digits = digits.slice(prefix.length);
  const formatted = fill(layoutFor(country.iso2, digits, { withPrefix: false }), digits) ?? digits;
  return `+${country.dialCode} ${formatted}`;
}
