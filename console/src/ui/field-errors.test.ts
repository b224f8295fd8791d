import { describe, expect, it } from 'vitest';
import { fieldId, mapFieldIssues, sentence } from './field-errors.ts';

describe('mapFieldIssues', () => {
  it('places issues on fields, keeps the first per field, returns the rest', () => {
    const result = mapFieldIssues(
      [
        { path: 'otpLength', message: 'must be 4 to 9' },
        { path: 'otpLength', message: 'second' },
        { path: 'mystery', message: 'unknown' },
      ],
      (path) => (path === 'mystery' ? null : { key: path }),
    );
    expect(result.errors).toEqual({ otpLength: 'Must be 4 to 9' });
    expect(result.unplaced).toEqual([{ path: 'mystery', message: 'unknown' }]);
  });

  it('adds a prefix', () => {
    const { errors } = mapFieldIssues([{ path: 'a.1', message: 'bad' }], () => ({
      key: 'a',
      prefix: 'Line 2: ',
    }));
    expect(errors).toEqual({ a: 'Line 2: Bad' });
  });
});

describe('helpers', () => {
  it('capitalises and builds ids', () => {
    expect(sentence(' must be x')).toBe('Must be x');
    expect(fieldId('demoCredentials.0.otp')).toBe('field-demoCredentials-0-otp');
  });
});
