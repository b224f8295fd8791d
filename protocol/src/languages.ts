/**
 * The languages otpkit speaks (the popup, the built-in messages, the magic
 * link pages), and how a language tag a browser or a caller names is matched
 * to one of them. Shared by the server, the widget and the console so every
 * part agrees on the list and on the fallback chain.
 */

/** Every language with a popup catalogue and built-in templates, as BCP 47 tags. */
export const SUPPORTED_LANGUAGES = [
  'en',
  'hi',
  'bn',
  'te',
  'mr',
  'ta',
  'gu',
  'kn',
  'ml',
  'pa',
  'ur',
  'ar',
  'es',
  'pt-BR',
  'fr',
  'de',
  'id',
  'ru',
  'tr',
  'vi',
  'zh-CN',
  'ja',
] as const;

/** A language otpkit speaks. */
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** Languages written right to left. */
export const RTL_LANGUAGES: readonly Language[] = ['ar', 'ur'];

/**
 * Bare tags that stand for a supported regional language: a Portuguese
 * reader (`pt`, `pt-PT`) gets Brazilian Portuguese rather than English, a
 * Chinese reader in simplified script (`zh`, `zh-SG`, `zh-Hans`) gets
 * `zh-CN`. Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`) is not
 * matched: it falls through to the next preferred language.
 */
const ALIASES: Readonly<Record<string, Language | undefined>> = { pt: 'pt-BR', zh: 'zh-CN' };
const BY_LOWER: ReadonlyMap<string, Language> = new Map(
  SUPPORTED_LANGUAGES.map((lang) => [lang.toLowerCase(), lang]),
);

/**
 * The supported language for one tag, walking the fallback chain from the
 * most specific form to the bare language (`pt-BR` → `pt`), or `undefined`
 * when none matches (the caller then tries the next preferred tag, and
 * English last).
 *
 * @example matchLanguage('pt-PT')  // 'pt-BR'
 * @example matchLanguage('ta-IN')  // 'ta'
 * @example matchLanguage('zh-TW')  // undefined
 */
export function matchLanguage(tag: string | null | undefined): Language | undefined {
  let wanted = String(tag ?? '')
    .trim()
    .replace(/_/g, '-')
    .toLowerCase();
  // Traditional Chinese readers are not handed simplified script.
  if (/^zh-(tw|hk|mo|hant)/.test(wanted)) return undefined;
  for (; wanted; wanted = wanted.replace(/-?[^-]*$/, '')) {
    const found = BY_LOWER.get(wanted) ?? ALIASES[wanted];
    if (found) return found;
  }
  return undefined;
}

/**
 * The first of `preferred` (most preferred first) that otpkit speaks, else
 * English.
 *
 * @example firstSupported(['fr-CA', 'en']) // 'fr'
 */
export function firstSupported(preferred: Iterable<string | null | undefined>): Language {
  for (const tag of preferred) {
    const found = matchLanguage(tag);
    if (found) return found;
  }
  return 'en';
}

/** Whether a language is written right to left. */
export function isRtl(language: string): boolean {
  return (RTL_LANGUAGES as readonly string[]).includes(language);
}
