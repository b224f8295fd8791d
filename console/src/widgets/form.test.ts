import type { Widget } from '@otpkit/protocol';
import { describe, expect, it } from 'vitest';
import { decodeJwtClaims } from './claims.ts';
import {
  formFromWidget,
  MASKED_SECRET,
  newWidgetForm,
  parseOrigin,
  settingsFromForm,
  validateWidgetForm,
  widgetErrorsFromIssues,
} from './form.ts';

const widget: Widget = {
  widgetId: 'w1',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  name: 'Shop login',
  status: 'enabled',
  verificationType: 'otp',
  contactPoints: ['mobile', 'email'],
  primaryChannel: { mobile: 'whatsapp', email: 'email' },
  retryChannels: { mobile: ['sms', 'voice'], email: ['email'] },
  countryChannels: { US: 'sms', GB: 'voice' },
  otpLength: 6,
  retryCount: 3,
  retryTime: 30,
  expiryTime: 10,
  maxAttempts: 5,
  defaultCountry: 'IN',
  allowedCountries: ['IN', 'US', 'GB'],
  captcha: { provider: 'turnstile', siteKey: 'site', secretKey: MASKED_SECRET },
  invisible: false,
  mobileIntegration: false,
  iFrame: true,
  androidAppHash: 'FA+9qCX9VSu',
  autoRetry: false,
  passkeys: false,
  allowedOrigins: ['https://shop.example', 'http://localhost:3000'],
  language: 'hi',
  redirectUrl: 'https://shop.example/welcome',
  demoCredentials: [{ identifier: '919999999999', otp: '123456' }],
  brandColor: '#1a73e8',
  logoUrl: null,
  fallbackChannel: 'voice',
  voiceCallerId: null,
  channelProviders: { sms: ['msg91', 'twilio'], email: ['smtp'] },
  countryProviders: { IN: { sms: ['msg91'], whatsapp: ['whatsapp-cloud', 'twilio'] } },
};

// The editor leaves the autoRetry channel and the voice caller id alone (a PATCH keeps them).
const {
  widgetId: _id,
  createdAt: _c,
  updatedAt: _u,
  fallbackChannel: _f,
  voiceCallerId: _v,
  ...settings
} = widget;

describe('form ↔ settings', () => {
  it('round-trips a saved widget', () => {
    expect(settingsFromForm(formFromWidget(widget))).toEqual(settings);
  });

  it('a new form has the server defaults and no errors once named', () => {
    const form = { ...newWidgetForm(), name: 'New' };
    expect(validateWidgetForm(form)).toEqual({});
    expect(settingsFromForm(form)).toMatchObject({
      contactPoints: ['mobile'],
      otpLength: 6,
      retryChannels: { mobile: ['sms', 'voice'], email: ['email'] },
      allowedCountries: null,
      captcha: { provider: 'none' },
      redirectUrl: null,
      brandColor: null,
      countryChannels: {},
    });
  });

  it('normalises text inputs', () => {
    const form = {
      ...newWidgetForm(),
      name: '  A  ',
      allowedCountries: 'in, us;gb ',
      defaultCountry: 'in',
      allowedOrigins: ' https://a.example \n\n https://b.example',
      countryChannels: [
        { country: 'us', channel: 'whatsapp' as const },
        { country: '', channel: 'sms' as const },
      ],
    };
    expect(settingsFromForm(form)).toMatchObject({
      name: 'A',
      allowedCountries: ['IN', 'US', 'GB'],
      defaultCountry: 'IN',
      allowedOrigins: ['https://a.example', 'https://b.example'],
      countryChannels: { US: 'whatsapp' },
    });
  });

  it('sends the masked secret back unchanged, and no keys without a third-party captcha', () => {
    const form = formFromWidget(widget);
    expect(settingsFromForm(form).captcha).toEqual({
      provider: 'turnstile',
      siteKey: 'site',
      secretKey: MASKED_SECRET,
    });
    expect(settingsFromForm({ ...form, captchaProvider: 'pow' }).captcha).toEqual({
      provider: 'pow',
    });
  });
});

