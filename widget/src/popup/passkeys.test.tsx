// @vitest-environment happy-dom
// Passkeys in the popup: offered after a code, used before one, never loaded for code-only widgets.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OtpClient } from '../client.ts';
import { openPopup, type PopupHandle } from './index.ts';
import { fakeClient, shadow, tick, type, widget } from './testing.ts';

let popup: PopupHandle | undefined;

afterEach(() => {
  popup?.close();
  popup = undefined;
  localStorage.clear();
});

describe('passkeys in the popup', () => {
  const passkeyWidget = { ...widget, data: { ...widget.data, passkeys: true } };
  const hadWebAuthn = 'PublicKeyCredential' in globalThis;
  beforeEach(() => {
    // happy-dom has no WebAuthn; the popup only checks that the browser has it.
    if (!hadWebAuthn) {
      Object.assign(globalThis, {
        PublicKeyCredential: { isUserVerifyingPlatformAuthenticatorAvailable: async () => true },
      });
    }
  });
  afterEach(() => {
    if (!hadWebAuthn) delete (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  });

  async function verifyCode(client: OtpClient, onSuccess = vi.fn()) {
    popup = openPopup({
      client,
      widget: Promise.resolve(passkeyWidget),
      identifier: '919876543210',
      onSuccess,
      onMisconfigured: vi.fn(),
    });
    const root = shadow();
    await vi.waitFor(() => expect(root.querySelector('form')).not.toBeNull());
    // The offer needs its chunk: a code verified before it arrives signs in without one.
    await vi.waitFor(() => expect(popup?.store.passkeyUi.value).toBeTruthy());
    root
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    await vi.waitFor(() => expect(root.getElementById('otpkit-code')).not.toBeNull());
    type(root.getElementById('otpkit-code') as HTMLInputElement, '123456');
    return root;
  }

  it('offers a passkey after the code; creating one finishes the sign-in and is remembered', async () => {
    const client = fakeClient({
      verifyOtp: vi.fn(async () => ({
        type: 'success' as const,
        message: 'jwt',
        passkeyTicket: 'ticket-1',
      })),
    });
    const onSuccess = vi.fn();
    const root = await verifyCode(client, onSuccess);
    await vi.waitFor(() =>
      expect(root.getElementById('otpkit-title')?.textContent).toBe('Sign in faster next time'),
    );
    const buttons = [...root.querySelectorAll('button')].map((b) => b.textContent);
    expect(buttons).toContain('Create a passkey');
    expect(buttons).toContain('Not now');
    expect(onSuccess).not.toHaveBeenCalled();
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Create a passkey')!.click();
    await vi.waitFor(
      () => expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ message: 'jwt' })),
      { timeout: 3000 },
    );
    expect(client.registerPasskey).toHaveBeenCalledWith('ticket-1');
    expect(localStorage.getItem('otpkit:passkey')).toBe('1');
  });

  it('"Not now" signs in with the code alone; no passkey is made', async () => {
    const client = fakeClient({
      verifyOtp: vi.fn(async () => ({
        type: 'success' as const,
        message: 'jwt',
        passkeyTicket: 't',
      })),
    });
    const onSuccess = vi.fn();
    const root = await verifyCode(client, onSuccess);
    await vi.waitFor(() => expect(root.textContent).toContain('Not now'));
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Not now')!.click();
    await vi.waitFor(() => expect(onSuccess).toHaveBeenCalled(), { timeout: 3000 });
    expect(client.registerPasskey).not.toHaveBeenCalled();
    expect(localStorage.getItem('otpkit:passkey')).toBeNull();
  });

  it('next time offers "Sign in with a passkey" first, which ends like a code sign-in', async () => {
    localStorage.setItem('otpkit:passkey', '1');
    const signIn = vi.fn(async (options?: { autofill?: boolean }) =>
      options?.autofill
        ? { type: 'error' as const, code: 'PASSKEY_UNSUPPORTED' as const, message: 'no autofill' }
        : { type: 'success' as const, message: 'jwt-passkey', reqId: 'r9', amr: ['hwk', 'user'] },
    );
    const client = fakeClient({ signInWithPasskey: signIn });
    const onSuccess = vi.fn();
    popup = openPopup({
      client,
      widget: Promise.resolve(passkeyWidget),
      onSuccess,
      onMisconfigured: vi.fn(),
    });
    const root = shadow();
    await vi.waitFor(() => expect(root.textContent).toContain('Sign in with a passkey'));
    // The field offers passkeys in its autofill too.
    expect(root.getElementById('otpkit-identifier')?.getAttribute('autocomplete')).toBe(
      'tel-national webauthn',
    );
    expect(signIn).toHaveBeenCalledWith({ autofill: true });
    [...root.querySelectorAll('button')]
      .find((b) => b.textContent === 'Sign in with a passkey')!
      .click();
    await vi.waitFor(
      () =>
        expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ message: 'jwt-passkey' })),
      { timeout: 3000 },
    );
    expect(client.sendOtp).not.toHaveBeenCalled();
  });

  it('a code-only widget never loads the passkey parts', async () => {
    localStorage.setItem('otpkit:passkey', '1');
    const client = fakeClient();
    popup = openPopup({
      client,
      widget: Promise.resolve(widget),
      onSuccess: vi.fn(),
      onMisconfigured: vi.fn(),
    });
    const root = shadow();
    await vi.waitFor(() => expect(root.querySelector('form')).not.toBeNull());
    await tick();
    expect(root.textContent).not.toContain('passkey');
    expect(root.getElementById('otpkit-identifier')?.getAttribute('autocomplete')).toBe(
      'tel-national',
    );
    expect(client.signInWithPasskey).not.toHaveBeenCalled();
  });
});

describe('passkeys without a platform authenticator', () => {
  it('are not offered: the popup stays a code popup', async () => {
    const had = 'PublicKeyCredential' in globalThis;
    const saved = (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
    Object.assign(globalThis, {
      PublicKeyCredential: { isUserVerifyingPlatformAuthenticatorAvailable: async () => false },
    });
    try {
      localStorage.setItem('otpkit:passkey', '1');
      const client = fakeClient();
      popup = openPopup({
        client,
        widget: Promise.resolve({ ...widget, data: { ...widget.data, passkeys: true } }),
        onSuccess: vi.fn(),
        onMisconfigured: vi.fn(),
      });
      const root = shadow();
      await vi.waitFor(() => expect(root.querySelector('form')).not.toBeNull());
      await tick();
      await tick();
      expect(root.textContent).not.toContain('passkey');
      expect(client.signInWithPasskey).not.toHaveBeenCalled();
    } finally {
      if (had) Object.assign(globalThis, { PublicKeyCredential: saved });
      else delete (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
    }
  });
});
