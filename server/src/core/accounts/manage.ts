/**
 * The admin operations on an account's authkeys: typed input in, records
 * out, each with the codes it can throw declared beside it (the OpenAPI
 * document lists them). No HTTP here.
 */
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { Clock, Random } from '../../platform/runtime.ts';
import type { AuthkeyRecord, Store } from '../../store/index.ts';
import { createAuthkey } from './authkeys.ts';

/** What the account operations use. */
export interface AccountDeps {
  store: Store;
  clock: Clock;
  random: Random;
}

/** `revokeAuthkey`: no such live key of the account, or its last one. */
export const REVOKE_AUTHKEY_ERRORS = errorCodes('AUTHKEY_NOT_FOUND', 'LAST_AUTHKEY');

/** The account's live authkeys (never the keys themselves). */
export async function listAuthkeys(
  deps: Pick<AccountDeps, 'store'>,
  input: { accountId: string },
): Promise<AuthkeyRecord[]> {
  return deps.store.authkeys.list(input.accountId);
}

/** A new random authkey for the account: the key is in this answer only (stored hashed). */
export async function issueAuthkey(
  deps: AccountDeps,
  input: { accountId: string; label: string | null },
): Promise<{ record: AuthkeyRecord; authkey: string }> {
  return createAuthkey(deps, input.accountId, { label: input.label });
}

/** Revokes an authkey unless it is the account's last live one. Throws {@link REVOKE_AUTHKEY_ERRORS}. */
export async function revokeAuthkey(
  deps: Pick<AccountDeps, 'store' | 'clock'>,
  input: { accountId: string; authkeyId: string },
): Promise<void> {
  const outcome = await deps.store.authkeys.revoke(
    input.accountId,
    input.authkeyId,
    deps.clock.now(),
  );
  if (outcome === 'not_found') throw new OtpkitError('AUTHKEY_NOT_FOUND');
  if (outcome === 'last') throw new OtpkitError('LAST_AUTHKEY');
}
