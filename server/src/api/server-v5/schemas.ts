/**
 * The server API v5's parameters as zod schemas: `routes.ts` checks each
 * call's merged query and body with them, and `/openapi.json` shows them.
 * Fields the service judges itself (`mobile`, `otp`, `template_id`) are
 * only typed here, so their failures keep SendOTP's own messages.
 */
import { z } from 'zod';
import { MAX_EXPIRY_MINUTES } from './service.ts';

/** A whole number in a range, as a JSON number or a string of digits (query and form values are strings). */
export function wholeNumber(name: string, min: number, max: number) {
  const error = `${name} must be a whole number from ${min} to ${max}.`;
  return z
    .union([z.int().min(min).max(max), z.string().regex(/^\d{1,9}$/), z.literal('')], { error })
    .optional();
}

const mobile = z
  .union([z.string(), z.number()])
  .optional()
  .describe('The mobile number with its country code, without `+` (e.g. `919999999999`).');
const authkey = z
  .string()
  .optional()
  .describe('The account authkey, if not in the `authkey` header.');

/** `/api/v5/otp`: any field not named here is a template variable (`##name##`). */
export const serverApiSendFields = z
  .object({
    mobile,
    authkey,
    template_id: z
      .string()
      .optional()
      .describe(
        'An otpkit template (SMS, WhatsApp or voice) whose body holds `##OTP##`; the server API widget’s own template otherwise.',
      ),
    otp_length: wholeNumber('otp_length', 4, 9).describe('Digits in the code (4–9).'),
    otp_expiry: wholeNumber('otp_expiry', 1, MAX_EXPIRY_MINUTES).describe(
      `Minutes the code stays valid (1–${MAX_EXPIRY_MINUTES}, default 60).`,
    ),
    otp: z
      .union([z.string(), z.number()])
      .optional()
      .describe('A code chosen by the caller (4–9 digits) instead of a random one.'),
    language: z
      .string()
      .optional()
      .describe(
        'The language of the message (`ta`, `pt-BR`, `ar`…; `pt-PT` reads as `pt-BR`), instead of the widget’s: the built-in template, or the template’s body in that language.',
      ),
  })
  .catchall(z.unknown());

/** `/api/v5/otp/verify`. */
export const serverApiVerifyFields = z.object({
  mobile,
  authkey,
  otp: z.union([z.string(), z.number()]).optional().describe('The code the user typed.'),
});

/** `/api/v5/otp/retry`. */
export const serverApiRetryFields = z.object({
  mobile,
  authkey,
  retrytype: z
    .enum(['text', 'voice'], { error: 'retrytype must be text or voice.' })
    .optional()
    .describe('`text` (SMS, the default) or `voice`.'),
  retryType: z
    .enum(['text', 'voice'], { error: 'retrytype must be text or voice.' })
    .optional()
    .describe('Tolerated spelling of `retrytype`.'),
});

export const serverApiSendResponse = z.object({
  request_id: z.string(),
  type: z.literal('success'),
});

export const serverApiMessageResponse = z.object({
  message: z.string(),
  type: z.literal('success'),
});
