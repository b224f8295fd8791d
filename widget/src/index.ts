/**
 * otp-provider.js: defines `window.initSendOTP(configuration)`.
 *
 * This classic script holds only the headless core (configuration, client,
 * exposed methods, the settings the browser enforces). The popup is an ES
 * module (`otp-popup-<hash>.js`, named by the build: {@link entryUrl}),
 * fetched from beside this script when a popup is needed, and fetched ahead
 * into the HTTP cache once the page is idle so it opens at once. Nothing but
 * `initSendOTP` is put on `window` (and the exposed methods when asked).
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

/**
 * URL of an entry chunk of this script's own build (`popup`, `captcha`…), by
 * the content-hashed name the build baked in, beside this script whatever
 * path the server serves it under.
 */
const entryUrl = (name: string): string =>
  new URL(
    (typeof __OTPKIT_ENTRIES__ !== 'undefined' && __OTPKIT_ENTRIES__[name]) || `otp-${name}.js`,
    scriptUrl ?? `${defaultBaseUrl}/`,
  ).href;

const importEntry = <T>(name: string): Promise<T> =>
  import(/* @vite-ignore */ entryUrl(name)) as Promise<T>;

/** Whether this page has asked for something other than the popup (or the popup already). */
let popupSettled = false;

const initSendOTP = createInitSendOTP({
  defaultBaseUrl,
  loadPopup: () => importEntry<PopupModule>('popup'),
  loadCaptcha: () => importEntry<CaptchaModule>('captcha'),
  loadPasskeys: () => importEntry<PasskeyModule>('passkeys'),
});
window.initSendOTP = (configuration) => {
  popupSettled = true;
  initSendOTP(configuration);
};

/**
 * Once the page has loaded and the browser is idle, fetches the popup chunk
 * into the HTTP cache (immutable, so the import finds it there), unless the
 * page has called `initSendOTP` already (a custom UI with `exposeMethods`
 * never needs it) or the visitor asked to save data. A plain fetch, not an
 * import: a failed import would stay failed for the page's lifetime.
 */
function preloadPopup(): void {
  const saveData = (navigator as { connection?: { saveData?: boolean } }).connection?.saveData;
  if (popupSettled || saveData || typeof fetch !== 'function') return;
  fetch(entryUrl('popup'), { mode: 'cors', credentials: 'same-origin' }).then(
    (response) => response.arrayBuffer(),
    () => {}, // Offline for now: the click fetches it.
  );
}
const whenIdle = (): void => {
  if (typeof requestIdleCallback === 'function')
    requestIdleCallback(preloadPopup, { timeout: 3000 });
  else setTimeout(preloadPopup, 1000);
};
if (document.readyState === 'complete') whenIdle();
else addEventListener('load', whenIdle, { once: true });
