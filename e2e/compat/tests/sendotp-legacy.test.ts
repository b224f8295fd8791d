/**
 * The legacy `sendotp@1.2.9` npm package (SendOTP's 2017 Node SDK, on
 * `request`), unmodified, against otpkit: pointed at it only by overriding
 * its static `getBaseURL`, the one place its URL comes from. A backend's
 * flow with the package's own message template and generated code, then
 * each failure its callers branch on.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHKEY, nextMessage, type Otpkit, startOtpkit } from '../support/otpkit.ts';

/** What the package's callbacks receive: SendOTP's legacy `{message, type}` (and otpkit's `code`). */
interface Answer {
  type: 'success' | 'error';
  message: string;
  code?: string;
}
type Callback = (error: unknown, data: Answer) => void;
interface SendOtp {
  send(
    mobile: string,
    senderId: string,
    otp: string | number | Callback,
    callback?: Callback,
  ): void;
  retry(mobile: string, retryVoice: boolean, callback: Callback): void;
  verify(mobile: string, otp: string, callback: Callback): void;
  setOtpExpiry(minutes: number | string): void;
}
interface SendOtpClass {
  new (authKey: string, messageTemplate?: string): SendOtp;
  getBaseURL(): string;
}

const require = createRequire(import.meta.url);
const SendOtp = require('sendotp') as SendOtpClass;
let otpkit: Otpkit;
const original = SendOtp.getBaseURL;
/** Every outgoing HTTP request's method and target, as Node's http client wrote them. */
const outgoing: { method: string; path: string }[] = [];
const recordRequest = (message: unknown) => {
  const { request } = message as { request: ClientRequest };
  outgoing.push({ method: request.method, path: request.path });
};

beforeAll(async () => {
  otpkit = await startOtpkit();
  // The one change a backend makes: where the package's API lives.
  SendOtp.getBaseURL = () => `${otpkit.url}/api/`;
  subscribe('http.client.request.start', recordRequest);
});
afterAll(async () => {
  unsubscribe('http.client.request.start', recordRequest);
  SendOtp.getBaseURL = original;
  await otpkit.close();
});

/** The package's callback API as a promise of what its caller reads: `(error, data)`. */
function call(run: (callback: Callback) => void): Promise<{ error: unknown; data: Answer }> {
  return new Promise((resolve) => run((error, data) => resolve({ error, data })));
}

