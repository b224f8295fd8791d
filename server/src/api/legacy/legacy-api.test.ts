import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../platform/runtime.ts';
import { type Answer, createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';
import { serverApiWidgetKey } from '../server-v5/service.ts';

const MOBILE = '919876543210';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

type Params = Record<string, string | number>;

/** A call as the `sendotp` package makes it: GET, every parameter in the query string. */
async function get(path: string, params: Params, authkey: string | null = TEST_AUTHKEY) {
  const query = new URLSearchParams({
    ...(authkey === null ? {} : { authkey }),
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  const response = await h.app.request(`/api/${path}?${query}`);
  await h.deliver();
  const body: Answer['body'] = await response.json();
  return { status: response.status, body };
}

const send = (params: Params = {}) => get('sendotp.php', { mobile: MOBILE, ...params });
const verify = (otp: string, mobile = MOBILE) => get('verifyRequestOTP.php', { mobile, otp });
const retry = (retrytype = 'text', mobile = MOBILE) => get('retryotp.php', { mobile, retrytype });

const ok = (message: string | RegExp) => ({
  status: 200,
  body: {
    type: 'success',
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  },
});
const error = (message: string, code: string) => ({
  status: 200,
  body: { type: 'error', message, code },
});

describe('GET /api/sendotp.php', () => {
  it('sends the caller’s own text with its code and sender id, and answers the request id', async () => {
    const message = 'Your otp is 4821. Please do not share it with anybody';
    expect(await send({ sender: 'PRIIND', message, otp: 4821, otp_expiry: 1440 })).toEqual(
      ok(/^[0-9a-f]{24}$/),
    );
    expect(await h.outbox(MOBILE)).toMatchObject([{ channel: 'sms', text: message }]);
    expect(h.sent.at(-1)).toMatchObject({ senderId: 'PRIIND', text: message });
    expect(await verify('4821')).toEqual(ok('number_verified_successfully'));
    expect(await verify('4821')).toEqual(error('already_verified', 'ALREADY_VERIFIED'));
  });

  it('fills ##OTP## in the caller’s text with a generated code of otp_length digits', async () => {
    await send({
      message: 'Login code: ##OTP## (valid ##EXPIRY## minutes)',
      otp_length: 6,
      otp_expiry: 15,
    });
    const [sms] = await h.outbox(MOBILE);
    expect(sms?.text).toMatch(/^Login code: \d{6} \(valid 15 minutes\)$/);
    expect(await verify(await h.lastCode(MOBILE))).toEqual(ok('number_verified_successfully'));
  });

  it('uses the server API widget’s template when no message is given, with the sender given', async () => {
    expect(await send({ sender: 'SHOPIN' })).toEqual(ok(/^[0-9a-f]{24}$/));
    // The server API widget's otpLength (6 for a new one).
    expect(await h.lastCode(MOBILE)).toMatch(/^\d{6}$/);
    expect(h.sent.at(-1)).toMatchObject({ channel: 'sms', senderId: 'SHOPIN' });
    expect(h.sent.at(-1)?.text).not.toContain('SHOPIN');
  });

  it('keeps a code for a day by default, as SendOTP did', async () => {
    await send({ message: 'Code 7391', otp: '7391' });
    h.clock.advance(1439 * 60_000);
    expect(await verify('1111')).toEqual(error('otp_not_verified', 'OTP_MISMATCH'));
    h.clock.advance(2 * 60_000);
    expect(await verify('7391')).toEqual(error('otp_expired', 'OTP_EXPIRED'));
  });

  it('refuses a message without the code, and sends nothing', async () => {
    expect(await send({ message: 'Flash sale today only!', otp: '1234' })).toEqual(
      error(
        'message must contain the code: put ##OTP## where it goes, or pass the code in otp.',
        'INVALID_REQUEST',
      ),
    );
    // The code must stand alone, not be digits inside a longer number.
    expect((await send({ message: 'Call 0800123499', otp: '1234' })).body.code).toBe(
      'INVALID_REQUEST',
    );
    // Nor only in the WebOTP line otpkit adds for a call that names a site.
    const withOrigin = await h.app.request(
      `/api/sendotp.php?authkey=${TEST_AUTHKEY}&mobile=${MOBILE}&otp=1234&message=Sale%20today`,
      { headers: { origin: 'https://shop.example' } },
    );
    expect(((await withOrigin.json()) as { code: string }).code).toBe('INVALID_REQUEST');
    expect(await h.outbox(MOBILE)).toEqual([]);
  });

  it('caps the text at 3 SMS segments: 459 GSM-7 or 201 Unicode characters', async () => {
    const gsm = (n: number) => `1234 ${'a'.repeat(n - 5)}`;
    expect((await send({ message: gsm(459), otp: '1234' })).body.type).toBe('success');
    expect(await send({ message: gsm(460), otp: '1234', mobile: '919876543211' })).toMatchObject(
      error(
        'The SMS would take 4 segments (460 GSM-7 characters); otpkit sends at most 3 (459 GSM-7 characters). Shorten the message.',
        'MESSAGE_TOO_LONG',
      ),
    );
    const ucs2 = (n: number) => `1234 ${'क'.repeat(n - 5)}`;
    expect(
      (await send({ message: ucs2(201), otp: '1234', mobile: '919876543212' })).body.type,
    ).toBe('success');
    expect(
      (await send({ message: ucs2(202), otp: '1234', mobile: '919876543213' })).body.code,
    ).toBe('MESSAGE_TOO_LONG');
    expect((await send({ message: 'x'.repeat(5000), otp: '1234' })).body.code).toBe(
      'MESSAGE_TOO_LONG',
    );
    expect((await h.outbox('919876543211')).length + (await h.outbox('919876543213')).length).toBe(
      0,
    );
  });

  it('checks otp, otp_length, otp_expiry, sender and mobile as the v5 API does', async () => {
    expect(await send({ otp: 'abcd' })).toEqual(error('otp must be 4 to 9 digits.', 'INVALID_OTP'));
    expect((await send({ otp_length: 12 })).body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((await send({ otp_expiry: 0 })).body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await send({ sender: 'a sender id that is far too long' })).toEqual(
      error('sender must be 3 to 11 letters or digits, or a phone number.', 'INVALID_REQUEST'),
    );
    expect(await send({ mobile: 'abc' })).toEqual(
      error('invalid_mobile_number', 'INVALID_IDENTIFIER'),
    );
    expect((await send({ mobile: '449098790000' })).body.code).toBe('NUMBER_NOT_ALLOWED');
  });

  it('accepts POST with the parameters in a form body, as PHP snippets send them', async () => {
    const response = await h.app.request('/api/sendotp.php', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        authkey: TEST_AUTHKEY,
        mobile: MOBILE,
        message: 'Your verification code is ##OTP##.',
      }).toString(),
    });
    expect(await response.json()).toMatchObject({ type: 'success' });
    await h.deliver();
    expect((await h.outbox(MOBILE))[0]?.text).toMatch(/^Your verification code is \d{6}\.$/);
  });
});

describe('the authkey', () => {
  it('is required and checked like on every authkey route: query, header, revoked', async () => {
    expect(await send()).toMatchObject({ body: { type: 'success' } });
    expect(await get('sendotp.php', { mobile: MOBILE }, 'otpk_wrong')).toEqual(
      error('invalid_auth_key', 'INVALID_AUTHKEY'),
    );
    expect(await get('verifyRequestOTP.php', { mobile: MOBILE, otp: '1234' }, null)).toEqual(
      error('invalid_auth_key', 'INVALID_AUTHKEY'),
    );
    expect(await get('retryotp.php', { mobile: MOBILE }, '')).toEqual(
      error('invalid_auth_key', 'INVALID_AUTHKEY'),
    );
    const header = await h.app.request(`/api/verifyRequestOTP.php?mobile=${MOBILE}&otp=1234`, {
      headers: { authkey: TEST_AUTHKEY },
    });
    expect(header.headers.get('cache-control')).toBe('no-store');
    expect(await header.json()).toMatchObject({ code: 'OTP_MISMATCH' });

    const created = await h.post(
      '/api/v1/authkeys',
      { label: 'old backend' },
      { authkey: TEST_AUTHKEY },
    );
    const key = created.body.authkey as string;
    expect(
      (await get('verifyRequestOTP.php', { mobile: MOBILE, otp: '1234' }, key)).body.code,
    ).toBe('OTP_MISMATCH');
    await h.app.request(`/api/v1/authkeys/${created.body.authkeyId}`, {
      method: 'DELETE',
      headers: { authkey: TEST_AUTHKEY },
    });
    expect(
      (await get('verifyRequestOTP.php', { mobile: MOBILE, otp: '1234' }, key)).body.code,
    ).toBe('INVALID_AUTHKEY');
  });

  it('never reaches the logs, though it travels in the query string', async () => {
    const lines: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) =>
      lines.push(JSON.stringify({ message, ...fields }));
    const log: Logger = { debug: record, info: record, warn: record, error: record };
    const logged = await createHarness({ log });
    try {
      for (const path of ['sendotp.php', 'retryotp.php', 'verifyRequestOTP.php', 'sendotp.php']) {
        await logged.app.request(
          `/api/${path}?authkey=${TEST_AUTHKEY}&mobile=${MOBILE}&otp=4821&message=Code%204821`,
        );
      }
      await logged.app.request(`/api/sendotp.php?authkey=otpk_a_wrong_key_xyz&mobile=${MOBILE}`);
      expect(lines.some((l) => l.includes('"route":"/api/sendotp.php"'))).toBe(true);
      expect(lines.join('\n')).not.toContain(TEST_AUTHKEY);
      expect(lines.join('\n')).not.toContain('otpk_a_wrong_key_xyz');
      expect(lines.join('\n')).not.toContain('authkey=');
    } finally {
      await logged.close();
    }
  });
});

