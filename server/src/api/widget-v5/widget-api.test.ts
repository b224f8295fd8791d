import { gunzipSync } from 'node:zlib';
import { brandTheme } from '@otpkit/protocol';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthkey } from '../../core/accounts/authkeys.ts';
import { sendFallback } from '../../core/otp/messages.ts';
import type { QueuedMessage } from '../../store/index.ts';
import { createHarness, type Harness, TEST_AUTHKEY, TEST_ISSUER } from '../../testing/harness.ts';

const API = '/api/v5/widget';
let h: Harness;
let widget: { widgetId: string; tokenAuth: string };

beforeEach(async () => {
  h = await createHarness();
  widget = await h.createWidget({ retryTime: 30, retryCount: 2, maxAttempts: 3, expiryTime: 5 });
});
afterEach(() => h.close());

const send = (identifier: string, w = widget, headers: Record<string, string> = {}) =>
  h.post(`${API}/sendOtpMobile`, { ...w, identifier }, headers);
const verify = (reqId: string, otp: unknown, w = widget) =>
  h.post(`${API}/verifyOtp`, { ...w, reqId, otp });
const retry = (reqId: string, retryChannel?: number | null, w = widget) =>
  h.post(`${API}/retryOtp`, { ...w, reqId, retryChannel });

async function verifiedToken(identifier = '919876543210'): Promise<string> {
  const sent = await send(identifier);
  const res = await verify(sent.body.message, await h.lastCode(identifier));
  expect(res.status).toBe(200);
  return res.body.message;
}

