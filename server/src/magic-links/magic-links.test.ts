import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_AUTHKEY, TEST_ISSUER } from '../testing/harness.ts';

const API = '/api/v5/widget';
const EMAIL = 'ana@example.com';
const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

type Widget = { widgetId: string; tokenAuth: string };

async function magicWidget(settings: Record<string, unknown> = {}): Promise<Widget> {
  return h.createWidget({
    verificationType: 'magic_link',
    allowedOrigins: ['https://shop.example'],
    redirectUrl: 'https://shop.example/welcome?from=mail',
    ...settings,
  });
}

async function requestLink(w: Widget, identifier = EMAIL): Promise<string> {
  const res = await h.post(
    `${API}/sendOtpMobile`,
    { ...w, identifier },
    { origin: 'https://shop.example', 'user-agent': CHROME_UA },
  );
  expect(res.status).toBe(200);
  return res.body.reqId;
}

/** The link in the newest outbox message to `to` (its path, to request in process). */
async function lastLink(to = EMAIL): Promise<string> {
  const [message] = await h.outbox(to);
  const url = message?.text.match(/https?:\/\/\S+\/verify\/[A-Za-z0-9_-]+/)?.[0];
  if (!url) throw new Error(`no link in ${message?.text}`);
  expect(url.startsWith(`${TEST_ISSUER}/verify/`)).toBe(true);
  return new URL(url).pathname;
}

async function openPage(path: string) {
  const res = await h.app.request(path, { headers: { 'accept-language': 'en' } });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

function csrfOf(html: string): string {
  const csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error('no csrf field');
  return csrf;
}

async function confirm(path: string, csrf: string, headers: Record<string, string> = {}) {
  const res = await h.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ csrf }).toString(),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    headers: res.headers,
    html: await res.text(),
  };
}

const poll = (w: Widget, requestId: string, extra: Record<string, unknown> = {}) =>
  h.post(`${API}/isOneTapAuthenticated`, { requestId, tokenAuth: w.tokenAuth, ...extra });