describe('verify and retry', () => {
  it('answers each failure with SendOTP’s legacy message and our code', async () => {
    expect(await verify('1234')).toEqual(error('mobile_not_found', 'REQUEST_NOT_FOUND'));
    expect(await verify('1234', 'abc')).toEqual(
      error('invalid_mobile_number', 'INVALID_IDENTIFIER'),
    );
    expect(await retry()).toEqual(error('No OTP request found to retryotp', 'REQUEST_NOT_FOUND'));
    await send({ message: 'Code 5309', otp: '5309' });
    expect(await verify('12ab')).toEqual(error('invalid_otp', 'INVALID_OTP'));
    for (let i = 0; i < 5; i++) {
      expect(await verify('1111')).toEqual(error('otp_not_verified', 'OTP_MISMATCH'));
    }
    expect(await verify('5309')).toEqual(
      error('max_limit_reached_for_this_otp_verification', 'MAX_ATTEMPTS_REACHED'),
    );
  });

  it('resends by text or voice with a fresh code, within the widget’s interval and count', async () => {
    await send({ message: 'Your otp is 2468', otp: '2468' });
    expect((await retry('voice')).body).toMatchObject({ type: 'error', code: 'RETRY_TOO_SOON' });
    for (const type of ['voice', 'text', 'text']) {
      h.clock.advance(31_000);
      expect(await retry(type)).toEqual(ok('retry send successfully'));
    }
    h.clock.advance(31_000);
    expect(await retry()).toEqual(error('max_retry_count_exceeded', 'RETRY_LIMIT_REACHED'));
    expect((await retry('fax')).body).toMatchObject({ code: 'INVALID_REQUEST' });
    // The caller's own code stays valid beside the resent ones.
    expect(await verify('2468')).toEqual(ok('number_verified_successfully'));
  });
});

