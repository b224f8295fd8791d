import { describe, expect, it } from 'vitest';
import { cryptoRandom, type Random } from '../../platform/runtime.ts';
import { generateCode, hashCode, hashesEqual } from './codes.ts';

describe('codes', () => {
  it('draws uniformly from the whole range, keeping leading zeros', () => {
    const calls: [number, number][] = [];
    const random: Random = {
      ...cryptoRandom,
      int: (min, max) => {
        calls.push([min, max]);
        return 7;
      },
    };
    expect(generateCode(random, 6)).toBe('000007');
    expect(generateCode(random, 9)).toBe('000000007');
    expect(calls).toEqual([
      [0, 1_000_000],
      [0, 1_000_000_000],
    ]);
    for (let i = 0; i < 50; i++) expect(generateCode(cryptoRandom, 4)).toMatch(/^\d{4}$/);
  });

  it('binds a hash to the secret and the request', () => {
    const h = hashCode('secret-one', 'req1', '123456');
    expect(hashesEqual(h, hashCode('secret-one', 'req1', '123456'))).toBe(true);
    expect(hashesEqual(h, hashCode('secret-two', 'req1', '123456'))).toBe(false);
    expect(hashesEqual(h, hashCode('secret-one', 'req2', '123456'))).toBe(false);
    expect(hashesEqual(h, hashCode('secret-one', 'req1', '123457'))).toBe(false);
    expect(hashesEqual(h, 'abcd')).toBe(false);
  });
});
