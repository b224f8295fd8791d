/**
 * Widget settings that refuse to run the widget, each in a real browser on a
 * page of our own (another origin than the otpkit server): a disabled
 * widget, a revoked token, a page origin missing from `allowedOrigins`, a
 * mobile-only widget, and a page inside a frame (`iFrame`).
 */
import type { Frame, Page } from '@playwright/test';
import {
  consoleErrors,
  type Embed,
  expect,
  popupOn,
  test,
  type WidgetEvent,
} from '../support/fixtures.ts';
import {
  createWidget,
  expectNoMessages,
  latestCode,
  listTokens,
  revokeToken,
  uniqueMobile,
  updateWidget,
} from '../support/otpkit.ts';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const UNAVAILABLE = 'Verification unavailable';

/** The `[kind, code]` of each callback the page (or frame) received. */
async function callbacks(embed: Embed, frame?: Frame): Promise<Array<[string, string?]>> {
  return (await embed.events(frame)).map((e: WidgetEvent) => [e.kind, e.data.code]);
}

/** Calls `window.sendOtp(identifier)` and resolves with the callback it got. */
function sendOtpFrom(page: Page, identifier: string): Promise<WidgetEvent> {
  return page.evaluate(
    (value) =>
      new Promise<WidgetEvent>((resolve) => {
        if (!window.sendOtp) throw new Error('window.sendOtp is not defined');
        window.sendOtp(
          value,
          (data) => resolve({ kind: 'success', data: data as WidgetEvent['data'] }),
          (data) => resolve({ kind: 'failure', data: data as WidgetEvent['data'] }),
        );
      }),
    identifier,
  );
}