describe('the server API widget', () => {
  it('owns the legacy requests: the v5 API verifies them, and disabling it turns both off', async () => {
    await send({ message: 'Code 8642', otp: '8642' });
    const widgetId = await h.services.store.settings.get(serverApiWidgetKey('default'));
    expect(widgetId).toBeDefined();
    expect((await h.services.store.otpRequests.latestFor(widgetId!, MOBILE))?.widgetId).toBe(
      widgetId,
    );
    const v5 = await h.app.request(
      `/api/v5/otp/verify?authkey=${TEST_AUTHKEY}&mobile=${MOBILE}&otp=8642`,
    );
    expect(await v5.json()).toEqual({ type: 'success', message: 'OTP verified success' });

    await h.app.request(`/api/v1/widgets/${widgetId}`, {
      method: 'PATCH',
      headers: { authkey: TEST_AUTHKEY, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'disabled' }),
    });
    expect((await send({ message: 'Code 1357', otp: '1357' })).body.code).toBe('WIDGET_DISABLED');
  });

  it('applies the identifier rate limit the v5 API applies', async () => {
    const limited = await createHarness({ env: { OTPKIT_LIMIT_IDENTIFIER: '2/600' } });
    const call = async (path: string): Promise<Record<string, unknown>> =>
      (await limited.app.request(path)).json() as Promise<Record<string, unknown>>;
    const legacy = `/api/sendotp.php?authkey=${TEST_AUTHKEY}&mobile=${MOBILE}`;
    expect((await call(legacy)).type).toBe('success');
    expect((await call(`/api/v5/otp?authkey=${TEST_AUTHKEY}&mobile=${MOBILE}`)).type).toBe(
      'success',
    );
    expect(await call(legacy)).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    await limited.close();
  });
});
