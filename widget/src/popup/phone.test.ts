// @vitest-environment happy-dom
// The country list, phone formatting, and when the popup fetches it.
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/min';
import { describe, expect, it, vi } from 'vitest';
import { allowedCountriesOf, COUNTRIES, findCountry, splitNumber } from './countries.ts';
import { formatInternational, formatNational } from './phone.ts';
import { createStore, type PhoneFormatting } from './store.ts';
import { fakeClient, widget } from './testing.ts';

describe('countries', () => {
  it('reads every country and its dial code from the packed list', () => {
    expect(COUNTRIES).toHaveLength(243);
    expect(new Set(COUNTRIES.map((c) => c.iso2)).size).toBe(243);
    expect(COUNTRIES[0]).toEqual({ iso2: 'AD', dialCode: '376' });
    expect(COUNTRIES[1]).toEqual({ iso2: 'AE', dialCode: '971' });
    expect(COUNTRIES.at(-1)).toEqual({ iso2: 'ZW', dialCode: '263' });
    // Each agrees with libphonenumber-js (NANP territories carry their area code: AI +1264).
    for (const { iso2, dialCode } of COUNTRIES) {
      expect(dialCode.startsWith(getCountryCallingCode(iso2 as CountryCode)), iso2).toBe(true);
    }
    expect(findCountry('ai')?.dialCode).toBe('1264');
    expect(findCountry('XK')?.dialCode).toBe('383');
  });

  it('splits a full number by its longest dial code', () => {
    expect(splitNumber('919876543210')).toMatchObject({
      country: { iso2: 'IN' },
      national: '9876543210',
    });
    expect(splitNumber('14155550100')?.country.iso2).toBe('US');
    // Every shared dial code goes to its main country, whatever the list order.
    expect(splitNumber('74951234567')?.country.iso2).toBe('RU');
    expect(splitNumber('447400123456')?.country.iso2).toBe('GB');
    expect(splitNumber('61412345678')?.country.iso2).toBe('AU');
    expect(splitNumber('358401234567')?.country.iso2).toBe('FI');
    expect(splitNumber('590690123456')?.country.iso2).toBe('GP');
    // Some dial codes belong to one country only: the longest one matches.
    expect(splitNumber('12645551234')?.country.iso2).toBe('AI');
    expect(splitNumber('14155550100', { iso2: 'CA', dialCode: '1' })?.country.iso2).toBe('CA');
    // Without a preference, a tie goes to a country the widget allows.
    expect(splitNumber('14165550100', undefined, allowedCountriesOf(['CA']))?.country.iso2).toBe(
      'CA',
    );
  });

  it('offers only the allowed countries when the widget lists them', () => {
    // In the widget's order (its first is the fallback start country), unknown codes skipped.
    expect(allowedCountriesOf(['in', 'US', 'XX', 'IN']).map((c) => c.iso2)).toEqual(['IN', 'US']);
    expect(allowedCountriesOf(null).length).toBeGreaterThan(200);
    expect(allowedCountriesOf([]).length).toBeGreaterThan(200);
  });
});

describe('phone formatting (layouts from libphonenumber-js metadata, made at build time)', () => {
  it('formats national numbers for the chosen country as they are typed', () => {
    expect(formatNational('IN', '9876543210')).toBe('98765 43210');
    expect(formatNational('US', '4155550100')).toBe('(415) 555-0100');
    expect(formatNational('US', '4155')).toBe('(415) 5');
    expect(formatNational('GB', '07400123456')).toBe('07400 123456');
    expect(formatNational('GB', '7400123456')).toBe('7400 123456');
    expect(formatNational('RU', '89123456789')).toBe('8 (912) 345-67-89');
    expect(formatNational('FR', '612345678')).toBe('6 12 34 56 78');
    // A dial code that carries the area code (+1264 Anguilla): the rest of the number.
    expect(formatNational('AI', '2351234')).toBe('235-1234');
    // Longer than the country's layout, or a country without one: as typed.
    expect(formatNational('IN', '987654321099')).toBe('987654321099');
    expect(formatNational('ZZ', '12 34')).toBe('12 34');
    expect(formatInternational({ iso2: 'IN', dialCode: '91' }, '9876543210')).toBe(
      '+91 98765 43210',
    );
    expect(formatInternational({ iso2: 'GB', dialCode: '44' }, '07400123456')).toBe(
      '+44 7400 123456',
    );
  });

  it('has a layout for nearly every country the picker offers', async () => {
    const { phoneLayouts } = await import('../../vite.shared.ts');
    const layouts = phoneLayouts();
    expect(Object.keys(layouts).length).toBeGreaterThan(COUNTRIES.length - 10);
    for (const layout of Object.values(layouts)) expect(layout).toMatch(/^[^x]*x[^\d]*$/);
    // A national prefix of two digits with a space between (Belarus `8 0xx xxx-xx-xx`).
    expect(layouts.BY).toBe('8 0xx xxx-xx-xx');
    expect(formatNational('BY', '80294911911')).toBe('8 029 491-19-11');
    expect(formatNational('BY', '294911911')).toBe('29 491-19-11');
  });

  it('fetches phone formatting on the first keystroke, not when the popup opens', async () => {
    const load = vi.fn(() => import('./phone.ts'));
    const store = createStore({
      client: fakeClient(),
      onVerified: vi.fn(),
      onMisconfigured: vi.fn(),
      storage: null,
      loadPhoneFormatting: load,
    });
    await store.load(Promise.resolve(widget));
    expect(store.step.value).toBe('identifier');
    expect(load).not.toHaveBeenCalled();
    store.inputPhone('9', true);
    store.inputPhone('98', true);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('takes digits as typed until the chunk arrives, then formats them', async () => {
    let arrive!: (module: PhoneFormatting) => void;
    const store = createStore({
      client: fakeClient(),
      onVerified: vi.fn(),
      onMisconfigured: vi.fn(),
      storage: null,
      loadPhoneFormatting: () => new Promise((resolve) => (arrive = resolve)),
    });
    await store.load(
      Promise.resolve({
        ...widget,
        data: { ...widget.data, defaultCountry: { iso2: 'US', name: 'US', dialCode: '1' } },
      }),
    );
    const loading = store.loadPhoneFormatting();
    store.inputPhone('415555', true);
    expect(store.phoneText.value).toBe('415555');
    arrive(await import('./phone.ts'));
    await loading;
    expect(store.phoneText.value).toBe('(415) 555');
    store.inputPhone('(415) 5550', true);
    expect(store.phoneText.value).toBe('(415) 555-0');
    // Deleting a bracket or space isn't undone by reformatting.
    store.inputPhone('(415 555-0', false);
    expect(store.phoneText.value).toBe('(415 555-0');
    // Deleting a digit reformats what is left.
    store.inputPhone('(415) 555-0', true);
    store.inputPhone('(415) 555-', true);
    expect(store.phoneText.value).toBe('(415) 555');
  });
});
