import { describe, expect, it } from 'vitest';
import { countryName, NON_GEOGRAPHIC } from './countries.ts';

describe('countryName', () => {
  it('names countries, and 001 as the networks of no country', () => {
    expect(countryName('IN')).toBe('India');
    expect(countryName(NON_GEOGRAPHIC)).toBe('Satellite & international networks');
  });
});
