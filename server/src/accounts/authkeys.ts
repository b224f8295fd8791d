/**
 * Authkeys: account API keys. High-entropy random strings, stored only as
 * SHA-256 hashes (a slow hash adds nothing for keys nobody chose).
 */
import { createHash } from 'node:crypto';
import type { Random } from '../deps.ts';
import { OtpkitError } from '../errors.ts';
import type { Store } from '../store/index.ts';

/** The one account a single-tenant installation starts with. */
export const DEFAULT_ACCOUNT_ID = 'default';

/** SHA-256 of an authkey, hex. */
export function hashAuthkey(authkey: string): string {
  return createHash('sha256').update(authkey).digest('hex');
}

/** A new authkey: `otpk_` and 32 random bytes. */
export function generateAuthkey(random: Random): string {
  return `otpk_${random.token(32)}`;
}

/**
 * The account an authkey belongs to.
 *
 * @throws OtpkitError `INVALID_AUTHKEY`
 */
export async function accountForAuthkey(store: Store, authkey: unknown): Promise<string> {
  if (typeof authkey !== 'string' || authkey.length === 0 || authkey.length > 200) {
    throw new OtpkitError('INVALID_AUTHKEY');
  }
  const account = await store.authkeys.findAccount(hashAuthkey(authkey));
  if (!account) throw new OtpkitError('INVALID_AUTHKEY');
  return account;
}
