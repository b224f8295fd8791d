import { describe, expect, it } from 'vitest';
import { cryptoRandom, type Random } from '../../platform/runtime.ts';
import { candidateHashes, generateCode, hashCode, hashesEqual } from './codes.ts';

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

  it('reads a code typed as a JSON number at every code length, and text as typed', () => {
    const h = (code: string) => hashCode('s', 'req1', code);
    expect(candidateHashes('s', 'req1', '012345')).toEqual([h('012345')]);
    // 12345 lost its leading zeros: '012345' for a 6-digit request, '0012345' for a 7-digit one…
    expect(candidateHashes('s', 'req1', 12345)).toEqual(
      ['12345', '012345', '0012345', '00012345', '000012345'].map(h),
    );
    expect(candidateHashes('s', 'req1', 42)).toEqual(
      ['0042', '00042', '000042', '0000042', '00000042', '000000042'].map(h),
    );
  });
});
