import { describe, expect, it } from 'vitest';
import { cryptoRandom } from './deps.ts';

describe('cryptoRandom', () => {
  it('hands out ids of the asked length that never repeat, across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = cryptoRandom.hex(12);
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(20_000);
    const tokens = new Set(Array.from({ length: 2000 }, () => cryptoRandom.token(32)));
    expect(tokens.size).toBe(2000);
    expect([...tokens][0]).toMatch(/^[\w-]{43}$/);
    expect(cryptoRandom.hex(300)).toHaveLength(600);
  });
});
