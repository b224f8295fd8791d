import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_AUTHKEY, TEST_ISSUER } from '../../testing/harness.ts';

const API = '/api/v5/widget';
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const auth = { authkey: TEST_AUTHKEY };

describe('widget rules the server enforces', () => {
  it('a disabled widget refuses sends but still describes itself', async () => {
    const w = await h.createWidget({ status: 'disabled' });
    const res = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('WIDGET_DISABLED');
    const data = await h.get(
      `${API}/getWidgetProcess?widgetId=${w.widgetId}&tokenAuth=${w.tokenAuth}`,
    );
    expect(data.body.data.status).toEqual({ value: '0', name: 'Disabled' });
  });

  it('refuses pages outside allowedOrigins, and CORS names only the allowed origins', async () => {
    const w = await h.createWidget({ allowedOrigins: ['https://shop.example'] });
    const body = { ...w, identifier: '919876543210' };
    const evil = await h.post(`${API}/sendOtpMobile`, body, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(evil.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(await h.outbox('919876543210')).toHaveLength(0);

    const ok = await h.post(`${API}/sendOtpMobile`, body, { origin: 'https://shop.example' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');

    const data = await h.get(
      `${API}/getWidgetProcess?widgetId=${w.widgetId}&tokenAuth=${w.tokenAuth}`,
      {
        origin: 'https://evil.example',
      },
    );
    expect(data.body.code).toBe('ORIGIN_NOT_ALLOWED');
    // Server to server (authkey) and the server's own console are not pages of other sites.
    const s2s = await h.post(
      `${API}/sendOtp`,
      { widgetId: w.widgetId, identifier: '919876543211' },
      {
        ...auth,
        origin: 'https://evil.example',
      },
    );
    expect(s2s.status).toBe(200);
    const own = await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543212' },
      { origin: TEST_ISSUER },
    );
    expect(own.status).toBe(200);
  });

  it('a widget with mobileIntegration refuses browsers but serves mobile SDKs', async () => {
    const w = await h.createWidget({ mobileIntegration: true });
    const browser = await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543210' },
      {
        origin: 'https://shop.example',
      },
    );
    expect(browser.status).toBe(403);
    expect(browser.body.code).toBe('WIDGET_MOBILE_ONLY');
    const app = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(app.status).toBe(200);
  });

  it('sends on the country-wise primary channel', async () => {
    const w = await h.createWidget({
      countryChannels: { US: 'whatsapp' },
      retryChannels: { mobile: ['sms', 'whatsapp'] },
    });
    const us = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '14155550123' });
    expect(us.body.channel).toBe('whatsapp');
    expect((await h.outbox('14155550123'))[0]?.channel).toBe('whatsapp');
    const india = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(india.body.channel).toBe('sms');
  });

  it('refuses numbers from countries outside allowedCountries', async () => {
    const w = await h.createWidget({ allowedCountries: ['IN'] });
    const us = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '14155550123' });
    expect(us.status).toBe(403);
    expect(us.body.code).toBe('COUNTRY_NOT_ALLOWED');
    expect(
      (await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' })).status,
    ).toBe(200);
    // Emails are not mobile numbers: the country list does not apply.
    const both = await h.createWidget({
      allowedCountries: ['IN'],
      contactPoints: ['mobile', 'email'],
    });
    expect(
      (await h.post(`${API}/sendOtpMobile`, { ...both, identifier: 'a@b.example' })).status,
    ).toBe(200);
  });

  it.each([
    ['Inmarsat (+870)', '870773111632'],
    ['Iridium (+881)', '881612345678'],
    ['international networks (+883)', '883510012345'],
    ['universal personal telecoms (+878)', '878101234567890'],
  ])('refuses a number of no country, %s, unless allowedCountries lists 001', async (_, number) => {
    for (const settings of [{}, { allowedCountries: ['IN', 'GB'] }]) {
      const w = await h.createWidget(settings);
      const res = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: number });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('NUMBER_NOT_ALLOWED');
      expect(res.body.message).toContain('"001" in allowedCountries');
    }
    expect(h.sent).toHaveLength(0);
    const allowed = await h.createWidget({ allowedCountries: ['IN', '001'] });
    const res = await h.post(`${API}/sendOtpMobile`, { ...allowed, identifier: number });
    expect(res.status).toBe(200);
    const request = await h.services.store.otpRequests.get(res.body.message);
    expect(request?.country).toBe('001');
  });

  it('counts numbers of no country against the per-country limit as country 001', async () => {
    const limited = await createHarness({ env: { OTPKIT_LIMIT_COUNTRY: '2/3600' } });
    const w = await limited.createWidget({ allowedCountries: ['IN', '001'] });
    const send = (identifier: string) => limited.post(`${API}/sendOtpMobile`, { ...w, identifier });
    expect((await send('870773111632')).status).toBe(200);
    expect((await send('881612345678')).status).toBe(200);
    const third = await send('883510012345');
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('RATE_LIMITED');
    // India has a budget of its own.
    expect((await send('919876543210')).status).toBe(200);
    await limited.close();
  });

  it('brakes a burst to numbers of no country as it brakes a country', async () => {
    const braked = await createHarness({
      env: {
        OTPKIT_LIMIT_IP: '10000/3600',
        OTPKIT_LIMIT_COUNTRY: '10000/3600',
        OTPKIT_PUMPING_MIN: '5',
      },
    });
    const w = await braked.createWidget({ allowedCountries: ['IN', '001'] });
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await braked.post(`${API}/sendOtpMobile`, {
        ...w,
        identifier: `88161234${String(i).padStart(4, '0')}`,
      });
      codes.push(res.body.code ?? 'ok');
    }
    expect(codes.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(codes[5]).toBe('RATE_LIMITED');
    await braked.close();
  });
});

