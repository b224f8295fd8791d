/**
 * Third-party captchas (reCAPTCHA v3, Turnstile, hCaptcha): the token the
 * widget got is checked through the provider's siteverify protocol. The
 * siteverify URLs are configurable so tests run a local stand-in.
 */
export type ThirdPartyCaptcha = 'recaptcha-v3' | 'turnstile' | 'hcaptcha';

/** The answer every siteverify endpoint shares (reCAPTCHA v3 adds `score` and `action`). */
interface SiteverifyAnswer {
  success?: boolean;
  score?: number;
  action?: string;
  hostname?: string;
  'error-codes'?: string[];
}

/**
 * Verifies a token. reCAPTCHA v3 must also reach `scoreThreshold`.
 *
 * @returns `ok`, or a reason for the log.
 */
export async function siteverify(
  url: string,
  input: {
    secret: string;
    token: string;
    remoteIp: string | null;
    scoreThreshold?: number;
    fetch?: typeof fetch;
  },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const form = new URLSearchParams({ secret: input.secret, response: input.token });
  if (input.remoteIp) form.set('remoteip', input.remoteIp);
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
  if (!answer.success)
    return {
      ok: false,
      reason: `rejected: ${(answer['error-codes'] ?? []).join(', ') || 'no reason'}`,
    };
  if (
    input.scoreThreshold !== undefined &&
    typeof answer.score === 'number' &&
    answer.score < input.scoreThreshold
  ) {
    return { ok: false, reason: `score ${answer.score} below ${input.scoreThreshold}` };
  }
  return { ok: true };
}
