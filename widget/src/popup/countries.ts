/**
 * A small country list for the phone field: ISO code and dial code only.
 * Names come from `Intl.DisplayNames` (in the popup's language) and flags
 * are built from the ISO code, so the list stays about 1 KB. Formatting
 * (libphonenumber-js, about 30 KB) comes in its own chunk: see phone.ts.
 */

/** A country the picker offers. */
export interface Country {
  /** ISO 3166-1 alpha-2, upper case. */
  iso2: string;
  /** Country calling code without `+` (NANP territories carry their area code: `1264`). */
  dialCode: string;
}

// Every country with its dial code, by ISO code, grouped by first letter: `AD376E971` is
// Andorra +376 and the United Arab Emirates (AE) +971; a group starts with its letter twice
// over (`AD…`, then `BA…`), each entry after it is the second letter and the digits. Without
// separators, the list gzips a sixth smaller than with commas (599 B instead of 722 B).
const DATA =
  'AD376E971F93G1268I1264L355M374O244R54S1684T43U61W297X358Z994' +
  'BA387B1246D880E32F226G359H973I257J229L590M1441N673O591Q599R55S1242T975W267Y375Z501' +
  'CA1C61D243F236G242H41I225K682L56M237N86O57R506U53V238W599X61Y357Z420' +
  'DE49J253K45M1767O1809Z213' +
  'EC593E372G20H212R291S34T251' +
  'FI358J679K500M691O298R33' +
  'GA241B44D1473E995F594G44H233I350L299M220N224P590Q240R30T502U1671W245Y592' +
  'HK852N504R385T509U36' +
  'ID62E353L972M44N91O246Q964R98S354T39' +
  'JE44M1876O962P81' +
  'KE254G996H855I686M269N1869P850R82W965Y1345Z7' +
  'LA856B961C1758I423K94R231S266T370U352V371Y218' +
  'MA212C377D373E382F590G261H692K389L223M95N976O853P1670Q596R222S1664T356U230V960W265X52Y60Z258' +
  'NA264C687E227F672G234I505L31O47P977R674U683Z64' +
  'OM968' +
  'PA507E51F689G675H63K92L48M508R1787S970T351W680Y595' +
  'QA974' +
  'RE262O40S381U7W250' +
  'SA966B677C248D249E46G65H290I386J47K421L232M378N221O252R597S211T239V503X1721Y963Z268' +
  'TC1649D235G228H66J992K690L670M993N216O676R90T1868V688W886Z255' +
  'UA380G256S1Y598Z998' +
  'VA39C1784E58G1284I1340N84U678' +
  'WF681S685' +
  'XK383' +
  'YE967T262' +
  'ZA27M260W263';

/** Where countries share a dial code, the main one (+1 the United States, +7 Russia, +44 the UK…). */
const MAIN = 'US RU IT GB NO AU MA RE FI GP CW';

/** Every country the picker offers, by ISO code. */
export const COUNTRIES: readonly Country[] = ((): Country[] => {
  let group = '';
  return [...DATA.matchAll(/([A-Z]?)([A-Z])(\d+)/g)].map(([, first, second, dialCode]) => {
    group = first || group; // Two letters start a group: its first letter, then the entry's.
    return { iso2: `${group}${second}`, dialCode: `${dialCode}` };
  });
})();

/** Looks a country up by ISO code (any case), in `among` (default: every country). */
export function findCountry(
  iso2: string | null | undefined,
  among: readonly Country[] = COUNTRIES,
): Country | undefined {
  const upper = String(iso2 ?? '').toUpperCase();
  return among.find((country) => country.iso2 === upper);
}

/**
 * The countries a widget offers: those in its `allowedCountries` (ISO
 * codes, any case; unknown ones skipped), in the widget's order, when that
 * is a non-empty list; else every country. The first one is where the
 * phone field starts when the default country isn't offered.
 *
 * @example allowedCountriesOf(['in', 'US']).map((c) => c.iso2) // ['IN', 'US']
 */
export function allowedCountriesOf(allowed: readonly string[] | null | undefined): Country[] {
  const offered = Array.isArray(allowed) && allowed.length > 0;
  return [...new Set(offered ? allowed.map((iso2) => findCountry(iso2)) : COUNTRIES)].filter(
    (country) => country !== undefined,
  );
}

/** The flag emoji of an ISO code (regional indicator symbols). */
export function flagOf(iso2: string): string {
  // Upper case, as every Country's iso2 is.
  return String.fromCodePoint(...[...iso2].map((c) => 0x1f1a5 + c.charCodeAt(0)));
}

/**
 * Returns a function naming countries in a language (one of the popup's
 * catalogues: a valid tag; every browser it targets has Intl.DisplayNames),
 * falling back to the ISO code.
 */
export function countryNamer(lang: string): (iso2: string) => string {
  const names = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
  return (iso2) => names.of(iso2) ?? iso2;
}

/**
 * Splits a full number (`919876543210`) into a country and national digits,
 * by the longest matching dial code. Ties (`1`: the United States, Canada…)
 * go to `preferred` (the widget's default country), then to a country in
 * `among` (the countries the widget allows), then to the main one.
 */
export function splitNumber(
  digits: string,
  preferred?: Country,
  among?: readonly Country[],
): { country: Country; national: string } | undefined {
  const rank = (country: Country): number =>
    (country.iso2 === preferred?.iso2 ? 4 : 0) +
    (among?.some((c) => c.iso2 === country.iso2) ? 2 : 0) +
    (MAIN.includes(country.iso2) ? 1 : 0);
  let best: Country | undefined;
  for (const country of COUNTRIES) {
    if (!digits.startsWith(country.dialCode)) continue;
    const longer = !best || country.dialCode.length > best.dialCode.length;
    const tieWon = best?.dialCode === country.dialCode && rank(country) > rank(best);
    if (longer || tieWon) best = country;
  }
  return best ? { country: best, national: digits.slice(best.dialCode.length) } : undefined;
}
