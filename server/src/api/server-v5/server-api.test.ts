import { SERVER_API_MESSAGES } from '@otpkit/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Answer, createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';
import { serverApiWidgetKey } from './service.ts';

const MOBILE = '919876543210';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** A call as the msg91 package makes it: POST, every parameter in the query, an empty form body. */
async function call(path: string, params: Record<string, string | number>, authkey = TEST_AUTHKEY) {
  const query = new URLSearchParams({ authkey, ...stringify(params), pluginsource: '1100' });
  const response = await h.app.request(`/api/v5/otp${path}?${query}`, {
    method: 'POST',
    // The backend's address, read when a test trusts a proxy (OTPKIT_TRUST_PROXY).
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': '203.0.113.9',
    },
  });
  await h.deliver();
  const body: Answer['body'] = await response.json();
  return { status: response.status, body };
}
// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
const json = (response: Response): Promise<any> => response.json();
const stringify = (p: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]));

const send = (params: Record<string, string | number> = {}) =>
  call('', { mobile: MOBILE, otp_length: 6, ...params });
const verify = (otp: string, mobile = MOBILE) => call('/verify', { otp, mobile });
const retry = (retrytype?: string, mobile = MOBILE) =>
  call('/retry', { mobile, ...(retrytype ? { retrytype } : {}) });

const error = (message: string, code: string) => ({
  status: 200,
  body: { type: 'error', message, code },
});

