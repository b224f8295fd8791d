import { SUPPORTED_LANGUAGES } from '@otpkit/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';
import { defaultLinkTemplate, defaultTemplate } from './defaults.ts';
import { htmlToText, isGsm7, renderTemplate, smsSegments } from './render.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const auth = { authkey: TEST_AUTHKEY };
const API = '/api/v5/widget';
const request = (method: string, path: string, body?: unknown) =>
  h.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...auth },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('templates API', () => {
  it('creates, reads, lists, changes and deletes templates', async () => {
    const created = await h.post(
      '/api/v1/templates',
      {
        name: 'Login SMS',
        channel: 'sms',
        body: 'Hi ##name##, ##OTP## is your code',
        senderId: 'ACMEIN',
        dltTemplateId: '1107161234567890123',
      },
      auth,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      templateId: expect.stringMatching(/^[0-9a-f]{24}$/),
      channel: 'sms',
      unicode: false,
      widgetId: null,
      variables: ['name'],
    });
    const id = created.body.templateId;
    expect((await h.get(`/api/v1/templates/${id}`, auth)).body.name).toBe('Login SMS');
    const changed = await request('PATCH', `/api/v1/templates/${id}`, { name: 'Renamed' });
    expect(((await changed.json()) as { name: string }).name).toBe('Renamed');
    expect((await h.get('/api/v1/templates', auth)).body.templates).toHaveLength(1);
    expect((await request('DELETE', `/api/v1/templates/${id}`)).status).toBe(204);
    const gone = await h.get(`/api/v1/templates/${id}`, auth);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('TEMPLATE_NOT_FOUND');
  });

  it.each([
    [{ name: 'x', channel: 'sms', body: 'no code here' }, 'body', '##OTP##'],
    [{ name: 'x', channel: 'fax', body: '##OTP##' }, 'channel', 'sms, whatsapp, voice or email'],
    [{ name: 'x', channel: 'email', body: '##OTP##' }, 'subject', 'required for email'],
    [{ name: 'x', channel: 'sms', body: '##OTP## कोड' }, 'unicode', 'GSM-7'],
    [
      { name: 'x', channel: 'sms', body: '##OTP##', senderId: 'WAY-TOO-LONG-ID' },
      'senderId',
      '3 to 11',
    ],
    [
      { name: 'x', channel: 'sms', body: '##OTP##', dltTemplateId: 'abc' },
      'dltTemplateId',
      'digits',
    ],
    [{ name: 'x', channel: 'voice', body: '##OTP##', senderId: 'ACME' }, 'channel', 'SMS only'],
    [
      { name: 'x', channel: 'sms', body: `##OTP## ${'a'.repeat(459)}` },
      'body',
      'must fit in 3 SMS segments',
    ],
    [
      { name: 'x', channel: 'sms', body: `##OTP## ${'अ'.repeat(201)}`, unicode: true },
      'body',
      'must fit in 3 SMS segments',
    ],
    [
      { name: 'x', channel: 'sms', body: '##OTP##', widgetId: 'ffffffffffffffffffffffff' },
      'widgetId',
      'no widget',
    ],
  ])('refuses %j naming %s', async (body, path, message) => {
    const res = await h.post('/api/v1/templates', body, auth);
    expect(res.status).toBe(400);
    const field = res.body.fields.find((f: { path: string }) => f.path === path);
    expect(field, JSON.stringify(res.body)).toBeDefined();
    expect(field.message).toContain(message);
  });

  it('previews with sample values, and variables given for the preview', async () => {
    const t = await h.post(
      '/api/v1/templates',
      {
        name: 'Mail',
        channel: 'email',
        subject: '##OTP## for ##name##',
        body: '<p>Hello ##name##</p><p><b>##OTP##</b></p>',
      },
      auth,
    );
    const sample = await h.post(`/api/v1/templates/${t.body.templateId}/preview`, {}, auth);
    expect(sample.body).toMatchObject({
      subject: '482913 for [name]',
      html: '<p>Hello [name]</p><p><b>482913</b></p>',
      text: 'Hello [name]\n482913',
      variables: ['name'],
      missing: ['name'],
    });
    const filled = await h.post(
      `/api/v1/templates/${t.body.templateId}/preview`,
      { variables: { name: '<Ana>' } },
      auth,
    );
    expect(filled.body.html).toContain('Hello &lt;Ana&gt;');
    expect(filled.body.missing).toEqual([]);
    const draft = await h.post(
      '/api/v1/templates/preview',
      { channel: 'sms', body: '##OTP## is your code €' },
      auth,
    );
    expect(draft.body).toMatchObject({
      text: '482913 is your code €',
      segments: 1,
      encoding: 'GSM-7',
    });
  });
});

