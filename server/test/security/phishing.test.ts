/**
 * The attack suite, phishing and captcha rows: a magic link asked for by a
 * stranger in the victim's name, and third-party captcha answers solved
 * somewhere else or for something else. Printed as a table (attack,
 * expected, got) like `attacks.test.ts`.
 */
import { expect, it } from 'vitest';
import { createHarness, type Harness } from '../../src/testing/harness.ts';
import { type CaptchaSolve, startCaptchaStandIn } from '../../src/testing/standins.ts';
import { type Attack, attackSuite } from './suite.ts';

const API = '/api/v5/widget';
const SHOP = 'https://shop.example';
const VICTIM = 'victim@example.com';
const CAPTCHA_SECRET = 'captcha-secret';
const CAPTCHA_SITE_KEY = 'captcha-site-key';

interface Outcome {
  status: number;
  code: string;
}
const show = (o: Outcome): string => `${o.status} ${o.code}`;

type Provider = 'recaptcha-v3' | 'turnstile' | 'hcaptcha';

/**
 * Sends through a widget guarded by `provider` (on shop.example) with a
 * token the stand-in answers as `solve` says; returns the send's outcome.
 */
async function sendWithCaptcha(provider: Provider, solve: CaptchaSolve): Promise<Outcome> {
  const standIn = await startCaptchaStandIn({
    secret: CAPTCHA_SECRET,
    siteKey: CAPTCHA_SITE_KEY,
  });
  const h = await createHarness({ env: standIn.env });
  try {
    const w = await h.createWidget({
      allowedOrigins: [SHOP],
      captcha: { provider, siteKey: CAPTCHA_SITE_KEY, secretKey: CAPTCHA_SECRET },
    });
    const res = await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543210', captcha: standIn.solve(provider, solve) },
      { origin: SHOP },
    );
    // The call must have reached the provider: a refusal before it proves nothing.
    if (standIn.requests.length !== 1) return { status: res.status, code: 'siteverify not asked' };
    return { status: res.status, code: res.body.code ?? 'SENT' };
  } finally {
    await h.close();
    await standIn.close();
  }
}

/** The first outcome among `providers` that is not `expected`, else `expected`. */
async function everyProvider(
  providers: Provider[],
  solve: CaptchaSolve,
  expected: Outcome,
): Promise<Outcome> {
  for (const provider of providers) {
    const got = await sendWithCaptcha(provider, solve);
    if (show(got) !== show(expected))
      return { status: got.status, code: `${got.code} (${provider})` };
  }
  return expected;
}

/** The link path in the newest message to `to`. */
async function linkPath(h: Harness, to: string): Promise<string> {
  const [message] = await h.outbox(to);
  const url = message?.text.match(/https?:\/\/\S+\/verify\/[A-Za-z0-9_-]+/)?.[0];
  if (!url) throw new Error(`no link in ${message?.text}`);
  return new URL(url).pathname;
}

/** Posts the confirmation form of a link as its page would. */
async function confirm(h: Harness, path: string, csrf: string, match: string) {
  return h.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, match }).toString(),
  });
}

const captchaFailed: Outcome = { status: 403, code: 'CAPTCHA_FAILED' };

const attacks: Attack[] = [
  {
    attack: "a stranger's magic link, confirmed by the victim with a wrong number",
    expected: { status: 410, code: 'LINK_EXPIRED' },
    async run() {
      const h = await createHarness();
      try {
        const w = await h.createWidget({
          verificationType: 'magic_link',
          allowedOrigins: [SHOP],
          redirectUrl: `${SHOP}/welcome`,
        });
        // The stranger asks for a link in the victim's name, claiming to be the real site.
        const sent = await h.post(
          `${API}/sendOtpMobile`,
          { ...w, identifier: VICTIM },
          { origin: SHOP, 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Chrome/120.0.0.0' },
        );
        const { reqId, matchNumber } = sent.body as { reqId: string; matchNumber?: number };
        // The victim opens the real-looking page; they were shown no number, so any they type is a guess.
        const path = await linkPath(h, VICTIM);
        const page = await (await h.app.request(path)).text();
        const csrf = page.match(/name="csrf" value="([^"]+)"/)?.[1] ?? '';
        const guess = matchNumber === 50 ? '51' : '50';
        const confirmed = await confirm(h, path, csrf, guess);
        const polled = await h.post(`${API}/isOneTapAuthenticated`, {
          requestId: reqId,
          tokenAuth: w.tokenAuth,
        });
        if (polled.body['access-token'] || confirmed.status === 303) {
          return { status: polled.status, code: 'TOKEN HANDED TO THE STRANGER' };
        }
        // Single try: the right number (had the victim been told it) no longer works either.
        const again = await confirm(h, path, csrf, String(matchNumber));
        if (again.status !== 410) return { status: again.status, code: 'LINK STILL ALIVE' };
        const after = await h.post(`${API}/isOneTapAuthenticated`, {
          requestId: reqId,
          tokenAuth: w.tokenAuth,
        });
        if (after.body['access-token']) return { status: after.status, code: 'TOKEN LEAKED LATER' };
        return { status: polled.status, code: polled.body.code ?? 'pending' };
      } finally {
        await h.close();
      }
    },
  },
  {
    attack: 'a captcha answer solved on another hostname (reCAPTCHA v3, Turnstile, hCaptcha)',
    expected: captchaFailed,
    run: () =>
      everyProvider(
        ['recaptcha-v3', 'turnstile', 'hcaptcha'],
        { hostname: 'evil.example' },
        captchaFailed,
      ),
  },
  {
    attack: 'a captcha answer that names no hostname, for a widget with allowedOrigins',
    expected: captchaFailed,
    run: () =>
      everyProvider(['recaptcha-v3', 'turnstile', 'hcaptcha'], { hostname: null }, captchaFailed),
  },
  {
    attack: 'a captcha answer made for another action (reCAPTCHA v3, Turnstile)',
    expected: captchaFailed,
    run: () => everyProvider(['recaptcha-v3', 'turnstile'], { action: 'login' }, captchaFailed),
  },
  {
    attack: 'a reCAPTCHA v3 answer without a score',
    expected: captchaFailed,
    run: () => sendWithCaptcha('recaptcha-v3', { score: null }),
  },
  {
    attack: 'a reCAPTCHA v3 answer whose score is not a number',
    expected: captchaFailed,
    run: () => sendWithCaptcha('recaptcha-v3', { score: '0.9' }),
  },
];

attackSuite('Attack suite: phishing and captcha answers', attacks, {
  more: () => {
    it('still lets a genuine answer through (the stand-in is not refusing everything)', async () => {
      for (const provider of ['recaptcha-v3', 'turnstile', 'hcaptcha'] as const) {
        expect(show(await sendWithCaptcha(provider, {}))).toBe('200 SENT');
      }
    });
  },
});
