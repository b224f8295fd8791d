/**
 * The built-in captcha: a proof-of-work challenge in the ALTCHA (v1) format.
 * No third party, no tracking: the browser spends a moment of CPU (in a Web
 * Worker) to find a number, which costs a bot sending thousands of requests
 * real time. Challenges are signed, bound to a widget, expire, and each
 * solution works once.
 */
import { hkdfSync } from 'node:crypto';
import type { PowChallenge } from '@otpkit/protocol';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';

/** Lifetime of a challenge. */
export const POW_TTL_MS = 5 * 60_000;

/**
 * Upper bound of the secret number. About 25,000 SHA-256 tries on average:
 * well under a second in a browser, real cost at bot volumes (and each
 * solution works once, for one widget, for five minutes).
 */
export const POW_MAX_NUMBER = 50_000;

/** The key that signs challenges, derived from the server secret. */
export function powKey(secret: string): string {
  return Buffer.from(hkdfSync('sha256', secret, 'otpkit', 'captcha proof of work', 32)).toString(
    'hex',
  );
}

/** A new challenge for a widget. */
export async function issuePowChallenge(
  key: string,
  widgetId: string,
  now: number,
): Promise<PowChallenge> {
  const challenge = await createChallenge({
    hmacKey: key,
    maxnumber: POW_MAX_NUMBER,
    expires: new Date(now + POW_TTL_MS),
    params: { widget: widgetId },
  });
  return {
    algorithm: 'SHA-256',
    challenge: challenge.challenge,
    maxnumber: challenge.maxnumber ?? POW_MAX_NUMBER,
    salt: challenge.salt,
    signature: challenge.signature,
  };
}

/**
 * Checks a solution (base64 JSON, as the widget sends it): signature,
 * the number, the widget it was issued for and its expiry. Single use is
 * the caller's job (the returned `challenge` identifies it).
 */
export async function checkPowSolution(
  key: string,
  payload: string,
  widgetId: string,
  now: number,
): Promise<{ ok: true; challenge: string; expiresAt: number } | { ok: false }> {
  let parsed: { challenge?: unknown; salt?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as typeof parsed;
  } catch {
    return { ok: false };
  }
  if (typeof parsed.challenge !== 'string' || typeof parsed.salt !== 'string') return { ok: false };
  // Expiry is checked against the injected clock, not the library's.
  if (!(await verifySolution(payload, key, false))) return { ok: false };
  const params = extractParams(payload);
  const expiresAt = Number(params.expires) * 1000;
  if (params.widget !== widgetId || !Number.isFinite(expiresAt) || expiresAt <= now)
    return { ok: false };
  return { ok: true, challenge: parsed.challenge, expiresAt };
}