describe('templates in delivery', () => {
  it("uses the widget's template, then the account's, then the built-in one", async () => {
    const w = await h.createWidget();
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(h.sent.at(-1)?.text).toMatch(
      /^\d{6} is your Test shop verification code\. It expires in 10 minutes/,
    );
    expect(h.sent.at(-1)?.templateId).toBeNull();

    await h.post(
      '/api/v1/templates',
      { name: 'Account', channel: 'sms', body: 'ACCOUNT ##OTP##' },
      auth,
    );
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
    expect(h.sent.at(-1)?.text).toMatch(/^ACCOUNT \d{6}$/);

    const own = await h.post(
      '/api/v1/templates',
      {
        name: 'Widget',
        channel: 'sms',
        body: 'WIDGET ##OTP##',
        widgetId: w.widgetId,
        senderId: 'ACMEIN',
        dltTemplateId: '1107161234567890123',
      },
      auth,
    );
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543212' });
    const last = h.sent.at(-1)!;
    expect(last.text).toMatch(/^WIDGET \d{6}$/);
    expect(last).toMatchObject({
      senderId: 'ACMEIN',
      dltTemplateId: '1107161234567890123',
      unicode: false,
      templateId: own.body.templateId,
    });
    // Another widget of the account still gets the account template.
    const other = await h.createWidget();
    await h.post(`${API}/sendOtpMobile`, { ...other, identifier: '919876543213' });
    expect(h.sent.at(-1)?.text).toMatch(/^ACCOUNT \d{6}$/);
  });

  it('fills variables from the call, escapes them for email, and refuses a missing one before sending', async () => {
    const w = await h.createWidget({ contactPoints: ['email'] });
    await h.post(
      '/api/v1/templates',
      {
        name: 'Mail',
        channel: 'email',
        subject: 'Code for ##company##',
        body: '<p>##company## code: ##OTP##</p>',
        widgetId: w.widgetId,
      },
      auth,
    );
    const missing = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'ana@example.com' });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('TEMPLATE_VARIABLE_MISSING');
    expect(missing.body.message).toContain('##company##');
    expect(h.sent).toHaveLength(0);
    expect(await h.services.store.otpRequests.get(missing.body.reqId ?? 'none')).toBeUndefined();

    const ok = await h.post(`${API}/sendOtpMobile`, {
      ...w,
      identifier: 'ana@example.com',
      variables: { company: 'Tom & <Jerry>' },
    });
    expect(ok.status).toBe(200);
    const mail = h.sent.at(-1)!;
    expect(mail.subject).toBe('Code for Tom & <Jerry>');
    expect(mail.html).toMatch(/^<p>Tom &amp; &lt;Jerry&gt; code: \d{6}<\/p>$/);
    expect(mail.text).toMatch(/^Tom & <Jerry> code: \d{6}$/);
  });

  it('speaks the code digit by digit in a voice template and marks Unicode SMS', async () => {
    const w = await h.createWidget({ retryChannels: { mobile: ['voice'] }, retryTime: 0 });
    await h.post(
      '/api/v1/templates',
      { name: 'Call', channel: 'voice', body: 'Code ##OTP##' },
      auth,
    );
    await h.post(
      '/api/v1/templates',
      { name: 'Hindi', channel: 'sms', body: '##OTP## आपका कोड है', unicode: true },
      auth,
    );
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(h.sent.at(-1)).toMatchObject({ unicode: true });
    expect(h.sent.at(-1)?.text).toMatch(/^\d{6} आपका कोड है$/);
    await h.post(`${API}/retryOtp`, { ...w, reqId: sent.body.message, retryChannel: 4 });
    expect(h.sent.at(-1)?.text).toMatch(/^Code (\d, ){5}\d$/);
  });

  it('uses the widget language for the built-in templates', async () => {
    const w = await h.createWidget({ language: 'hi' });
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(h.sent.at(-1)?.text).toContain('सत्यापन कोड');
    expect(h.sent.at(-1)?.unicode).toBe(true);
  });
});

