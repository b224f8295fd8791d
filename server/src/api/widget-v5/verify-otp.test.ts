import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createHarness, TEST_ISSUER } from '../../testing/harness.ts';
import { API, h, retry, send, useWidgetApi, verify, widget } from '../../testing/widget-api.ts';

useWidgetApi();

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
