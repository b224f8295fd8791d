import { SUPPORTED_LANGUAGES } from '@otpkit/protocol';
import { describe, expect, it, vi } from 'vitest';
import { en, type Messages } from './en.ts';
import { enMore } from './en-more.ts';
import {
  chooseLanguage,
  createTranslator,
  fetchCatalogue,
  loadLanguage,
  resolveLanguage,
} from './index.ts';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('catalogues', () => {
  const english: Messages = { ...en, ...enMore };
  const keys = Object.keys(english).sort();
  it('splits English in two without a key in both halves', () => {
    expect(Object.keys(en).filter((key) => key in enMore)).toEqual([]);
  });
  for (const lang of SUPPORTED_LANGUAGES) {
    it(`${lang} has every key, non-empty, with the same placeholders`, async () => {
      const messages: Messages = await fetchCatalogue(lang);
      expect(Object.keys(messages).sort()).toEqual(keys);
      for (const key of keys) {
        const text = messages[key as keyof Messages];
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(
          placeholders(english[key as keyof Messages]),
        );
      }
    });
  }
});

describe('chooseLanguage', () => {
  it("uses the widget's language when it has a catalogue", () => {
    expect(chooseLanguage('hi', ['en-US'])).toBe('hi');
    expect(chooseLanguage('en', ['hi-IN'])).toBe('en');
    expect(chooseLanguage('hi-IN', [])).toBe('hi');
  });

  it("otherwise follows the browser's languages, in order of preference", () => {
    expect(chooseLanguage('auto', ['hi-IN', 'en-GB'])).toBe('hi');
    expect(chooseLanguage(null, ['sw-KE', 'ta', 'en'])).toBe('ta');
    expect(chooseLanguage('', ['en-GB', 'hi'])).toBe('en');
    expect(chooseLanguage('auto', ['ar-EG'])).toBe('ar');
    // A widget language otpkit doesn't speak falls back to the browser, then English.
    expect(chooseLanguage('sw', ['ur-PK'])).toBe('ur');
    expect(chooseLanguage('sw', ['nl-NL'])).toBe('en');
    expect(chooseLanguage(undefined, [])).toBe('en');
  });

  it('walks each tag from specific to general: pt-BR → pt → en', () => {
    expect(chooseLanguage('auto', ['pt-BR'])).toBe('pt-BR');
    expect(chooseLanguage('auto', ['pt-PT', 'en'])).toBe('pt-BR');
    expect(chooseLanguage('auto', ['pt'])).toBe('pt-BR');
    expect(chooseLanguage('pt-br', [])).toBe('pt-BR');
    expect(chooseLanguage('auto', ['zh-CN'])).toBe('zh-CN');
    expect(chooseLanguage('auto', ['zh-Hans-CN'])).toBe('zh-CN');
    // Traditional Chinese readers are not handed simplified script: their next language wins.
    expect(chooseLanguage('auto', ['zh-TW', 'ja'])).toBe('ja');
    expect(chooseLanguage('auto', ['es-419', 'en'])).toBe('es');
    expect(chooseLanguage('auto', ['de_AT'])).toBe('de');
  });
});

describe('createTranslator', () => {
  // First in this file: nothing has loaded the rest of English yet.
  it('says the generic sentence for English that has not arrived, and the real one once it has', async () => {
    const t = createTranslator('en');
    expect(t.t('identifier.send')).toBe('Send code');
    expect(t.t('error.captcha')).toBe('Something went wrong. Please try again.');
    await loadLanguage('en');
    // The same translator: sentences are looked up when asked for.
    expect(t.t('error.captcha')).toBe('We couldn’t confirm you’re not a robot. Please try again.');
  });

  it('falls back to English and accepts regional tags', () => {
    expect(resolveLanguage('hi-IN')).toBe('hi');
    expect(resolveLanguage('xx')).toBe('en');
    expect(resolveLanguage('pt-PT')).toBe('pt-BR');
    expect(resolveLanguage(undefined)).toBe('en');
  });

  it('speaks a fetched language only once its catalogue has loaded', async () => {
    await loadLanguage('hi');
    const t = createTranslator('hi');
    expect(t.lang).toBe('hi');
    expect(t.t('identifier.send')).toBe('कोड भेजें');
    expect(t.dir).toBe('ltr');
  });

  it('writes Arabic and Urdu right to left, and fetches only the language asked for', async () => {
    await loadLanguage('ar');
    expect(createTranslator('ar').dir).toBe('rtl');
    await loadLanguage('ur');
    expect(createTranslator('ur').dir).toBe('rtl');
    expect(createTranslator('ur').t('identifier.send')).toBe('کوڈ بھیجیں');
  });

  it('fills placeholders and picks plural forms with Intl', () => {
    const t = createTranslator('en');
    expect(t.t('code.sentTo', { length: 6, identifier: '+91 98765 43210' })).toBe(
      'Enter the 6-digit code sent to +91 98765 43210',
    );
    expect(t.plural('code.wrong', 1)).toBe('That code didn’t work. You have 1 try left.');
    expect(t.plural('code.wrong', 2)).toBe('That code didn’t work. You have 2 tries left.');
  });

  it('formats durations and the countdown clock', async () => {
    const t = createTranslator('en');
    expect(t.t('error.rateLimited', { time: t.duration(230) })).toBe(
      'Too many attempts. Try again in 4 minutes.',
    );
    expect(t.duration(30)).toBe('30 seconds');
    expect(t.clock(27)).toBe('0:27');
    expect(t.clock(65)).toBe('1:05');
    await loadLanguage('hi');
    expect(createTranslator('hi').duration(240)).toBe('4 मिनट');
  });
});

describe('explanations of rarer server errors (otp-explain.js)', () => {
  const error = { type: 'error', code: 'RATE_LIMITED', message: '', retryAfter: 120 } as const;
  const context = { magic: false, country: () => 'India' };

  it('say error.generic until fetched, then the specific sentence', async () => {
    vi.resetModules(); // A fresh i18n module: nothing fetched yet.
    const i18n = await import('./index.ts');
    const t = i18n.createTranslator('en');
    expect(i18n.explainError(t, error, context)).toBe(en['error.generic']);
    await i18n.loadLanguage('en');
    const loaded = i18n.createTranslator('en');
    expect(i18n.explainError(loaded, error, context)).toBe(
      'Too many attempts. Try again in 2 minutes.',
    );
    expect(
      i18n.explainError(
        loaded,
        { type: 'error', code: 'OTP_EXPIRED', message: '' },
        {
          ...context,
          magic: true,
        },
      ),
    ).toBe(enMore['link.expired']);
    expect(
      i18n.explainError(
        loaded,
        { type: 'error', code: 'COUNTRY_NOT_ALLOWED', message: '' },
        context,
      ),
    ).toContain('India');
  });
});
