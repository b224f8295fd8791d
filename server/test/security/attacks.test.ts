/**
 * The attack suite: each row is an attack on otpkit and the refusal it must
 * meet. The suite prints its table (attack, expected, got) at the end.
 */
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthkey } from '../../src/core/accounts/authkeys.ts';
import { type Harness, TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite, codeFor, freshHarness, powSolution, tokenFor } from './suite.ts';

const API = '/api/v5/widget';
interface Outcome {
  status: number;
  code: string;
}

const redeem = (h: Harness, token: string, authkey = TEST_AUTHKEY) =>
  h.post(`${API}/verifyAccessToken`, { authkey, 'access-token': token });

const attacks: Attack[] = [
  {
    attack: 'brute force past maxAttempts, then the right code',
    expected: { status: 403, code: 'MAX_ATTEMPTS_REACHED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ maxAttempts: 3 });
      const { reqId, code } = await codeFor(h, w, '919876543210');
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 3; i++) await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: wrong });
      const res = await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a used code used again',
    expected: { status: 409, code: 'ALREADY_VERIFIED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      const { reqId, code } = await codeFor(h, w, '919876543210');
      await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code });
      const res = await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: "widget A's request and code used on widget B",
    expected: { status: 404, code: 'REQUEST_NOT_FOUND' },
    async run() {
      const h = await freshHarness();
      const a = await h.createWidget();
      const b = await h.createWidget();
      const { reqId, code } = await codeFor(h, a, '919876543210');
      const res = await h.post(`${API}/verifyOtp`, { ...b, reqId, otp: code });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'an access token replayed',
    expected: { status: 409, code: 'TOKEN_ALREADY_VERIFIED' },
    async run() {
      const h = await freshHarness();
      const token = await tokenFor(h, await h.createWidget());
      await redeem(h, token);
      const res = await redeem(h, token);
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: "widget A's token verified with another account's authkey",
    expected: { status: 401, code: 'TOKEN_INVALID' },
    async run() {
      const h = await freshHarness();
      const token = await tokenFor(h, await h.createWidget());
      await h.services.store.accounts.ensureDefault('intruder', 0);
      await createAuthkey(h.services.widgets, 'intruder', {
        authkey: 'otpk_intruder_key_0123456789',
      });
      const res = await redeem(h, token, 'otpk_intruder_key_0123456789');
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'an access token with a tampered payload',
    expected: { status: 401, code: 'TOKEN_INVALID' },
    async run() {
      const h = await freshHarness();
      const token = await tokenFor(h, await h.createWidget());
      const [head, payload, sig] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: '919999999999' })).toString(
        'base64url',
      );
      const res = await redeem(h, `${head}.${forged}.${sig}`);
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'an access token with alg: none',
    expected: { status: 401, code: 'TOKEN_INVALID' },
    async run() {
      const h = await freshHarness();
      const token = await tokenFor(h, await h.createWidget());
      const payload = token.split('.')[1];
      const res = await redeem(
        h,
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`,
      );
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'an expired access token',
    expected: { status: 401, code: 'TOKEN_EXPIRED' },
    async run() {
      const h = await freshHarness();
      const token = await tokenFor(h, await h.createWidget());
      h.clock.advance(6 * 60_000);
      const res = await redeem(h, token);
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a token signed by a rotated-out key after its grace period',
    expected: { status: 401, code: 'TOKEN_INVALID' },
    async run() {
      const h = await freshHarness();
      const token = await tokenFor(h, await h.createWidget());
      // The attacker holds the old private key (say, from a leaked backup) and signs with it.
      const old = await h.services.keys.current();
      await h.post('/api/v1/keys/rotate', {}, { authkey: TEST_AUTHKEY });
      // Within the grace period the old key still verifies (and the token has not expired)…
      const jwks = (await h.get('/.well-known/jwks.json')).body.keys;
      expect(jwks).toHaveLength(2);
      // …after it, the old key is gone from the JWKS and its tokens fail even with a fresh expiry.
      h.clock.advance(7 * 60_000);
      expect((await h.get('/.well-known/jwks.json')).body.keys).toHaveLength(1);
      const now = Math.floor(h.clock.now() / 1000);
      const forged = await new SignJWT({ ...decodeJwt(token), iat: now, exp: now + 300 })
        .setProtectedHeader({ alg: 'EdDSA', kid: old.kid, typ: 'JWT' })
        .sign(old.key);
      const res = await redeem(h, forged);
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: '50 concurrent verifyOtp calls with the right code',
    expected: { status: 200, code: 'exactly 1 token' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ maxAttempts: 20 });
      const { reqId, code } = await codeFor(h, w, '919876543210');
      const results = await Promise.all(
        Array.from({ length: 50 }, () => h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code })),
      );
      await h.close();
      const ok = results.filter((r) => r.status === 200).length;
      return { status: 200, code: `exactly ${ok} token${ok === 1 ? '' : 's'}` };
    },
  },
  {
    attack: 'a resend flood on one request',
    expected: { status: 429, code: 'RETRY_TOO_SOON' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      const { reqId } = await codeFor(h, w, '919876543210');
      let last = { status: 0, body: { code: '' } };
      for (let i = 0; i < 20; i++) last = await h.post(`${API}/retryOtp`, { ...w, reqId });
      const sent = (await h.outbox('919876543210')).length;
      await h.close();
      return { status: last.status, code: sent === 1 ? last.body.code : `${sent} messages sent` };
    },
  },
  {
    attack: 'a send flood from one IP (1,000 numbers)',
    expected: { status: 429, code: 'RATE_LIMITED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      let refused = { status: 0, code: '' };
      let delivered = 0;
      for (let i = 0; i < 1000; i++) {
        const res = await h.post(
          `${API}/sendOtpMobile`,
          { ...w, identifier: `9198765${String(i).padStart(5, '0')}` },
          { 'x-forwarded-for': '198.51.100.7' },
        );
        if (res.status === 200) delivered++;
        else if (!refused.code) refused = { status: res.status, code: res.body.code };
      }
      // A real visitor on another network still gets a code.
      const visitor = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919999900001' },
        { 'x-forwarded-for': '203.0.113.20' },
      );
      await h.close();
      expect(delivered).toBe(30);
      expect(visitor.status).toBe(200);
      return refused;
    },
  },
  {
    attack: 'forged X-Forwarded-For entries to dodge the per-IP limit',
    expected: { status: 429, code: 'RATE_LIMITED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      let refused = { status: 0, code: '' };
      for (let i = 0; i < 40 && !refused.code; i++) {
        // The client writes a new address each time; the trusted proxy appends the real one.
        const res = await h.post(
          `${API}/sendOtpMobile`,
          { ...w, identifier: `9198765${String(i).padStart(5, '0')}` },
          { 'x-forwarded-for': `10.0.${i}.1, 198.51.100.77` },
        );
        if (res.status !== 200) refused = { status: res.status, code: res.body.code };
      }
      await h.close();
      return refused;
    },
  },
  {
    attack: 'SMS pumping: a burst to one country far above the usual rate',
    expected: { status: 429, code: 'RATE_LIMITED by the pumping brake' },
    async run() {
      const h = await freshHarness({
        OTPKIT_LIMIT_IP: '10000/3600',
        OTPKIT_LIMIT_COUNTRY: '10000/3600',
        OTPKIT_PUMPING_MIN: '20',
      });
      const w = await h.createWidget();
      let refused = { status: 0, code: '', message: '' };
      for (let i = 0; i < 40 && !refused.code; i++) {
        const res = await h.post(`${API}/sendOtpMobile`, {
          ...w,
          identifier: `4479111${String(i).padStart(5, '0')}`,
        });
        if (res.status !== 200) refused = { status: res.status, ...res.body };
      }
      await h.close();
      // Any 429 would do for the shared code: the brake names itself in its message.
      const reason = refused.message.startsWith('Codes to this country are paused')
        ? 'by the pumping brake'
        : `(${refused.message})`;
      return { status: refused.status, code: `${refused.code} ${reason}` };
    },
  },
  {
    attack: 'a premium-rate destination number',
    expected: { status: 400, code: 'NUMBER_NOT_ALLOWED' },
    async run() {
      const h = await freshHarness();
      const res = await h.post(`${API}/sendOtpMobile`, {
        ...(await h.createWidget()),
        identifier: '449098790000',
      });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'no captcha on a pow widget',
    expected: { status: 400, code: 'CAPTCHA_REQUIRED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ captcha: { provider: 'pow' } });
      const res = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a wrong captcha solution',
    expected: { status: 403, code: 'CAPTCHA_FAILED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ captcha: { provider: 'pow' } });
      const good = JSON.parse(Buffer.from(await powSolution(h, w), 'base64').toString());
      const bad = Buffer.from(JSON.stringify({ ...good, number: good.number + 1 })).toString(
        'base64',
      );
      const res = await h.post(`${API}/sendOtpMobile`, {
        ...w,
        identifier: '919876543210',
        captcha: bad,
      });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a captcha solution replayed',
    expected: { status: 403, code: 'CAPTCHA_FAILED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ captcha: { provider: 'pow' } });
      const solution = await powSolution(h, w);
      const first = await h.post(`${API}/sendOtpMobile`, {
        ...w,
        identifier: '919876543210',
        captcha: solution,
      });
      expect(first.status).toBe(200);
      const res = await h.post(`${API}/sendOtpMobile`, {
        ...w,
        identifier: '919876543211',
        captcha: solution,
      });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a captcha solved for another widget',
    expected: { status: 403, code: 'CAPTCHA_FAILED' },
    async run() {
      const h = await freshHarness();
      const a = await h.createWidget({ captcha: { provider: 'pow' } });
      const b = await h.createWidget({ captcha: { provider: 'pow' } });
      const res = await h.post(`${API}/sendOtpMobile`, {
        ...b,
        identifier: '919876543210',
        captcha: await powSolution(h, a),
      });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    // A valid email address may hold quotes and hyphens, so this one reaches the SQL as it is.
    attack: "SQL injection in an email identifier (x'or'x'--@example.com) and a log search for it",
    expected: { status: 200, code: 'stored as given, found alone' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      const injected = "x'or'x'--@example.com";
      await codeFor(h, w, 'someone@example.com');
      const { reqId } = await codeFor(h, w, injected);
      const stored = await h.services.store.otpRequests.get(reqId);
      const found = await h.get(`/api/v1/logs?identifier=${encodeURIComponent(injected)}`, {
        authkey: TEST_AUTHKEY,
      });
      await h.close();
      const ids = (found.body.entries as { reqId: string }[]).map((e) => e.reqId);
      const alone = stored?.identifier === injected && ids.length === 1 && ids[0] === reqId;
      return {
        status: found.status,
        code: alone ? 'stored as given, found alone' : JSON.stringify(ids),
      };
    },
  },
  {
    attack:
      'SQL and HTML in template variables and the widget name (kept as data, escaped when shown)',
    expected: { status: 200, code: 'stored as text, escaped in HTML' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({
        name: `<img src=x onerror=alert(1)>'); DROP TABLE widgets;--`,
      });
      const res = await h.post(`${API}/sendOtpMobile`, {
        ...w,
        identifier: '919876543210',
        variables: { name: "Robert'); DROP TABLE otp_requests;--" },
      });
      const page = await (await h.app.request('/dev/outbox/view')).text();
      const widgets = (await h.get('/api/v1/widgets', { authkey: TEST_AUTHKEY })).body.widgets;
      await h.close();
      const ok =
        res.status === 200 &&
        page.includes('&lt;img src=x onerror=alert(1)&gt;') &&
        !page.includes('<img src=x') &&
        widgets.length === 2;
      return { status: res.status, code: ok ? 'stored as text, escaped in HTML' : 'not escaped' };
    },
  },
  {
    attack: 'an oversized body',
    expected: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
    async run() {
      const h = await freshHarness();
      const res = await h.post(`${API}/sendOtpMobile`, { identifier: 'x'.repeat(20_000) });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a malformed JSON body',
    expected: { status: 400, code: 'INVALID_JSON' },
    async run() {
      const h = await freshHarness();
      const res = await h.post(`${API}/verifyOtp`, '{"reqId": "abc", "otp": ');
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    // A page outside allowedOrigins frames the widget and names itself as the top page, so the
    // WebOTP line would hand the code to a frame on its page.
    attack: 'a framed widget claiming a top page outside allowedOrigins',
    expected: { status: 403, code: 'ORIGIN_NOT_ALLOWED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ iFrame: true, allowedOrigins: ['https://otp.example'] });
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210', topOrigin: 'https://evil.example' },
        { origin: 'https://otp.example' },
      );
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a call from a forbidden origin',
    expected: { status: 403, code: 'ORIGIN_NOT_ALLOWED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ allowedOrigins: ['https://shop.example'] });
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210' },
        { origin: 'https://evil.example' },
      );
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: "another widget's demo code on a widget without demo credentials",
    expected: { status: 400, code: 'OTP_MISMATCH' },
    async run() {
      const h = await freshHarness();
      await h.createWidget({ demoCredentials: [{ identifier: '14155550100', otp: '123456' }] });
      const plain = await h.createWidget();
      const sent = await h.post(`${API}/sendOtpMobile`, { ...plain, identifier: '14155550100' });
      const delivered = (await h.outbox('14155550100')).length;
      const code = await h.lastCode('14155550100');
      const res = await h.post(`${API}/verifyOtp`, {
        ...plain,
        reqId: sent.body.message,
        otp: code === '123456' ? '654321' : '123456',
      });
      await h.close();
      return { status: res.status, code: delivered === 1 ? res.body.code : 'nothing delivered' };
    },
  },
  {
    attack: 'probing request ids: unknown and foreign ids answer alike',
    expected: { status: 404, code: 'REQUEST_NOT_FOUND' },
    async run() {
      const h = await freshHarness();
      const a = await h.createWidget();
      const b = await h.createWidget();
      const { reqId } = await codeFor(h, a, '919876543210');
      const foreign = await h.post(`${API}/verifyOtp`, { ...b, reqId, otp: '123456' });
      const unknown = await h.post(`${API}/verifyOtp`, {
        ...b,
        reqId: 'f'.repeat(24),
        otp: '123456',
      });
      await h.close();
      // Each answer carries its own HTTP request id (X-Request-Id); everything else must match.
      const { requestId: foreignId, ...foreignBody } = foreign.body;
      const { requestId: unknownId, ...unknownBody } = unknown.body;
      const same =
        foreignId !== unknownId &&
        JSON.stringify(foreignBody) === JSON.stringify(unknownBody) &&
        foreign.status === unknown.status;
      return { status: unknown.status, code: same ? unknown.body.code : 'answers differ' };
    },
  },
  {
    attack: 'forged delivery reports to each gateway’s report URL',
    expected: { status: 401, code: 'INVALID_SIGNATURE' },
    async run() {
      const h = await freshHarness({
        OTPKIT_SECRET: 'attack-secret-attack-secret-attack-secret-0',
        OTPKIT_MSG91_AUTHKEY: 'msg91-authkey-attack',
        OTPKIT_MSG91_TEMPLATE_ID: 'flow',
        OTPKIT_TELEGRAM_GATEWAY_TOKEN: 'telegram-token-attack-0123',
        OTPKIT_WHATSAPP_ACCESS_TOKEN: 'whatsapp-token-attack-0123',
        OTPKIT_WHATSAPP_PHONE_NUMBER_ID: '1065403522',
        OTPKIT_WHATSAPP_TEMPLATE: 'otp',
        OTPKIT_WHATSAPP_APP_SECRET: 'whatsapp-app-secret-attack',
        OTPKIT_VONAGE_API_KEY: 'key1',
        OTPKIT_VONAGE_API_SECRET: 'vonage-secret',
        OTPKIT_VONAGE_SIGNATURE_SECRET: 'vonage-signature-attack',
        OTPKIT_VONAGE_FROM: 'Acme',
        OTPKIT_PLIVO_AUTH_ID: 'MAATTACKATTACK',
        OTPKIT_PLIVO_AUTH_TOKEN: 'plivo-token-attack-0123',
        OTPKIT_PLIVO_FROM: '+14155550000',
        OTPKIT_INFOBIP_API_KEY: 'infobip-key-attack-0123',
        OTPKIT_POSTMARK_SERVER_TOKEN: 'postmark-token-attack-0123',
        OTPKIT_POSTMARK_FROM: 'a@example.com',
        OTPKIT_SES_REGION: 'eu-west-1',
        OTPKIT_SES_FROM: 'a@example.com',
      });
      const w = await h.createWidget();
      const { reqId } = await codeFor(h, w, '919876543210');
      const [message] = await h.services.store.messages.listForRequest(reqId);
      const id = message!.providerMessageId!;
      const now = String(Math.floor(h.clock.now() / 1000));
      const json = { 'content-type': 'application/json' };
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const forged: [string, RequestInit][] = [
        [
          '/api/hooks/msg91/guessed-token',
          {
            method: 'POST',
            headers: form,
            body: `data=${encodeURIComponent(JSON.stringify([{ requestId: id, report: [{ status: '2' }] }]))}`,
          },
        ],
        [
          '/api/hooks/telegram',
          {
            method: 'POST',
            headers: {
              ...json,
              'x-request-timestamp': now,
              'x-request-signature': '00'.repeat(32),
            },
            body: JSON.stringify({ request_id: id, delivery_status: { status: 'revoked' } }),
          },
        ],
        [
          '/api/hooks/whatsapp-cloud',
          {
            method: 'POST',
            headers: { ...json, 'x-hub-signature-256': `sha256=${'00'.repeat(32)}` },
            body: JSON.stringify({
              entry: [{ changes: [{ value: { statuses: [{ id, status: 'failed' }] } }] }],
            }),
          },
        ],
        [
          `/api/hooks/vonage?messageId=${id}&status=failed&timestamp=${now}&sig=${'0'.repeat(32)}`,
          { method: 'GET' },
        ],
        [
          '/api/hooks/plivo',
          {
            method: 'POST',
            headers: { ...form, 'x-plivo-signature-v3': 'AAAA', 'x-plivo-signature-v3-nonce': '1' },
            body: `MessageUUID=${id}&Status=failed`,
          },
        ],
        [
          '/api/hooks/infobip/guessed-token',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              results: [{ messageId: id, status: { groupName: 'REJECTED' } }],
            }),
          },
        ],
        [
          '/api/hooks/postmark/guessed-token',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ RecordType: 'Bounce', MessageID: id }),
          },
        ],
        [
          '/api/hooks/ses/guessed-token',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              Type: 'Notification',
              Message: JSON.stringify({ eventType: 'Bounce', mail: { messageId: id } }),
            }),
          },
        ],
      ];
      const answers: Outcome[] = [];
      for (const [path, init] of forged) {
        const res = await h.app.request(path, init);
        answers.push({ status: res.status, code: ((await res.json()) as { code: string }).code });
      }
      await h.close();
      // Every gateway's route must refuse: the first that does not is the answer.
      return answers.find((a) => a.status !== 401) ?? answers[0]!;
    },
  },
];

