/**
 * Authkeys: account API keys. High-entropy random strings, stored only as
 * SHA-256 hashes (a slow hash adds nothing for keys nobody chose); shown
 * once, when created. An account may hold several and revoke any but the last.
 */

import { sha256Hex } from '../../platform/crypto.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { Clock, Random } from '../../platform/runtime.ts';
import type { AuthkeyRecord, Store } from '../../store/index.ts';
import type { RateLimits } from '../limits/index.ts';

/** The one account a single-tenant installation starts with. */
export const DEFAULT_ACCOUNT_ID = 'default';

/** SHA-256 of an authkey, hex. */
export function hashAuthkey(authkey: string): string {
  return sha256Hex(authkey);
}

/** A new authkey: `otpk_` and 32 random bytes. */
export function generateAuthkey(random: Random): string {
  return `otpk_${random.token(32)}`;
}

/** How a key is recognised in lists: its first 9 characters. */
function prefixOf(authkey: string): string {
  return authkey.slice(0, 9);
}

/**
 * Stores an authkey (a new random one unless `authkey` is given).
 *
 * @returns the record and the key itself, which is not kept anywhere.
 */
export async function createAuthkey(
  deps: { store: Store; clock: Clock; random: Random },
  accountId: string,
  options: { label?: string | null; authkey?: string } = {},
): Promise<{ record: AuthkeyRecord; authkey: string }> {
  const authkey = options.authkey ?? generateAuthkey(deps.random);
  const record: AuthkeyRecord = {
    id: deps.random.hex(8),
    accountId,
    label: options.label ?? null,
    prefix: prefixOf(authkey),
    createdAt: deps.clock.now(),
    lastUsedAt: null,
  };
  await deps.store.authkeys.insert({ ...record, hash: hashAuthkey(authkey) });
  return { record, authkey };
}

/**
 * The limits of an HTTP call that presents an authkey: its client network's
 * calls, and its wrong authkeys.
 */
export interface AuthGuard {
  limits: Pick<RateLimits, 'consumeAuthCall' | 'checkAuthFailures' | 'recordAuthFailure'>;
  ip: string | null;
}

/** `authenticate` and `accountForAuthkey`: a missing or wrong key, or too many calls or wrong keys from the network. */
export const AUTHENTICATE_ERRORS = errorCodes('INVALID_AUTHKEY', 'RATE_LIMITED');

/**
 * The live authkey a caller presented. With a `guard` (every HTTP call),
 * the call counts against its client network's limit, a network that sent
 * too many wrong authkeys lately is refused before the key is looked at,
 * and a wrong key counts as one more (a missing one does not).
 * Throws {@link AUTHENTICATE_ERRORS}.
 */
export async function authenticate(
  store: Store,
  authkey: unknown,
  now: number,
  guard?: AuthGuard,
): Promise<AuthkeyRecord> {
  if (guard) {
    await guard.limits.consumeAuthCall(guard.ip, 'authkey');
    await guard.limits.checkAuthFailures(guard.ip);
  }
  // No key at all is no guess: only a key that was presented and is wrong counts.
  if (authkey === undefined || authkey === null || authkey === '') {
    throw new OtpkitError('INVALID_AUTHKEY');
  }
  const record =
    typeof authkey === 'string' && authkey.length <= 200
      ? await store.authkeys.use(hashAuthkey(authkey), now)
      : undefined;
  if (!record) {
    await guard?.limits.recordAuthFailure(guard.ip);
    throw new OtpkitError('INVALID_AUTHKEY');
  }
  return record;
}

/** The account an authkey belongs to (see `authenticate`). Throws {@link AUTHENTICATE_ERRORS}. */
export async function accountForAuthkey(
  store: Store,
  authkey: unknown,
  now: number,
  guard?: AuthGuard,
): Promise<string> {
  return (await authenticate(store, authkey, now, guard)).accountId;
}
