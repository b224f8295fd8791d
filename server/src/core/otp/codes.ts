/**
 * One-time codes: generated uniformly, stored only as a keyed hash bound to
 * their request, compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../../platform/runtime.ts';

/** A code of `length` decimal digits, leading zeros allowed, from a uniform draw. */
export function generateCode(random: Random, length: number): string {
  return String(random.int(0, 10 ** length)).padStart(length, '0');
}

/**
 * HMAC-SHA256 of the code, keyed by the server secret and bound to the
 * request id, so a hash is useless for any other request (and offline
 * guessing needs the secret).
 */
export function hashCode(secret: string, requestId: string, code: string): string {
  return createHmac('sha256', secret).update(`${requestId}\0${code}`).digest('hex');
}

/** Compares two hex hashes in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
