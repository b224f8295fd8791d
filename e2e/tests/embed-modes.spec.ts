/**
 * The widget embedded on a customer page of another origin, table-driven
 * over embed modes (popup, `exposeMethods`) and outcomes (verified, network
 * down); plus `getWidgetData`, an offline start and a misconfigured widget.
 */
import type { Page } from '@playwright/test';
import { type Embed, expect, popupOn, test } from '../support/fixtures.ts';
import {
  createWidget,
  latestCode,
  uniqueMobile,
  type WidgetCredentials,
} from '../support/otpkit.ts';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const SEND_API = /\/api\/v5\/widget\/sendOtp/;

/** What a per-call callback of an exposed method received. */
interface CallResult {
  kind: 'success' | 'failure';
  data: { type: string; message: string; code?: string };
}

/** Calls `window[method](...args, ok, fail)` and resolves with whichever callback fired. */
function callExposed(
  page: Page,
  method: 'sendOtp' | 'verifyOtp',
  arg: string,
): Promise<CallResult> {
  return page.evaluate(
    ([name, value]) =>
      new Promise<CallResult>((resolve) => {
        const fn = (window as unknown as Record<string, (...args: unknown[]) => void>)[name];
        if (typeof fn !== 'function') throw new Error(`window.${name} is not defined`);
        fn(
          value,
          (data: CallResult['data']) => resolve({ kind: 'success', data }),
          (data: CallResult['data']) => resolve({ kind: 'failure', data }),
        );
      }),
    [method, arg] as const,
  );
}

/** One way of embedding the widget, driven as its users drive it. */
interface Mode {
  name: string;
  open(page: Page, embed: Embed, widget: WidgetCredentials): Promise<void>;
  /** Sends a code; the exposed method's callback result, if the mode has one. */
  send(page: Page, national: string, full: string): Promise<CallResult | undefined>;
  /** Checks what the visitor or the page sees once the code is on its way. */
  expectSent(page: Page, result: CallResult | undefined): Promise<void>;
  verify(page: Page, code: string): Promise<CallResult | undefined>;
  /** Checks what the visitor or the page sees when the server cannot be reached. */
  expectOffline(page: Page, result: CallResult | undefined, embed: Embed): Promise<void>;
}

const modes: Mode[] = [
  {
    name: 'popup',
    async open(page, embed, widget) {
      await embed.open(widget);
      await page.getByRole('button', { name: 'Verify me' }).click();
      await expect(popupOn(page).identifier).toBeVisible();
    },
    async send(page, national) {
      const popup = popupOn(page);
      await popup.identifier.fill(national);
      await popup.send.click();
      return undefined;
    },
    async expectSent(page) {
      await expect(popupOn(page).code).toBeVisible();
    },
    async verify(page, code) {
      await popupOn(page).code.pressSequentially(code);
      await expect(popupOn(page).host).toHaveCount(0);
      return undefined;
    },
    async expectOffline(page) {
      const popup = popupOn(page);
      await expect(popup.dialog.locator('[aria-live]').filter({ hasText: 'offline' })).toHaveText(
        /You seem to be offline/,
      );
      await expect(popup.identifier).toBeVisible();
      await expect(popup.send).toBeEnabled();
    },
  },
  {
    name: 'exposeMethods',
    async open(page, embed, widget) {
      await embed.open({ ...widget, exposeMethods: true });
      await expect.poll(() => page.evaluate(() => typeof window.sendOtp)).toBe('function');
    },
    send: (page, _national, full) => callExposed(page, 'sendOtp', full),
    async expectSent(page, result) {
      expect(result).toMatchObject({ kind: 'success', data: { type: 'success' } });
      expect(result!.data.message).not.toMatch(JWT); // The request id, not a token yet.
      await expect(page.locator('#otpkit-widget-host')).toHaveCount(0);
    },
    verify: (page, code) => callExposed(page, 'verifyOtp', code),
    async expectOffline(_page, result, embed) {
      expect(result).toMatchObject({
        kind: 'failure',
        data: { type: 'error', code: 'NETWORK_ERROR' },
      });
      // The configuration's failure callback hears about it too.
      await expect
        .poll(async () => (await embed.events()).map((e) => [e.kind, e.data.code]))
        .toEqual([['failure', 'NETWORK_ERROR']]);
    },
  },
];

