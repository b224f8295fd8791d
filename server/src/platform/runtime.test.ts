import { describe, expect, it } from 'vitest';
import { cryptoRandom, sortableId } from './runtime.ts';

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
  it('start with the second, so ids of a later second sort after, keep 64 random bits, never repeat', () => {
    expect(sortableId(0x01234567, Buffer.from([0x89, 0xab]))).toBe('0123456789ab');
    const before = Math.floor(Date.now() / 1000);
    const ids = Array.from({ length: 5000 }, () => cryptoRandom.sortable(12));
    const after = Math.floor(Date.now() / 1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      const seconds = Number.parseInt(id.slice(0, 8), 16);
      expect(seconds).toBeGreaterThanOrEqual(before);
      expect(seconds).toBeLessThanOrEqual(after);
    }
    expect(new Set(ids).size).toBe(5000);
    // The 16 hex digits after the time are random: no two ids share them.
    expect(new Set(ids.map((id) => id.slice(8))).size).toBe(5000);
    // Ids of different seconds are ordered as text (what a B-tree index sorts by).
    expect(
      sortableId(1000, Buffer.from('ffff', 'hex')) < sortableId(1001, Buffer.from('0000', 'hex')),
    ).toBe(true);
  });
});
