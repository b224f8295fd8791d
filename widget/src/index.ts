/**
 * otp-provider.js: defines `window.initSendOTP(configuration)`.
 *
 * The server is found from this script's own URL (or `apiBaseUrl`). With
 * `exposeMethods: true` the page gets `window.sendOtp` & co.; otherwise the
 * popup opens. Nothing else is put on `window`.
 */
import { createOtpClient, type OtpError } from './client.ts';
import { parseConfiguration, safeCall, type WidgetConfiguration } from './config.ts';
import { exposeMethods } from './expose.ts';
import { openPopup } from './popup/index.ts';

declare global {
  interface Window {
    initSendOTP?: (configuration: WidgetConfiguration) => void;
  }
}

/** Origin of this script, read while it is being evaluated (currentScript is null later). */
const scriptOrigin = ((): string => {
  const script = document.currentScript;
  try {
    if (script instanceof HTMLScriptElement && script.src) return new URL(script.src).origin;
  } catch {
    // An unparsable src: fall back to the page's origin.
  }
  return location.origin;
})();

/** Tells the developer, in the console, why the widget cannot work here. */
function reportMisconfiguration(widgetId: string, error: OtpError): void {
  console.error(
    `otpkit: widget "${widgetId}" cannot be used on this page (${error.code}): ${error.message}`,
  );
}

function initSendOTP(configuration: WidgetConfiguration): void {
  const config = parseConfiguration(configuration, scriptOrigin);
  const client = createOtpClient({
    apiBaseUrl: config.apiBaseUrl,
    widgetId: config.widgetId,
    tokenAuth: config.tokenAuth,
    variables: config.variables,
  });
  const failLoudly = (error: OtpError): void => {
    reportMisconfiguration(config.widgetId, error);
    safeCall(config.failure, error);
  };
  const missing: OtpError | undefined =
    config.widgetId && config.tokenAuth
      ? undefined
      : {
          type: 'error',
          code: 'INVALID_REQUEST',
          message: 'initSendOTP needs both widgetId and tokenAuth.',
        };
  const widget = missing ? Promise.resolve(missing) : client.getWidgetData();

  if (config.exposeMethods) {
    let data: ReturnType<NonNullable<Window['getWidgetData']>> = null;
    exposeMethods(client, {
      widgetData: () => data,
      success: config.success,
      failure: config.failure,
    });
    void widget.then((outcome) => {
      if (outcome.type === 'success') data = outcome.data;
      else failLoudly(outcome);
    });
    return;
  }

  openPopup({
    client,
    widget,
    identifier: config.identifier,
    onSuccess: (result) => safeCall(config.success, { type: 'success', message: result.message }),
    onMisconfigured: failLoudly,
  });
}

window.initSendOTP = initSendOTP;
