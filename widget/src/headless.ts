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

export type { ErrorCode, WidgetData } from '@otpkit/protocol';
export {
  createOtpClient,
  type LinkStatus,
  normalizeIdentifier,
  type OtpClient,
  type OtpClientOptions,
  type OtpError,
  type OtpSent,
  type OtpVerified,
  type Outcome,
  type RetryChannel,
  type WaitOptions,
  type WidgetLoaded,
} from './client.ts';
