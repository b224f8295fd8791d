/** Records scoped to an account, read by id. */
import type { ErrorCode } from '@otpkit/protocol';
import { OtpkitError } from '../platform/errors.ts';

/**
 * The record when the account owns it. Another account's record is
 * reported as missing (`notFound`), so ids cannot be probed across accounts.
 *
 * @example ownedBy(await store.widgets.get(id), accountId, 'WIDGET_NOT_FOUND')
 */
export function ownedBy<T extends { accountId: string }>(
  record: T | null | undefined,
  accountId: string,
  notFound: ErrorCode,
): T {
  if (!record || record.accountId !== accountId) throw new OtpkitError(notFound);
  return record;
}
