// @vitest-environment happy-dom
// The widget's settings as the popup shows them: language, direction, brand, logo, countries.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OtpClient, OtpError, WidgetLoaded } from '../client.ts';
import { openPopup, type PopupHandle } from './index.ts';
import { fakeClient, shadow, tick, widget } from './testing.ts';

let popup: PopupHandle | undefined;

afterEach(() => {
  popup?.close();
  popup = undefined;
  localStorage.clear();
});

/** Opens the popup on a widget with some settings changed. */
async function openWith(
  settings: Partial<WidgetLoaded['data']>,
  client: OtpClient = fakeClient(),
  identifier?: string,
): Promise<ShadowRoot> {
  popup = openPopup({
    client,
    widget: Promise.resolve({ ...widget, data: { ...widget.data, ...settings } }),
    identifier,
    onSuccess: vi.fn(),
    onMisconfigured: vi.fn(),
  });
  await vi.waitFor(() => expect(popup?.store.step.value).toBe('identifier'));
  return shadow();
}

describe('widget settings in the popup', () => {
  it('has a slot inside the dialog where a third-party captcha renders', async () => {
    popup = openPopup({
      client: fakeClient(),
      widget: Promise.resolve(widget),
      onSuccess: vi.fn(),
      onMisconfigured: vi.fn(),
    });
    await tick();
    expect(shadow().querySelector('dialog slot[name="captcha"]')).not.toBeNull();
  });

  it("speaks the widget's language (Hindi)", async () => {
    const root = await openWith({ language: 'hi' });
    expect(root.querySelector('dialog')?.getAttribute('lang')).toBe('hi');
    expect(root.getElementById('otpkit-title')?.textContent).toBe('अपना फ़ोन नंबर सत्यापित करें');
    expect(root.querySelector('button[type="submit"]')?.textContent).toBe('कोड भेजें');
  });

  it("follows the browser's languages for an `auto` widget, and tells the client", async () => {
    const client = fakeClient();
    Object.defineProperty(navigator, 'languages', {
      value: ['ta-IN', 'en-GB'],
      configurable: true,
    });
    const root = await openWith({ language: 'auto' }, client).finally(() => {
      delete (navigator as { languages?: unknown }).languages; // Back to the prototype's getter.
    });
    expect(root.querySelector('dialog')?.getAttribute('lang')).toBe('ta');
    expect(root.querySelector('dialog')?.getAttribute('dir')).toBe('ltr');
    expect(root.querySelector('button[type="submit"]')?.textContent).toBe('குறியீட்டை அனுப்பு');
    expect(client.setLanguage).toHaveBeenCalledWith('ta');
  });

  it('lays Arabic out right to left, with the phone number left to right', async () => {
    const client = fakeClient();
    const root = await openWith({ language: 'ar' }, client);
    const dialog = root.querySelector('dialog');
    expect(dialog?.getAttribute('lang')).toBe('ar');
    expect(dialog?.getAttribute('dir')).toBe('rtl');
    expect(root.getElementById('otpkit-title')?.textContent).toBe('تحقّق من رقم هاتفك');
    expect(root.getElementById('otpkit-identifier')?.closest('[dir]')?.getAttribute('dir')).toBe(
      'ltr',
    );
    expect(client.setLanguage).toHaveBeenCalledWith('ar');
  });

  it("themes the accent, the text on it and links with the server's brand theme", async () => {
    const root = await openWith({
      brandColor: '#ffcc00',
      brandTheme: { accent: '#ffcc00', onAccent: '#111111', link: '#806600' },
    });
    const dialog = root.querySelector('dialog') as HTMLElement;
    expect(dialog.style.getPropertyValue('--otpkit-accent')).toBe('#ffcc00');
    expect(dialog.style.getPropertyValue('--otpkit-on-accent')).toBe('#111111');
    expect(dialog.style.getPropertyValue('--otpkit-link')).toBe('#806600');
  });

  it('keeps the default theme without a brand theme', async () => {
    const root = await openWith({ brandColor: null, brandTheme: null });
    const dialog = root.querySelector('dialog') as HTMLElement;
    expect(dialog.style.getPropertyValue('--otpkit-accent')).toBe('');
  });

  it('shows the logo, decorative, with the widget name', async () => {
    const root = await openWith({ logoUrl: 'https://cdn.example.com/logo.png', name: 'Acme' });
    const img = root.querySelector('.br img');
    expect(img?.getAttribute('alt')).toBe('');
    expect(img?.getAttribute('src')).toBe('https://cdn.example.com/logo.png');
    expect(root.querySelector('.br')?.textContent).toBe('Acme');
    popup?.close();
    const plain = await openWith({ logoUrl: 'javascript:alert(1)', name: 'Acme' });
    expect(plain.querySelector('.br')).toBeNull();
  });

  it('offers only the allowed countries and starts on one of them', async () => {
    const root = await openWith({
      allowedCountries: ['GB', 'US'],
      defaultCountry: { iso2: 'IN', name: 'India', dialCode: '91' },
    });
    expect(popup?.store.country.value.iso2).toBe('US');
    (root.querySelector('button[aria-haspopup="listbox"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(root.querySelector('[role="listbox"]')).not.toBeNull());
    const options = [...root.querySelectorAll('[role="option"]')].map((o) => o.id);
    expect(options.sort()).toEqual(['otpkit-country-GB', 'otpkit-country-US']);
  });

  it("adds the picker's own stylesheet to the shadow root when the list first shows, once", async () => {
    const root = await openWith({});
    // Unit tests import CSS as empty text, so this counts sheets (constructed or <style>).
    const sheets = (): number =>
      root.adoptedStyleSheets.length + root.querySelectorAll('style').length;
    expect(sheets()).toBe(1);
    const country = (): HTMLButtonElement =>
      root.querySelector('button[aria-haspopup="listbox"]') as HTMLButtonElement;
    country().click();
    await vi.waitFor(() => expect(root.querySelector('[role="listbox"]')).not.toBeNull());
    expect(sheets()).toBe(2);
    (root.querySelector('.ph button') as HTMLButtonElement).click(); // Back
    await vi.waitFor(() => expect(root.querySelector('[role="listbox"]')).toBeNull());
    country().click();
    await vi.waitFor(() => expect(root.querySelector('[role="listbox"]')).not.toBeNull());
    expect(sheets()).toBe(2);
  });

  it('refuses a pasted number from a country the widget does not allow', async () => {
    const client = fakeClient();
    const root = await openWith({ allowedCountries: ['IN'] }, client);
    popup!.store.inputPhone('+44 7400 123456', true);
    await tick();
    expect(root.getElementById('otpkit-field-error')?.textContent).toBe(
      'Phone numbers from United Kingdom can’t be used here. Choose another country.',
    );
    await popup!.store.send();
    expect(client.sendOtp).not.toHaveBeenCalled();
  });

  it.each([
    ['COUNTRY_NOT_ALLOWED', 'Phone numbers from India can’t be used here. Choose another country.'],
    ['TEMPLATE_VARIABLE_MISSING', 'We couldn’t prepare your message. Please try again later.'],
    ['MESSAGE_TOO_LONG', 'We couldn’t prepare your message. Please try again later.'],
    // After the client's one retry with a fresh captcha.
    ['CAPTCHA_FAILED', 'We couldn’t confirm you’re not a robot. Please try again.'],
    ['CAPTCHA_REQUIRED', 'We couldn’t confirm you’re not a robot. Please try again.'],
  ] as const)('explains %s from the server in plain words', async (code, words) => {
    const client = fakeClient({
      sendOtp: vi.fn(async (): Promise<OtpError> => ({ type: 'error', code, message: code })),
    });
    const root = await openWith({}, client, '919876543210');
    await popup!.store.send();
    await tick();
    expect(root.getElementById('otpkit-field-error')?.textContent).toBe(words);
    expect(popup!.store.step.value).toBe('identifier');
  });
});