describe('POST /api/v5/otp (msg91 style: query parameters, empty form body)', () => {
  it('sends a code of otp_length digits and verifies it once', async () => {
    const sent = await send();
    expect(sent).toEqual({
      status: 200,
      body: { type: 'success', request_id: expect.any(String) },
    });
    const code = await h.lastCode(MOBILE);
    expect(code).toMatch(/^\d{6}$/);
    const [message] = await h.outbox(MOBILE);
    expect(message?.channel).toBe('sms');
    expect(await verify(code)).toEqual({
      status: 200,
      body: { type: 'success', message: 'OTP verified success' },
    });
    expect(await verify(code)).toEqual(error('Mobile no. already verified', 'ALREADY_VERIFIED'));
  });

  it('sends 6-digit codes by default, and otp_length digits when asked (4–9)', async () => {
    await call('', { mobile: MOBILE });
    expect(await h.lastCode(MOBILE)).toMatch(/^\d{6}$/);
    await call('', { mobile: MOBILE, otp_length: 4 });
    expect(await h.lastCode(MOBILE)).toMatch(/^\d{4}$/);
    await call('', { mobile: MOBILE, otp_length: 9 });
    expect(await h.lastCode(MOBILE)).toMatch(/^\d{9}$/);
  });

  it('counts wrong codes against the number’s guess budget across requests, with Retry-After', async () => {
    const h2 = await createHarness({ env: { OTPKIT_LIMIT_VERIFY_IDENTIFIER: '3/3600' } });
    const v5 = async (path: string, params: Record<string, string>) => {
      const res = await h2.app.request(`/api/v5/otp${path}?${new URLSearchParams(params)}`, {
        method: 'POST',
        headers: { authkey: TEST_AUTHKEY },
      });
      await h2.deliver();
      return { headers: res.headers, body: await json(res) };
    };
    try {
      // Three requests, one wrong guess each: the budget is the number's, not the request's.
      for (let i = 0; i < 3; i++) {
        await v5('', { mobile: MOBILE });
        const wrong = (await h2.lastCode(MOBILE)) === '000000' ? '111111' : '000000';
        expect((await v5('/verify', { mobile: MOBILE, otp: wrong })).body.code).toBe(
          'OTP_MISMATCH',
        );
      }
      await v5('', { mobile: MOBILE });
      const refused = await v5('/verify', { mobile: MOBILE, otp: await h2.lastCode(MOBILE) });
      expect(refused.body).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await h2.close();
    }
  });

  it('verifies a code sent back as a JSON number, its leading zeros padded to the request’s length', async () => {
    await send({ otp: '012345' });
    const asNumber = await h.app.request('/api/v5/otp/verify', {
      method: 'POST',
      headers: { authkey: TEST_AUTHKEY, 'content-type': 'application/json' },
      body: JSON.stringify({ mobile: MOBILE, otp: 12345 }),
    });
    expect(await json(asNumber)).toEqual({ type: 'success', message: 'OTP verified success' });
  });

  it('answers each documented verify failure with SendOTP’s message and our code', async () => {
    expect(await verify('1234')).toEqual(error('Mobile no. not found', 'REQUEST_NOT_FOUND'));
    expect(await verify('1234', 'abc')).toEqual(
      error('Mobile no. empty or not numeric', 'INVALID_IDENTIFIER'),
    );
    expect(await verify('1234', '')).toEqual(
      error('Mobile no. empty or not numeric', 'INVALID_IDENTIFIER'),
    );
    await send();
    const code = await h.lastCode(MOBILE);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await verify(wrong)).toEqual(error('OTP not match', 'OTP_MISMATCH'));
    // The server API widget allows 5 attempts (the widget default): the 5th wrong one locks it.
    for (let i = 0; i < 4; i++) await verify(wrong);
    expect(await verify(code)).toEqual(
      error('Max limit reached for this otp verification', 'MAX_ATTEMPTS_REACHED'),
    );
  });

  it('honours otp_expiry in minutes, 10 by default, from 1 minute to 7 days', async () => {
    await send({ otp_expiry: 60 });
    const code = await h.lastCode(MOBILE);
    h.clock.advance(60 * 60_000 + 1);
    expect(await verify(code)).toEqual(error('OTP expired', 'OTP_EXPIRED'));

    await send();
    const second = await h.lastCode(MOBILE);
    h.clock.advance(9 * 60_000);
    expect((await verify(second)).body.type).toBe('success');
    await send();
    const third = await h.lastCode(MOBILE);
    h.clock.advance(10 * 60_000 + 1);
    expect(await verify(third)).toEqual(error('OTP expired', 'OTP_EXPIRED'));

    expect(await send({ otp_expiry: 0 })).toMatchObject({
      status: 200,
      body: { type: 'error', code: 'INVALID_REQUEST' },
    });
    expect((await send({ otp_expiry: 10081 })).body.code).toBe('INVALID_REQUEST');
    expect((await send({ otp_expiry: 10080 })).body.type).toBe('success');
    const week = await h.lastCode(MOBILE);
    h.clock.advance(7 * 24 * 60 * 60_000 - 1000);
    expect((await verify(week)).body.type).toBe('success');
  });

  it('refuses a bad otp_length, a bad mobile and a bad authkey with a stable code', async () => {
    expect((await send({ otp_length: 3 })).body.code).toBe('INVALID_REQUEST');
    expect((await send({ otp_length: 10 })).body.code).toBe('INVALID_REQUEST');
    expect(await send({ mobile: '98x' })).toEqual(
      error(SERVER_API_MESSAGES.send.INVALID_IDENTIFIER, 'INVALID_IDENTIFIER'),
    );
    const badKey = await call('', { mobile: MOBILE }, 'otpk_wrong');
    expect(badKey.body).toMatchObject({ type: 'error', code: 'INVALID_AUTHKEY' });
    expect(await h.outbox(MOBILE)).toEqual([]);
  });

  it('sends in the language the call names, and refuses one otpkit does not speak', async () => {
    expect((await send({ language: 'ta' })).body.type).toBe('success');
    await h.deliver();
    const texts = async () => (await h.outbox(MOBILE)).map((m: { text: string }) => m.text);
    expect((await texts()).join()).toContain('சரிபார்ப்புக் குறியீடு');
    expect((await send({ language: 'pt-PT' })).body.type).toBe('success');
    await h.deliver();
    expect((await texts()).join()).toContain('código de verificação');
    const refused = await send({ language: 'sw' });
    expect(refused.body).toMatchObject({ type: 'error', code: 'INVALID_REQUEST' });
    expect(refused.body.message).toContain('language must be one of en, hi,');
  });

  it('sends the caller’s own otp, and the template template_id names, with variables from the body', async () => {
    const created = await h.post(
      '/api/v1/templates',
      {
        name: 'Shop',
        channel: 'sms',
        body: 'Hi ##name##, ##OTP## is your Shop code (##EXPIRY## min).',
      },
      { authkey: TEST_AUTHKEY },
    );
    expect(created.status).toBe(201);
    const response = await h.app.request(
      `/api/v5/otp?template_id=${created.body.templateId}&mobile=${MOBILE}&otp=482913&otp_expiry=15`,
      {
        method: 'POST',
        headers: { authkey: TEST_AUTHKEY, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Asha' }),
      },
    );
    await h.deliver();
    expect((await json(response)).type).toBe('success');
    const [message] = await h.outbox(MOBILE);
    expect(message?.text).toBe('Hi Asha, 482913 is your Shop code (15 min).');
    expect((await verify('482913')).body.message).toBe('OTP verified success');

    const unknown = await send({ template_id: 'nope' });
    expect(unknown.body).toMatchObject({ type: 'error', code: 'TEMPLATE_NOT_FOUND' });
    const email = await h.post(
      '/api/v1/templates',
      { name: 'Mail', channel: 'email', subject: 'Code', body: 'Code ##OTP##' },
      { authkey: TEST_AUTHKEY },
    );
    expect((await send({ template_id: email.body.templateId })).body.code).toBe(
      'CHANNEL_NOT_ALLOWED',
    );
    const link = await h.post(
      '/api/v1/templates',
      { name: 'Link', channel: 'sms', body: 'Open ##LINK##' },
      { authkey: TEST_AUTHKEY },
    );
    expect((await send({ template_id: link.body.templateId })).body.code).toBe('INVALID_REQUEST');
  });

  it('refuses variables that make the SMS longer than 3 segments (MESSAGE_TOO_LONG), storing nothing', async () => {
    const created = await h.post(
      '/api/v1/templates',
      { name: 'Shop', channel: 'sms', body: 'Hi ##name##, ##OTP## is your code.' },
      { authkey: TEST_AUTHKEY },
    );
    const response = await h.app.request(
      `/api/v5/otp?template_id=${created.body.templateId}&mobile=${MOBILE}`,
      {
        method: 'POST',
        headers: { authkey: TEST_AUTHKEY, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(450) }),
      },
    );
    // SendOTP's shape: HTTP 200 with the error in the body.
    expect(await json(response)).toMatchObject({ type: 'error', code: 'MESSAGE_TOO_LONG' });
    expect(h.sent).toHaveLength(0);
    expect((await h.get('/api/v1/logs', { authkey: TEST_AUTHKEY })).body.entries).toHaveLength(0);
  });

  it('accepts GET, a JSON body and a form body, and the authkey in a header', async () => {
    const get = await h.app.request(`/api/v5/otp?mobile=${MOBILE}&otp_length=5`, {
      headers: { authkey: TEST_AUTHKEY },
    });
    expect((await json(get)).type).toBe('success');
    await h.deliver();
    expect(await h.lastCode(MOBILE)).toMatch(/^\d{5}$/);

    const form = await h.app.request('/api/v5/otp/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ authkey: TEST_AUTHKEY, mobile: MOBILE, otp: '00000' }),
    });
    expect((await json(form)).code).toBe(
      (await h.lastCode(MOBILE)) === '00000' ? undefined : 'OTP_MISMATCH',
    );

    const jsonBody = await h.post('/api/v5/otp/verify', {
      authkey: TEST_AUTHKEY,
      mobile: MOBILE,
      otp: await h.lastCode(MOBILE),
    });
    expect(jsonBody.body).toEqual({ type: 'success', message: 'OTP verified success' });
  });
});

