/**
 * Failover as a new user would try it, on a real `otpkit serve`: MSG91 and
 * Twilio for India with MSG91 first; MSG91 goes down and the code arrives
 * through Twilio within a second, with the failover in the request's log.
 * Then Telegram becomes the primary channel, and a number without Telegram
 * gets an SMS instead.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hookToken } from '../../src/core/delivery/providers/http.ts';
import { startMsg91StandIn } from '../../src/testing/msg91.ts';
import { killAll, startServerProcess, until } from '../../src/testing/processes.ts';
import { startTwilioStandIn } from '../../src/testing/standins.ts';
import { startTelegramGatewayStandIn } from '../../src/testing/telegram.ts';

vi.setConfig({ testTimeout: 60_000 });
afterEach(killAll);

const AUTHKEY = 'otpk_failover_authkey_0123456789';
const SECRET = 'failover-secret-failover-secret-0123456789';
const TWILIO_SID = `AC${'f0'.repeat(16)}`;
const TWILIO_TOKEN = 'twilio-auth-token-failover';
const MSG91_AUTHKEY = 'msg91-authkey-failover';
const TELEGRAM_TOKEN = 'telegram-gateway-token-failover';
const API = '/api/v5/widget';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Json = any;

describe('provider failover, end to end', () => {
  it('MSG91 down: the code for India arrives through Twilio within a second; Telegram primary: a number without Telegram gets an SMS', async () => {
    const twilio = await startTwilioStandIn({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN });
    const msg91Options: { authkey: string; reportUrl?: string } = { authkey: MSG91_AUTHKEY };
    const msg91 = await startMsg91StandIn(msg91Options);
    const telegram = await startTelegramGatewayStandIn({ token: TELEGRAM_TOKEN });
    const dir = mkdtempSync(join(tmpdir(), 'otpkit-failover-'));
    const server = await startServerProcess({
      DATABASE_URL: `sqlite:${join(dir, 'otpkit.db')}`,
      OTPKIT_AUTHKEY: AUTHKEY,
      OTPKIT_SECRET: SECRET,
      OTPKIT_DEV_OUTBOX: 'false',
      OTPKIT_TWILIO_ACCOUNT_SID: TWILIO_SID,
      OTPKIT_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      OTPKIT_TWILIO_FROM: '+15005550006',
      OTPKIT_TWILIO_BASE_URL: twilio.baseUrl,
      OTPKIT_MSG91_AUTHKEY: MSG91_AUTHKEY,
      OTPKIT_MSG91_SENDER: 'ACMEIN',
      OTPKIT_MSG91_TEMPLATE_ID: 'otp-login-flow',
      OTPKIT_MSG91_BASE_URL: msg91.baseUrl,
      OTPKIT_TELEGRAM_GATEWAY_TOKEN: TELEGRAM_TOKEN,
      OTPKIT_TELEGRAM_GATEWAY_BASE_URL: telegram.baseUrl,
    });
    // The webhook URL the owner pastes into MSG91's panel.
    msg91Options.reportUrl = `${server.url}/api/hooks/msg91/${hookToken(SECRET, 'msg91')}`;
    const call = async (method: string, path: string, body?: unknown, auth = false) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(auth ? { authkey: AUTHKEY } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };

    const created = await call(
      'POST',
      '/api/v1/widgets',
      {
        name: 'Shop',
        captcha: { provider: 'none' },
        countryProviders: { IN: { sms: ['msg91', 'twilio'] } },
      },
      true,
    );
    expect(created.status).toBe(201);
    const widget = { widgetId: created.body.widgetId, tokenAuth: created.body.tokenAuth };

    // MSG91 up: it carries the code, and its report marks it delivered.
    const first = await call('POST', `${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543210',
    });
    expect(first.status).toBe(200);
    await until(() => msg91.requests.length === 1, 5_000, 10);
    expect((await msg91.sendReports()).map((r) => r.status)).toEqual([204]);
    expect(twilio.requests).toHaveLength(0);

    // MSG91 down: the next code goes out through Twilio at once.
    await msg91.close();
    const startedAt = Date.now();
    const second = await call('POST', `${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543211',
    });
    expect(second.status).toBe(200);
    await until(() => twilio.requests.length === 1, 5_000, 5);
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(twilio.requests[0]?.params.To).toBe('+919876543211');
    const code = twilio.requests[0]?.params.Body?.match(/\d{6}/)?.[0];
    const verified = await call('POST', `${API}/verifyOtp`, {
      ...widget,
      reqId: second.body.message,
      otp: code,
    });
    expect(verified.body.type).toBe('success');

    const entry = await call('GET', `/api/v1/logs/${second.body.message}`, undefined, true);
    const attempts = entry.body.messages[0].deliveries;
    expect(attempts.map((d: Json) => [d.provider, d.status])).toEqual([
      ['msg91', 'failed'],
      ['twilio', 'sent'],
    ]);
    expect(attempts[0].error).toMatch(/MSG91 unreachable: ECONNREFUSED \(failed over to twilio\)/);
    // The report may have come before the worker recorded the send: it is applied once it is.
    const logOf = async (reqId: string) =>
      (await call('GET', `/api/v1/logs/${reqId}`, undefined, true)).body.messages[0];
    await until(async () => (await logOf(first.body.message)).status === 'delivered');
    expect(await logOf(first.body.message)).toMatchObject({
      provider: 'msg91',
      status: 'delivered',
    });

    // Telegram primary: a number without Telegram gets an SMS instead, at once.
    const patched = await call(
      'PATCH',
      `/api/v1/widgets/${widget.widgetId}`,
      { primaryChannel: { mobile: 'telegram' }, retryChannels: { mobile: ['telegram', 'sms'] } },
      true,
    );
    expect(patched.status).toBe(200);
    const noTelegram = await call('POST', `${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543212',
    });
    expect(noTelegram.status).toBe(200);
    await until(() => twilio.requests.length === 2, 5_000, 5);
    expect(telegram.requests.map((r) => r.method)).toEqual(['checkSendAbility']);
    expect(twilio.requests[1]?.params.To).toBe('+919876543212');
    const smsCode = twilio.requests[1]?.params.Body?.match(/\d{6}/)?.[0];
    const smsVerified = await call('POST', `${API}/verifyOtp`, {
      ...widget,
      reqId: noTelegram.body.message,
      otp: smsCode,
    });
    expect(smsVerified.body.type).toBe('success');

    // A number on Telegram gets the code there, and Telegram's signed report marks it delivered.
    telegram.onTelegram.add('+919876543213');
    const onTelegram = await call('POST', `${API}/sendOtpMobile`, {
      ...widget,
      identifier: '919876543213',
    });
    await until(() => telegram.requests.length === 3, 5_000, 5);
    expect((await telegram.sendReports()).map((r) => r.status)).toEqual([200]);
    await until(async () => (await logOf(onTelegram.body.message)).status === 'delivered');
    expect(await logOf(onTelegram.body.message)).toMatchObject({
      channel: 'telegram',
      provider: 'telegram',
      status: 'delivered',
    });

    await twilio.close();
    await telegram.close();
  });
});
