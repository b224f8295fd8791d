/**
 * The translator's shape, shared by the catalogue loader (`index.ts`) and
 * the explanations it fetches lazily (`explain.ts`).
 */
import type { Language } from '@otpkit/protocol';
import type { MessageKey } from './en.ts';

/** Values that fill `{name}` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A translator bound to one language. */
export interface Translator {
  /** The language actually used (`en` when the asked one has no catalogue, or it hasn't loaded). */
  readonly lang: Language;
  /** The writing direction of `lang`: `rtl` for Arabic and Urdu. */
  readonly dir: 'ltr' | 'rtl';
  /** The message for `key`, with `{name}` placeholders filled (numbers formatted with `Intl`). */
  t(key: MessageKey, params?: MessageParams): string;
  /** The plural form of `base` for `count` (`base.one` / `base.other`), filled with `{count}`. */
  plural(base: 'code.wrong', count: number, params?: MessageParams): string;
  /** A duration in words: "4 minutes", "30 seconds" (rounded up to whole minutes past a minute). */
  duration(seconds: number): string;
  /** A countdown clock: `0:27`, `1:05`. */
  clock(seconds: number): string;
}
