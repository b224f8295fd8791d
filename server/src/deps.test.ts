import { describe, expect, it } from 'vitest';
import { cryptoRandom, sortableId } from './deps.ts';

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

describe('sortable ids', () => {
  it('start with the millisecond, so later ids sort after earlier ones, and never repeat', () => {
    expect(sortableId(0x0123456789ab, Buffer.from([0xcd, 0xef]))).toBe('0123456789abcdef');
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => cryptoRandom.sortable(12));
    const after = Date.now();
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      const ms = Number.parseInt(id.slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
    expect(new Set(ids).size).toBe(5000);
    // Ids of different milliseconds are ordered as text (what a B-tree index sorts by).
    expect(
      sortableId(1000, Buffer.from('ff', 'hex')) < sortableId(1001, Buffer.from('00', 'hex')),
    ).toBe(true);
  });
});
