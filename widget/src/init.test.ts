// @vitest-environment happy-dom
import type { WidgetData } from '@otpkit/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OtpError } from './client.ts';
import { createInitSendOTP, type InitDeps, type PopupModule } from './init.ts';
import { isInFrame, refusalOf, topOriginOf } from './rules.ts';

const baseData = {
  widgetId: 'w1',
  otpLength: 6,
  status: { value: '1', name: 'Enabled' },
  processType: { value: '2', name: 'Mobile' },
  processes: [],
  mobileIntegration: false,
  iFrame: true,
  language: 'en',
} as unknown as WidgetData;

let widgetData: WidgetData;
let widgetAnswer: 'ok' | 'network' | 'WIDGET_MOBILE_ONLY';
let sends: number;
let consoleError: ReturnType<typeof vi.spyOn>;

const fakeFetch = vi.fn(async (input: RequestInfo | URL): Promise<Response> => {
  const name = new URL(String(input)).pathname.split('/').pop();
  if (name === 'getWidgetProcess') {
    if (widgetAnswer === 'network') throw new TypeError('Failed to fetch');
    if (widgetAnswer !== 'ok') {
      // What the server answers a browser asking for a mobile-only widget.
      return Response.json(
        { status: 'fail', hasError: true, errors: ['Mobile only'], code: widgetAnswer },
        { status: 403 },
      );
    }
    return Response.json({ status: 'success', hasError: false, errors: [], data: widgetData });
  }
  sends++;
  return Response.json({ type: 'success', message: 'req-1', reqId: 'req-1' });
});

