import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cryptoRandom } from '../../platform/runtime.ts';
import { createHarness, type Harness, TEST_AUTHKEY, TEST_ISSUER } from '../../testing/harness.ts';
import { hashLinkToken } from './links.ts';

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

/** The match number each identifier's asking tab was shown, and each link path's. */
const numberFor = new Map<string, number>();
const numberOfPath = new Map<string, number>();

async function requestLink(w: Widget, identifier = EMAIL): Promise<string> {
  const res = await h.post(
    `${API}/sendOtpMobile`,
    { ...w, identifier },
    { origin: 'https://shop.example', 'user-agent': CHROME_UA },
  );
  expect(res.status).toBe(200);
  expect(res.body.matchNumber).toBeGreaterThanOrEqual(10);
  expect(res.body.matchNumber).toBeLessThanOrEqual(99);
  numberFor.set(identifier, res.body.matchNumber);
  return res.body.reqId;
}

/** The link in the newest outbox message to `to` (its path, to request in process). */
async function lastLink(to = EMAIL): Promise<string> {
  const [message] = await h.outbox(to);
  const url = message?.text.match(/https?:\/\/\S+\/verify\/[A-Za-z0-9_-]+/)?.[0];
  if (!url) throw new Error(`no link in ${message?.text}`);
  expect(url.startsWith(`${TEST_ISSUER}/verify/`)).toBe(true);
  const path = new URL(url).pathname;
  const number = numberFor.get(to);
  if (number !== undefined) numberOfPath.set(path, number);
  return path;
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

/** Posts the confirmation form; `match` defaults to the number the link's asking tab was shown. */
async function confirm(
  path: string,
  csrf: string,
  headers: Record<string, string> = {},
  match: string | undefined = numberOfPath.has(path) ? String(numberOfPath.get(path)) : undefined,
) {
  const form = new URLSearchParams({ csrf });
  if (match !== undefined) form.set('match', match);
  const res = await h.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form.toString(),
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
    expect((await poll(w, reqId)).body).toEqual({
      type: 'success',
      verified: false,
      matchNumber: numberFor.get(EMAIL),
    });

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
      body: new URLSearchParams({
        csrf,
        match: String(numberFor.get(EMAIL)),
        redirectUrl: 'https://evil.example/',
      }).toString(),
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
    expect(page.html).toContain('मुझे साइन इन करें');
    expect(page.html).toContain('सत्यापित नहीं');
  });
});

