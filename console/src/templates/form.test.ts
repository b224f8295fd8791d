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
    });
    const email = { ...sms, channel: 'email' as const, widgetId: '' };
    expect(templateInputFromForm(email)).toEqual({
      name: 'OTP',
      channel: 'email',
      body: sms.body,
      widgetId: null,
      subject: 'Your verification code',
    });
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
