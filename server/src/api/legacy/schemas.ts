/**
 * The legacy API's parameters as zod schemas: `routes.ts` checks each call's
 * merged query and body with them, and `/openapi.json` shows them. Verify
 * and retry take the server API v5's parameters; other parameters the
 * snippets of the era send are ignored.
 */
import { LEGACY_DEFAULT_EXPIRY_MINUTES } from '@otpkit/protocol';
import { z } from 'zod';
import { serverApiRetryFields, serverApiVerifyFields, wholeNumber } from '../server-v5/schemas.ts';
import { MAX_EXPIRY_MINUTES } from '../server-v5/service.ts';

/** Longest `message` read at all; what is sent must also fit 3 SMS segments. */
export const MAX_MESSAGE_CHARS = 2000;

/** `/api/sendotp.php`. */
export const legacySendFields = z.looseObject({
  mobile: z
    .union([z.string(), z.number()])
    .optional()
    .describe('The mobile number with its country code, without `+` (e.g. `919999999999`).'),
  authkey: z.string().optional().describe('The account authkey, if not in the `authkey` header.'),
  message: z
    .string({ error: 'message must be text.' })
    .optional()
    .describe(
      'The SMS text, holding the code: the `otp` given, or `##OTP##` where the code goes. At most 3 SMS segments (459 GSM-7 or 201 Unicode characters). The server API widget’s SMS template when absent.',
    ),
  sender: z
    .string({ error: 'sender must be text.' })
    .optional()
    .describe('The sender id the SMS shows: 3 to 11 letters or digits, or a phone number.'),
  otp: z
    .union([z.string(), z.number()])
    .optional()
    .describe('A code chosen by the caller (4–9 digits) instead of a random one.'),
  otp_expiry: wholeNumber('otp_expiry', 1, MAX_EXPIRY_MINUTES).describe(
    `Minutes the code stays valid (1–${MAX_EXPIRY_MINUTES}, default ${LEGACY_DEFAULT_EXPIRY_MINUTES}).`,
  ),
  otp_length: wholeNumber('otp_length', 4, 9).describe('Digits of a generated code (4–9).'),
});

/** `/api/verifyRequestOTP.php`. */
export const legacyVerifyFields = serverApiVerifyFields;

/** `/api/retryotp.php`. */
export const legacyRetryFields = serverApiRetryFields;

/** A legacy answer: `{"message","type"}` (send: the request id as `message`). */
export const legacyAnswer = z.object({
  message: z.string(),
  type: z.literal('success'),
});
