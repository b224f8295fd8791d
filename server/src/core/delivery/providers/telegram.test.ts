import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { startMsg91StandIn } from '../../../testing/msg91.ts';
import { startTelegramGatewayStandIn } from '../../../testing/telegram.ts';
import { telegramSignature } from './telegram.ts';

const TOKEN = 'telegram-gateway-token-0123456789';
const API = '/api/v5/widget';

let telegram: Awaited<ReturnType<typeof startTelegramGatewayStandIn>>;
let msg91: Awaited<ReturnType<typeof startMsg91StandIn>>;
let h: Harness;

beforeEach(async () => {
  telegram = await startTelegramGatewayStandIn({
    token: TOKEN,
    post: (url, init) => Promise.resolve(h.app.request(url.slice(TEST_ISSUER.length), init)),
  });
  msg91 = await startMsg91StandIn({ authkey: 'msg91-authkey-0123456789' });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_TELEGRAM_GATEWAY_TOKEN: TOKEN,
      OTPKIT_TELEGRAM_GATEWAY_BASE_URL: telegram.baseUrl,
      OTPKIT_MSG91_AUTHKEY: 'msg91-authkey-0123456789',
      OTPKIT_MSG91_TEMPLATE_ID: 'otp-flow',
      OTPKIT_MSG91_BASE_URL: msg91.baseUrl,
    },
  });
});
afterEach(async () => {
  await h.close();
  await telegram.close();
  await msg91.close();
});

const telegramWidget = () =>
  h.createWidget({
    primaryChannel: { mobile: 'telegram' },
    retryChannels: { mobile: ['telegram', 'sms'] },
  });

describe('Telegram Gateway provider', () => {
  it('checks the number, then sends otpkit’s own code with the request id and a callback URL', async () => {
    telegram.onTelegram.add('+919876543210');
    const w = await telegramWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(sent.status).toBe(200);
    const [check, send] = telegram.requests;
    expect(check).toMatchObject({
      method: 'checkSendAbility',
      params: { phone_number: '+919876543210' },
    });
    expect(send?.method).toBe('sendVerificationMessage');
    expect(send?.params).toMatchObject({
      phone_number: '+919876543210',
      callback_url: `${TEST_ISSUER}/api/hooks/telegram`,
    });
    expect(send?.params.request_id).toBeTruthy();
    // The code Telegram shows is the one otpkit verifies.
    const verified = await h.post(`${API}/verifyOtp`, {
      ...w,
      reqId: sent.body.message,
      otp: send?.params.code,
    });
    expect(verified.body.type).toBe('success');
    expect(msg91.requests).toHaveLength(0);
  });

  it('accepts signed reports and refuses forged, unsigned and stale ones', async () => {
    telegram.onTelegram.add('+919876543210');
    const w = await telegramWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    const body = JSON.stringify({
      request_id: message!.providerMessageId,
      phone_number: '+919876543210',
      request_cost: 0.01,
      delivery_status: { status: 'expired', updated_at: 1 },
    });
    const post = (headers: Record<string, string>) =>
      h.app.request('/api/hooks/telegram', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const now = String(Math.floor(h.clock.now() / 1000));
    expect((await post({})).status).toBe(401);
    expect(
      (await post({ 'x-request-timestamp': now, 'x-request-signature': 'ab'.repeat(32) })).status,
    ).toBe(401);
    const stale = String(Number(now) - 3600);
    expect(
      (
        await post({
          'x-request-timestamp': stale,
          'x-request-signature': telegramSignature(TOKEN, stale, body),
        })
      ).status,
    ).toBe(401);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('sent');

    // The stand-in's own report (delivered), signed with the token's SHA-256.
    h.clock.advance(0);
    const answers = await telegram.sendReports();
    expect(answers.map((a) => a.status)).toEqual([200]);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('delivered');
  });

  it('sends an SMS at once when the number has no Telegram', async () => {
    const w = await telegramWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(sent.status).toBe(200);
    expect(telegram.requests.map((r) => r.method)).toEqual(['checkSendAbility']);
    expect(msg91.requests).toHaveLength(1);
    const code = msg91.requests[0]?.body.recipients?.[0]?.OTP;
    const messages = await h.services.store.messages.listForRequest(sent.body.message);
    expect(messages.map((m) => [m.channel, m.status])).toEqual([
      ['telegram', 'failed'],
      ['sms', 'sent'],
    ]);
    const verified = await h.post(`${API}/verifyOtp`, {
      ...w,
      reqId: sent.body.message,
      otp: code,
    });
    expect(verified.body.type).toBe('success');
  });

  it('is offered as a resend channel with its otpkit-only code 41', async () => {
    const w = await telegramWidget();
    const process = await h.get(
      `${API}/getWidgetProcess?widgetId=${w.widgetId}&tokenAuth=${w.tokenAuth}`,
    );
    expect(process.body.data.resendChannels.mobile).toEqual(['sms', 'telegram']);
    const channels = process.body.data.processes.map(
      (p: { channel: { value: string } }) => p.channel.value,
    );
    expect(channels).toContain('41');
    telegram.onTelegram.add('+919876543210');
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    h.clock.advance(31_000);
    const retried = await h.post(`${API}/retryOtp`, {
      ...w,
      reqId: sent.body.message,
      retryChannel: 41,
    });
    expect(retried.body.type).toBe('success');
    expect(telegram.requests.filter((r) => r.method === 'sendVerificationMessage')).toHaveLength(2);
  });
});

describe('Telegram in the logs', () => {
  it('names telegram and sms among the channels of a request that fell through to SMS, and filters by it', async () => {
    const w = await telegramWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const auth = { authkey: 'otpk_test_authkey_0123456789abcdef' };
    const entry = await h.get(`/api/v1/logs?channel=telegram`, auth);
    expect(entry.status).toBe(200);
    const found = entry.body.entries.find((e: { reqId: string }) => e.reqId === sent.body.message);
    expect(found?.channels).toEqual(['sms', 'telegram']);
    // An SMS first, then a resend by Telegram.
    telegram.onTelegram.add('+919876543211');
    const sms = await h.createWidget({ retryChannels: { mobile: ['sms', 'telegram'] } });
    const resent = await h.post(`${API}/sendOtpMobile`, { ...sms, identifier: '919876543211' });
    h.clock.advance(31_000);
    const retried = await h.post(`${API}/retryOtp`, {
      ...sms,
      reqId: resent.body.message,
      retryChannel: 41,
    });
    expect(retried.body.type).toBe('success');
    const again = await h.get(`/api/v1/logs?channel=telegram`, auth);
    const both = again.body.entries.find((e: { reqId: string }) => e.reqId === resent.body.message);
    expect(both?.channels).toEqual(['sms', 'telegram']);
  });
});
