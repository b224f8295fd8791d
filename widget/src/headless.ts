/**
 * `@otpkit/widget/client`: the headless client alone, for pages with their
 * own UI, React Native apps and Node (the mobile-integration case). It
 * touches no DOM, at import or after: all it needs is a global `fetch`
 * (or one passed in). The root entry, `@otpkit/widget`, exports it too.
 *
 * @example
 * import { createOtpClient } from '@otpkit/widget/client';
 * const otp = createOtpClient({ baseUrl: 'https://otp.example.com', widgetId, tokenAuth });
 * const sent = await otp.sendOtp('919876543210');
 * const verified = await otp.verifyOtp('123456'); // message: the access token
 */

import {
  createOtpClient as createClient,
  type OtpClient,
  type OtpClientOptions,
} from './client.ts';

export type { ErrorCode, WidgetData } from '@otpkit/protocol';

/**
 * Creates the headless client of one widget. In a browser its passkey
 * methods (`registerPasskey`, `signInWithPasskey`) load WebAuthn support as
 * a separate chunk the first time they are called.
 *
 * @example
 * const client = createOtpClient({ baseUrl: 'https://otp.example.com', widgetId, tokenAuth });
 * const sent = await client.sendOtp('919876543210');
 * if (sent.type === 'success') await client.verifyOtp('123456'); // uses sent.reqId
 */
export function createOtpClient(options: OtpClientOptions): OtpClient {
  return createClient({ loadPasskeys: () => import('./passkeys/index.ts'), ...options });
}

export {
  type LinkStatus,
  normalizeIdentifier,
  type OtpClient,
  type OtpClientOptions,
  type OtpError,
  type OtpSent,
  type OtpVerified,
  type Outcome,
  type PasskeyRegistered,
  type PasskeySignedIn,
  type PasskeySignInOptions,
  type RetryChannel,
  type WaitOptions,
  type WidgetLoaded,
} from './client.ts';
