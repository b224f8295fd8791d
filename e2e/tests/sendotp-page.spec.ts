/**
 * A page written for SendOTP, as its documentation shows it (script tag with
 * `onload="initSendOTP(configuration)"` at SendOTP's script path), moved to
 * otpkit by changing only its script's host and its keys: a visitor logs in
 * through the popup, and the page's backend checks the access token.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, popupOn, test } from '../support/fixtures.ts';
import { createWidget, latestCode, uniqueMobile } from '../support/otpkit.ts';

function sendOtpPage(scriptOrigin: string, widget: { widgetId: string; tokenAuth: string }) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Shop login</title><link rel="icon" href="data:,"></head>
<body>
<main><h1>Shop</h1><p id="result">Not logged in</p></main>
<script type="text/javascript">
  var configuration = {
    widgetId: "${widget.widgetId}",
    tokenAuth: "${widget.tokenAuth}",
    identifier: "",
    exposeMethods: false,
    success: (data) => {
      window.accessToken = data.message;
      document.getElementById("result").textContent = "Token received";
    },
    failure: (error) => {
      document.getElementById("result").textContent = "failure: " + error.message;
    },
  };
</script>
<script type="text/javascript" onload="initSendOTP(configuration)"
  src="${scriptOrigin}/app/assets/otp-provider/otp-provider.js"></script>
</body>
</html>`;
}

test('a SendOTP page logs a visitor in once its script points at otpkit', async ({
  page,
  system,
}, testInfo) => {
  // The shop's own site, on an origin of its own.
  let html = '';
  const shop = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  const widget = await createWidget({
    name: 'Shop (migrated from SendOTP)',
    captcha: { provider: 'none' },
    allowedOrigins: [origin],
  });
  html = sendOtpPage(system.serverUrl, widget);
  await page.goto(`${origin}/login`);

  // The popup opens on load and loads its chunk from beside the script, under SendOTP's path.
  const popup = popupOn(page);
  await expect(popup.dialog).toBeVisible();
  const phone = uniqueMobile(testInfo.workerIndex);
  await popup.identifier.pressSequentially(phone.national);
  await popup.send.click();
  await expect(popup.code).toBeVisible();
  await popup.code.pressSequentially(await latestCode(phone.full));
  await expect(page.locator('#result')).toHaveText('Token received');

  // The page's backend: SendOTP's verifyAccessToken call, at otpkit.
  const token = await page.evaluate(() => (window as { accessToken?: string }).accessToken);
  const verified = await fetch(`${system.serverUrl}/api/v5/widget/verifyAccessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authkey: system.authkey, 'access-token': token }),
  });
  expect(await verified.json()).toMatchObject({ type: 'success', message: phone.full });
  shop.closeAllConnections();
  await new Promise((resolve) => shop.close(resolve));
});
