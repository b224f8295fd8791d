// @vitest-environment happy-dom
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/min';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OtpClient, OtpError, WidgetLoaded } from '../client.ts';
import { allowedCountriesOf, COUNTRIES, findCountry, splitNumber } from './countries.ts';
import { openPopup, type PopupHandle } from './index.ts';
import { formatInternational, formatNational } from './phone.ts';
import { createStore, type PhoneFormatting } from './store.ts';

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
    // What the server works out from the retry processes above (resendChoices).
    resendChannels: { mobile: ['sms', 'voice'], email: ['email'] },
    retryTime: 30,
    language: 'en',
  } as unknown as WidgetLoaded['data'],
};

function fakeClient(overrides: Partial<OtpClient> = {}): OtpClient {
  return {
    lastReqId: undefined,
    getWidgetData: vi.fn(async () => widget),
    setLanguage: vi.fn(),
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
    linkStatus: vi.fn(async () => ({ type: 'success' as const, verified: false as const })),
    waitForMagicLink: vi.fn(() => new Promise<never>(() => {})),
    registerPasskey: vi.fn(async () => ({
      type: 'success' as const,
      message: 'pk1',
      passkeyId: 'pk1',
    })),
    signInWithPasskey: vi.fn(async () => ({
      type: 'error' as const,
      code: 'PASSKEY_CANCELLED' as const,
      message: 'closed',
    })),
    getCaptchaChallenge: vi.fn(async () => ({
      type: 'error' as const,
      code: 'INVALID_REQUEST' as const,
      message: 'no captcha here',
    })),
    ...overrides,
  };
}

/** The host element's documented id (widget/README.md: theming). */
const HOST_ID = 'otpkit-widget-host';

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

describe('countries', () => {
  it('reads every country and its dial code from the packed list', () => {
    expect(COUNTRIES).toHaveLength(243);
    expect(new Set(COUNTRIES.map((c) => c.iso2)).size).toBe(243);
    expect(COUNTRIES[0]).toEqual({ iso2: 'AD', dialCode: '376' });
    expect(COUNTRIES[1]).toEqual({ iso2: 'AE', dialCode: '971' });
    expect(COUNTRIES.at(-1)).toEqual({ iso2: 'ZW', dialCode: '263' });
    // Each agrees with libphonenumber-js (NANP territories carry their area code: AI +1264).
    for (const { iso2, dialCode } of COUNTRIES) {
      expect(dialCode.startsWith(getCountryCallingCode(iso2 as CountryCode)), iso2).toBe(true);
    }
    expect(findCountry('ai')?.dialCode).toBe('1264');
    expect(findCountry('XK')?.dialCode).toBe('383');
  });

  it('splits a full number by its longest dial code', () => {
    expect(splitNumber('919876543210')).toMatchObject({
      country: { iso2: 'IN' },
      national: '9876543210',
    });
    expect(splitNumber('14155550100')?.country.iso2).toBe('US');
    // Every shared dial code goes to its main country, whatever the list order.
    expect(splitNumber('74951234567')?.country.iso2).toBe('RU');
    expect(splitNumber('447400123456')?.country.iso2).toBe('GB');
    expect(splitNumber('61412345678')?.country.iso2).toBe('AU');
    expect(splitNumber('358401234567')?.country.iso2).toBe('FI');
    expect(splitNumber('590690123456')?.country.iso2).toBe('GP');
    // Some dial codes belong to one country only: the longest one matches.
    expect(splitNumber('12645551234')?.country.iso2).toBe('AI');
    expect(splitNumber('14155550100', { iso2: 'CA', dialCode: '1' })?.country.iso2).toBe('CA');
    // Without a preference, a tie goes to a country the widget allows.
    expect(splitNumber('14165550100', undefined, allowedCountriesOf(['CA']))?.country.iso2).toBe(
      'CA',
    );
  });

  it('offers only the allowed countries when the widget lists them', () => {
    // In the widget's order (its first is the fallback start country), unknown codes skipped.
    expect(allowedCountriesOf(['in', 'US', 'XX', 'IN']).map((c) => c.iso2)).toEqual(['IN', 'US']);
    expect(allowedCountriesOf(null).length).toBeGreaterThan(200);
    expect(allowedCountriesOf([]).length).toBeGreaterThan(200);
  });
});