describe('demo credentials', () => {
  it('deliver nothing, verify with the fixed code, and mark the token demo', async () => {
    const w = await h.createWidget({
      contactPoints: ['mobile', 'email'],
      demoCredentials: [
        { identifier: '+1 415 555 0100', otp: '424242' },
        { identifier: 'Reviewer@Apple.example', otp: '111111' },
      ],
    });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '14155550100' });
    expect(sent.status).toBe(200);
    expect(h.sent).toHaveLength(0);
    expect(await h.outbox('14155550100')).toHaveLength(0);
    h.clock.advance(30_000);
    expect((await h.post(`${API}/retryOtp`, { ...w, reqId: sent.body.message })).status).toBe(200);
    expect(h.sent).toHaveLength(0);

    const verified = await h.post(`${API}/verifyOtp`, {
      ...w,
      reqId: sent.body.message,
      otp: '424242',
    });
    expect(verified.status).toBe(200);
    const claims = JSON.parse(
      Buffer.from(verified.body.message.split('.')[1], 'base64url').toString(),
    );
    expect(claims.demo).toBe(true);
    const redeemed = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': verified.body.message,
    });
    expect(redeemed.body).toMatchObject({ identifier: '14155550100', demo: true });
    expect((await h.services.store.otpRequests.get(sent.body.message))?.demo).toBe(true);

    const email = await h.post(`${API}/sendOtpMobile`, {
      ...w,
      identifier: 'reviewer@apple.example',
    });
    const wrong = await h.post(`${API}/verifyOtp`, {
      ...w,
      reqId: email.body.message,
      otp: '424242',
    });
    expect(wrong.body.code).toBe('OTP_MISMATCH');
  });

  it('leave real identifiers untouched', async () => {
    const w = await h.createWidget({
      demoCredentials: [{ identifier: '14155550100', otp: '424242' }],
    });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(h.sent).toHaveLength(1);
    const token = await h.post(`${API}/verifyOtp`, {
      ...w,
      reqId: sent.body.message,
      otp: await h.lastCode('919876543210'),
    });
    const claims = JSON.parse(
      Buffer.from(token.body.message.split('.')[1], 'base64url').toString(),
    );
    expect(claims.demo).toBeUndefined();
  });
});

