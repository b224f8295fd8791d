/**
 * The language catalogues and the few formatting helpers the popup needs.
 * Numbers, durations and plurals go through `Intl`, so a catalogue only
 * holds sentences.
 */
import { en, type MessageKey, type Messages } from './en.ts';
import { hi } from './hi.ts';

export type { MessageKey, Messages } from './en.ts';

/** Every catalogue, by language code. */
export const CATALOGUES: Readonly<Record<string, Messages>> = { en, hi };

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

/** Picks the catalogue for a language code such as `hi` or `hi-IN`; English otherwise. */
export function resolveLanguage(language: string | undefined | null): string {
  const base = String(language ?? '')
    .toLowerCase()
    .split(/[-_]/)[0];
  return base && Object.hasOwn(CATALOGUES, base) ? base : 'en';
}

/** Creates a {@link Translator} for a language code. */
export function createTranslator(language?: string | null): Translator {
  const lang = resolveLanguage(language);
  const messages = CATALOGUES[lang] ?? en;
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
    t: (key, params) => fill(messages[key], params),
    plural(base, count, params) {
      const form = plurals.select(count) === 'one' ? 'one' : 'other';
      return fill(messages[`${base}.${form}`], { ...params, count });
    },
    duration(seconds) {
      const s = Math.max(1, Math.ceil(seconds));
      return s < 60 ? unit(s, 'second') : unit(Math.ceil(s / 60), 'minute');
    },
    clock(seconds) {
      const s = Math.max(0, Math.ceil(seconds));
      const pad = new Intl.NumberFormat(lang, { minimumIntegerDigits: 2, useGrouping: false });
      return `${numbers.format(Math.floor(s / 60))}:${pad.format(s % 60)}`;
    },
  };
}