describe('getWidgetProcess', () => {
  it('is sent gzipped to a browser that takes it (it is on every page load)', async () => {
    const res = await h.app.request(
      `${API}/getWidgetProcess?widgetId=${widget.widgetId}&tokenAuth=${widget.tokenAuth}`,
      { headers: { 'accept-encoding': 'gzip, deflate, br' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    const body = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString());
    expect(body.data.widgetId).toBe(widget.widgetId);
  });

  it('returns the widget in the WidgetData shape', async () => {
    const res = await h.get(
      `${API}/getWidgetProcess?widgetId=${widget.widgetId}&tokenAuth=${widget.tokenAuth}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', hasError: false, errors: [] });
    const data = res.body.data;
    expect(data).toMatchObject({
      widgetId: widget.widgetId,
      name: 'Test shop',
      processType: { value: '1' },
      otpLength: 6,
      retryTime: 30,
      retryCount: 2,
      expiryTime: 5,
      defaultCountry: { iso2: 'IN', dialCode: '91', name: 'India' },
      verificationType: { value: '1' },
    });
    const retryChannels = data.processes
      .filter((p: { processVia: { value: string } }) => p.processVia.value === '5')
      .map((p: { channel: { value: string } }) => p.channel.value);
    expect(retryChannels).toEqual(['11', '4', '3']);
    // The same retry processes, per contact point, as the popup offers them.
    expect(data.resendChannels).toEqual({ mobile: ['sms', 'voice'], email: ['email'] });
    expect(data.brandTheme).toBeNull();
  });

  it('lists no voice resend for a magic-link widget, and none for a contact point it lacks', async () => {
    const magic = await h.createWidget({
      verificationType: 'magic_link',
      contactPoints: ['mobile'],
      retryChannels: { mobile: ['voice', 'whatsapp', 'sms'] },
    });
    const res = await h.get(
      `${API}/getWidgetProcess?widgetId=${magic.widgetId}&tokenAuth=${magic.tokenAuth}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.resendChannels).toEqual({ mobile: ['sms', 'whatsapp'], email: [] });
  });

  it("works out the popup's theme from the brand colour, readable on and beside it", async () => {
    const branded = await h.createWidget({ brandColor: '#ffcc00' });
    const res = await h.get(
      `${API}/getWidgetProcess?widgetId=${branded.widgetId}&tokenAuth=${branded.tokenAuth}`,
    );
    expect(res.body.data.brandColor).toBe('#ffcc00');
    expect(res.body.data.brandTheme).toEqual(brandTheme('#ffcc00'));
    expect(res.body.data.brandTheme).toMatchObject({ accent: '#ffcc00', onAccent: '#111111' });
  });

  it('refuses a wrong token and an unknown widget with status error', async () => {
    const wrong = await h.get(`${API}/getWidgetProcess?widgetId=${widget.widgetId}&tokenAuth=nope`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({
      status: 'error',
      hasError: true,
      code: 'INVALID_TOKEN_AUTH',
    });
    const missing = await h.get(`${API}/getWidgetProcess?widgetId=ffff&tokenAuth=x`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('WIDGET_NOT_FOUND');
  });
});

describe('sendOtpMobile', () => {
  it('answers the reqId and delivers a code that is stored only as a hash', async () => {
    const res = await send('919876543210');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: 'success',
      channel: 'sms',
      retryAfter: 30,
      retriesLeft: 2,
      expiresIn: 300,
    });
    expect(res.body.message).toMatch(/^[0-9a-f]{24}$/);
    const code = await h.lastCode('919876543210');
    expect(code).toMatch(/^\d{6}$/);
    const stored = await h.services.store.otpRequests.get(res.body.message);
    expect(stored?.codeHashes).toHaveLength(1);
    expect(stored?.codeHashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code);
  });

  it('reads a number without country code in the default country and accepts + and spaces', async () => {
    await send('98765 43211');
    expect(await h.outbox('919876543211')).toHaveLength(1);
    await send('+91 98765-43212');
    expect(await h.outbox('919876543212')).toHaveLength(1);
    await send('14155550123'); // US number with its country code
    expect(await h.outbox('14155550123')).toHaveLength(1);
  });

  it('normalises email and delivers by email with a subject', async () => {
    await send('Ana@Example.COM');
    const [message] = await h.outbox('ana@example.com');
    expect(message).toMatchObject({
      channel: 'email',
      subject: expect.stringContaining('verification code'),
    });
  });

  it.each([
    ['letters', 'hello'],
    ['too short', '123'],
    ['not a valid number', '910000000000'],
    ['broken email', 'a@b'],
    ['missing', undefined],
  ])('refuses an invalid identifier (%s) with 400 INVALID_IDENTIFIER', async (_, identifier) => {
    const res = await h.post(`${API}/sendOtpMobile`, { ...widget, identifier });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'error', code: 'INVALID_IDENTIFIER' });
  });

  it('refuses a contact point the widget does not allow', async () => {
    const mobileOnly = await h.createWidget({ contactPoints: ['mobile'] });
    const res = await send('ana@example.com', mobileOnly);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_IDENTIFIER');
  });

  it('adds the WebOTP line naming the page host to SMS', async () => {
    await send('919876543210', widget, { origin: 'https://shop.example' });
    const code = await h.lastCode('919876543210');
    const [message] = await h.outbox('919876543210');
    expect(message?.text.endsWith(`@shop.example #${code}`)).toBe(true);
  });

  it.each([
    [
      'a 2,000-character host',
      `https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(1880)}.example`,
    ],
    [
      'a 254-character host',
      `https://${Array.from({ length: 4 }, () => 'a'.repeat(61)).join('.')}.examples`,
    ],
    ['an IP address', 'https://203.0.113.9'],
    ['a port', 'http://localhost:3000'],
    ['a host with an underscore', 'https://bad_host.example'],
  ])('leaves the WebOTP line out for %s', async (_, origin) => {
    const res = await send('919876543210', widget, { origin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [message] = await h.outbox('919876543210');
    expect(message?.text).not.toContain('@');
    expect(message?.text).not.toMatch(/#\d+$/);
  });

  it('names only a host of allowedOrigins in the WebOTP line', async () => {
    const listed = await h.createWidget({
      allowedOrigins: ['https://shop.example', 'https://www.shop.example'],
    });
    await send('919876543210', listed, { origin: 'https://www.shop.example' });
    const code = await h.lastCode('919876543210');
    expect((await h.outbox('919876543210'))[0]?.text.endsWith(`@www.shop.example #${code}`)).toBe(
      true,
    );
    // A backend (authkey) may send any Origin header: a host not on the list gets no line.
    await h.post(
      `${API}/sendOtpMobile`,
      { widgetId: listed.widgetId, identifier: '919876543211' },
      { authkey: TEST_AUTHKEY, origin: 'https://evil.example' },
    );
    expect((await h.outbox('919876543211'))[0]?.text).not.toContain('@evil.example');
  });

  it('refuses an SMS longer than 3 segments with MESSAGE_TOO_LONG, before anything is stored', async () => {
    const template = await h.post(
      '/api/v1/templates',
      {
        name: 'Long',
        channel: 'sms',
        body: 'Hi ##name##, your code is ##OTP##.',
        widgetId: widget.widgetId,
      },
      { authkey: TEST_AUTHKEY },
    );
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    const variables = { name: 'x'.repeat(440) };
    const res = await h.post(`${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543210',
      variables,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'MESSAGE_TOO_LONG', segments: 4, maxSegments: 3 });
    expect(res.body.message).toContain('name (440 characters)');
    expect(h.sent).toHaveLength(0);
    const logs = await h.get('/api/v1/logs', { authkey: TEST_AUTHKEY });
    expect(logs.body.entries).toHaveLength(0);
    // The same variable, shorter, fits in 3 segments.
    const fits = await h.post(`${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543210',
      variables: { name: 'x'.repeat(400) },
    });
    expect(fits.status).toBe(200);
    // In UCS-2 the same 3 segments hold 201 characters.
    const hindi = await h.post(`${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543211',
      variables: { name: 'अ'.repeat(180) },
    });
    expect(hindi.body.code).toBe('MESSAGE_TOO_LONG');
    expect(hindi.body.message).toContain('201 UCS-2 characters');
  });

  it('refuses a resend by SMS that would be too long, spending nothing, and skips such a fallback', async () => {
    const voiceFirst = await h.createWidget({
      primaryChannel: { mobile: 'voice' },
      retryChannels: { mobile: ['sms', 'voice'] },
      retryTime: 0,
      autoRetry: true,
      fallbackChannel: 'sms',
    });
    const template = await h.post(
      '/api/v1/templates',
      { name: 'Long', channel: 'sms', body: 'Hi ##name##: ##OTP##', widgetId: voiceFirst.widgetId },
      { authkey: TEST_AUTHKEY },
    );
    expect(template.status).toBe(201);
    const sent = await h.post(`${API}/sendOtpMobile`, {
      ...voiceFirst,
      identifier: '919876543210',
      variables: { name: 'x'.repeat(480) },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const bySms = await retry(sent.body.message, 11, voiceFirst);
    expect(bySms.status).toBe(400);
    expect(bySms.body.code).toBe('MESSAGE_TOO_LONG');
    const request = await h.services.store.otpRequests.get(sent.body.message);
    expect(request?.resendCount).toBe(0);
    // The voice call's fallback (SMS) would be as long: it is skipped, not thrown in the worker.
    const failedCall = {
      requestId: sent.body.message,
      widgetId: voiceFirst.widgetId,
      channel: 'voice',
      status: 'failed',
    } as unknown as QueuedMessage;
    await expect(sendFallback(h.services.otp, failedCall)).resolves.toBeUndefined();
    expect((await h.outbox('919876543210')).map((m) => m.channel)).toEqual(['voice']);
  });

  it('records who asked: IP (behind a trusted proxy), page host and user agent', async () => {
    const proxied = await createHarness({ env: { OTPKIT_TRUST_PROXY: 'true' } });
    const w = await proxied.createWidget();
    const res = await proxied.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543210' },
      {
        origin: 'https://shop.example',
        'user-agent': 'TestAgent/1',
        // The client wrote the first entry; the trusted proxy appended the address it saw.
        'x-forwarded-for': '10.9.9.9, 203.0.113.9',
      },
    );
    const row = await proxied.services.store.otpRequests.get(res.body.message);
    expect(row).toMatchObject({
      ip: '203.0.113.9',
      host: 'shop.example',
      userAgent: 'TestAgent/1',
      status: 'pending',
    });
    await proxied.close();

    // Two proxies (a CDN, then nginx): the client is the second entry from the right.
    const twoHops = await createHarness({ env: { OTPKIT_TRUST_PROXY: '2' } });
    const w2 = await twoHops.createWidget();
    const sent = await twoHops.post(
      `${API}/sendOtpMobile`,
      { ...w2, identifier: '919876543210' },
      { 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.2' },
    );
    expect((await twoHops.services.store.otpRequests.get(sent.body.message))?.ip).toBe(
      '198.51.100.4',
    );
    await twoHops.close();
  });

  it('takes the page host from Origin only, never from a Referer the caller writes', async () => {
    const sent = await send('919876543210', widget, { referer: 'https://evil.example/login' });
    const row = await h.services.store.otpRequests.get(sent.body.message);
    expect(row?.host).toBeNull();
    const [sms] = await h.outbox('919876543210');
    expect(sms?.text).not.toContain('evil.example');
  });

  it('supersedes the previous code for the same widget and identifier', async () => {
    const first = await send('919876543210');
    const firstCode = await h.lastCode('919876543210');
    const second = await send('919876543210');
    const old = await verify(first.body.message, firstCode);
    expect(old.status).toBe(410);
    expect(old.body.code).toBe('OTP_EXPIRED');
    const fresh = await verify(second.body.message, await h.lastCode('919876543210'));
    expect(fresh.status).toBe(200);
  });

  it('passes template variables and refuses malformed ones', async () => {
    const ok = await h.post(`${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543210',
      variables: { company: 'Acme' },
    });
    expect((await h.services.store.otpRequests.get(ok.body.message))?.variables).toEqual({
      company: 'Acme',
    });
    const bad = await h.post(`${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543210',
      variables: { company: { x: 1 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
  });

  describe('template variables beside the contract fields, as the SendOTP SDKs send them', () => {
    const MOBILE = '919876543210';
    beforeEach(async () => {
      widget = await h.createWidget({ retryTime: 0, retryCount: 2 });
      await h.post(
        '/api/v1/templates',
        {
          name: 'Hi',
          channel: 'sms',
          body: 'Hi ##name##, ##OTP## is your ##shop## code',
          widgetId: widget.widgetId,
        },
        { authkey: TEST_AUTHKEY },
      );
    });

    it('reads every key that is not a contract field as a variable; variables wins on a clash', async () => {
      const sent = await h.post(`${API}/sendOtpMobile`, {
        ...widget,
        identifier: MOBILE,
        name: 'Ravi',
        shop: 'Top',
        variables: { shop: 'Acme' },
      });
      expect(sent.status).toBe(200);
      expect(h.sent.at(-1)?.text).toMatch(/^Hi Ravi, \d{6} is your Acme code$/);
      expect((await h.services.store.otpRequests.get(sent.body.message))?.variables).toEqual({
        name: 'Ravi',
        shop: 'Acme',
      });
    });

    it('does not take the contract fields and their aliases for variables', async () => {
      const sent = await h.post(`${API}/sendOtp`, {
        ...widget,
        mobile: MOBILE,
        captchaToken: 'x',
        'g-recaptcha-response': 'y',
        variables: { name: 'Ravi', shop: 'Acme' },
      });
      expect(sent.status).toBe(200);
      expect((await h.services.store.otpRequests.get(sent.body.message))?.variables).toEqual({
        name: 'Ravi',
        shop: 'Acme',
      });
    });

    it('applies the same errors: a missing variable, a bad value, a bad name, too many', async () => {
      const post = (extra: Record<string, unknown>) =>
        h.post(`${API}/sendOtpMobile`, { ...widget, identifier: MOBILE, ...extra });
      const missing = await post({ name: 'Ravi' });
      expect([missing.status, missing.body.code]).toEqual([400, 'TEMPLATE_VARIABLE_MISSING']);
      expect(missing.body.message).toContain('##shop##');
      expect((await post({ name: { first: 'Ravi' }, shop: 'A' })).body.code).toBe(
        'INVALID_REQUEST',
      );
      expect((await post({ 'bad name': 'x', name: 'R', shop: 'A' })).body.code).toBe(
        'INVALID_REQUEST',
      );
      expect((await post({ name: 'x'.repeat(501), shop: 'A' })).body.code).toBe('INVALID_REQUEST');
      const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`v${i}`, 'x']));
      expect((await post({ ...many, name: 'R', shop: 'A' })).body.message).toBe(
        'At most 20 template variables.',
      );
      expect((await post({ name: 'R', shop: 'A', variables: 'nope' })).body.code).toBe(
        'INVALID_REQUEST',
      );
      expect(h.sent).toHaveLength(0);
    });

    it('strips control characters from a top-level variable as from any other', async () => {
      await h.post(`${API}/sendOtpMobile`, {
        ...widget,
        identifier: MOBILE,
        name: 'Ra\u0007vi',
        shop: 'Acme',
      });
      expect(h.sent.at(-1)?.text).toMatch(/^Hi Ravi, \d{6}/);
    });

    it('takes variables on retryOtp too, for the resent message, over those of the send', async () => {
      const sent = await h.post(`${API}/sendOtpMobile`, {
        ...widget,
        identifier: MOBILE,
        name: 'Ravi',
        shop: 'Acme',
      });
      const again = await h.post(`${API}/retryOtp`, {
        ...widget,
        reqId: sent.body.message,
        retryChannel: 11,
        name: 'Ravi K',
      });
      expect(again.status).toBe(200);
      expect(h.sent.at(-1)?.text).toMatch(/^Hi Ravi K, \d{6} is your Acme code$/);
      const bad = await h.post(`${API}/retryOtp`, {
        ...widget,
        reqId: sent.body.message,
        name: ['x'],
      });
      expect(bad.body.code).toBe('INVALID_REQUEST');
    });
  });

  it('refuses a wrong token, and accepts the account authkey server to server', async () => {
    const wrong = await send('919876543210', { widgetId: widget.widgetId, tokenAuth: 'bad' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_TOKEN_AUTH');
    const s2s = await h.post(
      `${API}/sendOtp`,
      { widgetId: widget.widgetId, identifier: '919876543213' },
      { authkey: TEST_AUTHKEY },
    );
    expect(s2s.status).toBe(200);
    const badKey = await h.post(
      `${API}/sendOtp`,
      { widgetId: widget.widgetId, identifier: '919876543213' },
      { authkey: 'otpk_wrong' },
    );
    expect(badKey.status).toBe(401);
    expect(badKey.body.code).toBe('INVALID_AUTHKEY');
  });
});

describe('verifyOtp', () => {
  it('issues an EdDSA access token with the documented claims', async () => {
    const sent = await send('919876543210');
    const res = await verify(sent.body.message, await h.lastCode('919876543210'));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('success');
    expect(res.body['access-token']).toBe(res.body.message);
    expect(decodeProtectedHeader(res.body.message).alg).toBe('EdDSA');
    const jwks = createLocalJWKSet((await h.get('/.well-known/jwks.json')).body);
    const { payload } = await jwtVerify(res.body.message, jwks, {
      issuer: TEST_ISSUER,
      audience: widget.widgetId,
      algorithms: ['EdDSA'],
      currentDate: new Date(h.clock.now()),
    });
    expect(payload).toMatchObject({
      sub: '919876543210',
      reqId: sent.body.message,
      channel: 'sms',
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.jti).toMatch(/^[0-9a-f]{32}$/);
  });

  it('counts wrong codes, says how many are left, and locks the request after maxAttempts', async () => {
    const sent = await send('919876543210');
    const code = await h.lastCode('919876543210');
    const wrong = code === '000000' ? '111111' : '000000';
    for (const left of [2, 1, 0]) {
      const res = await verify(sent.body.message, wrong);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'OTP_MISMATCH', attemptsLeft: left });
    }
    const locked = await verify(sent.body.message, code);
    expect(locked.status).toBe(403);
    expect(locked.body.code).toBe('MAX_ATTEMPTS_REACHED');
    h.clock.advance(31_000);
    const retried = await retry(sent.body.message);
    expect(retried.body.code).toBe('MAX_ATTEMPTS_REACHED');
  });

  it('expires codes after expiryTime minutes', async () => {
    const sent = await send('919876543210');
    const code = await h.lastCode('919876543210');
    h.clock.advance(5 * 60_000);
    const res = await verify(sent.body.message, code);
    expect(res.status).toBe(410);
    expect(res.body.code).toBe('OTP_EXPIRED');
  });

  it('is single use', async () => {
    const sent = await send('919876543210');
    const code = await h.lastCode('919876543210');
    expect((await verify(sent.body.message, code)).status).toBe(200);
    const again = await verify(sent.body.message, code);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_VERIFIED');
  });

  it('binds a request to its widget', async () => {
    const other = await h.createWidget();
    const sent = await send('919876543210');
    const res = await verify(sent.body.message, await h.lastCode('919876543210'), other);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('REQUEST_NOT_FOUND');
  });

  it('refuses malformed codes without counting them, and unknown requests', async () => {
    const sent = await send('919876543210');
    for (const otp of ['12ab56', '', null, '1234567890']) {
      const res = await verify(sent.body.message, otp);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_OTP');
    }
    expect((await h.services.store.otpRequests.get(sent.body.message))?.attempts).toBe(0);
    const unknown = await verify('0123456789abcdef01234567', '123456');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('REQUEST_NOT_FOUND');
  });

  it('accepts a numeric code with leading zeros lost (window.verifyOtp(123456))', async () => {
    const digits = [0, 0, 4, 2, 4, 2];
    let i = 0;
    const fixed = await createHarness({
      random: {
        int: (min, max) => (max === 1_000_000 ? 4242 : min + (i++ % (max - min))),
        hex: (n) =>
          Array.from({ length: n }, () => (i++ % 256).toString(16).padStart(2, '0')).join(''),
        token: (n) => 'x'.repeat(n) + String(digits[i++ % 6]),
        sortable: (n) =>
          Array.from({ length: n }, () => (i++ % 256).toString(16).padStart(2, '0')).join(''),
      },
    });
    const w = await fixed.createWidget();
    const sent = await fixed.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(await fixed.lastCode('919876543210')).toBe('004242');
    const res = await fixed.post(`${API}/verifyOtp`, { ...w, reqId: sent.body.message, otp: 4242 });
    expect(res.status).toBe(200);
    await fixed.close();
  });

  it('yields exactly one token for 20 simultaneous right codes', async () => {
    const roomy = await h.createWidget({ maxAttempts: 20 });
    const sent = await send('919876543210', roomy);
    const code = await h.lastCode('919876543210');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => verify(sent.body.message, code, roomy)),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect(r.body.code).toBe('ALREADY_VERIFIED');
    }
  });

  it('lets no more than maxAttempts guesses through when they arrive at once', async () => {
    const sent = await send('919876543210');
    const code = await h.lastCode('919876543210');
    const guesses = Array.from({ length: 20 }, (_, i) =>
      String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'),
    );
    const results = await Promise.all(guesses.map((g) => verify(sent.body.message, g)));
    expect(results.filter((r) => r.body.code === 'OTP_MISMATCH')).toHaveLength(3);
    expect(results.filter((r) => r.body.code === 'MAX_ATTEMPTS_REACHED')).toHaveLength(17);
  });
});

describe('retryOtp', () => {
  it('waits retryTime between sends, with 429 and Retry-After', async () => {
    const sent = await send('919876543210');
    h.clock.advance(10_000);
    const early = await retry(sent.body.message);
    expect(early.status).toBe(429);
    expect(early.body).toMatchObject({ code: 'RETRY_TOO_SOON', retryAfter: 20 });
    expect(early.headers.get('retry-after')).toBe('20');
    h.clock.advance(20_000);
    const ok = await retry(sent.body.message);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      type: 'success',
      message: sent.body.message,
      retriesLeft: 1,
      retryAfter: 30,
    });
  });

  it('re-delivers on the chosen channel; earlier and new codes both verify', async () => {
    const sent = await send('919876543210');
    const first = await h.lastCode('919876543210');
    h.clock.advance(30_000);
    const voice = await retry(sent.body.message, 4);
    expect(voice.body.channel).toBe('voice');
    const [call] = await h.outbox('919876543210');
    expect(call?.channel).toBe('voice');
    expect(call?.text).toMatch(/(\d, ){5}\d/);
    const second = await h.lastCode('919876543210');
    expect(await verify(sent.body.message, first === second ? second : first)).toMatchObject({
      status: 200,
    });
  });

  it('uses the first retry channel when none is named, and refuses channels the widget does not allow', async () => {
    const sent = await send('919876543210');
    h.clock.advance(30_000);
    const whatsapp = await retry(sent.body.message, 12);
    expect(whatsapp.status).toBe(400);
    expect(whatsapp.body.code).toBe('CHANNEL_NOT_ALLOWED');
    const def = await retry(sent.body.message, null);
    expect(def.body.channel).toBe('sms');
    const bad = await retry(sent.body.message, 99);
    expect(bad.body.code).toBe('INVALID_REQUEST');
  });

  it('retries an email only by email', async () => {
    const sent = await send('ana@example.com');
    h.clock.advance(30_000);
    const sms = await retry(sent.body.message, 11);
    expect(sms.body.code).toBe('CHANNEL_NOT_ALLOWED');
    const email = await retry(sent.body.message, 3);
    expect(email.status).toBe(200);
    expect((await h.outbox('ana@example.com')).length).toBe(2);
  });

  it('stops after retryCount resends', async () => {
    const sent = await send('919876543210');
    for (let i = 0; i < 2; i++) {
      h.clock.advance(30_000);
      expect((await retry(sent.body.message)).status).toBe(200);
    }
    h.clock.advance(30_000);
    const over = await retry(sent.body.message);
    expect(over.status).toBe(403);
    expect(over.body.code).toBe('RETRY_LIMIT_REACHED');
  });
});

describe('verifyAccessToken', () => {
  it('confirms a token once, with the identifier', async () => {
    const token = await verifiedToken();
    const res = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: 'success',
      message: '919876543210',
      identifier: '919876543210',
      widgetId: widget.widgetId,
      channel: 'sms',
      verifiedAt: new Date(h.clock.now()).toISOString(),
    });
    const again = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TOKEN_ALREADY_VERIFIED');
  });

  it('refuses a wrong authkey, a tampered token, and an expired one', async () => {
    const token = await verifiedToken();
    const badKey = await h.post(`${API}/verifyAccessToken`, {
      authkey: 'otpk_nope',
      'access-token': token,
    });
    expect(badKey.status).toBe(401);
    expect(badKey.body.code).toBe('INVALID_AUTHKEY');

    const [head, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: '919999999999' })).toString('base64url')}.${signature}`;
    const tampered = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': forged,
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.code).toBe('TOKEN_INVALID');

    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(
      (await h.post(`${API}/verifyAccessToken`, { authkey: TEST_AUTHKEY, 'access-token': none }))
        .body.code,
    ).toBe('TOKEN_INVALID');

    h.clock.advance(5 * 60_000 + 1000);
    const expired = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
    });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('TOKEN_EXPIRED');
  });

  it("refuses another account's token as invalid", async () => {
    const token = await verifiedToken();
    const store = h.services.store;
    await store.accounts.ensureDefault('other', h.clock.now());
    await createAuthkey(h.services, 'other', { authkey: 'otpk_other_account_key_123' });
    const res = await h.post(`${API}/verifyAccessToken`, {
      authkey: 'otpk_other_account_key_123',
      'access-token': token,
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('refuses a token of another widget when the caller names its widgetId, without using it up', async () => {
    const token = await verifiedToken();
    const other = await h.createWidget();
    const wrong = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
      widgetId: other.widgetId,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('TOKEN_INVALID');
    const right = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
      widgetId: widget.widgetId,
    });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ widgetId: widget.widgetId, demo: false });
    const typo = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
      widgetId: 42,
    });
    expect(typo.status).toBe(400);
    expect(typo.body.fields).toEqual([{ path: 'widgetId', message: 'must be a string' }]);
  });

  it('succeeds exactly once for 20 simultaneous calls', async () => {
    const token = await verifiedToken();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.post(`${API}/verifyAccessToken`, { authkey: TEST_AUTHKEY, 'access-token': token }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body.code === 'TOKEN_ALREADY_VERIFIED')).toHaveLength(19);
  });
});

describe('HTTP edges', () => {
  it('answers malformed JSON, oversized bodies and unknown routes with stable codes', async () => {
    const bad = await h.post(`${API}/sendOtpMobile`, '{"widgetId": ');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_JSON');
    const array = await h.post(`${API}/sendOtpMobile`, '[1,2]');
    expect(array.body.code).toBe('INVALID_REQUEST');
    const big = await h.post(`${API}/sendOtpMobile`, { ...widget, identifier: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    const nowhere = await h.get('/api/v5/widget/nothing');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.code).toBe('NOT_FOUND');
  });

  it('allows cross-origin calls from any page (CORS preflight)', async () => {
    const res = await h.app.request(`${API}/sendOtpMobile`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('records every call with its outcome', async () => {
    const sent = await send('919876543210');
    await verify(sent.body.message, '000000');
    await retry(sent.body.message);
    const events = await h.services.store.events.listForRequest(sent.body.message);
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([
      ['send', 'ok'],
      ['verify', 'OTP_MISMATCH'],
      ['retry', 'RETRY_TOO_SOON'],
    ]);
    expect((await h.services.store.otpRequests.get(sent.body.message))?.attempts).toBe(1);
  });
});
