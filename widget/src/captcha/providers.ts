/**
 * Third-party captchas: reCAPTCHA v3, Cloudflare Turnstile and hCaptcha.
 * Each provider's script is loaded from the widget's `captcha_script_url`
 * (so a test can point it at a local stand-in), by one small loader of our
 * own (see the README for why no package), and turned into a
 * {@link TokenSource}: something that hands out one fresh token per call.
 */
import type { ThirdParty } from './provider.ts';

/** Hands out captcha tokens, one per send. */
export interface TokenSource {
  /** A fresh token (waiting for the visitor if the provider needs a click). */
  token(): Promise<string>;
  /** Whether a fresh token is waiting. */
  ready(): boolean;
  /** After a token was used: prepare the next one. */
  next(): void;
}

/** The third-party providers, as `widgetMeta.captcha_type` names them. */
export type { ThirdParty };

/** Where each provider's script lives when the widget data doesn't say. */
export const DEFAULT_SCRIPTS: Readonly<Record<ThirdParty, string>> = {
  recaptcha_v3: 'https://www.google.com/recaptcha/api.js',
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/api.js',
  hcaptcha: 'https://js.hcaptcha.com/1/api.js',
};

/** What a provider needs. */
export interface ProviderOptions {
  siteKey: string;
  /** The provider's script (already including any query it needs). */
  scriptUrl: string;
  /** Where a visible widget renders; null: render invisibly into a hidden element. */
  container: () => HTMLElement | null;
}

/** The part of each provider's global API we use. */
interface Grecaptcha {
  ready(callback: () => void): void;
  execute(siteKey: string, options: { action: string }): Promise<string>;
}
interface WidgetApi {
  render(container: HTMLElement, options: Record<string, unknown>): string;
  reset(widgetId?: string): void;
  execute?(widgetId?: string): void;
}

const scripts = new Map<string, Promise<void>>();

/** Adds a `<script>` once per URL; resolves when it has run. */
export function loadScript(src: string): Promise<void> {
  let loading = scripts.get(src);
  if (!loading) {
    loading = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = true;
      script.onload = () => resolve();
      script.onerror = () => {
        scripts.delete(src);
        reject(new Error(`could not load ${src}`));
      };
      document.head.append(script);
    });
    scripts.set(src, loading);
  }
  return loading;
}

/** `base` with extra query parameters (keeping any it has). */
export function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base, location.href);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/** Waits until a global the provider's script defines shows up. */
async function global<T>(name: string, src: string): Promise<T> {
  await loadScript(src);
  for (let i = 0; i < 100; i++) {
    const api = (window as unknown as Record<string, T | undefined>)[name];
    if (api) return api;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not load`);
}

/** How long a reCAPTCHA v3 token is used after it was made (they expire after 2 minutes). */
const RECAPTCHA_FRESH_MS = 90_000;

/**
 * reCAPTCHA v3: invisible, no container. Loads `api.js?render=<siteKey>`, then
 * `grecaptcha.execute(siteKey, {action: 'otp'})` for each token; one token is
 * fetched ahead so that `ready()` can say yes. The server refuses an answer
 * for any other action (Turnstile's too: `server/src/core/captcha/siteverify.ts`).
 */
export function recaptchaV3(options: ProviderOptions): TokenSource {
  const src = withQuery(options.scriptUrl, { render: options.siteKey });
  let ahead: { token: string; at: number } | undefined;
  const execute = async (): Promise<string> => {
    const grecaptcha = await global<Grecaptcha>('grecaptcha', src);
    await new Promise<void>((resolve) => grecaptcha.ready(resolve));
    return grecaptcha.execute(options.siteKey, { action: 'otp' });
  };
  const prefetch = (): void => {
    execute().then(
      (token) => {
        ahead = { token, at: Date.now() };
      },
      () => undefined, // token() tries again, and reports the failure.
    );
  };
  prefetch();
  return {
    ready: () => !!ahead && Date.now() - ahead.at < RECAPTCHA_FRESH_MS,
    async token() {
      const fresh = ahead && Date.now() - ahead.at < RECAPTCHA_FRESH_MS ? ahead.token : undefined;
      ahead = undefined;
      return fresh ?? execute();
    },
    next: prefetch,
  };
}

/**
 * Turnstile and hCaptcha: explicit rendering into the container; the
 * provider's callback delivers the token, which is used once, after which
 * the widget is reset for the next one. Without a container they render
 * into a hidden element (hCaptcha `size: invisible`, then `execute`;
 * Turnstile `appearance: interaction-only`).
 */
export function renderedCaptcha(
  provider: Exclude<ThirdParty, 'recaptcha_v3'>,
  options: ProviderOptions,
): TokenSource {
  const src = withQuery(options.scriptUrl, { render: 'explicit' });
  let current: string | undefined;
  let waiting: Array<{ resolve: (token: string) => void; reject: (error: Error) => void }> = [];
  let widgetId: string | undefined;
  let invisible = false;
  /** The provider reported an error while nobody waited: reset before waiting. */
  let failed = false;

  const settle = (token: string | undefined, error?: Error): void => {
    current = token;
    if (!token && !error) return;
    failed = !token && waiting.length === 0;
    const queue = waiting;
    waiting = [];
    for (const waiter of queue) {
      if (token) waiter.resolve(token);
      else waiter.reject(error!);
    }
  };

  const api = global<WidgetApi>(provider, src).then((widgets) => {
    let container = options.container();
    if (!container) {
      invisible = true;
      container = document.createElement('div');
      container.hidden = provider === 'hcaptcha';
      document.body.append(container);
    }
    widgetId = widgets.render(container, {
      sitekey: options.siteKey,
      callback: (token: string) => settle(token),
      'expired-callback': () => settle(undefined),
      'error-callback': () => {
        settle(undefined, new Error(`${provider} failed`));
      },
      ...(provider === 'turnstile'
        ? { appearance: 'interaction-only', action: 'otp' }
        : invisible
          ? { size: 'invisible' }
          : {}),
    });
    if (invisible && provider === 'hcaptcha') widgets.execute?.(widgetId);
    return widgets;
  });
  api.catch(() => undefined); // Reported by token().
  const reset = (): void => {
    void api.then((widgets) => {
      current = undefined;
      widgets.reset(widgetId);
      if (invisible && provider === 'hcaptcha') widgets.execute?.(widgetId);
    });
  };

  return {
    ready: () => !!current,
    async token() {
      await api;
      if (current) {
        const token = current;
        current = undefined;
        return token;
      }
      if (failed) {
        failed = false;
        reset();
      }
      return new Promise<string>((resolve, reject) => {
        waiting.push({ resolve, reject });
      }).then((token) => {
        current = undefined;
        return token;
      });
    },
    next: reset,
  };
}
