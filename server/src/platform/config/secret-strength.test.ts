import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_BITS, secretStrength } from './secret-strength.ts';

describe('secretStrength', () => {
  it.each([
    ['changeme', undefined],
    ['a'.repeat(64), 'one character repeated'],
    ['abc'.repeat(20), 'a short pattern repeated'],
    ['Secret12'.repeat(6), 'a short pattern repeated'],
    ['0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', undefined],
    ['my-secret-my-secret-my-secret-my-secret-0123456789', undefined],
    ['otpk_test_authkey_0123456789abcdef', undefined],
  ])('scores the placeholder %j under 128 bits', (value, pattern) => {
    const strength = secretStrength(value);
    expect(strength.bits).toBeLessThan(MIN_SECRET_BITS);
    expect(strength.pattern).toBe(pattern);
  });

  it('scores the values openssl rand makes at 128 bits or more', () => {
    for (let i = 0; i < 200; i++) {
      expect(secretStrength(randomBytes(32).toString('base64')).bits).toBeGreaterThanOrEqual(200);
      expect(secretStrength(randomBytes(24).toString('hex')).bits).toBeGreaterThanOrEqual(200);
      expect(secretStrength(randomBytes(16).toString('base64')).bits).toBeGreaterThanOrEqual(128);
    }
    expect(secretStrength('3f9c1d7e5a0b8c2e4d6f1a3b5c7e9d0f').bits).toBeGreaterThanOrEqual(128);
  });

  it('scores random values too short to hold 128 bits under it', () => {
    for (let i = 0; i < 50; i++) {
      expect(secretStrength(randomBytes(12).toString('base64')).bits).toBeLessThan(128);
    }
  });

  it('reads a long value quickly', () => {
    const start = performance.now();
    secretStrength(randomBytes(10_000).toString('base64'));
    secretStrength('a'.repeat(10_000));
    expect(performance.now() - start).toBeLessThan(500);
  });
});
