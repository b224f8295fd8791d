/**
 * Third-party captchas (reCAPTCHA v3, Turnstile, hCaptcha): the token the
 * widget got is checked through the provider's siteverify protocol. The
 * siteverify URLs are configurable so tests run a local stand-in.
 *
 * A `success: true` answer only says the token is genuine for the secret.
 * It is also checked for where and what it was solved for: the `hostname`
 * (a token solved on another site, with the same public site key, is
 * refused when the widget lists its origins), the `action` the widget
 * asks the provider for (reCAPTCHA v3 and Turnstile), and, for reCAPTCHA v3,
 * a numeric `score` at or above the threshold (an answer without one, such
 * as a v2 key's, fails).
 */
import type { ThirdPartyCaptcha } from '@otpkit/protocol';

export type { ThirdPartyCaptcha } from '@otpkit/protocol';

/**
 * The action the widget passes to providers that take one (reCAPTCHA v3's
 * `grecaptcha.execute(siteKey, {action})`, Turnstile's `action` render
 * option); the siteverify answer names it back.
 */
export const CAPTCHA_ACTION = 'otp';

/** Which providers' answers name the action the token was made for. */
export const PROVIDER_ACTION: Readonly<Record<ThirdPartyCaptcha, string | null>> = {
  'recaptcha-v3': CAPTCHA_ACTION,
  turnstile: CAPTCHA_ACTION,
  hcaptcha: null,
};

/**
 * The fields of a siteverify answer otpkit reads (each provider documents
 * more: `challenge_ts`, Turnstile's `cdata`, hCaptcha's `credit`).
 */
interface SiteverifyAnswer {
  success?: boolean;
  /** reCAPTCHA v3 (and hCaptcha Enterprise): 0.0 (bot) to 1.0 (human). */
  score?: unknown;
  /** reCAPTCHA v3 and Turnstile: the action the token was made for. */
  action?: unknown;
  /** The hostname of the page the captcha was solved on. */
  hostname?: unknown;
  'error-codes'?: string[];
}

/**
 * Verifies a token.
 *
 * @returns `ok`, or a reason for the log.
 */
export async function siteverify(
  url: string,
  input: {
    secret: string;
    token: string;
    remoteIp: string | null;
    /** hCaptcha: the site key the token must be for (sent as `sitekey`). */
    siteKey?: string;
    /** The hostnames the captcha may have been solved on; empty or absent: any. */
    hostnames?: readonly string[];
    /** The action the answer must name. */
    action?: string | null;
    /** reCAPTCHA v3: the answer must carry a numeric score at least this high. */
    scoreThreshold?: number;
    fetch?: typeof fetch;
  },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const form = new URLSearchParams({ secret: input.secret, response: input.token });
  if (input.remoteIp) form.set('remoteip', input.remoteIp);
  if (input.siteKey) form.set('sitekey', input.siteKey);
  let answer: SiteverifyAnswer;
  try {
    const response = await (input.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(10_000),
    });
    answer = (await response.json()) as SiteverifyAnswer;
  } catch (error) {
    return { ok: false, reason: `siteverify unreachable: ${(error as Error).message}` };
  }
  if (typeof answer !== 'object' || answer === null) {
    return { ok: false, reason: 'siteverify answered no object' };
  }
  if (answer.success !== true)
    return {
      ok: false,
      reason: `rejected: ${(Array.isArray(answer['error-codes']) ? answer['error-codes'] : []).join(', ') || 'no reason'}`,
    };
  if (input.hostnames && input.hostnames.length > 0) {
    const hostname = typeof answer.hostname === 'string' ? answer.hostname.toLowerCase() : null;
    if (!hostname || !input.hostnames.includes(hostname)) {
      return { ok: false, reason: `solved on ${hostname ?? 'an unnamed host'}, not this widget's` };
    }
  }
  if (input.action && answer.action !== input.action) {
    return {
      ok: false,
      reason: `action ${typeof answer.action === 'string' ? answer.action : 'missing'}, not ${input.action}`,
    };
  }
  if (input.scoreThreshold !== undefined) {
    const { score } = answer;
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      return { ok: false, reason: 'no numeric score (not a reCAPTCHA v3 answer)' };
    }
    if (score < input.scoreThreshold) {
      return { ok: false, reason: `score ${score} below ${input.scoreThreshold}` };
    }
  }
  return { ok: true };
}
