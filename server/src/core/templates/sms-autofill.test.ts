import { describe, expect, it } from 'vitest';
import {
  ANDROID_APP_HASH,
  SMS_RETRIEVER_MAX_BYTES,
  smsBytes,
  withAutofillLine,
} from './sms-autofill.ts';

const TEXT = '482913 is your Shop verification code.';

describe('SMS autofill lines: every message format', () => {
  it('a page: the WebOTP line names its host', () => {
    expect(withAutofillLine(TEXT, '482913', { host: 'shop.example' })).toBe(
      `${TEXT}\n\n@shop.example #482913`,
    );
  });

  it('a cross-origin frame: @top-host #code @frame-host', () => {
    expect(withAutofillLine(TEXT, '482913', { host: 'otp.example', topHost: 'shop.example' })).toBe(
      `${TEXT}\n\n@shop.example #482913 @otp.example`,
    );
  });

  it('a same-origin frame: the plain line (the frame is the top page)', () => {
    expect(
      withAutofillLine(TEXT, '482913', { host: 'shop.example', topHost: 'shop.example' }),
    ).toBe(`${TEXT}\n\n@shop.example #482913`);
  });

  it('an app (no page): the message ends with the app hash', () => {
    expect(withAutofillLine(TEXT, '482913', { host: null, androidAppHash: 'FA+9qCX9VSu' })).toBe(
      `${TEXT}\n\nFA+9qCX9VSu`,
    );
  });

  it('a page on a widget with an app hash: the WebOTP line stays last', () => {
    expect(
      withAutofillLine(TEXT, '482913', { host: 'shop.example', androidAppHash: 'FA+9qCX9VSu' }),
    ).toBe(`${TEXT}\n\n@shop.example #482913`);
  });

  it('neither: the text as rendered', () => {
    expect(withAutofillLine(TEXT, '482913', { host: null })).toBe(TEXT);
    expect(withAutofillLine(TEXT, '482913', { host: null, androidAppHash: null })).toBe(TEXT);
  });
});

describe('app hashes and the 140-byte limit', () => {
  it('takes 11 characters of the standard base64 alphabet', () => {
    for (const good of ['FA+9qCX9VSu', 'abcDEF12/+z', '00000000000']) {
      expect(good).toMatch(ANDROID_APP_HASH);
    }
    for (const bad of [
      'FA+9qCX9VS',
      'FA+9qCX9VSuX',
      'FA-9qCX9VSu',
      'FA_9qCX9VSu',
      'FA 9qCX9VSu',
      'FA+9qCX9VS=',
    ]) {
      expect(bad).not.toMatch(ANDROID_APP_HASH);
    }
  });

  it('counts GSM-7 at 7 bits a character (160 fit 140 bytes), UCS-2 at 2 bytes', () => {
    expect(SMS_RETRIEVER_MAX_BYTES).toBe(140);
    expect(smsBytes('a'.repeat(160))).toBe(140);
    expect(smsBytes('a'.repeat(161))).toBe(141);
    expect(smsBytes('{'.repeat(80))).toBe(140); // Extension characters take two septets.
    expect(smsBytes('आ'.repeat(70))).toBe(140);
    expect(smsBytes('a'.repeat(70), { unicode: true })).toBe(140);
  });
});