describe('built-in templates per language', () => {
  const placeholders = (text: string): string[] => [...new Set(text.match(/##\w+##/g))].sort();

  for (const language of SUPPORTED_LANGUAGES) {
    it(`${language}: every channel, with the code, the expiry and nothing English lacks`, () => {
      for (const channel of ['sms', 'whatsapp', 'voice', 'email'] as const) {
        const own = defaultTemplate(channel, language);
        const english = defaultTemplate(channel, 'en');
        if (language !== 'en') expect(own.body, `${language} ${channel}`).not.toBe(english.body);
        expect(placeholders(own.body), `${language} ${channel}`).toEqual(
          placeholders(english.body),
        );
        expect(Boolean(own.subject)).toBe(channel === 'email');
      }
      for (const channel of ['sms', 'whatsapp', 'email'] as const) {
        const own = defaultLinkTemplate(channel, language);
        expect(placeholders(own.body), `${language} link ${channel}`).toEqual(
          placeholders(defaultLinkTemplate(channel, 'en').body),
        );
      }
    });
  }

  it("sends in the language the popup showed (Accept-Language), the widget's fixed one, or the API call's", async () => {
    const auto = await h.createWidget({ language: 'auto' });
    await h.post(
      `${API}/sendOtpMobile`,
      { ...auto, identifier: '919876543210' },
      { 'accept-language': 'ta' },
    );
    expect(h.sent.at(-1)?.text).toContain('சரிபார்ப்புக் குறியீடு');
    expect(h.sent.at(-1)?.language).toBe('ta');
    // A browser's own header: its languages in order, each walked pt-PT → pt → pt-BR.
    await h.post(
      `${API}/sendOtpMobile`,
      { ...auto, identifier: '919876543211' },
      { 'accept-language': 'zh-TW, pt-PT;q=0.9, en;q=0.5' },
    );
    expect(h.sent.at(-1)?.language).toBe('pt-BR');
    expect(h.sent.at(-1)?.text).toContain('código de verificação');
    const arabic = await h.createWidget({ language: 'ar' });
    await h.post(
      `${API}/sendOtpMobile`,
      { ...arabic, identifier: '919876543212' },
      { 'accept-language': 'ta' },
    );
    expect(h.sent.at(-1)?.text).toContain('رمز التحقق');
  });

  it('sends a template in its body for the language, and its main body for any other', async () => {
    const auth = { authkey: TEST_AUTHKEY };
    const w = await h.createWidget({ language: 'auto' });
    const created = await h.post(
      '/api/v1/templates',
      {
        name: 'Shop',
        channel: 'sms',
        body: '##OTP## is your Shop code',
        widgetId: w.widgetId,
        translations: {
          ta: { body: '##OTP## உங்கள் Shop குறியீடு' },
          ar: { body: '##OTP## هو رمز Shop' },
        },
      },
      auth,
    );
    expect(created.status).toBe(201);
    expect(created.body.translations.ta).toEqual({
      body: '##OTP## உங்கள் Shop குறியீடு',
      subject: null,
    });
    const send = (language: string, identifier: string) =>
      h.post(`${API}/sendOtpMobile`, { ...w, identifier }, { 'accept-language': language });
    await send('ta', '919876543210');
    expect(h.sent.at(-1)?.text).toMatch(/^\d{6} உங்கள் Shop குறியீடு/);
    expect(h.sent.at(-1)?.unicode).toBe(true);
    await send('ar', '919876543211');
    expect(h.sent.at(-1)?.text).toMatch(/^\d{6} هو رمز Shop/);
    await send('fr', '919876543212');
    expect(h.sent.at(-1)?.text).toMatch(/^\d{6} is your Shop code/);

    const preview = await h.post(
      `/api/v1/templates/${created.body.templateId}/preview`,
      { language: 'ta' },
      auth,
    );
    expect(preview.body.text).toBe('482913 உங்கள் Shop குறியீடு');
    expect(preview.body.encoding).toBe('UCS-2');

    const missing = await h.post(
      '/api/v1/templates',
      {
        name: 'x',
        channel: 'sms',
        body: '##OTP## code',
        translations: { ta: { body: 'no code' } },
      },
      auth,
    );
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('translations.ta.body');
    const unknown = await h.post(
      '/api/v1/templates',
      {
        name: 'x',
        channel: 'sms',
        body: '##OTP## code',
        translations: { sw: { body: '##OTP##' } },
      },
      auth,
    );
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('translations');
    const patched = await h.app.request(`/api/v1/templates/${created.body.templateId}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ translations: { ta: { body: '##OTP## புதிய குறியீடு' } } }),
    });
    expect(((await patched.json()) as { translations: unknown }).translations).toEqual({
      ta: { body: '##OTP## புதிய குறியீடு', subject: null },
    });
  });

  it('refuses a widget language otpkit does not speak, naming the field', async () => {
    const res = await h.post(
      '/api/v1/widgets',
      { name: 'Swahili', language: 'sw' },
      { authkey: TEST_AUTHKEY },
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('language');
  });
});

describe('rendering helpers', () => {
  it('knows GSM-7 and counts SMS segments', () => {
    expect(isGsm7('Your code is 123456 {€}')).toBe(true);
    expect(isGsm7('कोड')).toBe(false);
    expect(smsSegments('a'.repeat(160), false)).toBe(1);
    expect(smsSegments('a'.repeat(161), false)).toBe(2);
    expect(smsSegments('€'.repeat(80), false)).toBe(1);
    expect(smsSegments('€'.repeat(81), false)).toBe(2);
    expect(smsSegments('a'.repeat(70), true)).toBe(1);
    expect(smsSegments('a'.repeat(71), true)).toBe(2);
  });

  it('takes an SMS body whose fixed text fits 3 segments, however long its placeholders', async () => {
    const res = await h.post(
      '/api/v1/templates',
      { name: 'x', channel: 'sms', body: `##OTP## ##name## ${'a'.repeat(450)}` },
      auth,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('strips control characters from variables and derives text from HTML', () => {
    const r = renderTemplate({
      channel: 'sms',
      body: '##OTP## ##x##',
      values: { OTP: '1234', x: 'a\u0007b' },
    });
    expect(r.text).toBe('1234 ab');
    expect(htmlToText('<p>Hi&nbsp;there</p><a href="https://x.example">link</a>')).toBe(
      'Hi there\nlink (https://x.example)',
    );
  });
});
