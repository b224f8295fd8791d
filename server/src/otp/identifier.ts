/**
 * Identifiers: a mobile number (country code, no `+`; without one it is read
 * in the widget's default country) or an email address, normalised.
 */
import type { ContactPoint } from '@otpkit/protocol';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { OtpkitError } from '../errors.ts';

/** A validated, normalised identifier. */
export interface Identifier {
  /** E.164 digits without `+` for mobiles; lower-case address for emails. */
  value: string;
  contactPoint: ContactPoint;
  /** ISO country of a mobile number. */
  country: string | null;
}

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
    country: phone.country ?? null,
  };
}