attackSuite('Attack suite', attacks);

describe('refused calls in the log', () => {
  it('lists what the limits and the captcha refused, with the identifier asked for, for the account only', async () => {
    const h = await freshHarness({ OTPKIT_LIMIT_IP: '2/3600' });
    const w = await h.createWidget();
    const pow = await h.createWidget({ captcha: { provider: 'pow' } });
    for (let i = 0; i < 3; i++) {
      await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: `91987654321${i}` },
        { 'x-forwarded-for': '198.51.100.9' },
      );
    }
    await h.post(`${API}/sendOtpMobile`, { ...pow, identifier: '919876500000' });
    const refused = (await h.get('/api/v1/logs/refused', { authkey: TEST_AUTHKEY })).body.entries;
    expect(
      refused.map((e: { code: string; identifier: string }) => [e.code, e.identifier]),
    ).toEqual([
      ['CAPTCHA_REQUIRED', '919876500000'],
      ['RATE_LIMITED', '919876543212'],
    ]);
    expect(refused[1]).toMatchObject({ kind: 'send', ip: '198.51.100.9', widgetId: w.widgetId });
    const page = await h.get('/api/v1/logs/refused?limit=1', { authkey: TEST_AUTHKEY });
    expect(page.body.entries).toHaveLength(1);
    const next = await h.get(`/api/v1/logs/refused?limit=1&cursor=${page.body.nextCursor}`, {
      authkey: TEST_AUTHKEY,
    });
    expect(next.body.entries[0].code).toBe('RATE_LIMITED');
    await h.services.store.accounts.ensureDefault('other', 0);
    await createAuthkey(h.services.widgets, 'other', { authkey: 'otpk_other_account_key_42' });
    expect(
      (await h.get('/api/v1/logs/refused', { authkey: 'otpk_other_account_key_42' })).body.entries,
    ).toEqual([]);
    await h.close();
  });
});
