/**
 * The OTP rules: issue a code, re-deliver it, verify it. No HTTP and no SQL
 * here: every state change is one atomic store operation, and a refused
 * operation is explained from a fresh read. Routes read requests into the
 * typed inputs with the parsers of `input.ts`.
 */
export type { RequestContext } from '../../model/call.ts';
export type { OtpDeps } from './deps.ts';
export type { CallOrigin } from './guards.ts';
export {
  type CodeGuess,
  type IdentifierReading,
  parseTemplateVariables,
  readAlready,
  readCode,
  readIdentifier,
  readReqId,
  readRetryChannel,
  type TemplateVariables,
} from './input.ts';
export type { SendResult } from './requests.ts';
export { type ResendInput, retryOtp } from './resend.ts';
export { type SendInput, type SendOverrides, sendOtp } from './send.ts';
export { confirmCode, type Verified, type VerifyInput, verifyOtp } from './verify.ts';
