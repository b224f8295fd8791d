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
 * The default upper bound of the secret number (`OTPKIT_POW_MAX_NUMBER`):
 * about 500,000 SHA-256 tries on average, a second or so of a browser's
 * workers, and real time for a script at any volume (each solution works
 * once, for one widget, for five minutes).
 */
export const POW_MAX_NUMBER = 1_000_000;

/** Challenges a client network may ask for in an hour at the base `maxnumber`… */
export const POW_FREE_CHALLENGES = 10;
/** …after which every this many more double it… */
export const POW_CHALLENGES_PER_DOUBLING = 10;
/** …this many times at most (32 × the base). */
export const POW_MAX_DOUBLINGS = 5;

/**
 * The `maxnumber` of a network's next challenge, from how many it was
 * issued this hour (this one included): the base for the first 10, then
 * twice as much for each further 10, up to 32 times the base. A script
 * that keeps sending from one network pays more per send; a visitor on
 * another network still gets the base.
 *
 * @example powMaxNumber(1_000_000, 1) // 1_000_000
 * @example powMaxNumber(1_000_000, 11) // 2_000_000
 * @example powMaxNumber(1_000_000, 500) // 32_000_000
 */
export function powMaxNumber(base: number, issued: number): number {
  const doublings = Math.min(
    POW_MAX_DOUBLINGS,
    Math.max(0, Math.ceil((issued - POW_FREE_CHALLENGES) / POW_CHALLENGES_PER_DOUBLING)),
  );
  return base * 2 ** doublings;
}

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
  maxnumber: number = POW_MAX_NUMBER,
): Promise<PowChallenge> {
  const challenge = await createChallenge({
    hmacKey: key,
    maxnumber,
    expires: new Date(now + POW_TTL_MS),
    params: { widget: widgetId },
  });
  return {
    algorithm: 'SHA-256',
    challenge: challenge.challenge,
    maxnumber: challenge.maxnumber ?? maxnumber,
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