test.describe('a disabled widget', () => {
  test('shows the polite "unavailable" popup and reports WIDGET_DISABLED; enabled again, it works', async ({
    page,
    embed,
  }) => {
    const widget = await createWidget({ name: 'Disabled', contactPoints: ['mobile'] });
    await updateWidget(widget.widgetId, { status: 'disabled' });
    const errors = consoleErrors(page);

    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page);

    await expect(popup.dialog.getByRole('heading', { name: UNAVAILABLE })).toBeVisible();
    await expect(popup.dialog).toContainText('Verification isn’t available on this site right now');
    await expect(popup.dialog).not.toContainText('WIDGET_DISABLED');
    await expect(popup.identifier).toHaveCount(0);
    await expect.poll(() => callbacks(embed)).toEqual([['failure', 'WIDGET_DISABLED']]);
    expect(errors.join('\n')).toContain('WIDGET_DISABLED');

    // The change applies to the next request, without a restart.
    await updateWidget(widget.widgetId, { status: 'enabled' });
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    await expect(popup.identifier).toBeVisible();
  });

  test('exposeMethods: the methods go away, and the server refuses a send with WIDGET_DISABLED', async ({
    page,
    embed,
    system,
  }, testInfo) => {
    const widget = await createWidget({ name: 'Disabled headless', contactPoints: ['mobile'] });
    await updateWidget(widget.widgetId, { status: 'disabled' });
    const phone = uniqueMobile(testInfo.workerIndex);

    await embed.open({ ...widget, exposeMethods: true });

    await expect.poll(() => callbacks(embed)).toEqual([['failure', 'WIDGET_DISABLED']]);
    expect(await page.evaluate(() => typeof window.sendOtp)).toBe('undefined');
    // A page that calls the API itself gets the same answer.
    const response = await fetch(`${system.serverUrl}/api/v5/widget/sendOtpMobile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...widget, identifier: phone.full }),
    });
    expect(await response.json()).toMatchObject({ type: 'error', code: 'WIDGET_DISABLED' });
    await expectNoMessages(phone.full);
  });
});

test.describe('a revoked token', () => {
  test('fails the next request with INVALID_TOKEN_AUTH, and a page loading with it fails too', async ({
    page,
    embed,
  }, testInfo) => {
    const widget = await createWidget({ name: 'Revoked token', contactPoints: ['mobile'] });
    const phone = uniqueMobile(testInfo.workerIndex);
    const errors = consoleErrors(page);

    // The popup is open with a token that still works…
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page);
    await expect(popup.identifier).toBeVisible();

    // …then the owner revokes it: the next request is refused.
    // Tokens are stored hashed: a list shows each one's first characters.
    const token = (await listTokens(widget.widgetId)).find((t) =>
      widget.tokenAuth.startsWith(t.prefix),
    );
    expect(token, 'the widget lists its first token').toBeDefined();
    await revokeToken(widget.widgetId, token!.tokenId);

    await popup.identifier.fill(phone.national);
    await popup.send.click();

    await expect.poll(() => callbacks(embed)).toEqual([['failure', 'INVALID_TOKEN_AUTH']]);
    await expect(popup.dialog.getByRole('heading', { name: UNAVAILABLE })).toBeVisible();
    await expect(popup.code).toHaveCount(0);
    expect(errors.join('\n')).toContain('INVALID_TOKEN_AUTH');
    await expectNoMessages(phone.full);

    // A page that starts with the revoked token fails at once.
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    await expect(popup.dialog.getByRole('heading', { name: UNAVAILABLE })).toBeVisible();
    await expect.poll(() => callbacks(embed)).toEqual([['failure', 'INVALID_TOKEN_AUTH']]);
  });
});

test.describe('a page origin not in allowedOrigins', () => {
  const allowed = 'https://shop.example';

  test('popup: the browser cannot load the widget; failure gets NETWORK_ERROR and the console names allowedOrigins', async ({
    page,
    embed,
  }) => {
    const widget = await createWidget({
      name: 'Shop only',
      contactPoints: ['mobile'],
      allowedOrigins: [allowed],
    });
    const errors = consoleErrors(page);

    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();

    await expect.poll(() => callbacks(embed)).toEqual([['failure', 'NETWORK_ERROR']]);
    await expect.poll(() => errors.join('\n')).toContain('allowedOrigins');
    expect(errors.join('\n')).toContain(embed.origin);
    // The visitor sees the offline message with "Try again", never a form that can only fail.
    const popup = popupOn(page);
    await expect(popup.dialog.getByRole('button', { name: 'Try again' })).toBeVisible();
    await expect(popup.identifier).toHaveCount(0);
  });

  test('exposeMethods: a send fails with NETWORK_ERROR and nothing reaches the outbox', async ({
    page,
    embed,
  }, testInfo) => {
    const widget = await createWidget({
      name: 'Shop only, headless',
      contactPoints: ['mobile'],
      allowedOrigins: [allowed],
    });
    const phone = uniqueMobile(testInfo.workerIndex);
    const errors = consoleErrors(page);

    await embed.open({ ...widget, exposeMethods: true });
    await expect.poll(() => page.evaluate(() => typeof window.sendOtp)).toBe('function');
    const result = await sendOtpFrom(page, phone.full);

    expect(result).toMatchObject({ kind: 'failure', data: { code: 'NETWORK_ERROR' } });
    await expect.poll(() => errors.join('\n')).toContain('allowedOrigins');
    await expectNoMessages(phone.full);
  });

  test('the same page works once its origin is added to allowedOrigins', async ({
    page,
    embed,
  }, testInfo) => {
    const widget = await createWidget({
      name: 'Shop, then us',
      contactPoints: ['mobile'],
      allowedOrigins: [allowed],
    });
    const phone = uniqueMobile(testInfo.workerIndex);
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    await expect.poll(() => callbacks(embed)).toEqual([['failure', 'NETWORK_ERROR']]);

    // (A page served as https://shop.example itself can't reach the loopback server:
    // Chromium's local network access rules. Allowing our page's origin shows the same.)
    await updateWidget(widget.widgetId, { allowedOrigins: [allowed, embed.origin] });
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page);
    await popup.identifier.fill(phone.national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    await popup.code.pressSequentially(await latestCode(phone.full));

    await expect(popup.host).toHaveCount(0);
    await expect.poll(async () => (await embed.events()).map((e) => e.kind)).toEqual(['success']);
    expect((await embed.events())[0]!.data.message).toMatch(JWT);
  });

  test('the server answers a refused origin with 403 ORIGIN_NOT_ALLOWED and CORS naming only the allowed origins', async ({
    system,
  }) => {
    const widget = await createWidget({
      name: 'Shop only, raw',
      contactPoints: ['mobile'],
      allowedOrigins: [allowed],
    });
    const query = new URLSearchParams(widget as unknown as Record<string, string>);
    const response = await fetch(`${system.serverUrl}/api/v5/widget/getWidgetProcess?${query}`, {
      headers: { origin: 'http://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    const allowOrigin = response.headers.get('access-control-allow-origin');
    expect(allowOrigin === null || allowOrigin === allowed).toBe(true);
  });
});

test.describe('a widget for the mobile SDKs (mobileIntegration)', () => {
  test('refuses to run in the browser: WIDGET_MOBILE_ONLY and no popup', async ({
    page,
    embed,
  }) => {
    const widget = await createWidget({
      name: 'Mobile SDKs only',
      contactPoints: ['mobile'],
      mobileIntegration: true,
    });
    const errors = consoleErrors(page);

    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();

    await expect.poll(() => callbacks(embed)).toEqual([['failure', 'WIDGET_MOBILE_ONLY']]);
    await expect(page.locator('#otpkit-widget-host')).toHaveCount(0);
    expect(errors.join('\n')).toContain('WIDGET_MOBILE_ONLY');
  });
});

test.describe('a page inside a frame (iFrame)', () => {
  test('iFrame off: IFRAME_NOT_ALLOWED and no popup in the frame', async ({ page, embed }) => {
    const widget = await createWidget({
      name: 'No frames',
      contactPoints: ['mobile'],
      iFrame: false,
    });
    const errors = consoleErrors(page);

    const frame = await embed.openInFrame(widget);
    await frame.getByRole('button', { name: 'Verify me' }).click();

    await expect.poll(() => callbacks(embed, frame)).toEqual([['failure', 'IFRAME_NOT_ALLOWED']]);
    await expect(frame.locator('#otpkit-widget-host')).toHaveCount(0);
    expect(errors.join('\n')).toContain('IFRAME_NOT_ALLOWED');
  });

  test('iFrame on: the popup works inside the frame', async ({ page, embed }, testInfo) => {
    const widget = await createWidget({
      name: 'Frames welcome',
      contactPoints: ['mobile'],
      iFrame: true,
    });
    const phone = uniqueMobile(testInfo.workerIndex);

    const frame = await embed.openInFrame(widget);
    await frame.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(frame);
    await popup.identifier.fill(phone.national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    await popup.code.pressSequentially(await latestCode(phone.full));

    await expect(popup.host).toHaveCount(0);
    await expect
      .poll(async () => (await embed.events(frame)).map((e) => e.kind))
      .toEqual(['success']);
    expect((await embed.events(frame))[0]!.data.message).toMatch(JWT);
    expect(page.url()).toContain('/frame');
  });
});