/** Redeems an access token server to server, as a customer backend does. */
async function redeem(serverUrl: string, authkey: string, token: string): Promise<unknown> {
  const response = await fetch(`${serverUrl}/api/v5/widget/verifyAccessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authkey },
    body: JSON.stringify({ 'access-token': token }),
  });
  return { status: response.status, body: await response.json() };
}

test.describe('embed modes', () => {
  let widget: WidgetCredentials;
  test.beforeAll(async () => {
    widget = await createWidget({ name: 'Embed modes', contactPoints: ['mobile'], otpLength: 5 });
  });

  for (const mode of modes) {
    test(`${mode.name}: a verified code gives the page an access token`, async ({
      page,
      embed,
      system,
    }, testInfo) => {
      const phone = uniqueMobile(testInfo.workerIndex);
      await mode.open(page, embed, widget);
      await mode.expectSent(page, await mode.send(page, phone.national, phone.full));
      const code = await latestCode(phone.full);
      expect(code).toHaveLength(5);

      const verified = await mode.verify(page, code);

      if (verified) expect(verified).toMatchObject({ kind: 'success', data: { type: 'success' } });
      await expect.poll(async () => (await embed.events()).length).toBe(1);
      const [event] = await embed.events();
      expect(event).toMatchObject({ kind: 'success', data: { type: 'success' } });
      expect(event!.data.message).toMatch(JWT);
      if (verified) expect(verified.data.message).toBe(event!.data.message);
      expect(await redeem(system.serverUrl, system.authkey, event!.data.message)).toMatchObject({
        status: 200,
        body: { type: 'success', identifier: phone.full },
      });
    });

    test(`${mode.name}: the network failing on send is reported, and a retry works`, async ({
      page,
      embed,
    }, testInfo) => {
      const phone = uniqueMobile(testInfo.workerIndex);
      await mode.open(page, embed, widget);
      await page.route(SEND_API, (route) => route.abort('internetdisconnected'));

      const result = await mode.send(page, phone.national, phone.full);

      await mode.expectOffline(page, result, embed);
      expect((await embed.events()).filter((e) => e.kind === 'success')).toEqual([]);

      await page.unroute(SEND_API);
      await mode.expectSent(page, await mode.send(page, phone.national, phone.full));
    });
  }
});

test.describe('widget data and start-up failures', () => {
  test('getWidgetData() returns the widget settings once loaded', async ({ page, embed }) => {
    const widget = await createWidget({
      name: 'Data check',
      contactPoints: ['email'],
      otpLength: 7,
      retryTime: 45,
      retryCount: 2,
      expiryTime: 15,
      maxAttempts: 4,
      defaultCountry: 'US',
    });
    await embed.open({ ...widget, exposeMethods: true });

    await expect.poll(() => page.evaluate(() => window.getWidgetData?.() !== null)).toBe(true);
    const data = await page.evaluate(() => window.getWidgetData?.());
    expect(data).toMatchObject({
      widgetId: widget.widgetId,
      name: 'Data check',
      otpLength: 7,
      retryTime: 45,
      retryCount: 2,
      expiryTime: 15,
      maxAttempts: 4,
      language: 'auto', // The default: the visitor's browser language, else English.
      defaultCountry: { iso2: 'US', dialCode: '1' },
      processType: { value: '3' },
      widgetMeta: { captcha_type: 'pow' }, // New widgets default to the proof of work…
    });
    // …which the widget solves by itself, with no click.
    await expect.poll(() => page.evaluate(() => window.isCaptchaVerified?.())).toBe(true);
  });

  test('popup: a server unreachable at start says "offline" and recovers with "Try again"', async ({
    page,
    embed,
  }) => {
    // A widget of its own: the demo site limits the demo widget to its origin (passkeys).
    await embed.open(await createWidget({ name: 'Offline start', captcha: { provider: 'none' } }));
    await page.route(/\/api\/v5\/widget\/getWidgetProcess/, (route) =>
      route.abort('internetdisconnected'),
    );
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page);

    await expect(popup.dialog).toContainText('You seem to be offline');
    const tryAgain = popup.dialog.getByRole('button', { name: 'Try again' });
    await expect(tryAgain).toBeEnabled();

    await page.unroute(/\/api\/v5\/widget\/getWidgetProcess/);
    await tryAgain.click();
    await expect(popup.identifier).toBeVisible();
  });

  test('popup: a wrong widget token fails loudly for the developer and politely for the visitor', async ({
    page,
    embed,
    system,
  }) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await embed.open({ widgetId: system.demoWidget.widgetId, tokenAuth: 'not-the-token' });
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page);

    await expect(popup.dialog).toContainText('Verification isn’t available on this site right now');
    await expect(popup.dialog).not.toContainText('INVALID_TOKEN_AUTH');
    await expect
      .poll(async () => (await embed.events()).map((e) => [e.kind, e.data.code]))
      .toEqual([['failure', 'INVALID_TOKEN_AUTH']]);
    expect(errors.join('\n')).toContain('INVALID_TOKEN_AUTH');
  });
});

/**
 * The widget's own scripts (`otp-*.js` from the otpkit server) the page requests from now on,
 * named without their content hash (`otp-popup-DOnAhpCE.js` is `otp-popup.js`).
 */
function widgetScripts(page: Page, serverUrl: string): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === new URL(serverUrl).origin && /^\/otp-[\w-]+\.js$/.test(url.pathname)) {
      const name = url.pathname.slice(1);
      scripts.push(name === 'otp-provider.js' ? name : name.replace(/-[\w-]{8}\.js$/, '.js'));
    }
  });
  return scripts;
}

test.describe('what each mode downloads (its size budget)', () => {
  const cases = [
    { mode: 'exposeMethods', captcha: 'none', expected: ['otp-provider.js'] },
    { mode: 'exposeMethods', captcha: 'pow', expected: ['otp-captcha.js', 'otp-provider.js'] },
  ] as const;
  for (const { mode, captcha, expected } of cases) {
    test(`${mode}, captcha ${captcha}: ${expected.join(' + ')}, never the popup`, async ({
      page,
      embed,
      system,
    }, testInfo) => {
      const widget = await createWidget({
        name: `Downloads ${captcha}`,
        captcha: { provider: captcha },
      });
      const scripts = widgetScripts(page, system.serverUrl);
      await embed.open({ ...widget, exposeMethods: true });
      await expect.poll(() => page.evaluate(() => window.isCaptchaVerified?.())).toBe(true);
      const phone = uniqueMobile(testInfo.workerIndex);
      const sent = await callExposed(page, 'sendOtp', phone.full);
      expect(sent).toMatchObject({ kind: 'success' });
      expect([...new Set(scripts)].sort()).toEqual(expected);
    });
  }

  test('popup without a captcha: the popup chunk, not the captcha chunk', async ({
    page,
    embed,
    system,
  }) => {
    const widget = await createWidget({ name: 'Downloads popup', captcha: { provider: 'none' } });
    const scripts = widgetScripts(page, system.serverUrl);
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    await expect(popupOn(page).send).toBeVisible();
    expect(scripts).toContain('otp-popup.js');
    expect(scripts).not.toContain('otp-captcha.js');
  });
});
