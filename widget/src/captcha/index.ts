/**
 * The widget's captcha: picks the provider the widget data names
 * (`widgetMeta.captcha_type`), prepares a token or solution ahead of time,
 * and hands each `sendOtpMobile` / `retryOtp` a fresh one. A pow solution
 * and a third-party token are each good for one call only, so after every
 * use the next one is prepared in the background.
 */
import type { PowChallenge, WidgetData } from '@otpkit/protocol';
import type { OtpError, Outcome } from '../outcome.ts';
import { powPayload, type SolveOptions, solvePow } from './pow.ts';
import { needsCaptcha, providerOf } from './provider.ts';
import { DEFAULT_SCRIPTS, recaptchaV3, renderedCaptcha, type TokenSource } from './providers.ts';

/** A solution is used at most this long after its challenge was fetched (challenges live 5 minutes). */
const POW_FRESH_MS = 4 * 60_000;

/** The captcha of one widget. */
export interface Captcha {
  /** Starts preparing a token for this widget's provider (once; later calls are ignored). */
  configure(data: WidgetData): void;
  /** `isCaptchaVerified()`: a fresh token or solution is ready, or the widget has no captcha. */
  ready(): boolean;
  /**
   * A fresh token for one call (waits for it if need be), or `undefined` when
   * the widget has no captcha. Rejects with an {@link OtpError}.
   */
  take(): Promise<string | undefined>;
  /** A token was used: prepare the next one. */
  next(): void;
  /** Stops all work (the widget refused to run here). */
  dispose(): void;
}

/** What {@link createCaptcha} needs. */
export interface CaptchaOptions {
  /** `GET captchaChallenge` (the client's). */
  challenge: () => Promise<Outcome<PowChallenge>>;
  /** Where a visible third-party widget renders; null: invisibly. */
  container: () => HTMLElement | null;
  /** How the pow search runs (tests). */
  solve?: (challenge: PowChallenge, options?: SolveOptions) => Promise<number>;
}

const failed = (message: string): OtpError => ({ type: 'error', code: 'CAPTCHA_FAILED', message });

/** The built-in proof of work as a {@link TokenSource}. */
function powSource(options: CaptchaOptions): TokenSource & { stop(): void } {
  const solve = options.solve ?? solvePow;
  let pending: Promise<{ payload: string; at: number }> | undefined;
  let solved: { payload: string; at: number } | undefined;
  let stopped = false;

  const prepare = (): void => {
    solved = undefined;
    const work = (async () => {
      const at = Date.now();
      const challenge = await options.challenge();
      if ('code' in challenge) throw challenge;
      const number = await solve(challenge);
      if (number < 0) throw failed('The captcha challenge could not be solved.');
      return { payload: powPayload(challenge, number, Date.now() - at), at };
    })();
    pending = work;
    work.then(
      (solution) => {
        if (pending === work) solved = solution;
      },
      () => {
        if (pending === work) pending = undefined; // The next take() starts over.
      },
    );
  };
  const fresh = (): boolean => !!solved && Date.now() - solved.at < POW_FRESH_MS;

  prepare();
  return {
    ready: () => fresh(),
    async token() {
      if (!pending || (solved && !fresh())) prepare();
      const mine = pending!;
      pending = undefined;
      solved = undefined;
      return (await mine).payload;
    },
    next() {
      if (!pending && !stopped) prepare();
    },
    stop() {
      stopped = true;
    },
  };
}

/**
 * Creates the captcha of one widget.
 *
 * @example
 * const captcha = createCaptcha({ challenge: () => client.getCaptchaChallenge(), container: () => null });
 * captcha.configure(widgetData);
 * const token = await captcha.take(); // send it as `captcha`, then captcha.next()
 */
export function createCaptcha(options: CaptchaOptions): Captcha {
  /** undefined: no widget data yet; null: no captcha. */
  let source: (TokenSource & { stop?(): void }) | null | undefined;

  return {
    configure(data) {
      if (source !== undefined) return;
      source = null;
      if (!needsCaptcha(data)) return;
      const provider = providerOf(data);
      if (provider === 'pow') {
        source = powSource(options);
      } else if (provider) {
        const siteKey = data.widgetMeta.captcha_site_key;
        if (!siteKey) {
          console.error(`otpkit: the widget's ${provider} captcha has no site key.`);
          return;
        }
        const scriptUrl = data.widgetMeta.captcha_script_url || DEFAULT_SCRIPTS[provider];
        const settings = { siteKey, scriptUrl, container: options.container };
        source =
          provider === 'recaptcha_v3' ? recaptchaV3(settings) : renderedCaptcha(provider, settings);
      }
    },
    ready: () => source === null || !!source?.ready(),
    async take() {
      if (!source) return undefined;
      try {
        return await source.token();
      } catch (error) {
        throw (error as OtpError)?.type === 'error'
          ? error
          : failed('The captcha could not be completed.');
      }
    },
    next() {
      source?.next();
    },
    dispose() {
      source?.stop?.();
      source = null;
    },
  };
}
