/**
 * The lockout rows of the attack suite: attacks that try to make otpkit
 * refuse everyone else (a flood from one network, braked sends that use up
 * a widget), or to get more than their share (guesses over many widgets,
 * variants of one mailbox, authkey guessing, cheap proofs of work). Each
 * row is an attack and what it must meet; the table is printed at the end.
 */
import { expect } from 'vitest';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite } from './suite.ts';

const API = '/api/v5/widget';
interface Outcome {
  status: number;
  code: string;
}

async function freshHarness(env: Record<string, string> = {}): Promise<Harness> {
  return createHarness({ env: { OTPKIT_TRUST_PROXY: 'true', ...env } });
}

/** Calls from one client address (the proxy in front writes it). */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

/** A visitor's whole login: a code sent, typed back, and the token redeemed by the backend. */
async function logIn(
  h: Harness,
  w: { widgetId: string; tokenAuth: string },
  identifier: string,
  ip: string,
): Promise<Outcome> {
  const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier }, from(ip));
  if (sent.status !== 200) return { status: sent.status, code: `send ${sent.body.code}` };
  // Amid a flood the delivery worker may still be busy with other calls' messages.
  let otp: string | undefined;
  for (let i = 0; i < 100 && !otp; i++) {
    await h.deliver();
    otp = await h.lastCode(identifier).catch(() => undefined);
  }
  const verified = await h.post(
    `${API}/verifyOtp`,
    { ...w, reqId: sent.body.message, otp },
    from(ip),
  );
  if (verified.status !== 200) return { status: verified.status, code: verified.body.code };
  const redeemed = await h.post(`${API}/verifyAccessToken`, {
    authkey: TEST_AUTHKEY,
    'access-token': verified.body.message,
  });
  return redeemed.status === 200
    ? { status: 200, code: 'visitor logged in' }
    : { status: redeemed.status, code: redeemed.body.code };
}

