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

// "ISO dial" pairs. Where countries share a code the main one comes first.
const DATA =
  'AF93 AL355 DZ213 AS1684 AD376 AO244 AI1264 AG1268 AR54 AM374 AW297 AU61 AT43 AZ994 BS1242 ' +
  'BH973 BD880 BB1246 BY375 BE32 BZ501 BJ229 BM1441 BT975 BO591 BA387 BW267 BR55 IO246 VG1284 ' +
  'BN673 BG359 BF226 BI257 KH855 CM237 US1 CA1 CV238 KY1345 CF236 TD235 CL56 CN86 CX61 CC61 ' +
  'CO57 KM269 CG242 CD243 CK682 CR506 CI225 HR385 CU53 CW599 BQ599 CY357 CZ420 DK45 DJ253 ' +
  'DM1767 DO1809 EC593 EG20 SV503 GQ240 ER291 EE372 SZ268 ET251 FK500 FO298 FJ679 FI358 AX358 ' +
  'FR33 GF594 PF689 GA241 GM220 GE995 DE49 GH233 GI350 GR30 GL299 GD1473 GP590 BL590 MF590 ' +
  'GU1671 GT502 GB44 GG44 IM44 JE44 GN224 GW245 GY592 HT509 HN504 HK852 HU36 IS354 IN91 ID62 ' +
  'IR98 IQ964 IE353 IL972 IT39 VA39 JM1876 JP81 JO962 RU7 KZ7 KE254 KI686 XK383 KW965 KG996 ' +
  'LA856 LV371 LB961 LS266 LR231 LY218 LI423 LT370 LU352 MO853 MG261 MW265 MY60 MV960 ML223 ' +
  'MT356 MH692 MQ596 MR222 MU230 RE262 YT262 MX52 FM691 MD373 MC377 MN976 ME382 MS1664 MA212 ' +
  'EH212 MZ258 MM95 NA264 NR674 NP977 NL31 NC687 NZ64 NI505 NE227 NG234 NU683 NF672 KP850 ' +
  'MK389 MP1670 NO47 SJ47 OM968 PK92 PW680 PS970 PA507 PG675 PY595 PE51 PH63 PL48 PT351 ' +
  'PR1787 QA974 RO40 RW250 SH290 KN1869 LC1758 PM508 VC1784 WS685 SM378 ST239 SA966 SN221 ' +
  'RS381 SC248 SL232 SG65 SX1721 SK421 SI386 SB677 SO252 ZA27 KR82 SS211 ES34 LK94 SD249 ' +
  'SR597 SE46 CH41 SY963 TW886 TJ992 TZ255 TH66 TL670 TG228 TK690 TO676 TT1868 TN216 TR90 ' +
  'TM993 TC1649 TV688 UG256 UA380 AE971 UY598 UZ998 VU678 VE58 VN84 VI1340 WF681 YE967 ZM260 ' +
  'ZW263';

/** Every country the picker offers, in source order (main country first per dial code). */
export const COUNTRIES: readonly Country[] = DATA.split(' ').map((pair) => ({
  iso2: pair.slice(0, 2),
  dialCode: pair.slice(2),
}));

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
 * codes, any case) when that is a non-empty list, else every country.
 *
 * @example allowedCountriesOf(['in', 'US']).map((c) => c.iso2) // ['US', 'IN'] (list order)
 */
export function allowedCountriesOf(allowed: readonly string[] | null | undefined): Country[] {
  if (!Array.isArray(allowed) || allowed.length === 0) return [...COUNTRIES];
  const wanted = new Set(allowed.map((iso2) => String(iso2).toUpperCase()));
  return COUNTRIES.filter((country) => wanted.has(country.iso2));
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
 * go to `preferred` (the widget's default country), then to the first
 * country in `among` (the countries the widget allows), then to the main one.
 */
export function splitNumber(
  digits: string,
  preferred?: Country,
  among?: readonly Country[],
): { country: Country; national: string } | undefined {
  const rank = (country: Country): number =>
    country.iso2 === preferred?.iso2 ? 2 : among?.some((c) => c.iso2 === country.iso2) ? 1 : 0;
  let best: Country | undefined;
  for (const country of COUNTRIES) {
    if (!digits.startsWith(country.dialCode)) continue;
    const longer = !best || country.dialCode.length > best.dialCode.length;
    const tieWon = best?.dialCode === country.dialCode && rank(country) > rank(best);
    if (longer || tieWon) best = country;
  }
  return best ? { country: best, national: digits.slice(best.dialCode.length) } : undefined;
}
