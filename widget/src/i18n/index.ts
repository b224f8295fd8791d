/**
 * The language catalogues and the few formatting helpers the popup needs.
 * Numbers, durations and plurals go through `Intl`, so a catalogue only
 * holds sentences. The everyday English flow is built in (`en.ts`); the
 * rest of English (`en-more.ts`, `otp-en-more.js`) and every other
 * catalogue (`otp-hi.js`, `otp-ta.js`, `otp-pt-BR.js`…: one chunk per
 * language, a page fetches only its own) are chunks fetched by
 * {@link loadLanguage}, so adding a language or an error message doesn't
 * grow the popup.
 */
import { firstSupported, isRtl, type Language, matchLanguage } from '@otpkit/protocol';
import type { OtpError } from '../client.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import type { ExplainContext } from './explain.ts';
import type { MessageParams, Translator } from './translator.ts';

export type { MessageKey, Messages } from './en.ts';
export type { MessageParams, Translator } from './translator.ts';

const byDefault = (module: { default: Messages }): Messages => module.default;

/**
 * Fetches a language's whole catalogue: each `import()` is its own chunk
 * (`otp-<language>.js`), so a page downloads only its own language. A
 * switch rather than an object of loaders: the popup build shortens the
 * property name `tr` (the store's translator), which is also Turkish's tag.
 */
export function fetchCatalogue(language: Language): Promise<Messages> {
  switch (language) {
    case 'en':
      return import('./en-more.ts').then((module) => ({ ...en, ...module.enMore }));
    case 'hi':
      return import('./hi.ts').then(byDefault);
    case 'bn':
      return import('./bn.ts').then(byDefault);
    case 'te':
      return import('./te.ts').then(byDefault);
    case 'mr':
      return import('./mr.ts').then(byDefault);
    case 'ta':
      return import('./ta.ts').then(byDefault);
    case 'gu':
      return import('./gu.ts').then(byDefault);
    case 'kn':
      return import('./kn.ts').then(byDefault);
    case 'ml':
      return import('./ml.ts').then(byDefault);
    case 'pa':
      return import('./pa.ts').then(byDefault);
    case 'ur':
      return import('./ur.ts').then(byDefault);
    case 'ar':
      return import('./ar.ts').then(byDefault);
    case 'es':
      return import('./es.ts').then(byDefault);
    case 'pt-BR':
      return import('./pt-BR.ts').then(byDefault);
    case 'fr':
      return import('./fr.ts').then(byDefault);
    case 'de':
      return import('./de.ts').then(byDefault);
    case 'id':
      return import('./id.ts').then(byDefault);
    case 'ru':
      return import('./ru.ts').then(byDefault);
    case 'tr':
      return import('./tr.ts').then(byDefault);
    case 'vi':
      return import('./vi.ts').then(byDefault);
    case 'zh-CN':
      return import('./zh-CN.ts').then(byDefault);
    case 'ja':
      return import('./ja.ts').then(byDefault);
  }
}

/** The whole catalogues fetched so far. */
const loaded: Partial<Record<Language, Messages>> = {};

/** The explanations of rarer server errors (`explain.ts`, `otp-explain.js`), once fetched. */
let explainer: typeof import('./explain.ts').explain | undefined;

/**
 * Fetches a language's whole catalogue and the explanations of rarer server
 * errors (each once; a failed fetch is tried again on the next call), so
 * that {@link createTranslator} and {@link explainError} can use them. Until
 * then a translator uses the built-in everyday English, and says
 * `error.generic` for a sentence that isn't built in.
 */
export async function loadLanguage(language: string): Promise<void> {
  const lang = resolveLanguage(language);
  // Offline for a moment: English it is, and the generic explanation.
  await Promise.all([
    loaded[lang] ||
      fetchCatalogue(lang).then(
        (messages) => {
          loaded[lang] = messages;
        },
        () => {},
      ),
    explainer ||
      import('./explain.ts').then(
        (module) => {
          explainer = module.explain;
        },
        () => {},
      ),
  ]);
}

/**
 * The sentence for a server error that the everyday flow doesn't explain
 * itself (see `explain.ts`); `error.generic` until that chunk has arrived.
 */
export function explainError(t: Translator, error: OtpError, context: ExplainContext): string {
  return explainer ? explainer(t, error, context) : t.t('error.generic');
}

/**
 * Picks the catalogue for a language tag such as `hi`, `hi-IN` or `pt-PT`
 * (walking `pt-BR` → `pt`); English otherwise.
 */
export function resolveLanguage(language: string | undefined | null): Language {
  return matchLanguage(language) ?? 'en';
}

/** The browser's preferred languages, most preferred first. */
function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/**
 * The popup's language: the widget's `language` setting when it names a
 * supported language; else (unset, `auto`, or a language otpkit doesn't
 * speak) the first of the browser's languages that otpkit speaks, each
 * walked from specific to general (`pt-BR` → `pt`); else English.
 *
 * @example chooseLanguage('auto', ['ta-IN', 'en-GB']) // 'ta'
 * @example chooseLanguage('en', ['hi-IN'])             // 'en'
 */
export function chooseLanguage(
  widgetLanguage: string | null | undefined,
  preferred: readonly string[] = browserLanguages(),
): Language {
  return matchLanguage(widgetLanguage) ?? firstSupported(preferred);
}

/**
 * Creates a {@link Translator} for a language code (English until its
 * catalogue is loaded). Sentences are looked up when asked for, so English
 * that arrives later (`en-more.ts`) is used from then on.
 */
export function createTranslator(language?: string | null): Translator {
  const wanted = resolveLanguage(language);
  const lang: Language = loaded[wanted] ? wanted : 'en';
  const text = (key: MessageKey): string =>
    (loaded[lang] as Partial<Messages> | undefined)?.[key] ??
    (en as Partial<Messages>)[key] ??
    en['error.generic'];
  const numbers = new Intl.NumberFormat(lang);
  const plurals = new Intl.PluralRules(lang);

  const fill = (template: string, params?: MessageParams): string =>
    template.replace(/\{(\w+)\}/g, (match, name: string) => {
      const value = params?.[name];
      if (value === undefined) return match;
      return typeof value === 'number' ? numbers.format(value) : value;
    });

  const unit = (value: number, name: 'minute' | 'second'): string =>
    new Intl.NumberFormat(lang, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);

  return {
    lang,
    dir: isRtl(lang) ? 'rtl' : 'ltr',
    t: (key, params) => fill(text(key), params),
    plural(base, count, params) {
      const form = plurals.select(count) === 'one' ? 'one' : 'other';
      return fill(text(`${base}.${form}`), { ...params, count });
    },
    duration(seconds) {
      const s = Math.max(1, Math.ceil(seconds));
      return s < 60 ? unit(s, 'second') : unit(Math.ceil(s / 60), 'minute');
    },
    clock(seconds) {
      const s = Math.max(0, Math.ceil(seconds));
      // Seconds in two digits, padded with the language's own zero.
      const secs = numbers.format(s % 60).padStart(2, numbers.format(0));
      return `${numbers.format(Math.floor(s / 60))}:${secs}`;
    },
  };
}