describe('validateWidgetForm', () => {
  const base = { ...newWidgetForm(), name: 'W' };

  it('checks the Android app hash: 11 characters of the base64 alphabet, or none', () => {
    expect(validateWidgetForm({ ...base, androidAppHash: 'FA+9qCX9VSu' })).toEqual({});
    expect(validateWidgetForm({ ...base, androidAppHash: '' })).toEqual({});
    for (const bad of ['FA+9qCX9VS', 'FA_9qCX9VSu']) {
      expect(validateWidgetForm({ ...base, androidAppHash: bad }).androidAppHash).toMatch(/11/);
    }
    expect(settingsFromForm({ ...base, androidAppHash: ' FA+9qCX9VSu ' }).androidAppHash).toBe(
      'FA+9qCX9VSu',
    );
    expect(settingsFromForm(base).androidAppHash).toBeNull();
  });

  it('checks ranges', () => {
    const errors = validateWidgetForm({
      ...base,
      otpLength: '3',
      retryCount: '11',
      retryTime: '1.5',
      expiryTime: '',
      maxAttempts: '21',
    });
    expect(errors).toEqual({
      otpLength: 'Must be 4 to 9',
      retryCount: 'Must be 0 to 10',
      retryTime: 'Must be a whole number from 0 to 600 seconds',
      expiryTime: 'Must be a whole number from 1 to 1440 minutes',
      maxAttempts: 'Must be 1 to 20',
    });
  });

  it('checks choices, rows and cross-field rules', () => {
    const errors = validateWidgetForm({
      ...base,
      name: ' ',
      mobile: false,
      email: false,
      countryChannels: [
        { country: 'US', channel: 'sms' },
        { country: 'US', channel: 'voice' },
      ],
      allowedOrigins: 'https://ok.example\nhttps://bad.example/path',
      brandColor: 'blue',
      demoCredentials: [{ identifier: 'x', otp: '12' }],
      captchaProvider: 'hcaptcha',
    });
    expect(errors).toMatchObject({
      name: 'Is required',
      contactPoints: 'Choose at least one contact point',
      'countryChannels.1': 'This country already has a row',
      allowedOrigins: expect.stringContaining('Line 2'),
      brandColor: 'Must be a colour like #1a73e8',
      'demoCredentials.0.identifier': 'Is required',
      'demoCredentials.0.otp': 'Must have 6 digits (the OTP length)',
      'captcha.siteKey': 'Is required for hcaptcha',
      'captcha.secretKey': 'Is required for hcaptcha',
    });
    expect(
      validateWidgetForm({ ...base, allowedCountries: 'US, GB', defaultCountry: 'IN' })
        .defaultCountry,
    ).toBe('Must be one of the allowed countries');
    // 001 (numbers of no country: satellite, international networks) is a code the server takes.
    expect(validateWidgetForm({ ...base, allowedCountries: 'IN, 001' }).allowedCountries).toBe(
      undefined,
    );
    expect(validateWidgetForm({ ...base, allowedCountries: 'IN, 002' }).allowedCountries).toContain(
      '“002” is not an ISO country code',
    );
    expect(validateWidgetForm({ ...base, retryMobile: [] })['retryChannels.mobile']).toBeDefined();
  });

  it('parses origins', () => {
    expect(parseOrigin('https://shop.example/')).toBe('https://shop.example');
    expect(parseOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    expect(parseOrigin('https://shop.example/login')).toBeNull();
    expect(parseOrigin('ftp://x.example')).toBeNull();
  });
});

describe('widgetErrorsFromIssues', () => {
  it('maps server paths onto the editor’s fields', () => {
    const form = formFromWidget(widget);
    const { errors, unplaced } = widgetErrorsFromIssues(
      [
        { path: 'otpLength', message: 'must be 4 to 9' },
        { path: 'retryChannels.mobile', message: 'must name at least one channel' },
        { path: 'retryChannels.mobile.1', message: 'invalid option' },
        { path: 'demoCredentials.0.otp', message: 'must have otpLength (6) digits' },
        { path: 'countryChannels.GB', message: 'invalid' },
        { path: 'allowedOrigins.1', message: 'must be an origin' },
        { path: 'allowedCountries.2', message: 'must be an ISO code' },
        { path: 'captcha.secretKey', message: 'is required for turnstile' },
        { path: 'somethingNew', message: '?' },
      ],
      form,
    );
    expect(errors).toEqual({
      otpLength: 'Must be 4 to 9',
      'retryChannels.mobile': 'Must name at least one channel',
      'demoCredentials.0.otp': 'Must have otpLength (6) digits',
      'countryChannels.1': 'Invalid',
      allowedOrigins: 'http://localhost:3000: Must be an origin',
      allowedCountries: 'GB: Must be an ISO code',
      'captcha.secretKey': 'Is required for turnstile',
    });
    expect(unplaced).toEqual([{ path: 'somethingNew', message: '?' }]);
  });
});

describe('decodeJwtClaims', () => {
  it('reads the payload of a JWT', () => {
    const payload = btoa(JSON.stringify({ sub: '919999999999', aud: 'w1', demo: true }))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    expect(decodeJwtClaims(`eyJhbGciOiJFZERTQSJ9.${payload}.sig`)).toEqual({
      sub: '919999999999',
      aud: 'w1',
      demo: true,
    });
    expect(decodeJwtClaims('not a token')).toBeNull();
  });
});