describe('phone formatting (layouts from libphonenumber-js metadata, made at build time)', () => {
  it('formats national numbers for the chosen country as they are typed', () => {
    expect(formatNational('IN', '9876543210')).toBe('98765 43210');
    expect(formatNational('US', '4155550100')).toBe('(415) 555-0100');
    expect(formatNational('US', '4155')).toBe('(415) 5');
    expect(formatNational('GB', '07400123456')).toBe('07400 123456');
    expect(formatNational('GB', '7400123456')).toBe('7400 123456');
    expect(formatNational('RU', '89123456789')).toBe('8 (912) 345-67-89');
    expect(formatNational('FR', '612345678')).toBe('6 12 34 56 78');
    // A dial code that carries the area code (+1264 Anguilla): the rest of the number.
    expect(formatNational('AI', '2351234')).toBe('235-1234');
    // Longer than the country's layout, or a country without one: as typed.
    expect(formatNational('IN', '987654321099')).toBe('987654321099');
    expect(formatNational('ZZ', '12 34')).toBe('12 34');
    expect(formatInternational({ iso2: 'IN', dialCode: '91' }, '9876543210')).toBe(
      '+91 98765 43210',
    );
    expect(formatInternational({ iso2: 'GB', dialCode: '44' }, '07400123456')).toBe(
      '+44 7400 123456',
    );
  });

  it('has a layout for nearly every country the picker offers', async () => {
    const { phoneLayouts } = await import('../../vite.shared.ts');
    const layouts = phoneLayouts();
    expect(Object.keys(layouts).length).toBeGreaterThan(COUNTRIES.length - 10);
    for (const layout of Object.values(layouts)) expect(layout).toMatch(/^[^x]*x[^\d]*$/);
    // A national prefix of two digits with a space between (Belarus `8 0xx xxx-xx-xx`).
    expect(layouts.BY).toBe('8 0xx xxx-xx-xx');
    expect(formatNational('BY', '80294911911')).toBe('8 029 491-19-11');
    expect(formatNational('BY', '294911911')).toBe('29 491-19-11');
  });

  it('fetches phone formatting on the first keystroke, not when the popup opens', async () => {
    const load = vi.fn(() => import('./phone.ts'));
    const store = createStore({
      client: fakeClient(),
      onVerified: vi.fn(),
      onMisconfigured: vi.fn(),
      storage: null,
      loadPhoneFormatting: load,
    });
    await store.load(Promise.resolve(widget));
    expect(store.step.value).toBe('identifier');
    expect(load).not.toHaveBeenCalled();
    store.inputPhone('9', true);
    store.inputPhone('98', true);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('takes digits as typed until the chunk arrives, then formats them', async () => {
    let arrive!: (module: PhoneFormatting) => void;
    const store = createStore({
      client: fakeClient(),
      onVerified: vi.fn(),
      onMisconfigured: vi.fn(),
      storage: null,
      loadPhoneFormatting: () => new Promise((resolve) => (arrive = resolve)),
    });
    await store.load(
      Promise.resolve({
        ...widget,
        data: { ...widget.data, defaultCountry: { iso2: 'US', name: 'US', dialCode: '1' } },
      }),
    );
    const loading = store.loadPhoneFormatting();
    store.inputPhone('415555', true);
    expect(store.phoneText.value).toBe('415555');
    arrive(await import('./phone.ts'));
    await loading;
    expect(store.phoneText.value).toBe('(415) 555');
    store.inputPhone('(415) 5550', true);
    expect(store.phoneText.value).toBe('(415) 555-0');
    // Deleting a bracket or space isn't undone by reformatting.
    store.inputPhone('(415 555-0', false);
    expect(store.phoneText.value).toBe('(415 555-0');
    // Deleting a digit reformats what is left.
    store.inputPhone('(415) 555-0', true);
    store.inputPhone('(415) 555-', true);
    expect(store.phoneText.value).toBe('(415) 555');
  });
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