describe('/api/v5/otp/retry', () => {
  it('resends by text or voice after the resend interval, keeping the code length, up to the count', async () => {
    expect(await retry()).toEqual(error('No OTP request found to retryotp', 'REQUEST_NOT_FOUND'));
    await send({ otp_length: 8 });
    const first = await h.lastCode(MOBILE);
    expect((await retry('voice')).body.code).toBe('RETRY_TOO_SOON');
    h.clock.advance(30_000);
    expect(await retry('voice')).toEqual({
      status: 200,
      body: { type: 'success', message: 'retry send successfully' },
    });
    const [voice] = await h.outbox(MOBILE);
    expect(voice?.channel).toBe('voice');
    const second = await h.lastCode(MOBILE);
    expect(second).toMatch(/^\d{8}$/);
    expect((await retry('fax')).body.code).toBe('INVALID_REQUEST');
    for (let i = 0; i < 2; i++) {
      h.clock.advance(30_000);
      expect((await retry()).body.type).toBe('success');
    }
    expect((await h.outbox(MOBILE))[0]?.channel).toBe('sms');
    h.clock.advance(30_000);
    expect(await retry()).toEqual(error('OTP retry count maxed out', 'RETRY_LIMIT_REACHED'));
    // Every code sent for the request stays valid until it expires.
    expect((await verify(first)).body.type).toBe('success');
    expect(second).not.toBe('');
  });
});

