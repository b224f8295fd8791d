/**
 * `@otpkit/sdk`: check, from your backend, the access token the otpkit
 * widget hands to your page once a user has entered the right code.
 *
 * - {@link verifyAccessToken}: asks the otpkit server (single use; use this for logins).
 * - {@link verifyAccessTokenLocally}: checks the signature against the server's
 *   published keys (no request per token; no replay protection).
 *
 * Runs wherever a global `fetch` and Web Crypto exist: Node 18+, Bun, Deno,
 * edge runtimes.
 */
export type { ErrorCode } from '@otpkit/protocol';
export {
  createOtpkit,
  type LocalVerifyCallOptions,
  type Otpkit,
  type OtpkitOptions,
  type VerifyCallOptions,
} from './client.ts';
export { isOtpkitError, OtpkitError, type OtpkitErrorOptions } from './errors.ts';
export {
  type FetchFunction,
  type VerifiedAccessToken,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from './verify-access-token.ts';
export {
  type VerifiedTokenClaims,
  type VerifyLocallyOptions,
  verifyAccessTokenLocally,
} from './verify-locally.ts';
