import { describe, expect, it } from 'vitest';
import { OtpkitError } from '../errors.ts';
import { assertSmsFits } from './sms-length.ts';

const refusal = (text: string, unicode = false): string | undefined => {
  try {
    assertSmsFits(text, { unicode });
    return undefined;
  } catch (error) {
    return error instanceof OtpkitError ? error.code : String(error);
  }
};

describe('assertSmsFits: 3 SMS segments', () => {
  it('allows 459 GSM-7 septets, counting the extended characters twice', () => {
    expect(refusal('a'.repeat(459))).toBeUndefined();
    expect(refusal('a'.repeat(460))).toBe('MESSAGE_TOO_LONG');
    expect(refusal(`a${'€'.repeat(229)}`)).toBeUndefined(); // 1 + 458 septets
    expect(refusal(`aa${'€'.repeat(229)}`)).toBe('MESSAGE_TOO_LONG');
  });

  it('allows 201 UCS-2 units, for text outside GSM-7 or marked Unicode', () => {
    expect(refusal('क'.repeat(201))).toBeUndefined();
    expect(refusal('क'.repeat(202))).toBe('MESSAGE_TOO_LONG');
    expect(refusal('a'.repeat(201), true)).toBeUndefined();
    expect(refusal('a'.repeat(202), true)).toBe('MESSAGE_TOO_LONG');
    // An emoji is two UTF-16 units.
    expect(refusal('😀'.repeat(100))).toBeUndefined();
    expect(refusal(`a${'😀'.repeat(101)}`)).toBe('MESSAGE_TOO_LONG');
  });
});
