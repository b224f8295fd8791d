/**
 * Codes that fill themselves in, in a frame: the popup inside a cross-origin
 * iframe (with `allow="otp-credentials"`, as the README shows) keeps
 * `autocomplete="one-time-code"` on its code field, and its send names the
 * top page (`topOrigin`), from which the server writes the WebOTP line for
 * frames, `@top-host #code @frame-host` (pinned by the route tests: the line
 * names only plain hostnames, never the loopback address and ports a test
 * runs on).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame } from '@playwright/test';
import { expect, popupOn, test } from '../support/fixtures.ts';
import { codeOf, createWidget, uniqueMobile, waitForMessages } from '../support/otpkit.ts';

const SEND_API = /\/api\/v5\/widget\/sendOtpMobile$/;

test('a framed popup: one-time-code field, and its send names the top page', async ({
  page,
  embed,
}, testInfo) => {
  const widget = await createWidget({
    name: 'Framed autofill',
    contactPoints: ['mobile'],
    iFrame: true,
    captcha: { provider: 'none' },
  });
  const phone = uniqueMobile(testInfo.workerIndex);
  const src = `${embed.origin}/embed?${new URLSearchParams({ config: JSON.stringify(widget) })}`;
  // The customer's page, served as `localhost`: another site than the frame (127.0.0.1).
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,"></head>
<body><main><h1>Shop</h1><iframe id="frame" title="Sign in" src="${src.replace(/&/g, '&amp;')}" allow="otp-credentials" width="600" height="700"></iframe></main></body></html>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const TOP = `http://localhost:${(server.address() as AddressInfo).port}`;
  try {
    await page.goto(`${TOP}/checkout`);
    const frame = (await (await page.locator('#frame').elementHandle())?.contentFrame()) as Frame;
    await frame.waitForFunction(
      () => (window as { widgetScriptLoaded?: boolean }).widgetScriptLoaded,
    );
    expect(await frame.evaluate(() => Array.from(location.ancestorOrigins))).toEqual([TOP]);

    await frame.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(frame);
    await popup.identifier.fill(phone.national);
    const sendRequest = page.waitForRequest((r) => SEND_API.test(r.url()) && r.method() === 'POST');
    await popup.send.click();
    expect((await sendRequest).postDataJSON()).toMatchObject({ topOrigin: TOP });
    await expect(popup.code).toBeVisible();
    await expect(popup.code).toHaveAttribute('autocomplete', 'one-time-code');
    await expect(popup.code).toHaveAttribute('inputmode', 'numeric');

    const [sms] = await waitForMessages(phone.full);
    expect(sms!.text).toContain(codeOf(sms!));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
