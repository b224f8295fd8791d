/**
 * Identifiers: a mobile number (country code, no `+`; without one it is read
 * in the widget's default country) or an email address, normalised.
 */
import type { ContactPoint } from '@otpkit/protocol';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { OtpkitError } from '../platform/errors.ts';

/** A validated, normalised identifier. */
export interface Identifier {
  /** E.164 digits without `+` for mobiles; lower-case address for emails. */
  value: string;
  contactPoint: ContactPoint;
  /**
   * ISO country of a mobile number, or {@link NON_GEOGRAPHIC} (`001`) for a
   * number of no country (satellite and international networks); null for an email.
   */
  country: string | null;
}

/**
 * The region code of numbers that belong to no country (libphonenumber's
 * "001": +870 Inmarsat, +881 satellite, +882/+883 international networks,
 * +888, +979…). They are counted and braked under this code like a country.
 */
export const NON_GEOGRAPHIC = '001';

const emailSchema = z.email().max(254);

/** Number types that cannot be a person's phone, or that bill the sender (premium-rate, shared-cost…). */
const REFUSED_TYPES = new Set([
  'PREMIUM_RATE',
  'SHARED_COST',
  'TOLL_FREE',
  'UAN',
  'PAGER',
  'PERSONAL_NUMBER',
  'VOICEMAIL',
]);

/**
 * Validates and normalises an identifier for a widget.
 *
 * @example parseIdentifier('919876543210', { defaultCountry: 'IN', contactPoints: ['mobile'] })
 *   // { value: '919876543210', contactPoint: 'mobile', country: 'IN' }
 * @throws OtpkitError `INVALID_IDENTIFIER`
 */
export function parseIdentifier(
  raw: unknown,
  widget: { defaultCountry: string; contactPoints: readonly ContactPoint[] },
): Identifier {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    throw new OtpkitError('INVALID_IDENTIFIER', 'identifier is required.');
  }
  const text = String(raw).trim();
  if (text.includes('@')) {
    const email = text.toLowerCase();
    if (!emailSchema.safeParse(email).success) {
      throw new OtpkitError('INVALID_IDENTIFIER', 'Enter a valid email address.');
    }
    if (!widget.contactPoints.includes('email')) {
      throw new OtpkitError('INVALID_IDENTIFIER', 'This widget verifies mobile numbers only.');
    }
    return { value: email, contactPoint: 'email', country: null };
  }
  if (!/^\+?[\d\s().-]{4,24}$/.test(text)) {
    throw new OtpkitError(
      'INVALID_IDENTIFIER',
      widget.contactPoints.includes('email')
        ? 'Enter a valid mobile number with country code, or a valid email address.'
        : 'Enter a valid mobile number with country code.',
    );
  }
  if (!widget.contactPoints.includes('mobile')) {
    throw new OtpkitError('INVALID_IDENTIFIER', 'This widget verifies email addresses only.');
  }
  const digits = text.replace(/[^\d]/g, '');
  // With country code first (the wire format); then as a national number of the default country.
  const international = parsePhoneNumberFromString(`+${digits}`);
  // isValid() matches the number against its country's patterns: asked once per parse.
  const internationalValid = international?.isValid() === true;
  const phone =
    !text.startsWith('+') && !internationalValid
      ? parsePhoneNumberFromString(digits, widget.defaultCountry as CountryCode)
      : international;
  if (!phone || !(phone === international ? internationalValid : phone.isValid())) {
    throw new OtpkitError('INVALID_IDENTIFIER', 'Enter a valid mobile number with country code.');
  }
  // SMS pumping targets numbers that pay their owner: refuse those kinds outright.
  const type = phone.getType();
  if (type && REFUSED_TYPES.has(type)) {
    throw new OtpkitError(
      'NUMBER_NOT_ALLOWED',
      `Codes cannot be sent to ${type.toLowerCase().replace(/_/g, '-')} numbers.`,
    );
  }
  return {
    value: phone.number.slice(1),
    contactPoint: 'mobile',
    // A valid number without a region belongs to a non-geographic calling code.
    country: phone.country ?? NON_GEOGRAPHIC,
  };
}

/**
 * Whether a widget may send to a mobile number's country. A number of no
 * country (satellite, international networks: expensive toll-fraud
 * destinations) is refused unless the widget lists `"001"` in
 * `allowedCountries`; any other country is refused when the widget has an
 * allowlist without it.
 *
 * @throws OtpkitError `NUMBER_NOT_ALLOWED`, `COUNTRY_NOT_ALLOWED`
 */
export function checkDestination(
  identifier: Identifier,
  widget: { allowedCountries: readonly string[] | null },
): void {
  const { country } = identifier;
  if (country === null) return;
  const allowed = widget.allowedCountries;
  if (country === NON_GEOGRAPHIC) {
    if (allowed?.includes(NON_GEOGRAPHIC)) return;
    throw new OtpkitError(
      'NUMBER_NOT_ALLOWED',
      `Codes cannot be sent to satellite or international-network numbers (+${callingCodeOf(identifier.value)}) unless the widget lists "001" in allowedCountries.`,
    );
  }
  if (allowed && !allowed.includes(country)) throw new OtpkitError('COUNTRY_NOT_ALLOWED');
}

/** The calling code of a non-geographic number (all are three digits: 800, 870, 881…). */
function callingCodeOf(digits: string): string {
  return digits.slice(0, 3);
}

/** Domains whose mailboxes ignore dots in the local part (and are one another's aliases). */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The key an identifier is counted under by the limits: a mobile number as
 * it is; an email address as its canonical mailbox, so the variants that
 * reach one inbox share its limits: case-insensitive, plus-addressing
 * (`+tag`) removed, and for Gmail and Googlemail the dots ignored (and the
 * two domains one). The address itself is stored and used as given; this
 * key is only counted. (validator.js's `normalizeEmail` drops `+tag` for a
 * few providers only; every provider that has plus-addressing uses `+`.)
 *
 * @example limitKeyOf('J.Doe+shop@GoogleMail.com') // 'jdoe@gmail.com'
 * @example limitKeyOf('ann+x@example.org') // 'ann@example.org'
 */
export function limitKeyOf(identifier: string): string {
  const at = identifier.lastIndexOf('@');
  if (at === -1) return identifier;
  let local = identifier.slice(0, at).toLowerCase();
  let domain = identifier.slice(at + 1).toLowerCase();
  const plus = local.indexOf('+');
  // A local part that starts with `+` has no mailbox name before it: kept whole.
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
