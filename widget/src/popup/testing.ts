/**
 * What the popup's DOM tests share: a loaded widget, a client whose every
 * call is a spy answering as the server would, and ways into the popup's
 * shadow root. Not a test file itself.
 */
import { vi } from 'vitest';
import type { OtpClient, WidgetLoaded } from '../client.ts';

export const widget: WidgetLoaded = {
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

export function fakeClient(overrides: Partial<OtpClient> = {}): OtpClient {
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
export const HOST_ID = 'otpkit-widget-host';

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
export function shadow(): ShadowRoot {
  const root = document.getElementById(HOST_ID)?.shadowRoot;
  if (!root) throw new Error('no popup');
  return root;
}

export function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