describe('sendotp@1.2.9 with getBaseURL pointed at otpkit', () => {
  it('sends its own message with its generated code, resends by voice, and verifies', async () => {
    const mobile = '919812300021';
    const sendOtp = new SendOtp(
      AUTHKEY,
      'Otp for your order is {{otp}}, please do not share it with anybody',
    );
    const sent = await call((cb) => sendOtp.send(mobile, 'PRIIND', cb));
    expect(sent).toEqual({
      error: null,
      data: { type: 'success', message: expect.stringMatching(/^[0-9a-f]{24}$/) },
    });
    const sms = await otpkit.lastMessage(mobile);
    expect(sms.channel).toBe('sms');
    // The package's text, exactly, with the 4-digit code it generated.
    expect(sms.text).toMatch(/^Otp for your order is \d{4}, please do not share it with anybody$/);
    const code = sms.text.match(/\d{4}/)![0];

    const wrong = code === '0000' ? '1111' : '0000';
    expect((await call((cb) => sendOtp.verify(mobile, wrong, cb))).data).toEqual({
      type: 'error',
      message: 'otp_not_verified',
      code: 'OTP_MISMATCH',
    });

    otpkit.advance(31_000); // past the server API widget's 30-second resend interval
    expect(await call((cb) => sendOtp.retry(mobile, true, cb))).toEqual({
      error: null,
      data: { type: 'success', message: 'retry send successfully' },
    });
    const voice = await nextMessage(otpkit, mobile, sms);
    expect(voice.channel).toBe('voice');

    expect(await call((cb) => sendOtp.verify(mobile, code, cb))).toEqual({
      error: null,
      data: { type: 'success', message: 'number_verified_successfully' },
    });
    expect((await call((cb) => sendOtp.verify(mobile, code, cb))).data.message).toBe(
      'already_verified',
    );

    // The package made plain GETs to the legacy paths, parameters in the query string.
    const legacy = outgoing.filter((r) => r.path.startsWith('/api/') && r.path.includes('.php'));
    expect(legacy.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      'GET /api/sendotp.php',
      'GET /api/verifyRequestOTP.php',
      'GET /api/retryotp.php',
      'GET /api/verifyRequestOTP.php',
      'GET /api/verifyRequestOTP.php',
    ]);
    expect(legacy[0]?.path).toContain('sender=PRIIND');
  });

  it('sends the code the backend chose, with its expiry, and resends by text', async () => {
    const mobile = '919812300022';
    const sendOtp = new SendOtp(AUTHKEY);
    sendOtp.setOtpExpiry(5);
    const sent = await call((cb) => sendOtp.send(mobile, 'SHOPIN', '4635', cb));
    expect(sent.data.type).toBe('success');
    expect((await otpkit.lastMessage(mobile)).text).toBe(
      'Your otp is 4635. Please do not share it with anybody',
    );
    otpkit.advance(31_000);
    expect((await call((cb) => sendOtp.retry(mobile, false, cb))).data).toEqual({
      type: 'success',
      message: 'retry send successfully',
    });
    expect((await otpkit.lastMessage(mobile)).channel).toBe('sms');
    otpkit.advance(5 * 60_000);
    expect((await call((cb) => sendOtp.verify(mobile, '4635', cb))).data).toEqual({
      type: 'error',
      message: 'otp_expired',
      code: 'OTP_EXPIRED',
    });
  });

  it('answers each failure its callers branch on in the shape the package passes on', async () => {
    const sendOtp = new SendOtp(AUTHKEY);
    expect((await call((cb) => sendOtp.verify('919812300099', '1234', cb))).data).toEqual({
      type: 'error',
      message: 'mobile_not_found',
      code: 'REQUEST_NOT_FOUND',
    });
    expect((await call((cb) => sendOtp.retry('919812300099', true, cb))).data.message).toBe(
      'No OTP request found to retryotp',
    );
    const invalid = await call((cb) => sendOtp.send('not-a-number', 'PRIIND', '1234', cb));
    // HTTP 200 and no `errors` field: the package hands the body to the callback as data.
    expect(invalid).toEqual({
      error: null,
      data: { type: 'error', message: 'invalid_mobile_number', code: 'INVALID_IDENTIFIER' },
    });

    const mobile = '919812300023';
    await call((cb) => sendOtp.send(mobile, 'PRIIND', '2580', cb));
    for (let i = 0; i < 5; i++) await call((cb) => sendOtp.verify(mobile, '1111', cb));
    expect((await call((cb) => sendOtp.verify(mobile, '2580', cb))).data.message).toBe(
      'max_limit_reached_for_this_otp_verification',
    );

    const resent = '919812300024';
    await call((cb) => sendOtp.send(resent, 'PRIIND', cb));
    for (let i = 0; i < 3; i++) {
      otpkit.advance(31_000);
      expect((await call((cb) => sendOtp.retry(resent, false, cb))).data.type).toBe('success');
    }
    otpkit.advance(31_000);
    expect((await call((cb) => sendOtp.retry(resent, false, cb))).data.message).toBe(
      'max_retry_count_exceeded',
    );

    // A message template without {{otp}} would send free text: refused, nothing sent.
    const noCode = new SendOtp(AUTHKEY, 'Welcome to our shop!');
    expect((await call((cb) => noCode.send('919812300025', 'PRIIND', cb))).data).toMatchObject({
      type: 'error',
      code: 'INVALID_REQUEST',
    });
  });

  it('refuses a wrong authkey', async () => {
    const stranger = new SendOtp('278889AfaZQRKgXw5cef3b03');
    expect((await call((cb) => stranger.send('919812300026', 'PRIIND', cb))).data).toEqual({
      type: 'error',
      message: 'invalid_auth_key',
      code: 'INVALID_AUTHKEY',
    });
  });
});
