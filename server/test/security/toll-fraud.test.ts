/**
 * The attack suite's toll-fraud and hardening rows: attacks that cost an
 * operator money (satellite numbers, SMS blown up by a long `Origin` or long
 * variables), that spend a token meant for another backend, that hide a demo
 * login, that read the development outbox from afar, or that turn a client's
 * hang-up into a server error. Printed as a table (attack, expected, got),
 * as `attacks.test.ts` is.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { verifyAccessToken, verifyAccessTokenLocally } from '../../../sdk/src/index.ts';
import { smsLength } from '../../src/core/templates/sms-length.ts';
import type { Logger } from '../../src/platform/runtime.ts';
import { startServer } from '../../src/server.ts';
import { type Harness, TEST_AUTHKEY, TEST_ISSUER } from '../../src/testing/harness.ts';
import { type Attack, attackSuite, freshHarness, powSolution, tokenFor } from './suite.ts';

const API = '/api/v5/widget';

/** What became of one SMS in the outbox: its WebOTP line (if any) and its length in segments. */
async function smsShape(h: Harness, to: string): Promise<string> {
  const [message] = await h.outbox(to);
  if (!message) return 'nothing sent';
  const segments = smsLength(message.text).segments;
  const webOtp = /\n@\S+ #\d+$/.test(message.text) ? 'a WebOTP line' : 'no WebOTP line';
  return `${webOtp}, ${segments} segment${segments === 1 ? '' : 's'}`;
}