const attacks: Attack[] = [
  {
    attack: 'a /64 rotation flood (300 addresses) while a visitor from another network logs in',
    expected: { status: 200, code: 'visitor logged in' },
    async run() {
      // A widget that takes 60 sends an hour; one network may send 30 (the default).
      const h = await freshHarness({ OTPKIT_LIMIT_WIDGET: '60/3600', OTPKIT_PUMPING_MIN: '10000' });
      const w = await h.createWidget();
      const flood = Array.from({ length: 300 }, (_, i) =>
        h.post(
          `${API}/sendOtpMobile`,
          { ...w, identifier: `9198765${String(i).padStart(5, '0')}` },
          // A fresh address of the same /64 each time.
          from(`2001:db8:77:1:${((i * 7919) % 65536).toString(16)}:${i.toString(16)}::1`),
        ),
      );
      // The visitor logs in while the flood is under way.
      const visitor = logIn(h, w, '919999900001', '203.0.113.20');
      const answers = await Promise.all(flood);
      const outcome = await visitor;
      const sent = answers.filter((a) => a.status === 200).length;
      const refusal = answers.find((a) => a.status !== 200)?.body;
      await h.close();
      // The network got its 30, refused for itself: the widget's total (31) stayed under its cap.
      expect(sent).toBe(30);
      expect(refusal).toMatchObject({ code: 'RATE_LIMITED' });
      expect(refusal.message).toContain('this network');
      return outcome;
    },
  },
  {
    attack: 'sends braked for SMS pumping use up the widget for everyone',
    expected: { status: 200, code: 'widget quota intact: 20 of 20 other sends' },
    async run() {
      // The brake allows 10 sends an hour to a country this widget never sent to; the widget 30.
      const h = await freshHarness({
        OTPKIT_LIMIT_WIDGET: '30/3600',
        OTPKIT_LIMIT_IP: '10000/3600',
        OTPKIT_PUMPING_MIN: '10',
      });
      const w = await h.createWidget();
      let braked = 0;
      let reason = '';
      for (let i = 0; i < 40; i++) {
        const res = await h.post(
          `${API}/sendOtpMobile`,
          { ...w, identifier: `4479111${String(i).padStart(5, '0')}` },
          from(`198.51.100.${i + 1}`),
        );
        if (res.status === 429) {
          braked++;
          reason = res.body.message;
        }
      }
      // 30 braked sends spent nothing: 20 sends by email still fit under the widget's 30.
      let others = 0;
      for (let i = 0; i < 20; i++) {
        const res = await h.post(
          `${API}/sendOtpMobile`,
          { ...w, identifier: `visitor${i}@example.com` },
          from(`203.0.113.${i + 1}`),
        );
        if (res.status === 200) others++;
      }
      await h.close();
      expect(braked).toBe(30);
      expect(reason).toContain('Codes to this country are paused');
      return {
        status: others === 20 ? 200 : 429,
        code: `widget quota intact: ${others} of 20 other sends`,
      };
    },
  },
  {
    attack: 'guessing one number’s codes through 5 widgets (5 attempts each), then the right code',
    expected: { status: 429, code: 'RATE_LIMITED after 10 wrong guesses' },
    async run() {
      const h = await freshHarness();
      const mobile = '919876543210';
      let guesses = 0;
      let last = { status: 0, code: '' };
      for (let n = 0; n < 5; n++) {
        const w = await h.createWidget({ maxAttempts: 5 });
        // Each widget from its own network: only the identifier ties the guesses together.
        const ip = `198.51.100.${n + 1}`;
        const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: mobile }, from(ip));
        const code = await h.lastCode(mobile);
        const wrong = code === '000000' ? '111111' : '000000';
        for (let i = 0; i < 5; i++) {
          const res = await h.post(
            `${API}/verifyOtp`,
            { ...w, reqId: sent.body.message, otp: wrong },
            from(ip),
          );
          if (res.body.code === 'OTP_MISMATCH') guesses++;
        }
        const right = await h.post(
          `${API}/verifyOtp`,
          { ...w, reqId: sent.body.message, otp: code },
          from(ip),
        );
        last = { status: right.status, code: right.body.code };
        if (right.status === 200) break;
      }
      await h.close();
      return { status: last.status, code: `${last.code} after ${guesses} wrong guesses` };
    },
  },
  {
    attack: 'variants of one Gmail mailbox (dots, +tags, googlemail, case) to dodge its send limit',
    expected: { status: 429, code: 'RATE_LIMITED (this phone number or email)' },
    async run() {
      const h = await freshHarness({ OTPKIT_LIMIT_IP: '10000/3600' });
      const w = await h.createWidget({ contactPoints: ['email'] });
      const variants = [
        'jane.doe@gmail.com',
        'janedoe@gmail.com',
        'jane.doe+a@gmail.com',
        'j.a.n.e.d.o.e+b@googlemail.com',
        'JaneDoe@GMail.com',
        'jane.d.oe+shop@gmail.com',
        'janedoe+last@googlemail.com',
      ];
      const answers = [];
      for (const [i, email] of variants.entries()) {
        answers.push(
          await h.post(
            `${API}/sendOtpMobile`,
            { ...w, identifier: email },
            from(`198.51.100.${i}`),
          ),
        );
      }
      // The address is used as given: the first message went to the dotted, tagged-free address.
      const first = await h.outbox('jane.doe@gmail.com');
      const tagged = await h.outbox('jane.doe+a@gmail.com');
      await h.close();
      expect(answers.slice(0, 6).map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(first).toHaveLength(1);
      expect(tagged).toHaveLength(1);
      const refused = answers[6]!;
      return {
        status: refused.status,
        code: `${refused.body.code} (${/\((.*)\)/.exec(refused.body.message)?.[1] ?? refused.body.message})`,
      };
    },
  },
  {
    attack: 'authkey brute force from one /64 (admin API, verifyAccessToken, server API v5)',
    expected: { status: 429, code: 'RATE_LIMITED with Retry-After, even for the right key' },
    async run() {
      const h = await freshHarness();
      const at = (i: number) => from(`2001:db8:66:1::${(i + 1).toString(16)}`);
      // Ten wrong keys (the default OTPKIT_LIMIT_AUTH_FAILURES), spread over the endpoints.
      for (let i = 0; i < 10; i++) {
        const guess = `otpk_guess_${String(i).padStart(20, '0')}`;
        const res =
          i % 3 === 0
            ? await h.get('/api/v1/widgets', { authkey: guess, ...at(i) })
            : i % 3 === 1
              ? await h.post(
                  `${API}/verifyAccessToken`,
                  { authkey: guess, 'access-token': 'x' },
                  at(i),
                )
              : await h.get(`/api/v5/otp?authkey=${guess}&mobile=919876543210`, at(i));
        expect(res.body.code).toBe('INVALID_AUTHKEY');
      }
      // The next call from that network is refused before its key is even looked at…
      const refused = await h.get('/api/v1/widgets', { authkey: TEST_AUTHKEY, ...at(10) });
      const v5 = await h.get(`/api/v5/otp?authkey=${TEST_AUTHKEY}&mobile=919876543210`, at(11));
      // …while the account's own backend, on another network, is served.
      const elsewhere = await h.get('/api/v1/widgets', {
        authkey: TEST_AUTHKEY,
        ...from('203.0.113.9'),
      });
      await h.close();
      expect(elsewhere.status).toBe(200);
      expect(v5.body).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
      expect(Number(v5.headers.get('retry-after'))).toBeGreaterThan(0);
      const retryAfter = Number(refused.headers.get('retry-after'));
      return {
        status: refused.status,
        code: `${refused.body.code}${retryAfter > 0 ? ' with Retry-After' : ' without Retry-After'}, even for the right key`,
      };
    },
  },
  {
    attack: 'isOneTapAuthenticated polled in a flood from one network',
    expected: { status: 429, code: 'RATE_LIMITED with Retry-After' },
    async run() {
      const h = await freshHarness({ OTPKIT_LIMIT_AUTH_IP: '20/60' });
      const w = await h.createWidget({ verificationType: 'magic_link', contactPoints: ['email'] });
      const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'a@example.com' });
      let last = await h.post(`${API}/isOneTapAuthenticated`, { ...w, reqId: sent.body.message });
      for (let i = 0; i < 25 && last.status === 200; i++) {
        last = await h.post(
          `${API}/isOneTapAuthenticated`,
          { ...w, reqId: sent.body.message },
          from(`2001:db8:55:1::${i + 1}`),
        );
      }
      // The tab of a visitor on another network still polls.
      const other = await h.post(
        `${API}/isOneTapAuthenticated`,
        { ...w, reqId: sent.body.message },
        from('203.0.113.50'),
      );
      await h.close();
      expect(other.status).toBe(200);
      const retryAfter = Number(last.headers.get('retry-after'));
      return {
        status: last.status,
        code: `${last.body.code}${retryAfter > 0 ? ' with Retry-After' : ''}`,
      };
    },
  },
  {
    attack: 'a script solving the default proof of work over and over from one /64',
    expected: {
      status: 200,
      code: 'maxnumber 1000000, then 2000000 (11th), 32000000 (60th); 1000000 for another network',
    },
    async run() {
      // The default configuration: no OTPKIT_POW_MAX_NUMBER.
      const h = await freshHarness();
      const w = await h.createWidget({ captcha: { provider: 'pow' } });
      const challenge = async (ip: string) =>
        (
          await h.get(
            `${API}/captchaChallenge?widgetId=${w.widgetId}&tokenAuth=${w.tokenAuth}`,
            from(ip),
          )
        ).body.maxnumber as number;
      const seen: number[] = [];
      for (let i = 0; i < 60; i++)
        seen.push(await challenge(`2001:db8:44:1::${(i + 1).toString(16)}`));
      const other = await challenge('203.0.113.77');
      await h.close();
      return {
        status: 200,
        code: `maxnumber ${seen[0]}, then ${seen[10]} (11th), ${seen[59]} (60th); ${other} for another network`,
      };
    },
  },
];

attackSuite('Attack suite: lockouts', attacks, { timeoutMs: 60_000 });
