/**
 * `initSendOTP(configuration)`: reads the configuration, loads the widget
 * data, applies the settings the browser enforces, then either exposes the
 * headless methods or loads the popup chunk and opens it.
 */
import { type CaptchaModule, lazyCaptcha } from './captcha/lazy.ts';
import {
  createOtpClient,
  type OtpError,
  type Outcome,
  type PasskeyModule,
  type WidgetLoaded,
} from './client.ts';
import { parseConfiguration, safeCall, type WidgetConfiguration } from './config.ts';
import { exposeMethods, withdrawMethods } from './expose.ts';
import {
  isInFrame,
  REFUSALS,
  refusalOf,
  SILENT_REFUSALS,
  topOriginOf,
  unreachableHint,
} from './rules.ts';

/**
 * The popup chunk's exports (`otp-popup.js`): a type query, erased from the
 * build, as otp-provider.js loads the chunk itself (`loadPopup`).
 */
export type PopupModule = Pick<typeof import('./popup/index.ts'), 'openPopup'>;

/** What {@link createInitSendOTP} needs from its surroundings. */
export interface InitDeps {
  /** Default `apiBaseUrl`: the origin this script was loaded from. */
  defaultBaseUrl: string;
  /** Loads the popup chunk; only called in popup mode. */
  loadPopup: () => Promise<PopupModule>;
  /** Loads the captcha chunk; only called when the widget data names a captcha. */
  loadCaptcha: () => Promise<CaptchaModule>;
  /** Loads the passkey chunk; only called when the widget offers passkeys and one is used. */
  loadPasskeys?: () => Promise<PasskeyModule>;
  /** Whether the page is inside a frame (default: {@link isInFrame}). */
  inFrame?: () => boolean;
  /** Whether the browser believes it is online (default: `navigator.onLine`). */
  online?: () => boolean;
  /** The fetch the client uses (tests pass a fake). */
  fetch?: typeof fetch;
}

/**
 * Where a visible third-party captcha renders in popup mode: a light-DOM
 * child of the popup's host, shown through the dialog's `<slot name="captcha">`
 * (so it is inside the modal dialog, not inert behind it, and the provider's
 * script can reach it). Null before the popup is open: then it renders invisibly.
 */
function popupCaptchaSlot(): HTMLElement | null {
  const host = document.getElementById('otpkit-widget-host');
  if (!host) return null;
  let slot = host.querySelector<HTMLElement>('[slot="captcha"]');
  if (!slot) {
    slot = document.createElement('div');
    slot.slot = 'captcha';
    host.append(slot);
  }
  return slot;
}

/** Tells the developer, in the console, why the widget cannot work here. */
function reportMisconfiguration(widgetId: string, error: OtpError): void {
  console.error(
    `otpkit: widget "${widgetId}" cannot be used on this page (${error.code}): ${error.message}`,
  );
}

/**
 * Builds `initSendOTP`.
 *
 * @example
 * window.initSendOTP = createInitSendOTP({
 *   defaultBaseUrl: 'https://otp.example.com',
 *   loadPopup: () => import('https://otp.example.com/otp-popup.js'),
 *   loadCaptcha: () => import('https://otp.example.com/otp-captcha.js'),
 * });
 */
export function createInitSendOTP(deps: InitDeps): (configuration: WidgetConfiguration) => void {
  const inFrame = deps.inFrame ?? (() => isInFrame());
  const online = deps.online ?? (() => navigator.onLine !== false);

  return function initSendOTP(configuration) {
    const config = parseConfiguration(configuration, deps.defaultBaseUrl);
    const captcha = lazyCaptcha(deps.loadCaptcha, {
      challenge: () => client.getCaptchaChallenge(),
      container: () =>
        config.exposeMethods
          ? (config.captchaRenderId && document.getElementById(config.captchaRenderId)) || null
          : popupCaptchaSlot(),
    });
    const client = createOtpClient({
      baseUrl: config.apiBaseUrl,
      widgetId: config.widgetId,
      tokenAuth: config.tokenAuth,
      variables: config.variables,
      topOrigin: inFrame() ? topOriginOf() : undefined,
      captcha,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.loadPasskeys ? { loadPasskeys: deps.loadPasskeys } : {}),
    });
    const failLoudly = (error: OtpError): void => {
      reportMisconfiguration(config.widgetId, error);
      safeCall(config.failure, error);
    };

    const widget: Promise<Outcome<WidgetLoaded>> =
      config.widgetId && config.tokenAuth
        ? client.getWidgetData().then((outcome) => {
            // A CORS refusal (origin not in allowedOrigins) looks exactly like a network failure.
            if (outcome.type === 'error' && outcome.code === 'NETWORK_ERROR' && online()) {
              console.error(unreachableHint(config.widgetId, config.apiBaseUrl));
            }
            return outcome;
          })
        : Promise.resolve({
            type: 'error',
            code: 'INVALID_REQUEST',
            message: 'initSendOTP needs both widgetId and tokenAuth.',
          });
    /**
     * The widget data's verdict: the reason it may not run here, if any. The
     * server may refuse the data itself for the same reasons (it answers a
     * browser's `getWidgetProcess` for a mobile-only widget with
     * `WIDGET_MOBILE_ONLY`); that is the same refusal.
     */
    const refusal = (outcome: Outcome<WidgetLoaded>): OtpError | undefined =>
      outcome.type === 'success'
        ? refusalOf(outcome.data, { inFrame: inFrame() })
        : REFUSALS.has(outcome.code)
          ? outcome
          : undefined;

    if (config.exposeMethods) {
      let data: WidgetLoaded['data'] | null = null;
      const ready = widget.then(refusal);
      const methods = exposeMethods(client, {
        widgetData: () => data,
        success: config.success,
        failure: config.failure,
        ready,
        captchaReady: captcha.ready,
      });
      void widget.then((outcome) => {
        const refused = refusal(outcome);
        if (refused) {
          captcha.dispose();
          withdrawMethods(methods);
          failLoudly(refused);
        } else if (outcome.type === 'success') {
          data = outcome.data;
        } else {
          failLoudly(outcome);
        }
      });
      return;
    }

    // Popup mode: fetch the popup chunk while the widget data loads.
    const popup = deps.loadPopup();
    void Promise.all([popup, widget]).then(
      ([module, outcome]) => {
        const refused = refusal(outcome);
        // Frames and mobile-only widgets get no UI at all; a disabled widget gets the
        // popup's polite "unavailable" message, and the popup reports it.
        if (refused && SILENT_REFUSALS.has(refused.code)) {
          captcha.dispose();
          return failLoudly(refused);
        }
        if (outcome.type === 'error' && outcome.code === 'NETWORK_ERROR' && online()) {
          // Probably misconfigured (allowedOrigins); the popup still offers "Try again".
          safeCall(config.failure, outcome);
        }
        module.openPopup({
          client,
          widget: Promise.resolve(outcome),
          identifier: config.identifier,
          onSuccess: (result) =>
            safeCall(config.success, { type: 'success', message: result.message }),
          onMisconfigured: failLoudly,
        });
      },
      (error: unknown) => {
        console.error('otpkit: could not load the popup (otp-popup.js)', error);
        safeCall(config.failure, {
          type: 'error',
          code: 'NETWORK_ERROR',
          message: 'The otpkit popup could not be loaded.',
        });
      },
    );
  };
}
