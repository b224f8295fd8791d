/**
 * The language catalogues and the few formatting helpers the popup needs.
 * Numbers, durations and plurals go through `Intl`, so a catalogue only
 * holds sentences. The everyday English flow is built in (`en.ts`); the
 * rest of English (`en-more.ts`, `otp-en-more.js`) and every other
 * catalogue (`otp-hi.js`) are chunks fetched by {@link loadLanguage}, so
 * adding a language or an error message doesn't grow the popup.
 */
import type { OtpError } from '../client.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import type { ExplainContext } from './explain.ts';

export type { MessageKey, Messages } from './en.ts';

/** How to fetch each whole catalogue, by language code. */
export const CATALOGUES: Readonly<Record<string, () => Promise<Messages>>> = {
  en: async () => ({ ...en, ...(await import('./en-more.ts')).enMore }),
  hi: async () => (await import('./hi.ts')).hi,
};

/** The whole catalogues fetched so far. */
const loaded: Record<string, Messages> = {};

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
      CATALOGUES[lang]?.().then(
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

/** Values that fill `{name}` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A translator bound to one language. */
export interface Translator {
  /** The language actually used (`en` when the asked one has no catalogue). */
  readonly lang: string;
  /** The message for `key`, with `{name}` placeholders filled (numbers formatted with `Intl`). */
  t(key: MessageKey, params?: MessageParams): string;
  /** The plural form of `base` for `count` (`base.one` / `base.other`), filled with `{count}`. */
  plural(base: 'code.wrong', count: number, params?: MessageParams): string;
  /** A duration in words: "4 minutes", "30 seconds" (rounded up to whole minutes past a minute). */
  duration(seconds: number): string;
  /** A countdown clock: `0:27`, `1:05`. */
  clock(seconds: number): string;
}

/** The catalogue for a language tag such as `hi` or `hi-IN`, or `undefined` when there is none. */
function matchLanguage(language: string | undefined | null): string | undefined {
  const base = String(language ?? '')
    .trim()
    .toLowerCase()
    .split(/[-_]/)[0];
  return base && Object.hasOwn(CATALOGUES, base) ? base : undefined;
}

/** Picks the catalogue for a language code such as `hi` or `hi-IN`; English otherwise. */
export function resolveLanguage(language: string | undefined | null): string {
  return matchLanguage(language) ?? 'en';
}

/** The browser's preferred languages, most preferred first. */
function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/**
 * The popup's language: the widget's `language` setting when it names a
 * catalogue; else (unset, `auto`, or a language without a catalogue) the
 * first of the browser's languages that has one; else English.
 *
 * @example chooseLanguage('auto', ['hi-IN', 'en-GB']) // 'hi'
 * @example chooseLanguage('en', ['hi-IN'])             // 'en'
 */
export function chooseLanguage(
  widgetLanguage: string | null | undefined,
  preferred: readonly string[] = browserLanguages(),
): string {
  const chosen = matchLanguage(widgetLanguage);
  if (chosen) return chosen;
  for (const language of preferred) {
    const match = matchLanguage(language);
    if (match) return match;
  }
  return 'en';
}

/**
 * Creates a {@link Translator} for a language code (English until its
 * catalogue is loaded). Sentences are looked up when asked for, so English
 * that arrives later (`en-more.ts`) is used from then on.
 */
export function createTranslator(language?: string | null): Translator {
  const wanted = resolveLanguage(language);
  const lang = loaded[wanted] ? wanted : 'en';
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
