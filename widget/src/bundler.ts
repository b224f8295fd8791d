/**
 * `@otpkit/widget`: the widget for bundlers (Vite, webpack, Metro…).
 *
 * - {@link initSendOTP}: the same as the script tag's `window.initSendOTP`
 *   (popup, or `exposeMethods`); the popup, its phone formatting and the
 *   captcha are dynamic imports, so your bundler splits them off and a page
 *   only downloads them when it needs them.
 * - {@link createOtpClient}: the headless client (also at `@otpkit/widget/client`).
 *
 * Importing this module touches no DOM; `initSendOTP` needs a browser.
 */
import type { CaptchaModule } from './captcha/lazy.ts';
import type { WidgetConfiguration } from './config.ts';
import { createInitSendOTP, type PopupModule } from './init.ts';

export type { ExposedMethods } from './expose.ts';
export * from './headless.ts';
export type { WidgetConfiguration };

/**
 * Starts the widget: loads the widget data, then opens the popup, or with
 * `exposeMethods: true` defines `window.sendOtp` & co. Unlike the script
 * tag, a bundled copy can't tell where the otpkit server is from its own
 * URL: pass `apiBaseUrl` (default: this page's origin).
 *
 * @example
 * initSendOTP({
 *   widgetId: 'WIDGET_ID',
 *   tokenAuth: 'TOKEN',
 *   apiBaseUrl: 'https://otp.example.com',
 *   success: (data) => fetch('/login', { method: 'POST', body: data.message }),
 * });
 */
export function initSendOTP(configuration: WidgetConfiguration): void {
  createInitSendOTP({
    defaultBaseUrl: location.origin,
    loadPopup: () => import('./popup/index.ts') as Promise<PopupModule>,
    loadCaptcha: () => import('./captcha/index.ts') as Promise<CaptchaModule>,
    loadPasskeys: () => import('./passkeys/index.ts'),
  })(configuration);
}