describe('getWidgetProcess against the wire contract', () => {
  it('answers every field the SDKs read, with the contract types and codes', async () => {
    const w = await h.createWidget({
      name: 'Contract shop',
      contactPoints: ['mobile', 'email'],
      primaryChannel: { mobile: 'sms' },
      retryChannels: { mobile: ['voice', 'whatsapp'], email: ['email'] },
      countryChannels: { US: 'whatsapp', CA: 'whatsapp', GB: 'voice' },
      otpLength: 4,
      retryTime: 45,
      retryCount: 2,
      expiryTime: 15,
      defaultCountry: 'GB',
      captcha: { provider: 'pow' },
      iFrame: true,
      autoRetry: true,
    });
    const res = await h.get(
      `${API}/getWidgetProcess?widgetId=${w.widgetId}&tokenAuth=${w.tokenAuth}`,
    );
    expect(res.body.status).toBe('success');
    expect(res.body.hasError).toBe(false);
    expect(res.body.errors).toEqual([]);
    const d = res.body.data;
    expect(d.widgetId).toBe(w.widgetId);
    expect(d.name).toBe('Contract shop');
    expect(d.widgetType).toEqual({ value: '1', name: 'OTP Widget' });
    expect(d.processType).toEqual({ value: '1', name: 'Both' });
    expect(d.otpLength).toBe(4);
    expect(d.status).toEqual({ value: '1', name: 'Enabled' });
    expect(d.invisible).toBe(false);
    expect(d.captchaValidations).toBe(true);
    expect(d.retryTime).toBe(45);
    expect(d.retryCount).toBe(2);
    expect(d.expiryTime).toBe(15);
    expect(d.iFrame).toBe(true);
    expect(d.defaultCountry).toEqual({ iso2: 'GB', name: 'United Kingdom', dialCode: '44' });
    expect(d.mobileIntegration).toBe(false);
    expect(d.verificationType).toEqual({ value: '1', name: 'OTP' });
    expect(d.widgetMeta).toEqual({ captcha_type: 'pow' });
    expect(d.autoRetry).toBe(true);
    expect(d.countriesDefaultChannel).toEqual({ US: '12', CA: '12', GB: '4' });
    const processes = d.processes.map(
      (p: {
        processVia: { value: string };
        channel: { value: string };
        countryCode: string[];
        templateId: unknown;
      }) => [p.processVia.value, p.channel.value, p.countryCode, p.templateId],
    );
    expect(processes).toEqual([
      ['2', '11', [], null],
      ['2', '12', ['CA', 'US'], null],
      ['2', '4', ['GB'], null],
      ['3', '3', [], null],
      ['5', '4', [], null],
      ['5', '12', [], null],
      ['5', '3', [], null],
    ]);
    for (const p of d.processes) {
      expect(typeof p.processVia.name).toBe('string');
      expect(typeof p.channel.name).toBe('string');
    }
  });

  it('names the template a channel uses, and processType 2/3 for one contact point', async () => {
    const w = await h.createWidget({ contactPoints: ['email'] });
    const t = await h.post(
      '/api/v1/templates',
      {
        name: 'Mail',
        channel: 'email',
        subject: 'Code',
        body: '<p>##OTP##</p>',
        widgetId: w.widgetId,
      },
      auth,
    );
    const d = (
      await h.get(`${API}/getWidgetProcess?widgetId=${w.widgetId}&tokenAuth=${w.tokenAuth}`)
    ).body.data;
    expect(d.processType).toEqual({ value: '3', name: 'Email' });
    expect(d.processes[0]).toMatchObject({
      processVia: { value: '3' },
      channel: { value: '3' },
      templateId: t.body.templateId,
    });
    const m = await h.createWidget({ contactPoints: ['mobile'] });
    const dm = (
      await h.get(`${API}/getWidgetProcess?widgetId=${m.widgetId}&tokenAuth=${m.tokenAuth}`)
    ).body.data;
    expect(dm.processType).toEqual({ value: '2', name: 'Mobile' });
  });
});