beforeEach(() => {
  widgetData = { ...baseData };
  widgetAnswer = 'ok';
  sends = 0;
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  consoleError.mockRestore();
  for (const key of ['sendOtp', 'retryOtp', 'verifyOtp', 'getWidgetData', 'isCaptchaVerified']) {
    delete (window as unknown as Record<string, unknown>)[key];
  }
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Runs initSendOTP with a mocked popup loader; returns the spies. */
async function run(
  extra: Record<string, unknown> = {},
  deps: Partial<InitDeps> = {},
): Promise<{
  loadPopup: ReturnType<typeof vi.fn>;
  openPopup: ReturnType<typeof vi.fn>;
  failure: ReturnType<typeof vi.fn>;
}> {
  const openPopup = vi.fn();
  const loadPopup = vi.fn(async () => ({ openPopup }) as unknown as PopupModule);
  const failure = vi.fn();
  const init = createInitSendOTP({
    defaultBaseUrl: 'https://otp.example.com',
    loadPopup,
    loadCaptcha: () => import('./captcha/index.ts'),
    inFrame: () => false,
    online: () => true,
    fetch: fakeFetch as unknown as typeof fetch,
    ...deps,
  });
  init({ widgetId: 'w1', tokenAuth: 't1', failure, ...extra });
  await settle();
  await settle();
  return { loadPopup, openPopup, failure };
}

describe('loading the popup chunk', () => {
  it('loads and opens the popup in popup mode', async () => {
    const { loadPopup, openPopup, failure } = await run();
    expect(loadPopup).toHaveBeenCalledTimes(1);
    expect(openPopup).toHaveBeenCalledTimes(1);
    const options = openPopup.mock.calls[0]?.[0];
    await expect(options.widget).resolves.toMatchObject({ type: 'success', data: widgetData });
    expect(failure).not.toHaveBeenCalled();
  });

  it('never loads it with exposeMethods', async () => {
    const { loadPopup } = await run({ exposeMethods: true });
    expect(loadPopup).not.toHaveBeenCalled();
    expect(typeof window.sendOtp).toBe('function');
    expect(window.getWidgetData?.()).toEqual(widgetData);
  });

  it('reports a popup chunk that cannot be fetched as NETWORK_ERROR', async () => {
    const { failure } = await run(
      {},
      {
        loadPopup: () =>
          Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
      },
    );
    expect(failure).toHaveBeenCalledWith(expect.objectContaining({ code: 'NETWORK_ERROR' }));
  });
});

describe('settings the browser enforces', () => {
  const cases: Array<[string, Partial<WidgetData>, boolean, OtpError['code']]> = [
    ['mobileIntegration', { mobileIntegration: true }, false, 'WIDGET_MOBILE_ONLY'],
    ['iFrame off, inside a frame', { iFrame: false }, true, 'IFRAME_NOT_ALLOWED'],
  ];
  for (const [name, settings, inFrame, code] of cases) {
    it(`${name}: no popup, a console error and failure(${code})`, async () => {
      widgetData = { ...baseData, ...settings };
      const { openPopup, failure } = await run({}, { inFrame: () => inFrame });
      expect(openPopup).not.toHaveBeenCalled();
      expect(failure).toHaveBeenCalledWith(expect.objectContaining({ type: 'error', code }));
      expect(consoleError).toHaveBeenCalledWith(expect.stringContaining(code));
    });

    it(`${name}: no exposed methods, and early calls fail with ${code}`, async () => {
      widgetData = { ...baseData, ...settings };
      const failure = vi.fn();
      const init = createInitSendOTP({
        defaultBaseUrl: 'https://otp.example.com',
        loadPopup: vi.fn(),
        loadCaptcha: () => import('./captcha/index.ts'),
        inFrame: () => inFrame,
        fetch: fakeFetch as unknown as typeof fetch,
      });
      init({ widgetId: 'w1', tokenAuth: 't1', exposeMethods: true, failure });
      // Called before the widget data is in: waits for it, then refuses without a request.
      const early = await window.sendOtp?.('919876543210');
      expect(early).toMatchObject({ type: 'error', code });
      expect(sends).toBe(0);
      await settle();
      expect(window.sendOtp).toBeUndefined();
      expect(window.verifyOtp).toBeUndefined();
      expect(failure).toHaveBeenCalledWith(expect.objectContaining({ code }));
    });
  }

  it('the server refusing a mobile-only widget (WIDGET_MOBILE_ONLY): no popup, failure and console error', async () => {
    widgetAnswer = 'WIDGET_MOBILE_ONLY';
    const { openPopup, failure } = await run();
    expect(openPopup).not.toHaveBeenCalled();
    expect(failure).toHaveBeenCalledTimes(1);
    expect(failure).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'error', code: 'WIDGET_MOBILE_ONLY' }),
    );
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining('WIDGET_MOBILE_ONLY'));
  });

  it('the server refusing a mobile-only widget: the exposed methods are withdrawn', async () => {
    widgetAnswer = 'WIDGET_MOBILE_ONLY';
    const { failure } = await run({ exposeMethods: true });
    expect(failure).toHaveBeenCalledWith(expect.objectContaining({ code: 'WIDGET_MOBILE_ONLY' }));
    expect(window.sendOtp).toBeUndefined();
    expect(sends).toBe(0);
  });

  it('runs inside a frame when iFrame is on, and outside one when it is off', async () => {
    widgetData = { ...baseData, iFrame: true };
    expect((await run({}, { inFrame: () => true })).openPopup).toHaveBeenCalled();
    widgetData = { ...baseData, iFrame: false };
    expect((await run({}, { inFrame: () => false })).openPopup).toHaveBeenCalled();
  });

  it('a disabled widget still opens the popup, which explains politely', async () => {
    widgetData = { ...baseData, status: { value: '0', name: 'Disabled' } };
    const { openPopup } = await run();
    expect(openPopup).toHaveBeenCalled();
  });

  it('a disabled widget refuses exposed calls with WIDGET_DISABLED', async () => {
    widgetData = { ...baseData, status: { value: '0', name: 'Disabled' } };
    const { failure } = await run({ exposeMethods: true });
    expect(failure).toHaveBeenCalledWith(expect.objectContaining({ code: 'WIDGET_DISABLED' }));
    expect(window.sendOtp).toBeUndefined();
  });

  it('hints at allowedOrigins when the widget data fails to load while online', async () => {
    widgetAnswer = 'network';
    const { failure, openPopup } = await run();
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining('allowedOrigins'));
    expect(failure).toHaveBeenCalledWith(expect.objectContaining({ code: 'NETWORK_ERROR' }));
    // The visitor still gets the popup, with "Try again".
    expect(openPopup).toHaveBeenCalled();
  });

  it('says nothing about origins when the browser is offline', async () => {
    widgetAnswer = 'network';
    const { failure } = await run({}, { online: () => false });
    expect(consoleError).not.toHaveBeenCalled();
    expect(failure).not.toHaveBeenCalled();
  });
});

describe('refusalOf / isInFrame', () => {
  it('lets an ordinary widget run', () => {
    expect(refusalOf(baseData, { inFrame: false })).toBeUndefined();
    expect(refusalOf({ ...baseData, iFrame: false }, { inFrame: false })).toBeUndefined();
  });

  it('treats a parent that cannot be compared as a frame', () => {
    const framed = {
      get self() {
        return this;
      },
      get top(): Window {
        throw new DOMException('Blocked a frame', 'SecurityError');
      },
    } as unknown as Window;
    expect(isInFrame(framed)).toBe(true);
    expect(isInFrame(window)).toBe(false);
  });

  it('reads the top page origin of a frame from location.ancestorOrigins (the last one)', () => {
    const frameIn = (ancestorOrigins: string[] | undefined): Window =>
      ({
        get self() {
          return this;
        },
        top: {},
        location: { ancestorOrigins },
      }) as unknown as Window;
    expect(topOriginOf(frameIn(['https://middle.example', 'https://shop.example']))).toBe(
      'https://shop.example',
    );
    expect(topOriginOf(frameIn(['null']))).toBeUndefined(); // A sandboxed or data: parent.
    expect(topOriginOf(frameIn(undefined))).toBeUndefined(); // Firefox has no ancestorOrigins.
    expect(topOriginOf(window)).toBeUndefined(); // The top page itself.
  });
});
