// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OtpClient, OtpError, WidgetLoaded } from '../client.ts';
import { formatNational, splitNumber } from './countries.ts';
import { HOST_ID, openPopup, type PopupHandle } from './index.ts';

const widget: WidgetLoaded = {
  type: 'success',
  message: 'w1',
  data: {
    widgetId: 'w1',
    otpLength: 6,
    processType: { value: '1', name: 'Both' },
    defaultCountry: { iso2: 'IN', name: 'India', dialCode: '91' },
    processes: [
      {
        processVia: { value: '5', name: 'Retry' },
        channel: { value: '4', name: 'Voice' },
        templateId: null,
        countryCode: [],
      },
      {
        processVia: { value: '5', name: 'Retry' },
        channel: { value: '11', name: 'SMS' },
        templateId: null,
        countryCode: [],
      },
    ],
    retryTime: 30,
    language: 'en',
  } as unknown as WidgetLoaded['data'],
};

function fakeClient(overrides: Partial<OtpClient> = {}): OtpClient {
  return {
    lastReqId: undefined,
    getWidgetData: vi.fn(async () => widget),
    sendOtp: vi.fn(async () => ({
      type: 'success' as const,
      message: 'r1',
      reqId: 'r1',
      retryAfter: 30,
      retriesLeft: 2,
    })),
    retryOtp: vi.fn(async () => ({
      type: 'success' as const,
      message: 'r1',
      reqId: 'r1',
      retryAfter: 30,
    })),
    verifyOtp: vi.fn(async () => ({ type: 'success' as const, message: 'jwt' })),
    ...overrides,
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
let popup: PopupHandle | undefined;

afterEach(() => {
  popup?.close();
  popup = undefined;
  localStorage.clear();
});

function shadow(): ShadowRoot {
  const root = document.getElementById(HOST_ID)?.shadowRoot;
  if (!root) throw new Error('no popup');
  return root;
}

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('popup', () => {
  it('goes from the number to the code to done, then fires success', async () => {
    const client = fakeClient();
    const onSuccess = vi.fn();
    popup = openPopup({
      client,
      widget: Promise.resolve(widget),
      identifier: '919876543210',
      onSuccess,
      onMisconfigured: vi.fn(),
    });
    await tick();
    const root = shadow();
    const dialog = root.querySelector('dialog')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(root.getElementById('otpkit-title')?.textContent).toBe('Verify your phone number');
    expect(root.querySelectorAll('[role="tab"]')).toHaveLength(2);
    const phone = root.getElementById('otpkit-identifier') as HTMLInputElement;
    expect(phone.value).toBe('98765 43210');
    expect(root.querySelector('label[for="otpkit-identifier"]')?.textContent).toBe('Phone number');

    root
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    await tick();
    await tick();
    expect(client.sendOtp).toHaveBeenCalledWith('919876543210');
    expect(root.textContent).toContain('Enter the 6-digit code sent to +91 98765 43210');
    expect(root.textContent).toMatch(/Resend in 0:(29|30)/);
    const code = root.getElementById('otpkit-code') as HTMLInputElement;
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(code.maxLength).toBe(6);

    type(code, '123456');
    await tick();
    expect(client.verifyOtp).toHaveBeenCalledWith('123456');
    expect(root.getElementById('otpkit-title')?.textContent).toBe('Verified');
    await new Promise((resolve) => setTimeout(resolve, 950));
    expect(onSuccess).toHaveBeenCalledWith({ type: 'success', message: 'jwt' });
    expect(document.getElementById(HOST_ID)).toBeNull();
  });

  it('clears a wrong code and says how many tries are left', async () => {
    const client = fakeClient({
      verifyOtp: vi.fn(
        async (): Promise<OtpError> => ({
          type: 'error',
          code: 'OTP_MISMATCH',
          message: 'The code is incorrect.',
          attemptsLeft: 2,
        }),
      ),
    });
    popup = openPopup({
      client,
      widget: Promise.resolve(widget),
      identifier: 'a@b.co',
      onSuccess: vi.fn(),
      onMisconfigured: vi.fn(),
    });
    await tick();
    const root = shadow();
    expect(root.getElementById('otpkit-title')?.textContent).toBe('Verify your email');
    await popup.store.send();
    await tick();
    const code = root.getElementById('otpkit-code') as HTMLInputElement;
    type(code, '111111');
    await tick();
    await tick();
    expect(code.value).toBe('');
    expect(root.getElementById('otpkit-code-error')?.textContent).toBe(
      'That code didn’t work. You have 2 tries left.',
    );
  });

  it('shows resend buttons per allowed channel once the countdown ends', async () => {
    const client = fakeClient({
      sendOtp: vi.fn(async () => ({
        type: 'success' as const,
        message: 'r1',
        reqId: 'r1',
        retryAfter: 0,
      })),
    });
    popup = openPopup({
      client,
      widget: Promise.resolve(widget),
      identifier: '919876543210',
      onSuccess: vi.fn(),
      onMisconfigured: vi.fn(),
    });
    await tick();
    await popup.store.send();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const names = [...shadow().querySelectorAll('.channels button')].map((b) => b.textContent);
    expect(names).toEqual(['Text me again', 'Call me']);
    (shadow().querySelector('.channels button:last-child') as HTMLButtonElement).click();
    await tick();
    expect(client.retryOtp).toHaveBeenCalledWith(4);
  });

  it('says plainly when the widget is misconfigured', async () => {
    const onMisconfigured = vi.fn();
    const error: OtpError = {
      type: 'error',
      code: 'WIDGET_NOT_FOUND',
      message: 'The widget does not exist.',
    };
    popup = openPopup({
      client: fakeClient(),
      widget: Promise.resolve(error),
      onSuccess: vi.fn(),
      onMisconfigured,
    });
    await tick();
    expect(onMisconfigured).toHaveBeenCalledWith(error);
    expect(shadow().textContent).toContain('Verification isn’t available on this site right now.');
  });

  it('closes on Escape and removes the host', async () => {
    popup = openPopup({
      client: fakeClient(),
      widget: Promise.resolve(widget),
      onSuccess: vi.fn(),
      onMisconfigured: vi.fn(),
    });
    await tick();
    shadow()
      .querySelector('dialog')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(document.getElementById(HOST_ID)).toBeNull();
  });
});

describe('countries', () => {
  it('splits a full number by its longest dial code and formats it', () => {
    expect(splitNumber('919876543210')).toMatchObject({
      country: { iso2: 'IN' },
      national: '9876543210',
    });
    expect(splitNumber('14155550100')?.country.iso2).toBe('US');
    expect(splitNumber('14155550100', { iso2: 'CA', dialCode: '1' })?.country.iso2).toBe('CA');
    expect(formatNational('1', '4155550100')).toBe('415 555 0100');
    expect(formatNational('91', '9876543210')).toBe('98765 43210');
  });
});
