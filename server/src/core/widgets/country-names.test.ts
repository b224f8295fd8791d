import { getCountries } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { COUNTRY_NAMES } from './country-names.ts';

describe('country names', () => {
  it('name every country libphonenumber knows, as Intl.DisplayNames does in English', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    const expected = Object.fromEntries(getCountries().map((c) => [c, names.of(c)]));
    expect(COUNTRY_NAMES).toEqual(expected);
  });
});
