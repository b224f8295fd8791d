/**
 * The `msg91` npm package (server API v5 through axios), unmodified, against
 * otpkit: pointed at it only by `HTTPS_PROXY`, so axios sends its requests
 * for `https://api.msg91.com/...` to otpkit with absolute-form targets.
 * A backend's OTP flow, then each failure SendOTP documents.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHKEY, nextMessage, type Otpkit, startOtpkit } from '../support/otpkit.ts';

interface Otp {
  send(
    mobile: string,
    options?: { templateId?: string; expiry?: number; length?: number },
  ): Promise<unknown>;
  retry(mobile: string, type?: 'text' | 'voice'): Promise<unknown>;
  verify(mobile: string, otp: string): Promise<unknown>;
}
interface Msg91 {
  initialize(options: { authKey: string }): void;
  getOTP(templateId: string, options?: { authKey?: string; length?: number }): Otp;
}

const require = createRequire(import.meta.url);
let otpkit: Otpkit;
let otp: Otp;
let templateId: string;
/** Every outgoing HTTP request's host and target, as Node's http client wrote them. */
const outgoing: { host: string; path: string }[] = [];
const recordRequest = (message: unknown) => {
  const { request } = message as { request: ClientRequest };
  outgoing.push({ host: request.host, path: request.path });
};
const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

beforeAll(async () => {
  otpkit = await startOtpkit();
  subscribe('http.client.request.start', recordRequest);
  process.env.HTTPS_PROXY = otpkit.url;
  delete process.env.NO_PROXY;
  delete process.env.no_proxy;
  const template = await otpkit.admin('POST', '/templates', {
    name: 'Shop login',
    channel: 'sms',
    body: '##OTP## is your Shop login code. It expires in ##EXPIRY## minutes.',
  });
  templateId = String(template.templateId);
  const msg91 = (require('msg91') as { default: Msg91 }).default;
  msg91.initialize({ authKey: AUTHKEY });
  otp = msg91.getOTP(templateId, { length: 6 });
});
afterAll(async () => {
  unsubscribe('http.client.request.start', recordRequest);
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await otpkit.close();
});

/** A rejection's `{message}` (the package rejects with the body's message on `type:"error"`). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ resolved: value }),
    (error: { message?: string }) => error.message ?? error,
  );
}

describe('msg91@2.2.8 through HTTPS_PROXY', () => {
  it('sends with the named template, resends by voice, and verifies', async () => {
    const mobile = '919812300011';
    await otp.send(mobile, { expiry: 10 });
    const sms = await otpkit.lastMessage(mobile);
    expect(sms.channel).toBe('sms');
    expect(sms.text).toMatch(/^\d{6} is your Shop login code\. It expires in 10 minutes\./);

    otpkit.advance(31_000); // past the server API widget's 30-second resend interval
    await expect(otp.retry(mobile, 'voice')).resolves.toEqual({
      message: 'retry send successfully',
    });
    const voice = await nextMessage(otpkit, mobile, sms);
    expect(voice.channel).toBe('voice');
    const code = await otpkit.lastCode(mobile);
    expect(code).toMatch(/^\d{6}$/);

    await expect(otp.verify(mobile, code)).resolves.toEqual({ message: 'OTP verified success' });
    expect(await failure(otp.verify(mobile, code))).toBe('Mobile no. already verified');

    // axios went through the proxy: plain HTTP to otpkit, with absolute-form targets.
    const v5 = outgoing.filter((r) => r.path.includes('/api/v5/otp'));
    expect(v5.map((r) => r.path.split('?')[0])).toEqual([
      'https://api.msg91.com/api/v5/otp',
      'https://api.msg91.com/api/v5/otp/retry',
      'https://api.msg91.com/api/v5/otp/verify',
      'https://api.msg91.com/api/v5/otp/verify',
    ]);
    expect(new Set(v5.map((r) => r.host))).toEqual(new Set([new URL(otpkit.url).hostname]));
  });

  it('answers each documented failure with SendOTP’s message', async () => {
    expect(await failure(otp.verify('919812300099', '123456'))).toBe('Mobile no. not found');
    expect(await failure(otp.verify('not-a-number', '123456'))).toBe(
      'Mobile no. empty or not numeric',
    );
    expect(await failure(otp.retry('919812300099'))).toBe('No OTP request found to retryotp');

    const mobile = '919812300012';
    await otp.send(mobile);
    const code = await otpkit.lastCode(mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await failure(otp.verify(mobile, wrong))).toBe('OTP not match');
    for (let i = 0; i < 4; i++) await failure(otp.verify(mobile, wrong));
    expect(await failure(otp.verify(mobile, code))).toBe(
      'Max limit reached for this otp verification',
    );

    const expiring = '919812300013';
    await otp.send(expiring, { expiry: 1 });
    const expiringCode = await otpkit.lastCode(expiring);
    otpkit.advance(61_000);
    expect(await failure(otp.verify(expiring, expiringCode))).toBe('OTP expired');

    const resent = '919812300014';
    await otp.send(resent, { expiry: 60 });
    for (let i = 0; i < 3; i++) {
      otpkit.advance(31_000);
      await expect(otp.retry(resent)).resolves.toEqual({ message: 'retry send successfully' });
    }
    otpkit.advance(31_000);
    expect(await failure(otp.retry(resent))).toBe('OTP retry count maxed out');
  });

  it('refuses a wrong authkey', async () => {
    const msg91 = (require('msg91') as { default: Msg91 }).default;
    const stranger = msg91.getOTP(templateId, { authKey: 'otpk_not_a_real_key' });
    expect(await failure(stranger.send('919812300015'))).toBe('The authkey is missing or invalid.');
  });
});