describe('the server API widget', () => {
  it('is created once per account, owns every v5 request in the logs, and turns the API off when disabled', async () => {
    await send();
    await send({ mobile: '919876543211' });
    const widgetId = await h.services.store.settings.get(serverApiWidgetKey('default'));
    const widgets = (await h.get('/api/v1/widgets', { authkey: TEST_AUTHKEY })).body;
    const list = Array.isArray(widgets) ? widgets : widgets.widgets;
    expect(list.filter((w: { name: string }) => w.name === 'Server API (v5)')).toHaveLength(1);
    expect(list.find((w: { name: string }) => w.name === 'Server API (v5)').widgetId).toBe(
      widgetId,
    );

    const logs = await h.get(`/api/v1/logs?widgetId=${widgetId}`, { authkey: TEST_AUTHKEY });
    expect(logs.body.entries).toHaveLength(2);
    expect(logs.body.entries[0]).toMatchObject({ widgetName: 'Server API (v5)' });

    const off = await h.app.request(`/api/v1/widgets/${widgetId}`, {
      method: 'PATCH',
      headers: { authkey: TEST_AUTHKEY, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'disabled' }),
    });
    expect(off.status).toBe(200);
    expect((await send()).body).toMatchObject({ type: 'error', code: 'WIDGET_DISABLED' });
  });
});

describe('the server API widget under concurrent first calls', () => {
  it('is created once: every call lands in the same widget', async () => {
    const answers = await Promise.all(
      ['919876543221', '919876543222', '919876543223', '919876543224'].map((mobile) =>
        send({ mobile }),
      ),
    );
    expect(answers.map((a) => a.body.type)).toEqual(['success', 'success', 'success', 'success']);
    const widgets = (await h.get('/api/v1/widgets', { authkey: TEST_AUTHKEY })).body;
    const list: { name: string; widgetId: string }[] = Array.isArray(widgets)
      ? widgets
      : widgets.widgets;
    const serverApi = list.filter((w) => w.name === 'Server API (v5)');
    expect(serverApi).toHaveLength(1);
    const logs = await h.get(`/api/v1/logs?widgetId=${serverApi[0]?.widgetId}`, {
      authkey: TEST_AUTHKEY,
    });
    expect(logs.body.entries).toHaveLength(4);
  });
});

describe('abuse rules still apply to v5 sends', () => {
  it('counts sends against the per-identifier limit and logs refused ones', async () => {
    await h.close();
    h = await createHarness({ env: { OTPKIT_LIMIT_IDENTIFIER: '2/600' } });
    expect((await send()).body.type).toBe('success');
    expect((await send()).body.type).toBe('success');
    const third = await send();
    expect(third.body).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    expect(third.body.retryAfter).toBeGreaterThan(0);
    const refused = await h.get('/api/v1/logs/refused', { authkey: TEST_AUTHKEY });
    expect(refused.body.entries[0]).toMatchObject({
      kind: 'send',
      code: 'RATE_LIMITED',
      identifier: MOBILE,
    });
  });
});

describe('the SMS-pumping brake', () => {
  it('refuses v5 sends to a country once this hour is far above the usual rate', async () => {
    await h.close();
    h = await createHarness({ env: { OTPKIT_PUMPING_MIN: '2', OTPKIT_PUMPING_FACTOR: '10' } });
    expect((await send({ mobile: '919876543231' })).body.type).toBe('success');
    expect((await send({ mobile: '919876543232' })).body.type).toBe('success');
    const braked = await send({ mobile: '919876543233' });
    expect(braked.body).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    expect(braked.body.message).toMatch(/Codes to this country are paused/);
    expect(await h.outbox('919876543233')).toEqual([]);
    // Another country is not braked.
    expect((await send({ mobile: '14155550123' })).body).toMatchObject({ type: 'success' });
  });
});

describe('verification limits for a backend', () => {
  it('does not count v5 verifications against the per-IP limit (the request’s own attempts still count)', async () => {
    await h.close();
    h = await createHarness({ env: { OTPKIT_LIMIT_VERIFY_IP: '2/600', OTPKIT_TRUST_PROXY: '1' } });
    await send();
    const code = await h.lastCode(MOBILE);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) {
      expect((await verify(wrong)).body.code).toBe('OTP_MISMATCH');
    }
    expect((await verify(code)).body.type).toBe('success');
  });
});
