import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/harness.ts';
import { type CaptchaSolve, startCaptchaStandIn } from '../../testing/standins.ts';
import { siteverify } from './siteverify.ts';

const API = '/api/v5/widget';
const SECRET = 'captcha-secret';
const SITE_KEY = 'captcha-site-key';

/** A siteverify that answers `body` (and records the form it got). */
function answering(body: unknown) {
  const forms: URLSearchParams[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    forms.push(new URLSearchParams(String(init.body)));
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, forms };
}

const base = { secret: 's', token: 't', remoteIp: '203.0.113.5' };

describe('siteverify', () => {
  it('needs success: true', async () => {
    const { fetch } = answering({ success: false, 'error-codes': ['invalid-input-response'] });
    expect(await siteverify('http://x', { ...base, fetch })).toEqual({
      ok: false,
      reason: 'rejected: invalid-input-response',
    });
    expect((await siteverify('http://x', { ...base, fetch: answering(null).fetch })).ok).toBe(
      false,
    );
    expect(
      (await siteverify('http://x', { ...base, fetch: answering({ success: 'true' }).fetch })).ok,
    ).toBe(false);
  });

  it('checks the hostname against the list (case-insensitively), when there is one', async () => {
    const hostnames = ['shop.example', 'www.shop.example'];
    const at = (hostname: unknown) =>
      siteverify('http://x', {
        ...base,
        hostnames,
        fetch: answering({ success: true, hostname }).fetch,
      });
    expect((await at('shop.example')).ok).toBe(true);
    expect((await at('WWW.Shop.Example')).ok).toBe(true);
    expect((await at('evil.example')).ok).toBe(false);
    expect((await at('shop.example.evil.example')).ok).toBe(false);
    expect((await at(undefined)).ok).toBe(false);
    expect((await at(42)).ok).toBe(false);
    // No list: any host (a widget without allowedOrigins).
    const open = answering({ success: true, hostname: 'anywhere.example' });
    expect((await siteverify('http://x', { ...base, hostnames: [], fetch: open.fetch })).ok).toBe(
      true,
    );
  });

  it('checks the action when the provider names one', async () => {
    const as = (action: unknown) =>
      siteverify('http://x', {
        ...base,
        action: 'otp',
        fetch: answering({ success: true, action }).fetch,
      });
    expect((await as('otp')).ok).toBe(true);
    expect(await as('login')).toEqual({ ok: false, reason: 'action login, not otp' });
    expect(await as(undefined)).toEqual({ ok: false, reason: 'action missing, not otp' });
    // hCaptcha has no action: none is asked for.
    const none = answering({ success: true, action: 'anything' });
    expect((await siteverify('http://x', { ...base, action: null, fetch: none.fetch })).ok).toBe(
      true,
    );
  });

  it('reCAPTCHA v3: a numeric score at or above the threshold', async () => {
    const scored = (score: unknown) =>
      siteverify('http://x', {
        ...base,
        scoreThreshold: 0.5,
        fetch: answering({ success: true, score }).fetch,
      });
    expect((await scored(0.5)).ok).toBe(true);
    expect((await scored(0.9)).ok).toBe(true);
    expect(await scored(0.3)).toEqual({ ok: false, reason: 'score 0.3 below 0.5' });
    for (const bad of [undefined, null, '0.9', Number.NaN, true]) {
      expect(await scored(bad)).toEqual({
        ok: false,
        reason: 'no numeric score (not a reCAPTCHA v3 answer)',
      });
    }
  });

  it('sends the secret, the token, the address and (when given) the site key', async () => {
    const { fetch, forms } = answering({ success: true });
    await siteverify('http://x', { ...base, siteKey: 'k', fetch });
    expect(Object.fromEntries(forms[0]!)).toEqual({
      secret: 's',
      response: 't',
      remoteip: '203.0.113.5',
      sitekey: 'k',
    });
  });
});

describe('third-party captcha on a send', () => {
  let standIn: Awaited<ReturnType<typeof startCaptchaStandIn>>;
  beforeAll(async () => {
    standIn = await startCaptchaStandIn({ secret: SECRET, siteKey: SITE_KEY });
  });
  afterAll(() => standIn.close());

  async function send(
    provider: 'recaptcha-v3' | 'turnstile' | 'hcaptcha',
    solve: CaptchaSolve,
    widget: Record<string, unknown> = { allowedOrigins: ['https://shop.example:8443'] },
    token?: string,
  ) {
    const h = await createHarness({ env: standIn.env });
    try {
      const w = await h.createWidget({
        ...widget,
        captcha: { provider, siteKey: SITE_KEY, secretKey: SECRET },
      });
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210', captcha: token ?? standIn.solve(provider, solve) },
        { origin: 'https://shop.example:8443' },
      );
      return res.status === 200 ? 'sent' : res.body.code;
    } finally {
      await h.close();
    }
  }

  it('passes an answer from one of the widget’s hosts (port aside) for its action', async () => {
    for (const provider of ['recaptcha-v3', 'turnstile', 'hcaptcha'] as const) {
      expect(await send(provider, {})).toBe('sent');
    }
    // hCaptcha is told which site key the token must be for.
    const hcaptcha = standIn.requests.filter((r) => r.provider === 'hcaptcha').at(-1);
    expect(hcaptcha?.form.sitekey).toBe(SITE_KEY);
  });

  it('refuses an answer from another host, or one naming no host', async () => {
    for (const provider of ['recaptcha-v3', 'turnstile', 'hcaptcha'] as const) {
      expect(await send(provider, { hostname: 'evil.example' })).toBe('CAPTCHA_FAILED');
      expect(await send(provider, { hostname: null })).toBe('CAPTCHA_FAILED');
    }
  });

  it('accepts any host for a widget without allowedOrigins', async () => {
    expect(await send('turnstile', { hostname: 'anywhere.example' }, {})).toBe('sent');
  });

  it('refuses another action (reCAPTCHA v3, Turnstile); hCaptcha has none', async () => {
    expect(await send('recaptcha-v3', { action: 'login' })).toBe('CAPTCHA_FAILED');
    expect(await send('turnstile', { action: 'login' })).toBe('CAPTCHA_FAILED');
    expect(await send('turnstile', { action: null })).toBe('CAPTCHA_FAILED');
    expect(await send('hcaptcha', { action: 'login' })).toBe('sent');
  });

  it('reCAPTCHA v3: refuses no score, a non-numeric one, and one below the threshold', async () => {
    expect(await send('recaptcha-v3', { score: null })).toBe('CAPTCHA_FAILED');
    expect(await send('recaptcha-v3', { score: '0.9' })).toBe('CAPTCHA_FAILED');
    expect(await send('recaptcha-v3', { score: 0.2 })).toBe('CAPTCHA_FAILED');
  });

  it('refuses a token used twice and one the provider does not know', async () => {
    const token = standIn.solve('turnstile', {});
    expect(await send('turnstile', {}, undefined, token)).toBe('sent');
    expect(await send('turnstile', {}, undefined, token)).toBe('CAPTCHA_FAILED');
    expect(await send('turnstile', {}, undefined, 'made-up')).toBe('CAPTCHA_FAILED');
  });
});
