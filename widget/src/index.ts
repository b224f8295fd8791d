/**
 * otp-provider.js: defines `window.initSendOTP(configuration)`.
 *
 * This classic script holds only the headless core (configuration, client,
 * exposed methods, the settings the browser enforces). The popup is an ES
 * module, `otp-popup.js`, fetched from beside this script only when a popup
 * is needed. Nothing but `initSendOTP` is put on `window` (and the exposed
 * methods when asked).
 */
import type { CaptchaModule } from './captcha/lazy.ts';
import type { PasskeyModule } from './client.ts';
import type { WidgetConfiguration } from './config.ts';
import { createInitSendOTP, type PopupModule } from './init.ts';

declare global {
  interface Window {
    initSendOTP?: (configuration: WidgetConfiguration) => void;
  }
}

/** URL of this script, read while it is being evaluated (currentScript is null later). */
const scriptUrl = ((): URL | undefined => {
  const script = document.currentScript;
  try {
    if (script instanceof HTMLScriptElement && script.src) return new URL(script.src);
  } catch {
    // An unparsable src: fall back to the page's origin.
  }
  return undefined;
})();

const defaultBaseUrl = scriptUrl?.origin ?? location.origin;

/** Imports a chunk that sits beside this script, whatever path the server serves it under. */
const besideMe = <T>(file: string): Promise<T> =>
  import(/* @vite-ignore */ new URL(file, scriptUrl ?? `${defaultBaseUrl}/`).href) as Promise<T>;

window.initSendOTP = createInitSendOTP({
  defaultBaseUrl,
  loadPopup: () => besideMe<PopupModule>('otp-popup.js'),
  loadCaptcha: () => besideMe<CaptchaModule>('otp-captcha.js'),
  loadPasskeys: () => besideMe<PasskeyModule>('otp-passkeys.js'),
});
