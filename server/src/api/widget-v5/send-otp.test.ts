import { beforeEach, describe, expect, it } from 'vitest';
import { sendFallback } from '../../core/otp/messages.ts';
import type { QueuedMessage } from '../../store/index.ts';
import { createHarness, TEST_AUTHKEY } from '../../testing/harness.ts';
import {
  API,
  h,
  replaceWidget,
  retry,
  send,
  useWidgetApi,
  verify,
  widget,
} from '../../testing/widget-api.ts';

useWidgetApi();

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
      await replaceWidget({ retryTime: 0, retryCount: 2 });
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
