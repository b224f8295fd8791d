/**
 * Phone formatting as the visitor types, with libphonenumber-js `AsYouType`
 * and its small ("min") metadata. Its own chunk (`otp-phone.js`), imported
 * when the phone field first shows; until it arrives the field takes digits
 * as typed.
 */
import { AsYouType, type CountryCode } from 'libphonenumber-js/min';

/**
 * Formats a national number for a country as far as it has been typed.
 *
 * @example formatNational('IN', '9876543210') // '98765 43210'
 */
export function formatNational(iso2: string, text: string): string {
  return new AsYouType(iso2 as CountryCode).input(text);
}

/**
 * The international form of national digits behind a dial code.
 *
 * @example formatInternational('91', '9876543210') // '+91 98765 43210'
 */
export function formatInternational(dialCode: string, national: string): string {
  return new AsYouType().input(`+${dialCode}${national.replace(/\D/g, '')}`);
}