describe('number matching', () => {
  /** The page of a link, opened, with its CSRF token. */
  async function openForm(path: string) {
    const page = await openPage(path);
    expect(page.status).toBe(200);
    return { page, csrf: csrfOf(page.html) };
  }
  const wrong = (n: number) => String(n === 99 ? 10 : n + 1);

  it('draws the number from the random source (10–99); send, resend and poll carry it, the message never', async () => {
    const drawn: [number, number][] = [];
    await h.close();
    h = await createHarness({
      random: {
        ...cryptoRandom,
        int: (min, max) => {
          drawn.push([min, max]);
          return min === 10 && max === 100 ? 42 : cryptoRandom.int(min, max);
        },
      },
    });
    const w = await magicWidget({ retryTime: 0 });
    const reqId = await requestLink(w);
    expect(drawn).toContainEqual([10, 100]);
    expect(numberFor.get(EMAIL)).toBe(42);
    expect((await poll(w, reqId)).body.matchNumber).toBe(42);
    const resent = await h.post(`${API}/retryOtp`, { ...w, reqId });
    expect(resent.body.matchNumber).toBe(42);
    for (const message of await h.outbox(EMAIL)) expect(message.text).not.toMatch(/\b42\b/);
    // The page asks for it and never shows it.
    const { page } = await openForm(await lastLink());
    expect(page.html).toContain('name="match"');
    expect(page.html).not.toMatch(/>\s*42\s*</);
    // A code widget's send has no number.
    const code = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...code, identifier: EMAIL });
    expect(sent.body.matchNumber).toBeUndefined();
  });

  it('states which facts it could not verify', async () => {
    const w = await magicWidget();
    await requestLink(w);
    const { page } = await openForm(await lastLink());
    expect(page.html).toContain('Site (as claimed)');
    expect(page.html).toContain('Browser (as claimed)');
    expect(page.html).toMatch(/data-field="unverified">Not verified: the site and the browser/);
    expect(page.html).toContain('anyone can ask for a link while claiming to be any site');
  });

  it('a wrong number ends the link for good: page, poll (LINK_EXPIRED), the right number, resends', async () => {
    const w = await magicWidget({ retryTime: 0, retryCount: 3 });
    const reqId = await requestLink(w);
    const n = numberFor.get(EMAIL)!;
    const first = await lastLink();
    expect((await h.post(`${API}/retryOtp`, { ...w, reqId })).status).toBe(200);
    const second = await lastLink();
    const { csrf } = await openForm(second);

    const refused = await confirm(second, csrf, {}, wrong(n));
    expect(refused.status).toBe(410);
    expect(refused.location).toBeNull();
    expect(refused.html).toContain('This link no longer works');
    // Single try: the right number no longer works, on this link or the request's other one.
    const retried = await confirm(second, csrf, {}, String(n));
    expect(retried.status).toBe(410);
    expect(retried.html).toContain('This link no longer works');
    expect((await openPage(second)).html).toContain('This link no longer works');
    const other = await openPage(first);
    expect(other.status).toBe(410);
    expect(other.html).toContain('This link no longer works');
    expect((await confirm(first, csrf, {}, String(n))).status).toBe(410);

    const polled = await poll(w, reqId);
    expect(polled.status).toBe(410);
    expect(polled.body.code).toBe('LINK_EXPIRED');
    expect(polled.body['access-token']).toBeUndefined();
    const resend = await h.post(`${API}/retryOtp`, { ...w, reqId });
    expect(resend.status).toBe(410);
    expect(resend.body.code).toBe('LINK_EXPIRED');
    const outcomes = (await h.services.store.events.listForRequest(reqId))
      .filter((e) => e.kind === 'link-verified')
      .map((e) => e.outcome);
    expect(outcomes[0]).toBe('LINK_EXPIRED');
    expect(outcomes).not.toContain('ok');
    // A new request starts afresh.
    await requestLink(w);
    const fresh = await lastLink();
    expect((await confirm(fresh, (await openForm(fresh)).csrf)).status).toBe(303);
  });

  it('a missing or malformed number is not a try: the page asks again and the link still works', async () => {
    const w = await magicWidget();
    const reqId = await requestLink(w);
    const path = await lastLink();
    const { csrf } = await openForm(path);
    // No field at all, then an empty or mistyped one.
    const bare = await h.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(bare.status).toBe(400);
    for (const typed of ['', '7', '123', 'ab', '4 2', '-1']) {
      const again = await confirm(path, csrf, {}, typed);
      expect(again.status).toBe(400);
      expect(again.html).toContain('Type the two-digit number to continue.');
      expect(again.html).toContain('name="csrf"');
    }
    expect((await poll(w, reqId)).body.verified).toBe(false);
    expect((await confirm(path, csrf, {}, ` ${numberFor.get(EMAIL)} `)).status).toBe(303);
    expect((await poll(w, reqId)).body.verified).toBe(true);
  });

  it('the CSRF token and the same-origin check come before the number: a forged post spends no try', async () => {
    const w = await magicWidget();
    await requestLink(w);
    const path = await lastLink();
    const { csrf } = await openForm(path);
    const n = numberFor.get(EMAIL)!;
    expect((await confirm(path, 'forged', {}, wrong(n))).status).toBe(403);
    expect((await confirm(path, csrf, { origin: 'https://evil.example' }, wrong(n))).status).toBe(
      403,
    );
    expect((await confirm(path, csrf)).status).toBe(303);
  });

  it('a right and a wrong number at once: exactly one wins, and never both', async () => {
    const w = await magicWidget({ redirectUrl: null });
    const reqId = await requestLink(w);
    const path = await lastLink();
    const { csrf } = await openForm(path);
    const n = numberFor.get(EMAIL)!;
    const [right, bad] = await Promise.all([
      confirm(path, csrf, {}, String(n)),
      confirm(path, csrf, {}, wrong(n)),
    ]);
    const polled = await poll(w, reqId);
    if (right.status === 200) {
      expect(bad.status).toBe(410);
      expect(polled.body.verified).toBe(true);
    } else {
      expect(right.status).toBe(410);
      expect(bad.html).toContain('This link no longer works');
      expect(polled.body.code).toBe('LINK_EXPIRED');
    }
  });
});

describe('a link request from before number matching', () => {
  it('has no number: the page asks for none and the button alone confirms', async () => {
    const w = await magicWidget({ redirectUrl: null });
    const reqId = await requestLink(w);
    const request = (await h.services.store.otpRequests.get(reqId))!;
    // The same request as an older server stored it: no match number.
    const token = cryptoRandom.token(32);
    const old = await h.services.store.otpRequests.create(
      {
        ...request,
        id: 'old-request-000000000000',
        identifier: 'old@example.com',
        matchNumber: null,
      },
      undefined,
      {
        tokenHash: hashLinkToken(h.services.otp.secret, token),
        requestId: 'old-request-000000000000',
        widgetId: w.widgetId,
        expiresAt: request.expiresAt,
        createdAt: request.createdAt,
      },
    );
    expect(old.matchNumber).toBeNull();
    const path = `/verify/${token}`;
    const page = await openPage(path);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('name="match"');
    expect((await confirm(path, csrfOf(page.html))).status).toBe(200);
    expect((await poll(w, old.id)).body).toMatchObject({ verified: true });
    expect((await poll(w, old.id)).body.matchNumber).toBeUndefined();
  });
});
