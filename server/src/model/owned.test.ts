import { describe, expect, it } from 'vitest';
import { OtpkitError } from '../platform/errors.ts';
import { ownedBy } from './owned.ts';

describe('ownedBy', () => {
  const record = { id: 't1', accountId: 'acct' };

  it('answers the record its account owns', () => {
    expect(ownedBy(record, 'acct', 'TEMPLATE_NOT_FOUND')).toBe(record);
  });

  it('reports a missing record and another account’s alike', () => {
    for (const found of [undefined, null, record]) {
      const attempt = () => ownedBy(found, 'other', 'TEMPLATE_NOT_FOUND');
      expect(attempt).toThrow(OtpkitError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'TEMPLATE_NOT_FOUND' }));
    }
  });
});
