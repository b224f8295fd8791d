/**
 * The attack suite: each row is an attack on otpkit and the refusal it must
 * meet. The suite prints its table (attack, expected, got) at the end.
 * Codes, access tokens, floods and captchas here; hostile input in
 * input-attacks.test.ts, forged delivery reports in forged-reports.test.ts.
 */
import { decodeJwt, SignJWT } from 'jose';
import { expect } from 'vitest';
import { createAuthkey } from '../../src/core/accounts/authkeys.ts';
import { type Harness, TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite, codeFor, freshHarness, powSolution, tokenFor } from './suite.ts';

const API = '/api/v5/widget';

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
];

attackSuite('Attack suite', attacks);