describe('magic links', () => {
  it('sends a link (not a code) that a GET shows and only a POST confirms', async () => {
    const w = await magicWidget();
    const reqId = await requestLink(w);
    const [message] = await h.outbox(EMAIL);
    expect(message?.text).toContain('sign in to Test shop');
    expect(message?.text).not.toMatch(/\b\d{6}\b/);
    const path = await lastLink();

    // A mail scanner prefetching the link (even several times) verifies nothing.
    const page = await openPage(path);
    await openPage(path);
    expect(page.status).toBe(200);
    expect(page.html).toContain('shop.example (Test shop)');
    expect(page.html).toContain('Chrome 120 on Windows');
    expect(page.html).toContain('does not look up places');
    expect(page.html).not.toContain('<script');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self' https://shop.example");
    expect(csp).toMatch(/style-src 'sha256-[^']+'/);
    expect((await poll(w, reqId)).body).toEqual({ type: 'success', verified: false });

    const done = await confirm(path, csrfOf(page.html));
    expect(done.status).toBe(303);
    const target = new URL(done.location!);
    expect(target.origin).toBe('https://shop.example');
    expect(target.pathname).toBe('/welcome');
    expect(target.searchParams.get('from')).toBe('mail');
    expect(target.searchParams.get('otpkit')).toBe('verified');
    expect(target.searchParams.get('reqId')).toBe(reqId);

    // The asking tab collects the access token, the same one on every poll, until it is redeemed.
    const first = await poll(w, reqId);
    expect(first.body.verified).toBe(true);
    expect(typeof first.body.message).toBe('string');
    expect((await poll(w, reqId, { reqId, requestId: undefined })).body.message).toBe(
      first.body.message,
    );
    const redeemed = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': first.body.message,
    });
    expect(redeemed.body).toMatchObject({ type: 'success', identifier: EMAIL, channel: 'email' });
    const after = await poll(w, reqId);
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('ALREADY_VERIFIED');

    const kinds = (await h.services.store.events.listForRequest(reqId)).map(
      (e) => `${e.kind}:${e.outcome}`,
    );
    expect(kinds).toEqual([
      'link-sent:ok',
      'link-opened:ok',
      'link-opened:ok',
      'link-verified:ok',
      'verify-token:ok',
    ]);
  });

  it('a link works once: a second confirmation gets a clear 410 page', async () => {
    const w = await magicWidget({ redirectUrl: null });
    await requestLink(w);
    const path = await lastLink();
    const csrf = csrfOf((await openPage(path)).html);
    const [a, b] = await Promise.all([confirm(path, csrf), confirm(path, csrf)]);
    expect([a.status, b.status].sort()).toEqual([200, 410]);
    const done = a.status === 200 ? a : b;
    expect(done.html).toContain('You are signed in');
    const again = await openPage(path);
    expect(again.status).toBe(410);
    expect(again.html).toContain('This link has already been used');
    expect(again.html).not.toContain('csrf');
  });

  it('an expired link gets a 410 page and the poll says OTP_EXPIRED', async () => {
    const w = await magicWidget({ expiryTime: 5 });
    const reqId = await requestLink(w);
    const path = await lastLink();
    const csrf = csrfOf((await openPage(path)).html);
    h.clock.advance(5 * 60_000);
    const page = await openPage(path);
    expect(page.status).toBe(410);
    expect(page.html).toContain('This link has expired');
    expect((await confirm(path, csrf)).status).toBe(410);
    const polled = await poll(w, reqId);
    expect(polled.status).toBe(410);
    expect(polled.body.code).toBe('OTP_EXPIRED');
  });

  it('a tampered or unknown link gets a 404 page, not an error', async () => {
    const w = await magicWidget();
    await requestLink(w);
    const path = await lastLink();
    const last = path.at(-1) === 'A' ? 'B' : 'A';
    for (const bad of [`${path.slice(0, -1)}${last}`, '/verify/short', '/verify/%3Cscript%3E']) {
      const page = await openPage(bad);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.html).toContain('This link is not valid');
      expect(page.html).not.toContain('<script>');
    }
    const post = await confirm(`${path.slice(0, -1)}${last}`, 'x');
    expect(post.status).toBe(404);
  });

  it('the confirmation needs the CSRF token of its own link and a same-origin post', async () => {
    const w = await magicWidget();
    await requestLink(w, 'a@example.com');
    const pathA = await lastLink('a@example.com');
    await requestLink(w, 'b@example.com');
    const pathB = await lastLink('b@example.com');
    const csrfB = csrfOf((await openPage(pathB)).html);
    const csrfA = csrfOf((await openPage(pathA)).html);

    expect((await confirm(pathA, '')).status).toBe(403);
    expect((await confirm(pathA, csrfB)).status).toBe(403);
    const crossSite = await confirm(pathA, csrfA, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.html).toContain('could not be checked');
    expect((await confirm(pathA, csrfA, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // None of the refusals used the link.
    const ok = await confirm(pathA, csrfA, {
      origin: TEST_ISSUER,
      'sec-fetch-site': 'same-origin',
    });
    expect(ok.status).toBe(303);
  });

  it('redirects only to a redirectUrl on allowedOrigins, never to one from the request', async () => {
    const refused = await h.post(
      '/api/v1/widgets',
      {
        name: 'Shop',
        contactPoints: ['email'],
        verificationType: 'magic_link',
        redirectUrl: 'https://elsewhere.example/',
      },
      { authkey: TEST_AUTHKEY },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toContainEqual({
      path: 'redirectUrl',
      message: 'must be on one of allowedOrigins',
    });

    const w = await magicWidget();
    await requestLink(w);
    const path = await lastLink();
    const csrf = csrfOf((await openPage(path)).html);
    const res = await h.app.request(`${path}?redirect=https://evil.example/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, redirectUrl: 'https://evil.example/' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).origin).toBe('https://shop.example');
  });

  it('a resend sends a fresh link within the resend rules; the first still works until used', async () => {
    const w = await magicWidget({ retryTime: 30, retryCount: 1 });
    const reqId = await requestLink(w);
    const first = await lastLink();
    const early = await h.post(`${API}/retryOtp`, { ...w, reqId });
    expect(early.status).toBe(429);
    expect(early.body.code).toBe('RETRY_TOO_SOON');
    h.clock.advance(30_000);
    const resent = await h.post(`${API}/retryOtp`, { ...w, reqId });
    expect(resent.status).toBe(200);
    expect(resent.body.retriesLeft).toBe(0);
    const second = await lastLink();
    expect(second).not.toBe(first);
    h.clock.advance(30_000);
    expect((await h.post(`${API}/retryOtp`, { ...w, reqId })).body.code).toBe(
      'RETRY_LIMIT_REACHED',
    );
    // Voice never carries a link.
    const voice = await h.post(`${API}/retryOtp`, { ...w, reqId, retryChannel: 4 });
    expect(voice.body.code).toBe('CHANNEL_NOT_ALLOWED');

    const csrf = csrfOf((await openPage(second)).html);
    expect((await confirm(second, csrf)).status).toBe(303);
    expect((await openPage(first)).status).toBe(410);
    const kinds = (await h.services.store.events.listForRequest(reqId)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'link-resent')).toHaveLength(4);
  });

  it('sends a link by SMS to a mobile number (never by voice), and a code cannot verify it', async () => {
    const w = await magicWidget({ countryChannels: { US: 'whatsapp' } });
    const reqId = await requestLink(w, '919876543210');
    const [sms] = await h.outbox('919876543210');
    expect(sms?.channel).toBe('sms');
    expect(sms?.text).toContain(`${TEST_ISSUER}/verify/`);
    const otp = await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: '123456' });
    expect(otp.body.code).toBe('INVALID_REQUEST');

    const voiceWidget = await h.post(
      '/api/v1/widgets',
      {
        name: 'Voice',
        verificationType: 'magic_link',
        primaryChannel: { mobile: 'voice' },
      },
      { authkey: TEST_AUTHKEY },
    );
    expect(voiceWidget.status).toBe(400);
  });

  it('a newer link replaces the older one', async () => {
    const w = await magicWidget();
    const oldReq = await requestLink(w);
    const oldPath = await lastLink();
    await requestLink(w);
    const page = await openPage(oldPath);
    expect(page.status).toBe(410);
    expect(page.html).toContain('A newer link was sent');
    expect((await poll(w, oldReq)).body.code).toBe('OTP_EXPIRED');
  });

  it('isOneTapAuthenticated checks the widget token and the request', async () => {
    const w = await magicWidget();
    const reqId = await requestLink(w);
    const other = await magicWidget();
    expect((await poll(w, 'f'.repeat(24))).body.code).toBe('REQUEST_NOT_FOUND');
    expect((await poll(w, reqId, { tokenAuth: 'nope' })).body.code).toBe('INVALID_TOKEN_AUTH');
    expect((await poll(other, reqId, { widgetId: other.widgetId })).body.code).toBe(
      'REQUEST_NOT_FOUND',
    );
    expect((await poll(w, '')).status).toBe(404);
    const evil = await h.post(
      `${API}/isOneTapAuthenticated`,
      { requestId: reqId, tokenAuth: w.tokenAuth },
      { origin: 'https://evil.example' },
    );
    expect(evil.body.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('shows the page in Hindi for a Hindi widget', async () => {
    const w = await magicWidget({ language: 'hi' });
    await requestLink(w);
    const [message] = await h.outbox(EMAIL);
    expect(message?.text).toContain('साइन इन');
    const page = await openPage(await lastLink());
    expect(page.html).toContain('lang="hi"');
    expect(page.html).toContain('हाँ, मुझे साइन इन करें');
  });
});
