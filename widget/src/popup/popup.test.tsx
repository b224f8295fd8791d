// @vitest-environment happy-dom
// The popup's journeys in the DOM: number, code, done; wrong codes, resends, misconfiguration.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OtpError, WidgetLoaded } from '../client.ts';
import { openPopup, type PopupHandle } from './index.ts';
import { fakeClient, HOST_ID, shadow, tick, type, widget } from './testing.ts';

let popup: PopupHandle | undefined;

afterEach(() => {
  popup?.close();
  popup = undefined;
  localStorage.clear();
});

describe('popup', () => {
  it('a magic-link widget shows the number the link’s page will ask for, and says when a wrong one ended it', async () => {
    const magic: WidgetLoaded = {
      ...widget,
      data: { ...widget.data, verificationType: { value: '2', name: 'Magic Link' } },
    } as WidgetLoaded;
    let endWait: (error: OtpError) => void = () => {};
    const client = fakeClient({
      getWidgetData: vi.fn(async () => magic),
      sendOtp: vi.fn(async () => ({
        type: 'success' as const,
        message: 'r1',
        reqId: 'r1',
        retryAfter: 30,
        retriesLeft: 2,
        matchNumber: 47,
      })),
      waitForMagicLink: vi.fn(
        () =>
          new Promise<OtpError>((resolve) => {
            endWait = resolve;
          }),
      ),
    });
    popup = openPopup({
      client,
      widget: Promise.resolve(magic),
      identifier: 'ana@example.com',
      onSuccess: vi.fn(),
      onMisconfigured: vi.fn(),
    });
    await tick();
    const root = shadow();
    root
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    await vi.waitFor(() => expect(root.querySelector('strong.k')?.textContent).toBe('47'));
    // The wording comes with the rest of English (fetched in the background).
    await vi.waitFor(() =>
      expect(root.textContent).toContain('The link’s page will ask for this number: 47'),
    );
    endWait({ type: 'error', code: 'LINK_EXPIRED', message: '' });
    await vi.waitFor(() =>
      expect(root.textContent).toContain('A wrong number was typed on the link’s page'),
    );
    // Once ended, the number is gone: the way forward is a new link.
    expect(root.querySelector('strong.k')).toBeNull();
  });

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
    // Formatted once the phone chunk (libphonenumber-js) has arrived.
    await vi.waitFor(() =>
      expect((root.getElementById('otpkit-identifier') as HTMLInputElement).value).toBe(
        '98765 43210',
      ),
    );
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
    const names = [...shadow().querySelectorAll('.ch button')].map((b) => b.textContent);
    expect(names).toEqual(['Text me again', 'Call me']);
    (shadow().querySelector('.ch button:last-child') as HTMLButtonElement).click();
    await tick();
    expect(client.retryOtp).toHaveBeenCalledWith('voice');
  });

  it('verifies a code typed in full while a resend was still on its way', async () => {
    let answerResend: (value: unknown) => void = () => {};
    const client = fakeClient({
      sendOtp: vi.fn(async () => ({
        type: 'success' as const,
        message: 'r1',
        reqId: 'r1',
        retryAfter: 0,
      })),
      retryOtp: vi.fn(
        () =>
          new Promise((resolve) => {
            answerResend = resolve;
          }) as never,
      ),
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
    const resending = popup.store.resend('sms');
    popup.store.inputCode('123456');
    expect(client.verifyOtp).not.toHaveBeenCalled();
    answerResend({ type: 'success', message: 'r1', reqId: 'r1', retryAfter: 30, retriesLeft: 2 });
    await resending;
    await tick();
    expect(client.verifyOtp).toHaveBeenCalledWith('123456');
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
