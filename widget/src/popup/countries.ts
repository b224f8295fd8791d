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

// Every country with its dial code, by ISO code, one group per first letter: `AD376,E971` is
// Andorra +376 and the United Arab Emirates (AE) +971. Grouped, the list gzips a quarter smaller.
const DATA =
  'AD376,E971,F93,G1268,I1264,L355,M374,O244,R54,S1684,T43,U61,W297,X358,Z994 ' +
  'BA387,B1246,D880,E32,F226,G359,H973,I257,J229,L590,M1441,N673,O591,Q599,R55,S1242,T975,W267,Y375,Z501 ' +
  'CA1,C61,D243,F236,G242,H41,I225,K682,L56,M237,N86,O57,R506,U53,V238,W599,X61,Y357,Z420 ' +
  'DE49,J253,K45,M1767,O1809,Z213 ' +
  'EC593,E372,G20,H212,R291,S34,T251 ' +
  'FI358,J679,K500,M691,O298,R33 ' +
  'GA241,B44,D1473,E995,F594,G44,H233,I350,L299,M220,N224,P590,Q240,R30,T502,U1671,W245,Y592 ' +
  'HK852,N504,R385,T509,U36 ' +
  'ID62,E353,L972,M44,N91,O246,Q964,R98,S354,T39 ' +
  'JE44,M1876,O962,P81 ' +
  'KE254,G996,H855,I686,M269,N1869,P850,R82,W965,Y1345,Z7 ' +
  'LA856,B961,C1758,I423,K94,R231,S266,T370,U352,V371,Y218 ' +
  'MA212,C377,D373,E382,F590,G261,H692,K389,L223,M95,N976,O853,P1670,Q596,R222,S1664,T356,U230,V960,W265,X52,Y60,Z258 ' +
  'NA264,C687,E227,F672,G234,I505,L31,O47,P977,R674,U683,Z64 ' +
  'OM968 ' +
  'PA507,E51,F689,G675,H63,K92,L48,M508,R1787,S970,T351,W680,Y595 ' +
  'QA974 ' +
  'RE262,O40,S381,U7,W250 ' +
  'SA966,B677,C248,D249,E46,G65,H290,I386,J47,K421,L232,M378,N221,O252,R597,S211,T239,V503,X1721,Y963,Z268 ' +
  'TC1649,D235,G228,H66,J992,K690,L670,M993,N216,O676,R90,T1868,V688,W886,Z255 ' +
  'UA380,G256,S1,Y598,Z998 ' +
  'VA39,C1784,E58,G1284,I1340,N84,U678 ' +
  'WF681,S685 ' +
  'XK383 ' +
  'YE967,T262 ' +
  'ZA27,M260,W263';

/** Where countries share a dial code, the main one (+1 the United States, +7 Russia, +44 the UK…). */
const MAIN = 'US RU IT GB NO AU MA RE FI GP CW';

/** Every country the picker offers, by ISO code. */
export const COUNTRIES: readonly Country[] = DATA.split(' ').flatMap((group) =>
  group.split(',').map((entry, i) => {
    const rest = i === 0 ? entry.slice(1) : entry; // The first entry spells the first letter too.
    return { iso2: group.charAt(0) + rest.charAt(0), dialCode: rest.slice(1) };
  }),
);

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
  if (!Array.isArray(allowed) || allowed.length === 0) return [...COUNTRIES];
  const offered = new Set<Country>();
  for (const iso2 of allowed) {
    const country = findCountry(String(iso2));
    if (country) offered.add(country);
  }
  return [...offered];
}

/** The flag emoji of an ISO code (regional indicator symbols). */
export function flagOf(iso2: string): string {
  return String.fromCodePoint(...[...iso2.toUpperCase()].map((c) => 0x1f1a5 + c.charCodeAt(0)));
}

/** Returns a function naming countries in a language, falling back to the ISO code. */
export function countryNamer(lang: string): (iso2: string) => string {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
  } catch {
    names = undefined;
  }
  return (iso2) => names?.of(iso2) ?? iso2;
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
