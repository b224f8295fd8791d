import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';

// The server-to-server variant of the widget API, and the variants third-party callers use.
const API = '/api/v5/widget';
let h: Harness;
let widget: { widgetId: string; tokenAuth: string };

beforeEach(async () => {
  h = await createHarness();
  // A browser must solve the proof-of-work captcha on this widget; an authkey caller need not.
  widget = await h.createWidget({
    retryTime: 0,
    captcha: { provider: 'pow' },
    retryChannels: { mobile: ['sms', 'voice'], email: ['email'] },
  });
});
afterEach(() => h.close());

describe('server to server (authkey header, no tokenAuth)', () => {
  it('sends, retries on another channel and verifies without a captcha', async () => {
    const mobile = '919876543210';
    const browser = await h.post(`${API}/sendOtpMobile`, { ...widget, identifier: mobile });
    expect(browser.body.code).toBe('CAPTCHA_REQUIRED');

    const headers = { authkey: TEST_AUTHKEY };
    const sent = await h.post(
      `${API}/sendOtp`,
      { widgetId: widget.widgetId, identifier: mobile },
      headers,
    );
    expect(sent.body).toMatchObject({ type: 'success', message: expect.any(String) });
    const reqId = sent.body.message;
    const retried = await h.post(
      `${API}/retryOtp`,
      { widgetId: widget.widgetId, reqId, retryChannel: 4 },
      headers,
    );
    expect(retried.body).toMatchObject({ type: 'success', channel: 'voice' });
    expect((await h.outbox(mobile))[0]?.channel).toBe('voice');
    const verified = await h.post(
      `${API}/verifyOtp`,
      { widgetId: widget.widgetId, reqId, otp: await h.lastCode(mobile) },
      headers,
    );
    expect(verified.body).toMatchObject({ type: 'success', 'access-token': expect.any(String) });
  });
});

describe('tolerated variants', () => {
  it('takes the authkey in the body, and retryType for retryChannel', async () => {
    const mobile = '919876543211';
    const sent = await h.post(`${API}/sendOtp`, {
      widgetId: widget.widgetId,
      authkey: TEST_AUTHKEY,
      identifier: mobile,
    });
    expect(sent.body.type).toBe('success');
    const retried = await h.post(`${API}/retryOtp`, {
      widgetId: widget.widgetId,
      authkey: TEST_AUTHKEY,
      reqId: sent.body.message,
      retryType: '4',
    });
    expect(retried.body).toMatchObject({ type: 'success', channel: 'voice' });
    const wrongKey = await h.post(`${API}/sendOtp`, {
      widgetId: widget.widgetId,
      authkey: 'otpk_wrong',
      identifier: mobile,
    });
    expect(wrongKey.body.code).toBe('INVALID_AUTHKEY');
  });

  it('takes the widget token in a tokenauth header (a browser call: the captcha still applies)', async () => {
    const free = await h.createWidget({ captcha: { provider: 'none' } });
    const mobile = '919876543212';
    const sent = await h.post(
      `${API}/sendOtpMobile`,
      { widgetId: free.widgetId, identifier: mobile },
      { tokenauth: free.tokenAuth },
    );
    expect(sent.body.type).toBe('success');
    const verified = await h.post(
      `${API}/verifyOtp`,
      { widgetId: free.widgetId, reqId: sent.body.message, otp: await h.lastCode(mobile) },
      { tokenauth: free.tokenAuth },
    );
    expect(verified.body.type).toBe('success');
    const bad = await h.post(
      `${API}/sendOtpMobile`,
      { widgetId: free.widgetId, identifier: mobile },
      { tokenauth: 'wrong' },
    );
    expect(bad.body.code).toBe('INVALID_TOKEN_AUTH');
    const captcha = await h.post(
      `${API}/sendOtpMobile`,
      { widgetId: widget.widgetId, identifier: mobile },
      { tokenauth: widget.tokenAuth },
    );
    expect(captcha.body.code).toBe('CAPTCHA_REQUIRED');
  });
});

describe('verification limits', () => {
  it('apply the per-IP verify limit to browsers, not to an authkey caller', async () => {
    await h.close();
    h = await createHarness({ env: { OTPKIT_LIMIT_VERIFY_IP: '2/600', OTPKIT_TRUST_PROXY: '1' } });
    const ip = { 'x-forwarded-for': '203.0.113.7' };
    const free = await h.createWidget({ captcha: { provider: 'none' } });
    const mobile = '919876543213';
    const sent = await h.post(`${API}/sendOtpMobile`, { ...free, identifier: mobile });
    const reqId = sent.body.message;
    const code = await h.lastCode(mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    const browser = () => h.post(`${API}/verifyOtp`, { ...free, reqId, otp: wrong }, ip);
    const backend = () =>
      h.post(
        `${API}/verifyOtp`,
        { widgetId: free.widgetId, reqId, otp: wrong },
        { authkey: TEST_AUTHKEY, ...ip },
      );
    expect((await browser()).body.code).toBe('OTP_MISMATCH');
    expect((await browser()).body.code).toBe('OTP_MISMATCH');
    expect((await browser()).body.code).toBe('RATE_LIMITED');
    expect((await backend()).body.code).toBe('OTP_MISMATCH');
  });
});
