// @vitest-environment happy-dom
/**
 * `@otpkit/widget`'s `initSendOTP` for bundlers: the same widget as the
 * script tag, with the popup and the captcha as dynamic imports of source
 * (which the customer's bundler turns into chunks).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOtpClient, initSendOTP } from './bundler.ts';
import { createOtpClient as fromClientEntry } from './headless.ts';

const requests: string[] = [];
const widgetData = {
  widgetId: 'w1',
  name: 'Shop',
  otpLength: 6,
  status: { value: '1', name: 'Enabled' },
  processType: { value: '2', name: 'Mobile' },
  processes: [],
  mobileIntegration: false,
  iFrame: true,
  language: 'en',
  widgetMeta: { captcha_type: null },
};

function stubServer(): void {
  requests.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      requests.push(String(input));
      if (String(input).includes('getWidgetProcess')) {
        return Response.json({ status: 'success', hasError: false, errors: [], data: widgetData });
      }
      return Response.json({ type: 'success', message: 'req-1', reqId: 'req-1' });
    }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.getElementById('otpkit-widget-host')?.remove();
  for (const key of ['sendOtp', 'retryOtp', 'verifyOtp', 'getWidgetData', 'isCaptchaVerified']) {
    delete (window as unknown as Record<string, unknown>)[key];
  }
});

describe('initSendOTP from the npm package', () => {
  it('exposes the methods, talking to apiBaseUrl', async () => {
    stubServer();
    initSendOTP({
      widgetId: 'w1',
      tokenAuth: 't1',
      exposeMethods: true,
      apiBaseUrl: 'https://otp.example.com',
    });
    await vi.waitFor(() => expect(window.getWidgetData?.()).toMatchObject({ name: 'Shop' }));
    const sent = await window.sendOtp?.('919876543210');
    expect(sent).toMatchObject({ type: 'success', reqId: 'req-1' });
    expect(requests.every((url) => url.startsWith('https://otp.example.com/api/v5/widget/'))).toBe(
      true,
    );
    expect(document.getElementById('otpkit-widget-host')).toBeNull();
  });

  it('opens the popup, imported on demand', async () => {
    stubServer();
    initSendOTP({ widgetId: 'w1', tokenAuth: 't1', apiBaseUrl: 'https://otp.example.com' });
    await vi.waitFor(() => expect(document.getElementById('otpkit-widget-host')).not.toBeNull());
  });

  it('exports the one headless client of @otpkit/widget/client', () => {
    expect(createOtpClient).toBe(fromClientEntry);
  });
});
