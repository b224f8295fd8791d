/**
 * Country codes the server accepts (libphonenumber-js `getCountries()`), with
 * names from `Intl.DisplayNames`; kept as a string so the console does not
 * ship phone metadata.
 */
const CODES =
  'AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW';

let names: Intl.DisplayNames | undefined;

/**
 * The code the server gives numbers of no country (satellite and
 * international networks: +870, +881, +882, +883, +888, +979…). They are
 * refused unless a widget lists it in `allowedCountries`.
 */
export const NON_GEOGRAPHIC = '001';

/** `IN` → `India`, `001` → satellite and international networks (the code itself when the browser has no name for it). */
export function countryName(code: string): string {
  // Intl names region 001 "world", which would read as "every country".
  if (code === NON_GEOGRAPHIC) return 'Satellite & international networks';
  try {
    names ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

let sorted: { code: string; name: string }[] | undefined;

/** Every country, sorted by name. */
export function countries(): { code: string; name: string }[] {
  sorted ??= CODES.split(' ')
    .map((code) => ({ code, name: countryName(code) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return sorted;
}

/** Every country as select options, "India (IN)". */
export function countryOptions(): { value: string; label: string }[] {
  return countries().map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }));
}
