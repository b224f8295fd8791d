import type { Logger } from '../../src/platform/runtime.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite } from './suite.ts';

async function freshHarness(env: Record<string, string> = {}, log?: Logger) {
  return createHarness({ env: { OTPKIT_TRUST_PROXY: 'true', ...env }, ...(log ? { log } : {}) });
}

/** A legacy call as the `sendotp` package makes it: GET, everything in the query string. */
async function legacy(
  h: Harness,
  path: string,
  params: Record<string, string>,
): Promise<{ status: number; type: string; code: string }> {
  const response = await h.app.request(`/api/${path}?${new URLSearchParams(params)}`);
  const body = (await response.json()) as { type: string; code?: string };
  return { status: response.status, type: body.type, code: body.code ?? '' };
}

const attacks: Attack[] = [
  {
    attack: 'legacy send with a wrong authkey',
    expected: 'INVALID_AUTHKEY, nothing sent',
    async run() {
      const h = await freshHarness();
      const res = await legacy(h, 'sendotp.php', {
        authkey: 'otpk_guessed_0123456789abcdef',
        mobile: '919876543210',
        message: 'Your otp is 1234',
        otp: '1234',
      });
      await h.deliver();
      const sent = h.sent.length;
      await h.close();
      return `${res.code}, ${sent === 0 ? 'nothing sent' : `${sent} sent`}`;
    },
  },
  {
    attack: 'legacy verify with a revoked authkey',
    expected: 'INVALID_AUTHKEY',
    async run() {
      const h = await freshHarness();
      const created = await h.post('/api/v1/authkeys', {}, { authkey: TEST_AUTHKEY });
      await h.app.request(`/api/v1/authkeys/${created.body.authkeyId}`, {
        method: 'DELETE',
        headers: { authkey: TEST_AUTHKEY },
      });
      const res = await legacy(h, 'verifyRequestOTP.php', {
        authkey: created.body.authkey,
        mobile: '919876543210',
        otp: '1234',
      });
      await h.close();
      return res.code;
    },
  },
  {
    attack: 'free text through the OTP API (a message without the code)',
    expected: 'INVALID_REQUEST, nothing sent',
    async run() {
      const h = await freshHarness();
      const res = await legacy(h, 'sendotp.php', {
        authkey: TEST_AUTHKEY,
        mobile: '919876543210',
        message: 'Your parcel is held: pay the fee at http://evil.example',
        otp: '1234',
      });
      await h.deliver();
      const sent = h.sent.length;
      await h.close();
      return `${res.code}, ${sent === 0 ? 'nothing sent' : `${sent} sent`}`;
    },
  },
  {
    attack: 'free text with the code only in the WebOTP line (an Origin header)',
    expected: 'INVALID_REQUEST, nothing sent',
    async run() {
      const h = await freshHarness();
      const response = await h.app.request(
        `/api/sendotp.php?${new URLSearchParams({
          authkey: TEST_AUTHKEY,
          mobile: '919876543210',
          message: 'Your account is locked: call +44 20 7946 0000',
          otp: '1234',
        })}`,
        { headers: { origin: 'https://bank.example' } },
      );
      const { code } = (await response.json()) as { code?: string };
      await h.deliver();
      const sent = h.sent.length;
      await h.close();
      return `${code ?? ''}, ${sent === 0 ? 'nothing sent' : `${sent} sent`}`;
    },
  },
  {
    attack: 'a long bulk message carried by a code (more than 3 SMS segments)',
    expected: 'MESSAGE_TOO_LONG, nothing sent',
    async run() {
      const h = await freshHarness();
      const res = await legacy(h, 'sendotp.php', {
        authkey: TEST_AUTHKEY,
        mobile: '919876543210',
        message: `Code 1234. ${'Buy now at http://shop.example, 50% off everything! '.repeat(10)}`,
        otp: '1234',
      });
      await h.deliver();
      const sent = h.sent.length;
      await h.close();
      return `${res.code}, ${sent === 0 ? 'nothing sent' : `${sent} sent`}`;
    },
  },
  {
    attack: 'SMS pumping through the legacy API: a burst to one country',
    expected: 'RATE_LIMITED',
    async run() {
      const h = await freshHarness({
        OTPKIT_LIMIT_COUNTRY: '10000/3600',
        OTPKIT_LIMIT_WIDGET: '10000/3600',
        OTPKIT_PUMPING_MIN: '20',
      });
      let refused = '';
      for (let i = 0; i < 40 && !refused; i++) {
        const res = await legacy(h, 'sendotp.php', {
          authkey: TEST_AUTHKEY,
          mobile: `4479111${String(i).padStart(5, '0')}`,
          message: 'Your otp is ##OTP##',
        });
        if (res.type !== 'success') refused = res.code;
      }
      await h.close();
      return refused;
    },
  },
  {
    attack: 'SMS pumping through the legacy API: one number over and over',
    expected: 'RATE_LIMITED',
    async run() {
      const h = await freshHarness();
      let refused = '';
      for (let i = 0; i < 10 && !refused; i++) {
        const res = await legacy(h, 'sendotp.php', {
          authkey: TEST_AUTHKEY,
          mobile: '447911123456',
        });
        if (res.type !== 'success') refused = res.code;
      }
      await h.close();
      return refused;
    },
  },
  {
    attack: 'a premium-rate number through the legacy API',
    expected: 'NUMBER_NOT_ALLOWED',
    async run() {
      const h = await freshHarness();
      const res = await legacy(h, 'sendotp.php', {
        authkey: TEST_AUTHKEY,
        mobile: '449098790000',
      });
      await h.close();
      return res.code;
    },
  },
  {
    attack: 'brute force of a legacy code past the attempt limit',
    expected: 'MAX_ATTEMPTS_REACHED',
    async run() {
      const h = await freshHarness();
      const mobile = '919876543210';
      await legacy(h, 'sendotp.php', {
        authkey: TEST_AUTHKEY,
        mobile,
        message: 'Code 4821',
        otp: '4821',
      });
      for (let i = 0; i < 5; i++) {
        await legacy(h, 'verifyRequestOTP.php', { authkey: TEST_AUTHKEY, mobile, otp: '0000' });
      }
      const res = await legacy(h, 'verifyRequestOTP.php', {
        authkey: TEST_AUTHKEY,
        mobile,
        otp: '4821',
      });
      await h.close();
      return res.code;
    },
  },
  {
    attack: 'the authkey from a legacy GET query string in the logs',
    expected: 'absent from every log line',
    async run() {
      const lines: string[] = [];
      const record = (message: string, fields?: Record<string, unknown>) =>
        lines.push(JSON.stringify({ message, ...fields }));
      const h = await freshHarness(
        {},
        { debug: record, info: record, warn: record, error: record },
      );
      // A key not shaped like otpkit's, as a customer might import: no pattern could scrub it.
      const created = await h.post('/api/v1/authkeys', {}, { authkey: TEST_AUTHKEY });
      for (const authkey of [TEST_AUTHKEY, created.body.authkey, 'NotAKey278889AfaZQRKg']) {
        await legacy(h, 'sendotp.php', { authkey, mobile: '919876543210', otp: 'x' });
        await legacy(h, 'retryotp.php', { authkey, mobile: '919876543210' });
        await legacy(h, 'verifyRequestOTP.php', { authkey, mobile: '919876543210', otp: '1' });
      }
      await h.close();
      const all = lines.join('\n');
      const leaked = [TEST_AUTHKEY, created.body.authkey, 'NotAKey278889AfaZQRKg'].filter((k) =>
        all.includes(k),
      );
      return lines.length === 0
        ? 'no log lines to check'
        : leaked.length === 0
          ? 'absent from every log line'
          : `leaked ${leaked.length}`;
    },
  },
];

attackSuite('Legacy API attack suite', attacks);
