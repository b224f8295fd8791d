/**
 * Template variables as the SendOTP SDKs send them: `OTPWidget.sendOTP(body)`
 * posts `{widgetId, tokenAuth, ...body}`, so a variable such as `name` sits
 * beside `identifier`. Both SDKs, unmodified, against a widget whose SMS
 * template uses `##name##`; the message that reaches the outbox is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBundled } from '../support/bundle.ts';
import { nextMessage, type Otpkit, startOtpkit } from '../support/otpkit.ts';
import { redirectSendOtp } from '../support/redirect.ts';

// biome-ignore lint/suspicious/noExplicitAny: the SDKs answer whatever the server sends
type Answer = any;
interface OTPWidget {
  initializeWidget(widgetId: string, tokenAuth: string): Promise<void>;
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
  widget = await otpkit.createWidget({ name: 'Greeting app' });
  await otpkit.admin('POST', '/templates', {
    name: 'Greeting',
    channel: 'sms',
    body: 'Hi ##name##, ##OTP## is your login code.',
    widgetId: widget.widgetId,
  });
});
afterAll(async () => {
  redirect.restore();
  await otpkit.close();
});

describe.each([
  { sdk: '@msg91comm/sendotp-sdk', mobile: '919812300031' },
  { sdk: '@msg91comm/sendotp-react-native', mobile: '919812300032' },
])('$sdk', ({ sdk, mobile }) => {
  let OTPWidget: OTPWidget;
  beforeAll(async () => {
    ({ OTPWidget } = await importBundled<{ OTPWidget: OTPWidget }>(sdk));
    await OTPWidget.initializeWidget(widget.widgetId, widget.tokenAuth);
  });

  it('sendOTP({identifier, name}) renders ##name##, and the code verifies', async () => {
    const sent = await OTPWidget.sendOTP({ identifier: mobile, name: 'Ravi' });
    expect(sent).toMatchObject({ type: 'success' });
    const sms = await otpkit.lastMessage(mobile);
    expect(sms.text).toMatch(/^Hi Ravi, \d{6} is your login code\./);

    otpkit.advance(31_000);
    const retried = await OTPWidget.retryOTP({ reqId: sent.message, retryChannel: 11 });
    expect(retried).toMatchObject({ type: 'success' });
    // The resend keeps the send's variables.
    const again = await nextMessage(otpkit, mobile, sms);
    expect(again.text).toMatch(/^Hi Ravi, \d{6} is your login code\./);

    const code = await otpkit.lastCode(mobile);
    expect(await OTPWidget.verifyOTP({ reqId: sent.message, otp: code })).toMatchObject({
      type: 'success',
    });
  });

  it('without name, answers TEMPLATE_VARIABLE_MISSING in the SDK’s error shape', async () => {
    expect(await OTPWidget.sendOTP({ identifier: mobile })).toMatchObject({
      type: 'error',
      code: 'TEMPLATE_VARIABLE_MISSING',
    });
  });
});
