/**
 * The SMS length cap: a message otpkit sends by SMS fits in 3 concatenated
 * segments, i.e. 459 GSM-7 characters (3 × 153) or 201 UCS-2 characters
 * (3 × 67). A longer text costs more per send and is how a caller would turn
 * an OTP API into a bulk-SMS one.
 */
import { OtpkitError } from '../errors.ts';
import { isGsm7, smsSegments } from './render.ts';

/** Segments an SMS may take. */
export const MAX_SMS_SEGMENTS = 3;

/**
 * Refuses an SMS text longer than `MAX_SMS_SEGMENTS` segments.
 *
 * @throws OtpkitError `MESSAGE_TOO_LONG`
 * @example assertSmsFits('1234 is your code', { unicode: false }) // passes
 */
export function assertSmsFits(text: string, options: { unicode: boolean }): void {
  const unicode = options.unicode || !isGsm7(text);
  const segments = smsSegments(text, unicode);
  if (segments <= MAX_SMS_SEGMENTS) return;
  throw new OtpkitError(
    'MESSAGE_TOO_LONG',
    `The SMS would take ${segments} segments; at most ${MAX_SMS_SEGMENTS} are sent (${
      unicode ? '201 Unicode' : '459 GSM-7'
    } characters).`,
  );
}
