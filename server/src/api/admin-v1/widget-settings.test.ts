import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSecret } from '../../platform/crypto.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const auth = { authkey: TEST_AUTHKEY };
const create = (settings: Record<string, unknown>) =>
  h.post('/api/v1/widgets', { name: 'Shop', ...settings }, auth);
const patch = (widgetId: string, settings: Record<string, unknown>) =>
  h.app.request(`/api/v1/widgets/${widgetId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(settings),
  });

describe('widget settings: every field and its bounds', () => {
  it('fills safe defaults for every setting', async () => {
    const res = await create({});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'enabled',
      verificationType: 'otp',
      contactPoints: ['mobile'],
      primaryChannel: { mobile: 'sms', email: 'email' },
      retryChannels: { mobile: ['sms', 'voice'], email: ['email'] },
      countryChannels: {},
      otpLength: 6,
      retryCount: 3,
      retryTime: 30,
      expiryTime: 10,
      maxAttempts: 5,
      defaultCountry: 'IN',
      allowedCountries: null,
      captcha: { provider: 'pow' },
      invisible: false,
      mobileIntegration: false,
      iFrame: false,
      allowedOrigins: [],
      language: 'auto',
      autoRetry: false,
      fallbackChannel: 'voice',
      channelProviders: {},
      voiceCallerId: null,
      redirectUrl: null,
      demoCredentials: [],
      brandColor: null,
      logoUrl: null,
    });
  });

  it('accepts every setting at its bounds', async () => {
    const res = await create({
      status: 'disabled',
      verificationType: 'magic_link',
      contactPoints: ['mobile', 'email'],
      primaryChannel: { mobile: 'whatsapp' },
      retryChannels: { mobile: ['sms', 'whatsapp', 'voice'] },
      countryChannels: { us: 'whatsapp', GB: 'voice' },
      otpLength: 9,
      retryCount: 10,
      retryTime: 600,
      expiryTime: 1440,
      maxAttempts: 20,
      defaultCountry: 'us',
      allowedCountries: ['US', 'GB', 'IN', '001'],
      captcha: { provider: 'turnstile', siteKey: 'site', secretKey: 'secret' },
      invisible: true,
      mobileIntegration: true,
      iFrame: true,
      allowedOrigins: ['https://shop.example', 'http://localhost:3000/'],
      language: 'hi',
      autoRetry: true,
      redirectUrl: 'https://shop.example/welcome',
      demoCredentials: [{ identifier: '14155550100', otp: '123456789' }],
      brandColor: '#1a73e8',
      logoUrl: 'https://shop.example/logo.png',
      fallbackChannel: 'whatsapp',
      channelProviders: { sms: 'webhook', email: 'smtp' },
      voiceCallerId: '+15005550006',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      primaryChannel: { mobile: 'whatsapp', email: 'email' },
      countryChannels: { US: 'whatsapp', GB: 'voice' },
      defaultCountry: 'US',
      allowedOrigins: ['https://shop.example', 'http://localhost:3000'],
      captcha: { provider: 'turnstile', siteKey: 'site', secretKey: '********' },
    });
    // The captcha secret is stored sealed, and never shown.
    const stored = await h.services.store.widgets.get(res.body.widgetId);
    expect(stored?.settings.captcha.secretKey).toMatch(/^sealed:v1:/);
    expect(openSecret(h.services.otp.secret, stored!.settings.captcha.secretKey!)).toBe('secret');
  });

  it.each([
    [{ status: 'paused' }, 'status', 'expected one of "enabled"|"disabled"'],
    [{ verificationType: 'sms' }, 'verificationType', '"otp"|"magic_link"'],
    [{ primaryChannel: { mobile: 'email' } }, 'primaryChannel.mobile', 'expected one of "sms"'],
    [{ retryChannels: { mobile: [] } }, 'retryChannels.mobile', 'at least one channel'],
    [{ retryChannels: { email: ['sms'] } }, 'retryChannels.email.0', 'expected "email"'],
    [{ countryChannels: { ZZ: 'sms' } }, 'countryChannels.ZZ', 'ISO 3166'],
    [{ countryChannels: { US: 'email' } }, 'countryChannels.US', 'expected one of "sms"'],
    [{ otpLength: 4.5 }, 'otpLength', 'whole number from 4 to 9'],
    [{ otpLength: '6' }, 'otpLength', 'whole number from 4 to 9'],
    [{ retryCount: -1 }, 'retryCount', '0 to 10'],
    [{ retryTime: 601 }, 'retryTime', '0 to 600 seconds'],
    [{ expiryTime: 1441 }, 'expiryTime', '1 to 1440 minutes'],
    [{ maxAttempts: 0 }, 'maxAttempts', '1 to 20'],
    [{ maxAttempts: 21 }, 'maxAttempts', '1 to 20'],
    [{ allowedCountries: ['IN', 'XX'] }, 'allowedCountries.1', 'ISO 3166'],
    [{ allowedCountries: ['US'] }, 'defaultCountry', 'one of allowedCountries'],
    [{ defaultCountry: '001' }, 'defaultCountry', 'ISO 3166'],
    [{ countryChannels: { '001': 'sms' } }, 'countryChannels.001', 'ISO 3166'],
    [{ captcha: { provider: 'recaptcha-v3' } }, 'captcha.siteKey', 'is required for recaptcha-v3'],
    [{ captcha: { provider: 'pow', scoreThreshold: 2 } }, 'captcha.scoreThreshold', '0 to 1'],
    [{ invisible: 'yes' }, 'invisible', 'expected boolean'],
    [{ allowedOrigins: ['https://shop.example/path'] }, 'allowedOrigins.0', 'must be an origin'],
    [{ allowedOrigins: ['shop.example'] }, 'allowedOrigins.0', 'must be an origin'],
    [{ language: 'xx' }, 'language', 'expected one of "auto"'],
    [{ redirectUrl: 'javascript:alert(1)' }, 'redirectUrl', 'http(s) URL'],
    [
      { allowedOrigins: ['https://shop.example'], redirectUrl: 'https://evil.example/x' },
      'redirectUrl',
      'one of allowedOrigins',
    ],
    [
      { demoCredentials: [{ identifier: '919876543210', otp: '12' }] },
      'demoCredentials.0.otp',
      '4 to 9 digits',
    ],
    [
      { demoCredentials: [{ identifier: '919876543210', otp: '1234' }] },
      'demoCredentials.0.otp',
      'otpLength (6)',
    ],
    [{ brandColor: 'blue' }, 'brandColor', '#1a73e8'],
    [{ fallbackChannel: 'email' }, 'fallbackChannel', 'expected one of "sms"'],
    [{ channelProviders: { email: 'twilio' } }, 'channelProviders.email', '"smtp"'],
    [{ voiceCallerId: '12345' }, 'voiceCallerId', 'phone number'],
    [
      { verificationType: 'magic_link', primaryChannel: { mobile: 'voice' } },
      'primaryChannel.mobile',
      'cannot be voice',
    ],
  ])('refuses %j naming %s', async (settings, path, message) => {
    const res = await create(settings);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    const field = res.body.fields.find((f: { path: string }) => f.path === path);
    expect(field, JSON.stringify(res.body.fields)).toBeDefined();
    expect(field.message).toContain(message);
  });
});

describe('redirectUrl', () => {
  it.each([
    '/relative',
    '//evil.example/x',
    'https://',
    'http://',
    'https://exa mple.com',
    'https://[::1',
    'shop.example/welcome',
    'https:shop.example/welcome',
    'ftp://shop.example/x',
    42,
  ])(
    'refuses %j with a 400 naming the field, never a 500, on create and change',
    async (redirectUrl) => {
      const { widgetId } = await h.createWidget({ allowedOrigins: ['https://shop.example'] });
      for (const settings of [
        { redirectUrl },
        // With allowedOrigins (and for magic links) the URL is also compared with them.
        { redirectUrl, allowedOrigins: ['https://shop.example'] },
        { redirectUrl, verificationType: 'magic_link', allowedOrigins: ['https://shop.example'] },
      ]) {
        for (const res of [await create(settings), await patch(widgetId, settings)]) {
          const body = 'json' in res ? await res.json() : res.body;
          expect(res.status).toBe(400);
          expect(body.code).toBe('INVALID_REQUEST');
          expect(body.fields).toEqual([
            {
              path: 'redirectUrl',
              message: expect.stringContaining('must be an absolute http(s) URL'),
            },
          ]);
        }
      }
    },
  );
});

describe('PATCH and DELETE /api/v1/widgets/:widgetId', () => {
  it('changes settings, merging nested objects, and the next request uses them', async () => {
    const { widgetId, tokenAuth } = await h.createWidget({ otpLength: 6 });
    const res = await patch(widgetId, { otpLength: 4, primaryChannel: { mobile: 'voice' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      otpLength: 4,
      primaryChannel: { mobile: 'voice', email: 'email' },
    });
    const sent = await h.post('/api/v5/widget/sendOtpMobile', {
      widgetId,
      tokenAuth,
      identifier: '919876543210',
    });
    expect(sent.body.channel).toBe('voice');
    expect(await h.lastCode('919876543210')).toMatch(/^\d{4}$/);
  });

  it('validates the merged result and keeps the stored settings on error', async () => {
    const { widgetId } = await h.createWidget();
    const res = await patch(widgetId, { otpLength: 12 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('INVALID_REQUEST');
    expect((await h.get(`/api/v1/widgets/${widgetId}`, auth)).body.otpLength).toBe(6);
  });

  it('replaces channelProviders and countryProviders whole, so a channel or country can be dropped', async () => {
    const { widgetId } = await h.createWidget({
      channelProviders: { sms: ['webhook', 'outbox'], email: 'outbox' },
      countryProviders: { IN: { sms: ['outbox'] }, US: { sms: ['webhook'] } },
    });
    const res = await patch(widgetId, {
      channelProviders: { sms: ['outbox', 'webhook'] },
      countryProviders: { IN: { sms: ['webhook', 'outbox'] } },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.channelProviders).toEqual({ sms: ['outbox', 'webhook'] });
    expect(body.countryProviders).toEqual({ IN: { sms: ['webhook', 'outbox'] } });
  });

  it('keeps a captcha secret when the masked value comes back', async () => {
    const { widgetId } = await h.createWidget({
      captcha: { provider: 'hcaptcha', siteKey: 's', secretKey: 'real' },
    });
    const shown = (await h.get(`/api/v1/widgets/${widgetId}`, auth)).body;
    await patch(widgetId, { captcha: shown.captcha, name: 'Renamed' });
    const kept = (await h.services.store.widgets.get(widgetId))?.settings.captcha.secretKey;
    expect(openSecret(h.services.otp.secret, kept!)).toBe('real');
  });

  it('deletes a widget: gone from the API, its tokens stop working', async () => {
    const { widgetId, tokenAuth } = await h.createWidget();
    const res = await h.app.request(`/api/v1/widgets/${widgetId}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(res.status).toBe(204);
    expect((await h.get(`/api/v1/widgets/${widgetId}`, auth)).status).toBe(404);
    const send = await h.post('/api/v5/widget/sendOtpMobile', {
      widgetId,
      tokenAuth,
      identifier: '919876543210',
    });
    expect(send.body.code).toBe('WIDGET_NOT_FOUND');
  });
});
