/**
 * Captcha enforcement for browser calls that send messages (`sendOtpMobile`,
 * `retryOtp`): the widget's provider decides how a token is checked.
 */

import { openSecret } from '../../platform/crypto.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { Clock, Logger } from '../../platform/runtime.ts';
import type { Store, WidgetRecord } from '../../store/index.ts';
import { checkPowSolution, powKey } from './pow.ts';
import { PROVIDER_ACTION, siteverify, type ThirdPartyCaptcha } from './siteverify.ts';

export { issuePowChallenge, powKey, powMaxNumber } from './pow.ts';

/** Where each third-party provider's script and siteverify endpoint live (configurable for stand-ins). */
export interface CaptchaEndpoints {
  verifyUrl: Record<ThirdPartyCaptcha, string>;
  scriptUrl: Record<ThirdPartyCaptcha, string>;
}

export interface CaptchaDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  secret: string;
  endpoints: CaptchaEndpoints;
  fetch?: typeof fetch;
}

/**
 * Checks the captcha token of a call, if the widget uses one.
 *
 * @throws OtpkitError `CAPTCHA_REQUIRED` (no token), `CAPTCHA_FAILED` (wrong, expired or
 *   reused; solved on a host not among the widget's `allowedOrigins`; for another action;
 *   reCAPTCHA v3 without a numeric score or below the threshold)
 */
export async function checkCaptcha(
  deps: CaptchaDeps,
  widget: WidgetRecord,
  token: unknown,
  remoteIp: string | null,
): Promise<void> {
  const captcha = widget.settings.captcha;
  if (captcha.provider === 'none') return;
  if (typeof token !== 'string' || token.length === 0) throw new OtpkitError('CAPTCHA_REQUIRED');
  if (token.length > 4096) throw new OtpkitError('CAPTCHA_FAILED');
  const now = deps.clock.now();

  if (captcha.provider === 'pow') {
    const result = await checkPowSolution(powKey(deps.secret), token, widget.id, now);
    if (!result.ok) throw new OtpkitError('CAPTCHA_FAILED');
    if (!(await deps.store.captcha.markUsed(result.challenge, result.expiresAt, now))) {
      throw new OtpkitError('CAPTCHA_FAILED', 'This captcha was already used. Try again.');
    }
    return;
  }
  const result = await siteverify(deps.endpoints.verifyUrl[captcha.provider], {
    secret: openSecret(deps.secret, captcha.secretKey ?? ''),
    token,
    remoteIp,
    // Solved on one of the widget's own sites (when it lists them), for the widget's action.
    hostnames: widget.settings.allowedOrigins.map((origin) => new URL(origin).hostname),
    action: PROVIDER_ACTION[captcha.provider],
    ...(captcha.provider === 'hcaptcha' && captcha.siteKey ? { siteKey: captcha.siteKey } : {}),
    ...(captcha.provider === 'recaptcha-v3'
      ? { scoreThreshold: captcha.scoreThreshold ?? 0.5 }
      : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  if (!result.ok) {
    deps.log.warn('captcha refused', {
      widgetId: widget.id,
      provider: captcha.provider,
      reason: result.reason,
    });
    throw new OtpkitError('CAPTCHA_FAILED');
  }
}
