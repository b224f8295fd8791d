// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createOtpClient, normalizeIdentifier } from './client.ts';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

/** A fake fetch that records calls and answers with `handler`. */
function fakeFetch(handler: Handler) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({
      url,
      method: init.method ?? 'GET',
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return handler(url, init);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const sent = {
  type: 'success',
  message: 'req-1',
  reqId: 'req-1',
  channel: 'sms',
  retryAfter: 30,
  retriesLeft: 3,
  expiresIn: 600,
};

function client(handler: Handler, variables?: Record<string, string>) {
  const fake = fakeFetch(handler);
  const otp = createOtpClient({
    baseUrl: 'https://otp.example.com/',
    widgetId: 'w1',
    tokenAuth: 't1',
    fetch: fake.fetch,
    ...(variables ? { variables } : {}),
  });
  return { otp, calls: fake.calls };
}

describe('createOtpClient', () => {
  it('throws a TypeError for a missing baseUrl or fetch, naming what to pass', () => {
    const widget = { widgetId: 'w1', tokenAuth: 't1' };
    // @ts-expect-error: the old option name, as a caller might still pass it.
    expect(() => createOtpClient({ apiBaseUrl: 'https://otp.example.com', ...widget })).toThrow(
      /needs baseUrl/,
    );
    vi.stubGlobal('fetch', undefined);
    try {
      expect(() => createOtpClient({ baseUrl: 'https://otp.example.com', ...widget })).toThrow(
        /no global fetch/,
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('sends a code with the contract body and returns the request id', async () => {
    const { otp, calls } = client(() => json(sent));
    const result = await otp.sendOtp('+91 98765-43210');
    expect(calls).toEqual([
      {
        url: 'https://otp.example.com/api/v5/widget/sendOtpMobile',
        method: 'POST',
        body: { widgetId: 'w1', tokenAuth: 't1', identifier: '919876543210' },
      },
    ]);
    expect(result).toEqual({ ...sent });
    expect(otp.lastReqId).toBe('req-1');
  });

  it('passes template variables with the send', async () => {
    const { otp, calls } = client(() => json(sent), { name: 'Asha', amount: '42' });
    await otp.sendOtp('user@example.com');
    expect(calls[0]?.body).toEqual({
      widgetId: 'w1',
      tokenAuth: 't1',
      identifier: 'user@example.com',
      variables: { name: 'Asha', amount: '42' },
    });
  });

  it('accepts a bare {type, message} success as the wire contract allows', async () => {
    const { otp } = client(() => json({ type: 'success', message: 'req-9' }));
    expect(await otp.sendOtp('919876543210')).toEqual({
      type: 'success',
      message: 'req-9',
      reqId: 'req-9',
    });
  });

  it('reads the error body whatever the HTTP status', async () => {
    const { otp } = client(() =>
      json({ type: 'error', message: 'Wait', code: 'RETRY_TOO_SOON', retryAfter: 12 }, 429),
    );
    await otp.sendOtp('919876543210');
    expect(await otp.retryOtp(null, 'req-1')).toEqual({
      type: 'error',
      message: 'Wait',
      code: 'RETRY_TOO_SOON',
      retryAfter: 12,
    });
  });

  it('keeps attemptsLeft on a wrong code', async () => {
    const { otp } = client(() =>
      json(
        { type: 'error', message: 'The code is incorrect.', code: 'OTP_MISMATCH', attemptsLeft: 2 },
        400,
      ),
    );
    expect(await otp.verifyOtp('000000', 'req-1')).toEqual({
      type: 'error',
      message: 'The code is incorrect.',
      code: 'OTP_MISMATCH',
      attemptsLeft: 2,
    });
  });

  it('turns a thrown fetch into NETWORK_ERROR', async () => {
    const { otp } = client(() => {
      throw new TypeError('Failed to fetch');
    });
    const result = await otp.sendOtp('919876543210');
    expect(result.type).toBe('error');
    expect(result).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(otp.lastReqId).toBeUndefined();
  });

  it('turns an unreadable body into an error by status', async () => {
    const { otp } = client(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await otp.sendOtp('919876543210')).toMatchObject({
      type: 'error',
      code: 'INTERNAL_ERROR',
    });
  });

  it('defaults retry and verify to the last request id', async () => {
    const { otp, calls } = client((url) =>
      url.endsWith('/verifyOtp')
        ? json({ type: 'success', message: 'jwt.token', 'access-token': 'jwt.token' })
        : json(sent),
    );
    await otp.sendOtp('919876543210');
    await otp.retryOtp('4');
    const verified = await otp.verifyOtp('123456');
    expect(calls[1]?.body).toEqual({
      widgetId: 'w1',
      tokenAuth: 't1',
      reqId: 'req-1',
      retryChannel: 4,
    });
    expect(calls[2]?.body).toEqual({
      widgetId: 'w1',
      tokenAuth: 't1',
      reqId: 'req-1',
      otp: '123456',
    });
    expect(verified).toEqual({ type: 'success', message: 'jwt.token' });
  });

  it('sends retryChannel null for the widget default and numbers for codes or names', async () => {
    const { otp, calls } = client(() => json(sent));
    await otp.retryOtp(null, 'r');
    await otp.retryOtp(12, 'r');
    await otp.retryOtp('sms', 'r');
    expect(calls.map((call) => (call.body as { retryChannel: unknown }).retryChannel)).toEqual([
      null,
      12,
      11,
    ]);
  });

  it('refuses an unknown channel and a missing request id without calling the server', async () => {
    const { otp, calls } = client(() => json(sent));
    expect(await otp.retryOtp('99', 'r')).toMatchObject({ code: 'CHANNEL_NOT_ALLOWED' });
    expect(await otp.verifyOtp('123456')).toMatchObject({ code: 'REQUEST_NOT_FOUND' });
    expect(calls).toHaveLength(0);
  });

  it('loads the widget data, and reports a getWidgetProcess failure with its code', async () => {
    const data = { widgetId: 'w1', otpLength: 6 };
    const ok = client(() => json({ status: 'success', hasError: false, errors: [], data }));
    expect(await ok.otp.getWidgetData()).toEqual({ type: 'success', message: 'w1', data });
    expect(ok.calls[0]?.url).toBe(
      'https://otp.example.com/api/v5/widget/getWidgetProcess?widgetId=w1&tokenAuth=t1',
    );
    const bad = client(() =>
      json(
        {
          status: 'error',
          hasError: true,
          errors: ['No such widget.'],
          data: null,
          code: 'WIDGET_NOT_FOUND',
        },
        404,
      ),
    );
    expect(await bad.otp.getWidgetData()).toEqual({
      type: 'error',
      message: 'No such widget.',
      code: 'WIDGET_NOT_FOUND',
    });
  });
});

describe('the language of the messages', () => {
  it("sends the popup's language as Accept-Language once set, and nothing before", async () => {
    const headers: (string | null)[] = [];
    const { otp } = client((_url, init) => {
      headers.push(new Headers(init.headers).get('accept-language'));
      return json(sent);
    });
    await otp.sendOtp('919876543210');
    otp.setLanguage('ta');
    await otp.sendOtp('919876543210');
    await otp.retryOtp('11');
    otp.setLanguage(null);
    await otp.sendOtp('919876543210');
    expect(headers).toEqual([null, 'ta', 'ta', null]);
  });
});

describe('normalizeIdentifier', () => {
  it('keeps the digits of a phone number and trims an email', () => {
    expect(normalizeIdentifier(' +1 (415) 555-0100 ')).toBe('14155550100');
    expect(normalizeIdentifier(' a.b@example.com ')).toBe('a.b@example.com');
  });
});

describe('a widget in a cross-origin frame', () => {
  it('sends the top page origin with sends and resends (the SMS names both hosts)', async () => {
    const fake = fakeFetch(() => json(sent));
    const otp = createOtpClient({
      baseUrl: 'https://otp.example.com',
      widgetId: 'w1',
      tokenAuth: 't1',
      fetch: fake.fetch,
      topOrigin: 'https://shop.example',
    });
    await otp.sendOtp('919876543210');
    await otp.retryOtp('11');
    expect(fake.calls.map((c) => (c.body as { topOrigin?: string }).topOrigin)).toEqual([
      'https://shop.example',
      'https://shop.example',
    ]);
  });

  it('sends none at the top', async () => {
    const { otp, calls } = client(() => json(sent));
    await otp.sendOtp('919876543210');
    expect(calls[0]?.body).not.toHaveProperty('topOrigin');
  });
});
