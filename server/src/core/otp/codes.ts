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

/** The shortest and longest codes (widget `otpLength`, server API `otp_length`). */
const MIN_CODE_LENGTH = 4;
const MAX_CODE_LENGTH = 9;

/**
 * The keyed hashes a typed code may stand for: itself, or for a JSON number
 * (which lost its leading zeros) the number padded to each code length
 * (only the request's own length can match one of its codes).
 *
 * @example candidateHashes(secret, 'r1', 42).length // 6: '0042' … '000000042'
 */
export function candidateHashes(secret: string, reqId: string, typed: string | number): string[] {
  if (typeof typed === 'string') return [hashCode(secret, reqId, typed)];
  const digits = String(typed);
  const hashes: string[] = [];
  for (let length = Math.max(MIN_CODE_LENGTH, digits.length); length <= MAX_CODE_LENGTH; length++) {
    hashes.push(hashCode(secret, reqId, digits.padStart(length, '0')));
  }
  return hashes;
}
