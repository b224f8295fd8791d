/**
 * The languages otpkit speaks, named for the console's menus: the English
 * name and the language's own ("Tamil (தமிழ்)"), from `Intl.DisplayNames`.
 */
import { type Language, SUPPORTED_LANGUAGES } from '@otpkit/protocol';

const english = new Intl.DisplayNames(['en'], { type: 'language' });

/** "Tamil (தமிழ்)", "Portuguese (Brazil) (português (Brasil))"; English is just "English". */
export function languageLabel(language: Language): string {
  const name = english.of(language) ?? language;
  const own = new Intl.DisplayNames([language], { type: 'language' }).of(language);
  return own && own !== name ? `${name} (${own})` : name;
}

/** Every supported language with its label, in the protocol's order (English first). */
export const LANGUAGE_OPTIONS: readonly { value: Language; label: string }[] =
  SUPPORTED_LANGUAGES.map((value) => ({ value, label: languageLabel(value) }));
