/**
 * The React Native SDK's own DefaultWidget service layer (the code behind
 * its ready-made login screens), unmodified, against otpkit: it parses the
 * widget configuration, sends, verifies, and polls `isOneTapAuthenticated`
 * until a magic link is confirmed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importBundledSource } from '../support/bundle.ts';
import { AUTHKEY, type Otpkit, startOtpkit } from '../support/otpkit.ts';
import { redirectSendOtp } from '../support/redirect.ts';

// biome-ignore lint/suspicious/noExplicitAny: the SDK's answers are checked field by field
type Answer = any;
interface OtpService {
  setTokenAuth(tokenAuth: string): void;
  fetchWidgetConfig(): Promise<Answer>;
  sendOTP(identifier: string): Promise<Answer>;
  verifyOTP(otp: string, reqId?: string): Promise<Answer>;
  checkOneTapAuthenticated(reqId?: string): Promise<Answer>;
}
interface Sdk {
  OTPWidget: { initializeWidget(widgetId: string, tokenAuth: string): Promise<void> };
  otpService: OtpService;
}

let otpkit: Otpkit;
let redirect: ReturnType<typeof redirectSendOtp>;
let sdk: Sdk;

beforeAll(async () => {
  otpkit = await startOtpkit();
  redirect = redirectSendOtp(otpkit.url);
  sdk = await importBundledSource<Sdk>(`
    export { OTPWidget } from '@msg91comm/sendotp-react-native/index.ts';
    export { otpService } from '@msg91comm/sendotp-react-native/DefaultWidget/services/index.ts';
  `);
});
afterAll(async () => {
  redirect.restore();
  await otpkit.close();
});

async function backendVerifies(accessToken: string): Promise<Answer> {
  const response = await fetch(`${otpkit.url}/api/v5/widget/verifyAccessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authkey: AUTHKEY, 'access-token': accessToken }),
  });
  return response.json();
}

it('parses the widget configuration, sends and verifies a code', async () => {
  const widget = await otpkit.createWidget({ name: 'RN app', otpLength: 4 });
  await sdk.OTPWidget.initializeWidget(widget.widgetId, widget.tokenAuth);
  sdk.otpService.setTokenAuth(widget.tokenAuth);

  const config = await sdk.otpService.fetchWidgetConfig();
  expect(config).toMatchObject({ success: true, data: expect.any(Object) });
  expect(JSON.stringify(config.data)).toContain('"otpLength":4');

  const mobile = '919812300031';
  const sent = await sdk.otpService.sendOTP(mobile);
  expect(sent).toMatchObject({ success: true, reqId: expect.any(String) });
  const verified = await sdk.otpService.verifyOTP(await otpkit.lastCode(mobile));
  expect(verified.success).toBe(true);
  const token = verified.accessToken ?? verified.data?.message;
  expect((await backendVerifies(token)).message).toBe(mobile);
});

it('polls isOneTapAuthenticated until the magic link is confirmed', async () => {
  const widget = await otpkit.createWidget({
    name: 'RN one tap',
    contactPoints: ['email'],
    verificationType: 'magic_link',
  });
  await sdk.OTPWidget.initializeWidget(widget.widgetId, widget.tokenAuth);
  sdk.otpService.setTokenAuth(widget.tokenAuth);

  const email = 'onetap@example.com';
  const sent = await sdk.otpService.sendOTP(email);
  expect(sent.success).toBe(true);
  // The SDK hands the raw answer over as `data`: the app shows its match number.
  const matchNumber = sent.data.matchNumber;
  expect(matchNumber).toBeGreaterThanOrEqual(10);
  const pending = await sdk.otpService.checkOneTapAuthenticated();
  expect(pending).toMatchObject({ success: true, isVerified: false });

  // The user opens the link from their mailbox, types the app's number and confirms it.
  const link = (await otpkit.lastMessage(email)).text.match(/https?:\/\/\S+\/verify\/[\w-]+/)?.[0];
  expect(link).toBeDefined();
  const page = await (await fetch(link!)).text();
  const csrf = page.match(/name="csrf" value="([^"]+)"/)?.[1];
  const confirmed = await fetch(link!, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: new URL(link!).origin,
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({ csrf: csrf ?? '', match: String(matchNumber) }),
  });
  expect(confirmed.status).toBe(200);

  const done = await sdk.otpService.checkOneTapAuthenticated(sent.reqId);
  expect(done).toMatchObject({ success: true, isVerified: true });
  expect((await backendVerifies(done.accessToken)).message).toBe(email);
});
