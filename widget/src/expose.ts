/**
 * `exposeMethods: true`: no popup; the page drives verification through
 * `window.sendOtp`, `retryOtp`, `verifyOtp`, `getWidgetData` and
 * `isCaptchaVerified`, all built on the headless client; and, for widgets
 * that offer passkeys, `registerPasskey` and `signInWithPasskey`.
 */
import type { WidgetData } from '@otpkit/protocol';
import type {
  OtpClient,
  OtpError,
  OtpSent,
  OtpVerified,
  Outcome,
  PasskeyRegistered,
  PasskeySignedIn,
  RetryChannel,
} from './client.ts';
import { safeCall } from './config.ts';
import { isMagicLink, waitForLink } from './poll.ts';

/** A per-call callback. */
export type Callback<T> = (result: T) => void;

/** The methods `exposeMethods` puts on `window`. */
export interface ExposedMethods {
  sendOtp(
    identifier: string,
    success?: Callback<OtpSent>,
    failure?: Callback<OtpError>,
  ): Promise<Outcome<OtpSent>>;
  retryOtp(
    channel: RetryChannel,
    success?: Callback<OtpSent>,
    failure?: Callback<OtpError>,
    reqId?: string,
  ): Promise<Outcome<OtpSent>>;
  verifyOtp(
    otp: string | number,
    success?: Callback<OtpVerified>,
    failure?: Callback<OtpError>,
    reqId?: string,
  ): Promise<Outcome<OtpVerified>>;
  /**
   * After a verified code (of `reqId`, default the last one): creates a
   * passkey for that identifier, so the next sign-in needs no code.
   */
  registerPasskey(
    success?: Callback<PasskeyRegistered>,
    failure?: Callback<OtpError>,
    reqId?: string,
  ): Promise<Outcome<PasskeyRegistered>>;
  /**
   * Signs in with a passkey (the browser's prompt); `identifier`, when
   * given, must be the passkey's. Success is reported like a verified code.
   */
  signInWithPasskey(
    identifier?: string,
    success?: Callback<PasskeySignedIn>,
    failure?: Callback<OtpError>,
  ): Promise<Outcome<PasskeySignedIn>>;
  /** The widget's configuration, or `null` until it has loaded. */
  getWidgetData(): WidgetData | null;
  /** Whether a fresh captcha token or solution is ready (or the widget has no captcha). */
  isCaptchaVerified(): boolean;
}

declare global {
  interface Window extends Partial<ExposedMethods> {}
}

/** What {@link exposeMethods} needs besides the client. */
export interface ExposeOptions {
  /** Reads the loaded widget data (null until loaded). */
  widgetData: () => WidgetData | null;
  /** `configuration.success`: also called when a code is verified. */
  success?: ((data: OtpVerified) => void) | undefined;
  /** `configuration.failure`: also called on every failure. */
  failure?: ((error: OtpError) => void) | undefined;
  /**
   * Settles once the widget data is in: to the reason the widget may not run
   * here, or `undefined`. Sends and verifications wait for it, and fail with
   * that reason instead of calling the server.
   */
  ready?: Promise<OtpError | undefined>;
  /** `isCaptchaVerified()`; default: always true (no captcha). */
  captchaReady?: () => boolean;
}

/**
 * Builds the exposed methods on top of `client` and assigns them to `target`
 * (`window` by default).
 *
 * @example
 * exposeMethods(client, { widgetData: () => data, success, failure });
 * window.sendOtp('919876543210', (r) => console.log(r.message));
 */
export function exposeMethods(
  client: OtpClient,
  options: ExposeOptions,
  target: Partial<ExposedMethods> = window,
): ExposedMethods {
  const settle = async <S>(
    call: () => Promise<Outcome<S>>,
    success: Callback<S> | undefined,
    failure: Callback<OtpError> | undefined,
  ): Promise<Outcome<S>> => {
    const refused = await options.ready;
    const outcome = refused ?? (await call());
    if ((outcome as { type: string }).type === 'success') {
      safeCall(success, outcome as S);
    } else {
      safeCall(failure, outcome as OtpError);
      safeCall(options.failure, outcome as OtpError);
    }
    return outcome;
  };

  // A magic-link widget: after a send, wait for the link and report to the configuration.
  let stopWaiting: (() => void) | undefined;
  const waitIfLink = (outcome: Outcome<OtpSent>): void => {
    if (outcome.type !== 'success' || !isMagicLink(options.widgetData())) return;
    stopWaiting?.();
    stopWaiting = waitForLink(client, outcome.reqId, {
      onVerified: (verified) => safeCall(options.success, verified),
      onFailed: (error) => safeCall(options.failure, error),
    });
  };

  // Each verified code's passkey ticket, by request id.
  const tickets = new Map<string, string>();
  let lastTicket: string | undefined;

  const methods: ExposedMethods = {
    async sendOtp(identifier, success, failure) {
      const outcome = await settle(() => client.sendOtp(identifier), success, failure);
      waitIfLink(outcome);
      return outcome;
    },
    retryOtp: (channel, success, failure, reqId) =>
      settle(() => client.retryOtp(channel, reqId), success, failure),
    async verifyOtp(otp, success, failure, reqId) {
      const id = reqId || client.lastReqId;
      const outcome = await settle(() => client.verifyOtp(String(otp), reqId), success, failure);
      if (outcome.type === 'success') {
        if (outcome.passkeyTicket) {
          lastTicket = outcome.passkeyTicket;
          if (id) tickets.set(id, outcome.passkeyTicket);
        }
        safeCall(options.success, { type: 'success', message: outcome.message });
      }
      return outcome;
    },
    registerPasskey: (success, failure, reqId) =>
      settle(
        () => client.registerPasskey(reqId ? (tickets.get(reqId) ?? '') : lastTicket),
        success,
        failure,
      ),
    async signInWithPasskey(identifier, success, failure) {
      const outcome = await settle(
        () => client.signInWithPasskey({ identifier }),
        success,
        failure,
      );
      if (outcome.type === 'success') {
        safeCall(options.success, { type: 'success', message: outcome.message });
      }
      return outcome;
    },
    getWidgetData: () => options.widgetData(),
    // The sends themselves wait for (and take) a fresh captcha; this only reports it.
    isCaptchaVerified: () => options.captchaReady?.() ?? true,
  };
  Object.assign(target, methods);
  return methods;
}

/**
 * Takes the exposed methods off `target` again (when the widget refuses to
 * run here), leaving alone any the page has since replaced with its own.
 */
export function withdrawMethods(
  methods: ExposedMethods,
  target: Partial<ExposedMethods> = window,
): void {
  for (const [name, method] of Object.entries(methods)) {
    const key = name as keyof ExposedMethods;
    if (target[key] === method) delete target[key];
  }
}
