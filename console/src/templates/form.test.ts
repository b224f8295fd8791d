import { describe, expect, it } from 'vitest';
import {
  newTemplateForm,
  templateErrorsFromIssues,
  templateInputFromForm,
  validateTemplateForm,
} from './form.ts';

describe('template form', () => {
  it('sends only what the channel uses', () => {
    const sms = {
      ...newTemplateForm('w1'),
      name: ' OTP ',
      unicode: true,
      senderId: 'SHOPIN',
      dltTemplateId: '1207',
    };
    expect(templateInputFromForm(sms)).toEqual({
      name: 'OTP',
      channel: 'sms',
      body: sms.body,
      widgetId: 'w1',
      unicode: true,
      senderId: 'SHOPIN',
      dltTemplateId: '1207',
      translations: {},
    });
    const email = { ...sms, channel: 'email' as const, widgetId: '' };
    expect(templateInputFromForm(email)).toEqual({
      name: 'OTP',
      channel: 'email',
      body: sms.body,
      widgetId: null,
      subject: 'Your verification code',
      translations: {},
    });
  });

  it('sends every language the editor holds, with its own subject for email only', () => {
    const form = {
      ...newTemplateForm(null),
      name: 'OTP',
      channel: 'email' as const,
      translations: [
        { language: 'ta' as const, subject: ' குறியீடு ', body: '##OTP## குறியீடு' },
        { language: 'ar' as const, subject: '', body: '##OTP## رمزك' },
      ],
    };
    expect(templateInputFromForm(form).translations).toEqual({
      ta: { body: '##OTP## குறியீடு', subject: 'குறியீடு' },
      ar: { body: '##OTP## رمزك', subject: null },
    });
    expect(templateInputFromForm({ ...form, channel: 'sms' }).translations?.ta?.subject).toBeNull();
    expect(
      validateTemplateForm({
        ...form,
        translations: [{ language: 'ta', subject: '', body: 'no code' }],
      })['translations.ta'],
    ).toBe('Must contain ##OTP##');
    expect(
      templateErrorsFromIssues([{ path: 'translations.ta.body', message: 'must contain ##OTP##' }])
        .errors,
    ).toEqual({ 'translations.ta': 'Must contain ##OTP##' });
  });

  it('validates and maps server issues', () => {
    expect(
      validateTemplateForm({ ...newTemplateForm(null), name: '', body: '', dltTemplateId: 'abc' }),
    ).toEqual({ name: 'Is required', body: 'Is required', dltTemplateId: 'Must be digits only' });
    expect(
      templateErrorsFromIssues([
        { path: 'body', message: 'must contain ##OTP##' },
        { path: 'x', message: 'y' },
      ]),
    ).toEqual({
      errors: { body: 'Must contain ##OTP##' },
      unplaced: [{ path: 'x', message: 'y' }],
    });
  });
});
