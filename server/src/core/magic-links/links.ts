/**
 * Magic-link tokens: 32 random bytes in the URL, only an HMAC of them in the
 * database (so a database reader cannot open anyone's link), and the CSRF
 * token of the confirmation form, derived from the link so nothing more is
 * stored.
 */
import { createHmac } from 'node:crypto';
import type { Channel } from '@otpkit/protocol';
import type { Random } from '../../platform/runtime.ts';
import type { NewMagicLink } from '../../store/index.ts';

/** The path a link opens, under the server's public URL. */
export const VERIFY_PATH = '/verify/';

/** Whether a string can be a link token (base64url of 32 bytes), before any lookup. */
export function isLinkTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The keyed hash a link is stored and found under. */
export function hashLinkToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(`magic-link\0${token}`).digest('hex');
}

/** The confirmation form's CSRF token: bound to one link, checkable without state. */
export function csrfTokenFor(secret: string, tokenHash: string): string {
  return createHmac('sha256', secret).update(`magic-link-csrf\0${tokenHash}`).digest('base64url');
}

/** A new link for a request: the URL to send and the record to keep. */
export function newMagicLink(
  deps: { random: Random; secret: string; publicUrl: string },
  input: { requestId: string; widgetId: string; now: number; ttlMs: number },
): { url: string; record: NewMagicLink } {
  const token = deps.random.token(32);
  return {
    url: `${deps.publicUrl.replace(/\/$/, '')}${VERIFY_PATH}${token}`,
    record: {
      tokenHash: hashLinkToken(deps.secret, token),
      requestId: input.requestId,
      widgetId: input.widgetId,
      expiresAt: input.now + input.ttlMs,
      createdAt: input.now,
    },
  };
}

/**
 * The number a link request's asking tab shows and its confirmation page
 * asks for: two digits (10–99), uniform, from the crypto random source. A
 * phisher who requested the link cannot know it is wanted, and a victim who
 * did not ask has no number to type; one wrong try ends the link.
 */
export function newMatchNumber(random: Random): number {
  return random.int(10, 100);
}

/**
 * A link never goes by voice, nor by Telegram (its Gateway carries only codes):
 * a mobile number whose channel is one of them gets an SMS instead.
 */
export function linkChannel(channel: Channel): Exclude<Channel, 'voice' | 'telegram'> {
  return channel === 'voice' || channel === 'telegram' ? 'sms' : channel;
}
