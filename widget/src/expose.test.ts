// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const widgetData = {
  widgetId: 'w1',
  otpLength: 6,
  processType: { value: '2', name: 'Mobile' },
  processes: [],
};

interface Call {
  url: string;
  body: Record<string, unknown> | undefined;
}

let calls: Call[];
let answers: Record<string, { status: number; body: unknown }>;

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(async () => {
  calls = [];
  answers = {
    getWidgetProcess: {
      status: 200,
      body: { status: 'success', hasError: false, errors: [], data: widgetData },
    },
    sendOtpMobile: {
      status: 200,
      body: { type: 'success', message: 'req-1', reqId: 'req-1', retryAfter: 30 },
    },
    retryOtp: {
      status: 200,
      body: { type: 'success', message: 'req-1', reqId: 'req-1', retryAfter: 30 },
    },
    verifyOtp: { status: 200, body: { type: 'success', message: 'jwt', 'access-token': 'jwt' } },
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      calls.push({ url, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
      const name = new URL(url).pathname.split('/').pop() ?? '';
      const answer = answers[name];
      if (!answer) throw new TypeError('Failed to fetch');
      return json(answer.body, answer.status);
    }),
  );
  vi.resetModules();
  await import('./index.ts');
});

afterEach(() => {
  vi.unstubAllGlobals();
  for (const key of [
    'initSendOTP',
    'sendOtp',
    'retryOtp',
    'verifyOtp',
    'getWidgetData',
    'isCaptchaVerified',
  ]) {
    delete (window as unknown as Record<string, unknown>)[key];
  }
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function init(extra: Record<string, unknown> = {}) {
  const success = vi.fn();
  const failure = vi.fn();
  window.initSendOTP?.({
    widgetId: 'w1',
    tokenAuth: 't1',
    exposeMethods: true,
    apiBaseUrl: 'https://otp.example.com',
    success,
    failure,
    ...extra,
  });
  return { success, failure };
}

describe('exposeMethods', () => {
  it('defines only the documented globals, and loads the widget data', async () => {
    init();
    expect(typeof window.sendOtp).toBe('function');
    expect(typeof window.retryOtp).toBe('function');
    expect(typeof window.verifyOtp).toBe('function');
    // Not known before the widget data says whether there is a captcha.
    expect(window.isCaptchaVerified?.()).toBe(false);
    expect(window.getWidgetData?.()).toBeFalsy();
    await flush();
    expect(window.getWidgetData?.()).toEqual(widgetData);
    expect(window.isCaptchaVerified?.()).toBe(true); // This widget has none.
    expect(calls[0]?.url).toBe(
      'https://otp.example.com/api/v5/widget/getWidgetProcess?widgetId=w1&tokenAuth=t1',
    );
    expect(document.getElementById('otpkit-widget-host')).toBeNull();
  });

  it('sends with template variables from the other configuration keys', async () => {
    init({ name: 'Asha', amount: 42, callback: () => {}, nested: { a: 1 } });
    const onSuccess = vi.fn();
    await window.sendOtp?.('919876543210', onSuccess);
    const send = calls.find((call) => call.url.endsWith('/sendOtpMobile'));
    expect(send?.body).toEqual({
      widgetId: 'w1',
      tokenAuth: 't1',
      identifier: '919876543210',
      variables: { name: 'Asha', amount: '42' },
    });
    expect(onSuccess).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'success', message: 'req-1' }),
    );
  });

  it('retries on Telegram by its name or its otpkit-only code 41', async () => {
    init();
    await window.sendOtp?.('919876543210');
    await window.retryOtp?.('telegram');
    await window.retryOtp?.('41');
    const retries = calls.filter((call) => call.url.endsWith('/retryOtp'));
    expect(retries.map((call) => (call.body as { retryChannel: number }).retryChannel)).toEqual([
      41, 41,
    ]);
  });

  it('retries on the asked channel and verifies the last request', async () => {
    const { success } = init();
    await window.sendOtp?.('919876543210');
    const onRetry = vi.fn();
    await window.retryOtp?.('12', onRetry);
    const onVerified = vi.fn();
    await window.verifyOtp?.('123456', onVerified);
    expect(calls.find((call) => call.url.endsWith('/retryOtp'))?.body).toEqual({
      widgetId: 'w1',
      tokenAuth: 't1',
      reqId: 'req-1',
      retryChannel: 12,
    });
    expect(calls.find((call) => call.url.endsWith('/verifyOtp'))?.body).toEqual({
      widgetId: 'w1',
      tokenAuth: 't1',
      reqId: 'req-1',
      otp: '123456',
    });
    expect(onRetry).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'success', message: 'req-1' }),
    );
    expect(onVerified).toHaveBeenCalledWith({ type: 'success', message: 'jwt' });
    expect(success).toHaveBeenCalledWith({ type: 'success', message: 'jwt' });
  });

  it('uses an explicit reqId and null for the default channel', async () => {
    init();
    await window.retryOtp?.(null, undefined, undefined, 'req-7');
    await window.verifyOtp?.(123456, undefined, undefined, 'req-7');
    expect(calls.filter((call) => call.body).map((call) => call.body)).toEqual([
      { widgetId: 'w1', tokenAuth: 't1', reqId: 'req-7', retryChannel: null },
      { widgetId: 'w1', tokenAuth: 't1', reqId: 'req-7', otp: '123456' },
    ]);
  });

  it('reports failures to the call and to configuration.failure', async () => {
    const { failure, success } = init();
    answers.verifyOtp = {
      status: 400,
      body: {
        type: 'error',
        message: 'The code is incorrect.',
        code: 'OTP_MISMATCH',
        attemptsLeft: 2,
      },
    };
    const onFailure = vi.fn();
    await window.verifyOtp?.('000000', undefined, onFailure, 'req-1');
    const expected = {
      type: 'error',
      message: 'The code is incorrect.',
      code: 'OTP_MISMATCH',
      attemptsLeft: 2,
    };
    expect(onFailure).toHaveBeenCalledWith(expected);
    expect(failure).toHaveBeenCalledWith(expected);
    expect(success).not.toHaveBeenCalled();
  });

  it('reports a network failure as NETWORK_ERROR', async () => {
    init();
    delete answers.sendOtpMobile;
    const onFailure = vi.fn();
    await window.sendOtp?.('919876543210', undefined, onFailure);
    expect(onFailure).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'error', code: 'NETWORK_ERROR' }),
    );
  });

  it('tells the developer when the widget is misconfigured', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    answers.getWidgetProcess = {
      status: 401,
      body: {
        status: 'error',
        hasError: true,
        errors: ['Bad token.'],
        data: null,
        code: 'INVALID_TOKEN_AUTH',
      },
    };
    const { failure } = init();
    await flush();
    expect(failure).toHaveBeenCalledWith({
      type: 'error',
      message: 'Bad token.',
      code: 'INVALID_TOKEN_AUTH',
    });
    expect(error).toHaveBeenCalledWith(expect.stringContaining('INVALID_TOKEN_AUTH'));
    expect(window.getWidgetData?.()).toBeFalsy();
    error.mockRestore();
  });
});
