/**
 * The captcha as the core script holds it: a stand-in that loads the real
 * one (`otp-captcha.js`: the pow solver and the third-party loaders) only
 * when the widget data names a captcha. A page whose widget has none never
 * downloads it.
 */
import type { OtpError } from '../outcome.ts';
import type { Captcha, CaptchaOptions } from './index.ts';
import { needsCaptcha } from './provider.ts';

/** The captcha chunk's exports. */
export interface CaptchaModule {
  createCaptcha(options: CaptchaOptions): Captcha;
}

/**
 * A {@link Captcha} that loads its implementation on `configure` when the
 * widget needs one. A chunk that fails to load is tried again on the next
 * `take()`, which rejects meanwhile with `NETWORK_ERROR`.
 *
 * @example
 * const captcha = lazyCaptcha(() => import('./index.ts'), { challenge, container });
 */
export function lazyCaptcha(load: () => Promise<CaptchaModule>, options: CaptchaOptions): Captcha {
  /** undefined: no widget data yet; null: no captcha (or disposed). */
  let inner: Captcha | null | undefined;
  let loading: Promise<Captcha | null> | undefined;
  let start: (() => Promise<Captcha | null>) | undefined;

  return {
    configure(data) {
      if (inner !== undefined || start) return;
      if (!needsCaptcha(data)) {
        inner = null;
        return;
      }
      start = () =>
        (loading ??= load().then(
          (module) => {
            if (inner === null) return null; // Disposed meanwhile.
            inner = module.createCaptcha(options);
            inner.configure(data);
            return inner;
          },
          (error: unknown) => {
            console.error('otpkit: could not load the captcha (otp-captcha.js)', error);
            loading = undefined;
            const failed: OtpError = {
              type: 'error',
              code: 'NETWORK_ERROR',
              message: 'The otpkit captcha could not be loaded.',
            };
            throw failed;
          },
        ));
      // Start as soon as the browser is idle (after the popup has painted and focused its
      // field), so a token is ready by the time the visitor sends.
      const run = (): void => void start?.().catch(() => {});
      if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 500 });
      else setTimeout(run, 0);
    },
    ready: () => inner === null || !!inner?.ready(),
    async take() {
      if (inner) return inner.take();
      if (!start || inner === null) return undefined;
      return (await start())?.take();
    },
    next() {
      inner?.next();
    },
    dispose() {
      inner?.dispose();
      inner = null;
    },
  };
}
