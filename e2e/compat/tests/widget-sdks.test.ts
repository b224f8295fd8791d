/**
 * SendOTP's JavaScript SDK and React Native SDK, from npm and unmodified,
 * against otpkit: only their base URL is redirected (a fetch wrapper
 * rewrites `https://control.msg91.com`). An app's login: read the widget,
 * send, resend on another channel, verify; then the app's backend checks
 * the access token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBundled } from '../support/bundle.ts';
import { AUTHKEY, nextMessage, type Otpkit, startOtpkit } from '../support/otpkit.ts';
import { redirectSendOtp } from '../support/redirect.ts';

// biome-ignore lint/suspicious/noExplicitAny: the SDKs answer whatever the server sends
type Answer = any;
/** The public API both SDKs export (their `OTPWidget` class). */
interface OTPWidget {
  initializeWidget(widgetId: string, tokenAuth: string): Promise<void>;
  getWidgetProcess(): Promise<Answer>;
  sendOTP(body: Record<string, unknown>): Promise<Answer>;
  retryOTP(body: Record<string, unknown>): Promise<Answer>;
  verifyOTP(body: Record<string, unknown>): Promise<Answer>;
}

let otpkit: Otpkit;
let redirect: ReturnType<typeof redirectSendOtp>;
let widget: { widgetId: string; tokenAuth: string };

beforeAll(async () => {
  otpkit = await startOtpkit();
  redirect = redirectSendOtp(otpkit.url);
  widget = await otpkit.createWidget({
    retryChannels: { mobile: ['sms', 'voice', 'whatsapp'], email: ['email'] },
  });
});
afterAll(async () => {
  redirect.restore();
  await otpkit.close();
});

/** What the app's backend does with the token: `POST /api/v5/widget/verifyAccessToken`. */
async function backendVerifies(accessToken: string): Promise<Answer> {
  const response = await fetch(`${otpkit.url}/api/v5/widget/verifyAccessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authkey: AUTHKEY, 'access-token': accessToken }),
  });
  return response.json();
}

describe.each([
  { sdk: '@msg91comm/sendotp-sdk', mobile: '919812300001', email: 'sdk@example.com' },
  { sdk: '@msg91comm/sendotp-react-native', mobile: '919812300002', email: 'rn@example.com' },
])('$sdk', ({ sdk, mobile, email }) => {
  let OTPWidget: OTPWidget;
  beforeAll(async () => {
    ({ OTPWidget } = await importBundled<{ OTPWidget: OTPWidget }>(sdk));
    await OTPWidget.initializeWidget(widget.widgetId, widget.tokenAuth);
  });

  it('reads the widget, sends, resends by voice, verifies, and the backend verifies the token', async () => {
    const process = await OTPWidget.getWidgetProcess();
    expect(process).toMatchObject({
      status: 'success',
      hasError: false,
      data: { widgetId: widget.widgetId, name: 'Compat app' },
    });

    const sent = await OTPWidget.sendOTP({ identifier: mobile });
    expect(sent).toMatchObject({ type: 'success', message: expect.stringMatching(/\S/) });
    const reqId = sent.message;
    const sms = await otpkit.lastMessage(mobile);
    expect(sms.channel).toBe('sms');

    otpkit.advance(31_000); // past the widget's 30-second resend interval
    const retried = await OTPWidget.retryOTP({ reqId, retryChannel: 4 });
    expect(retried).toMatchObject({ type: 'success', message: reqId });
    const voice = await nextMessage(otpkit, mobile, sms);
    expect(voice.channel).toBe('voice');
    const code = await otpkit.lastCode(mobile);

    const wrong = await OTPWidget.verifyOTP({
      reqId,
      otp: code === '000000' ? '111111' : '000000',
    });
    expect(wrong).toMatchObject({ type: 'error', code: 'OTP_MISMATCH' });

    const verified = await OTPWidget.verifyOTP({ reqId, otp: code });
    expect(verified).toMatchObject({ type: 'success' });
    expect(verified['access-token']).toBe(verified.message);

    expect(await backendVerifies(verified.message)).toMatchObject({
      type: 'success',
      message: mobile,
    });
    // An access token is good for one login.
    expect(await backendVerifies(verified.message)).toMatchObject({
      type: 'error',
      code: 'TOKEN_ALREADY_VERIFIED',
    });
  });

  it('verifies an email by email, and reports a refused call in the SDK’s error shape', async () => {
    const sent = await OTPWidget.sendOTP({ identifier: email });
    expect(sent.type).toBe('success');
    expect((await otpkit.lastMessage(email)).channel).toBe('email');
    const tooSoon = await OTPWidget.retryOTP({ reqId: sent.message, retryChannel: 3 });
    expect(tooSoon).toMatchObject({ type: 'error', code: 'RETRY_TOO_SOON' });
    const sms = await OTPWidget.retryOTP({ reqId: sent.message, retryChannel: 11 });
    expect(sms).toMatchObject({ type: 'error', code: 'CHANNEL_NOT_ALLOWED' });
    const verified = await OTPWidget.verifyOTP({
      reqId: sent.message,
      otp: await otpkit.lastCode(email),
    });
    expect(verified.type).toBe('success');
    expect((await backendVerifies(verified.message)).message).toBe(email);
  });
});

it('only the SendOTP origin was redirected: every SDK call used its own path', () => {
  expect(new Set(redirect.calls.map((c) => c.split('?')[0]))).toEqual(
    new Set([
      '/api/v5/widget/getWidgetProcess',
      '/api/v5/widget/sendOtpMobile',
      '/api/v5/widget/retryOtp',
      '/api/v5/widget/verifyOtp',
    ]),
  );
});
