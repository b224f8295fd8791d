import { SUPPORTED_LANGUAGES } from '@otpkit/protocol';
import { describe, expect, it } from 'vitest';
import { loadPasskeyWords, passkeyWords } from './PasskeyUi.tsx';

describe('the popup’s passkey words', () => {
  const english = passkeyWords('en');

  it.each(SUPPORTED_LANGUAGES.filter((lang) => lang !== 'en'))(
    '%s has every passkey string, translated',
    async (lang) => {
      const words = await loadPasskeyWords(lang);
      expect(Object.keys(words).sort()).toEqual(Object.keys(english).sort());
      for (const [key, text] of Object.entries(words)) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(text, `${lang} ${key} is still English`).not.toBe(
          english[key as keyof typeof english],
        );
      }
    },
  );

  it('falls back to English for a language it does not know', async () => {
    expect(await loadPasskeyWords('xx')).toEqual(english);
  });
});
