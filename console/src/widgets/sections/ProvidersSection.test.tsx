import type { ConfiguredProvider, Widget } from '@otpkit/protocol';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { type FormState, useForm } from '../../ui/use-form.ts';
import {
  formFromWidget,
  settingsFromForm,
  validateWidgetForm,
  type WidgetForm,
  widgetErrorsFromIssues,
} from '../form.ts';
import { ProvidersSection } from './ProvidersSection.tsx';

const CONFIGURED: ConfiguredProvider[] = [
  { name: 'msg91', channels: ['sms'] },
  { name: 'twilio', channels: ['sms', 'whatsapp', 'voice'] },
  { name: 'smtp', channels: ['email'] },
];

const widget: Widget = {
  ...formlessDefaults(),
  // A single name keeps working: it reads as a list of one.
  channelProviders: { sms: ['msg91', 'twilio'], whatsapp: 'twilio', email: 'postmark' },
  countryProviders: { IN: { sms: ['msg91'] } },
};

function formlessDefaults(): Widget {
  return {
    widgetId: 'w1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    name: 'Shop',
    status: 'enabled',
    verificationType: 'otp',
    contactPoints: ['mobile', 'email'],
    primaryChannel: { mobile: 'sms', email: 'email' },
    retryChannels: { mobile: ['sms'], email: ['email'] },
    countryChannels: {},
    otpLength: 6,
    retryCount: 3,
    retryTime: 30,
    expiryTime: 10,
    maxAttempts: 5,
    defaultCountry: 'IN',
    allowedCountries: null,
    captcha: { provider: 'none' },
    invisible: false,
    mobileIntegration: false,
    iFrame: false,
    androidAppHash: null,
    passkeys: false,
    allowedOrigins: [],
    language: 'auto',
    fallbackChannel: 'voice',
    channelProviders: {},
    countryProviders: {},
    voiceCallerId: null,
    autoRetry: false,
    redirectUrl: null,
    demoCredentials: [],
    brandColor: null,
    logoUrl: null,
  };
}

let root: HTMLElement;
let f: FormState<WidgetForm>;
let refusal: ApiError | null = null;

function Host() {
  f = useForm({
    initial: formFromWidget(widget),
    validate: validateWidgetForm,
    placeIssues: widgetErrorsFromIssues,
    submit: async (form) => {
      if (refusal) throw refusal;
      return form;
    },
  });
  return <ProvidersSection f={f} />;
}

const button = (name: string): HTMLButtonElement => {
  const found = [...root.querySelectorAll('button')].find(
    (b) => b.getAttribute('aria-label') === name || b.textContent === name,
  );
  if (!found) throw new Error(`no button ${name}`);
  return found;
};
const list = (label: string): string[] =>
  [...(root.querySelector(`ol[aria-label="${label}"]`)?.querySelectorAll('li .mono') ?? [])].map(
    (n) => n.textContent ?? '',
  );
const settle = () => act(async () => {});

beforeEach(async () => {
  refusal = null;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      expect(url).toBe('/api/v1/providers');
      return new Response(JSON.stringify({ providers: CONFIGURED }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<Host />, root));
  await settle();
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});

describe('Delivery providers section', () => {
  it('shows each channel’s list in order, marking names the deployment has not configured', () => {
    expect(list('SMS providers')).toEqual(['msg91', 'twilio']);
    expect(list('WhatsApp providers')).toEqual(['twilio']);
    expect(list('Email providers')).toEqual(['postmark']);
    expect(root.textContent).toContain('postmark (not configured)');
    // No list: the deployment's first provider of the channel sends alone.
    expect(root.textContent).toContain('None chosen: twilio, the deployment’s first.');
  });

  it('reorders, removes and adds providers, and saves the lists in that order', async () => {
    await act(() => button('Move msg91 down').click());
    expect(list('SMS providers')).toEqual(['twilio', 'msg91']);
    await act(() => button('Remove postmark').click());
    const add = root.querySelector<HTMLSelectElement>('#field-channelProviders-email-add')!;
    expect([...add.options].map((o) => o.value)).toEqual(['', 'smtp']);
    await act(() => {
      add.value = 'smtp';
      add.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(f.dirty).toBe(true);
    expect(settingsFromForm(f.form).channelProviders).toEqual({
      sms: ['twilio', 'msg91'],
      whatsapp: ['twilio'],
      email: ['smtp'],
    });
  });

  it('adds a per-country override and refuses to save it without a provider', async () => {
    await act(() => button('Add override for a country').click());
    const country = root.querySelector<HTMLSelectElement>('#field-countryProviders-1-country')!;
    await act(() => {
      country.value = 'US';
      country.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(() => f.save());
    expect(f.err('countryProviders.1')).toBe('Add at least one provider');
    const add = root.querySelector<HTMLSelectElement>('#field-countryProviders-1-providers-add')!;
    await act(() => {
      add.value = 'twilio';
      add.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(f.clientErrors).toEqual({});
    expect(settingsFromForm(f.form).countryProviders).toEqual({
      IN: { sms: ['msg91'] },
      US: { sms: ['twilio'] },
    });
  });

  it('shows the server’s field errors on the list or row they are about', async () => {
    refusal = new ApiError(400, 'INVALID_REQUEST', 'invalid', [
      { path: 'channelProviders.email', message: 'must be one of "smtp", "ses"' },
      { path: 'countryProviders.IN.sms.0', message: 'must not repeat a provider' },
    ]);
    await act(() => f.save());
    await settle();
    expect(root.querySelector('#field-channelProviders-email-error')?.textContent).toBe(
      'Must be one of "smtp", "ses"',
    );
    expect(root.querySelector('#field-countryProviders-0-country-error')?.textContent).toBe(
      'Must not repeat a provider',
    );
    // Changing that list clears its error.
    await act(() => button('Remove postmark').click());
    expect(root.querySelector('#field-channelProviders-email-error')).toBeNull();
  });
});