const attacks: Attack[] = [
  {
    attack: 'a satellite number (+881) on a widget that lists no 001',
    expected: { status: 400, code: 'NUMBER_NOT_ALLOWED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      const res = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '881612345678' });
      const sent = h.sent.length;
      await h.close();
      return { status: res.status, code: sent === 0 ? res.body.code : `${sent} messages sent` };
    },
  },
  {
    attack: 'an international-network number (+883) behind a country allowlist',
    expected: { status: 400, code: 'NUMBER_NOT_ALLOWED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ allowedCountries: ['IN', 'GB'] });
      const res = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '883510012345' });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a flood to satellite numbers on a widget that allows 001 (per-country limit)',
    expected: { status: 429, code: 'RATE_LIMITED' },
    async run() {
      const h = await freshHarness({ OTPKIT_LIMIT_COUNTRY: '5/3600' });
      const w = await h.createWidget({ allowedCountries: ['IN', '001'] });
      let refused = { status: 0, code: '' };
      let delivered = 0;
      for (let i = 0; i < 20 && !refused.code; i++) {
        const res = await h.post(
          `${API}/sendOtpMobile`,
          { ...w, identifier: `88161234${String(i).padStart(4, '0')}` },
          { 'x-forwarded-for': `198.51.100.${i + 1}` },
        );
        if (res.status === 200) delivered++;
        else refused = { status: res.status, code: res.body.code };
      }
      await h.close();
      return delivered === 5 ? refused : { status: refused.status, code: `${delivered} sent` };
    },
  },
  {
    attack: 'SMS pumping to satellite numbers on a widget that allows 001 (the brake)',
    expected: { status: 429, code: 'RATE_LIMITED' },
    async run() {
      const h = await freshHarness({
        OTPKIT_LIMIT_IP: '10000/3600',
        OTPKIT_LIMIT_COUNTRY: '10000/3600',
        OTPKIT_PUMPING_MIN: '10',
      });
      const w = await h.createWidget({ allowedCountries: ['IN', '001'] });
      let refused = { status: 0, code: '' };
      for (let i = 0; i < 30 && !refused.code; i++) {
        const res = await h.post(`${API}/sendOtpMobile`, {
          ...w,
          identifier: `87077311${String(i).padStart(4, '0')}`,
        });
        if (res.status !== 200) refused = { status: res.status, code: res.body.code };
      }
      await h.close();
      return refused;
    },
  },
  {
    attack: 'a 2,000-character Origin host on an SMS send',
    expected: { status: 200, code: 'no WebOTP line, 1 segment' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      const host = `${Array.from({ length: 32 }, () => 'a'.repeat(61)).join('.')}.example`;
      expect(host.length).toBeGreaterThan(1990);
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210' },
        { origin: `https://${host}` },
      );
      const shape = await smsShape(h, '919876543210');
      await h.close();
      return { status: res.status, code: res.status === 200 ? shape : res.body.code };
    },
  },
  {
    attack: "a backend call naming a host outside the widget's allowedOrigins",
    expected: { status: 200, code: 'no WebOTP line, 1 segment' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ allowedOrigins: ['https://shop.example'] });
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { widgetId: w.widgetId, identifier: '919876543210' },
        { authkey: TEST_AUTHKEY, origin: 'https://phish.example' },
      );
      const shape = await smsShape(h, '919876543210');
      await h.close();
      return { status: res.status, code: res.status === 200 ? shape : res.body.code };
    },
  },
  {
    attack: 'an over-long template variable (a 4-segment SMS), then the same captcha and limit',
    expected: { status: 400, code: 'MESSAGE_TOO_LONG, nothing stored or spent' },
    async run() {
      const h = await freshHarness({ OTPKIT_LIMIT_IP: '1/3600' });
      const w = await h.createWidget({ captcha: { provider: 'pow' } });
      const created = await h.post(
        '/api/v1/templates',
        {
          name: 'Hi',
          channel: 'sms',
          body: 'Hi ##name##, ##OTP## is your code.',
          widgetId: w.widgetId,
        },
        { authkey: TEST_AUTHKEY },
      );
      expect(created.status).toBe(201);
      const captcha = await powSolution(h, w);
      const visitor = { 'x-forwarded-for': '198.51.100.60' };
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210', captcha, variables: { name: 'x'.repeat(440) } },
        visitor,
      );
      const requests = (await h.get('/api/v1/logs', { authkey: TEST_AUTHKEY })).body.entries.length;
      const sent = h.sent.length;
      // Nothing was spent: the same captcha answer and the visitor's one send still work.
      const retry = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210', captcha, variables: { name: 'Ana' } },
        visitor,
      );
      await h.close();
      const clean = requests === 0 && sent === 0 && retry.status === 200;
      return {
        status: res.status,
        code: clean
          ? `${res.body.code}, nothing stored or spent`
          : `${res.body.code}; ${requests} requests, ${sent} sent, then ${retry.status} ${retry.body.code ?? ''}`,
      };
    },
  },
  {
    attack: 'a token redeemed by a backend expecting another widget (widgetId)',
    expected: { status: 401, code: 'TOKEN_INVALID, then redeemable by the right backend' },
    async run() {
      const h = await freshHarness();
      const shop = await h.createWidget();
      const other = await h.createWidget();
      const token = await tokenFor(h, shop);
      const wrong = await h.post(`${API}/verifyAccessToken`, {
        authkey: TEST_AUTHKEY,
        'access-token': token,
        widgetId: other.widgetId,
      });
      const right = await h.post(`${API}/verifyAccessToken`, {
        authkey: TEST_AUTHKEY,
        'access-token': token,
        widgetId: shop.widgetId,
      });
      await h.close();
      return {
        status: wrong.status,
        code:
          right.status === 200
            ? `${wrong.body.code}, then redeemable by the right backend`
            : `${wrong.body.code}, then ${right.status} ${right.body.code}`,
      };
    },
  },
  {
    attack: 'a demo-credential login passed off as a real one to the SDK (both checks)',
    expected: { status: 200, code: 'demo: true (endpoint), true (local)' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({
        demoCredentials: [{ identifier: '14155550100', otp: '424242' }],
      });
      const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '14155550100' });
      const verified = await h.post(`${API}/verifyOtp`, {
        ...w,
        reqId: sent.body.message,
        otp: '424242',
      });
      const token = verified.body.message as string;
      // The SDK talks to this in-process server.
      const fetch = async (input: string, init: RequestInit) =>
        h.app.request(input.replace(TEST_ISSUER, ''), init);
      const local = await verifyAccessTokenLocally(token, {
        serverUrl: TEST_ISSUER,
        widgetId: w.widgetId,
        fetch,
        now: () => new Date(h.clock.now()),
      });
      const remote = await verifyAccessToken(token, {
        serverUrl: TEST_ISSUER,
        authkey: TEST_AUTHKEY,
        widgetId: w.widgetId,
        fetch,
      });
      await h.close();
      return {
        status: 200,
        code: `demo: ${String(remote.demo)} (endpoint), ${String(local.demo)} (local)`,
      };
    },
  },
  {
    attack: 'reading /dev/outbox (every code sent) from another machine',
    expected: { status: 404, code: 'NOT_FOUND' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
      const remote = { 'x-forwarded-for': '203.0.113.50' };
      const json = await h.get('/dev/outbox', remote);
      const page = await h.get('/dev/outbox/view?to=919876543210', remote);
      await h.close();
      return json.status === page.status
        ? { status: json.status, code: json.body.code }
        : { status: page.status, code: `page answered ${page.status}` };
    },
  },
  {
    attack: 'a redirectUrl that is no absolute URL, on a widget with allowedOrigins',
    expected: { status: 400, code: 'INVALID_REQUEST naming redirectUrl' },
    async run() {
      const h = await freshHarness();
      const res = await h.post(
        '/api/v1/widgets',
        {
          name: 'Shop',
          verificationType: 'magic_link',
          allowedOrigins: ['https://shop.example'],
          redirectUrl: '//evil.example/welcome',
        },
        { authkey: TEST_AUTHKEY },
      );
      await h.close();
      const named = res.body.fields?.some((f: { path: string }) => f.path === 'redirectUrl');
      return { status: res.status, code: `${res.body.code}${named ? ' naming redirectUrl' : ''}` };
    },
  },
  {
    attack:
      'a NUL character in an id (body, form, path, query): PostgreSQL cannot compare it, a 500',
    expected: { status: 400, code: 'INVALID_REQUEST everywhere' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      const admin = { authkey: TEST_AUTHKEY };
      const answers = [
        await h.post(`${API}/verifyOtp`, { ...w, reqId: 'a\u0000', otp: '1234' }),
        await h.post(`${API}/isOneTapAuthenticated`, { requestId: 'a\u0000' }),
        await h.get(`/api/v1/widgets/a%00`, admin),
        await h.get(`/api/v1/logs?identifier=a%00`, admin),
        await h.get(
          `/api/v5/otp/verify?authkey=${TEST_AUTHKEY}&mobile=919876543210&otp=1234&reqId=a%00`,
        ),
      ];
      const form = await h.app.request(`${API}/retryOtp`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...w, reqId: 'a\u0000' }).toString(),
      });
      answers.push({ status: form.status, headers: form.headers, body: await form.json() });
      await h.close();
      const odd = answers.find((a) => a.status !== 400 || a.body.code !== 'INVALID_REQUEST');
      return odd
        ? { status: odd.status, code: odd.body.code }
        : { status: 400, code: 'INVALID_REQUEST everywhere' };
    },
  },
  {
    attack: 'a client that hangs up mid-body, over and over (error log and 5xx alert noise)',
    expected: { status: 499, code: 'info lines only, no 5xx' },
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'otpkit-toll-fraud-'));
      const widgetFile = join(dir, 'otp-provider.js');
      writeFileSync(widgetFile, '');
      const levels: string[] = [];
      const log: Logger = {
        debug() {},
        info: () => levels.push('info'),
        warn: () => levels.push('warn'),
        error: () => levels.push('error'),
      };
      const server = await startServer({
        env: {
          NODE_ENV: 'development',
          PORT: '0',
          DATABASE_URL: 'sqlite::memory:',
          OTPKIT_WIDGET_FILE: widgetFile,
        },
        log,
      });
      levels.length = 0;
      const port = Number(new URL(server.url).port);
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(
              'POST /api/v5/widget/sendOtpMobile HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"widgetId":',
              () => setTimeout(() => socket.destroy(), 50),
            );
          });
          socket.on('close', () => resolve());
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const metrics = await server.services.metrics.render();
      await server.close();
      const counted = /otpkit_http_requests_total\{[^}]*status="(\d+)"\} 3/.exec(metrics)?.[1];
      const fiveHundreds = /otpkit_http_requests_total\{[^}]*status="5\d\d"/.test(metrics);
      const noisy = levels.filter((l) => l !== 'info').length;
      return {
        status: Number(counted ?? 0),
        code:
          noisy === 0 && !fiveHundreds
            ? 'info lines only, no 5xx'
            : `${noisy} warn/error lines${fiveHundreds ? ', 5xx counted' : ''}`,
      };
    },
  },
];

attackSuite('Attack suite: toll fraud', attacks);
