/**
 * After a deploy a browser may run the previous build's `otp-provider.js`
 * once (it is served stale while revalidated): that script names the
 * previous build's popup chunk, which is gone; the server redirects it to
 * the current build's, and the popup opens.
 */
import { expect, popupOn, test } from '../support/fixtures.ts';
import { createWidget } from '../support/otpkit.ts';

test("the previous build's script still opens the popup", async ({ page, embed, system }) => {
  const widget = await createWidget({ name: 'Stale script', captcha: { provider: 'none' } });
  const current = await (await fetch(`${system.serverUrl}/otp-provider.js`)).text();
  const popupChunk = /otp-popup-[\w-]{8}\.js/.exec(current)?.[0];
  expect(popupChunk).toBeDefined();
  // The script as the previous build made it: the same, naming another popup chunk.
  await page.route(`${system.serverUrl}/otp-provider.js`, (route) =>
    route.fulfill({
      contentType: 'text/javascript; charset=utf-8',
      headers: { 'access-control-allow-origin': '*' },
      body: current.replace(popupChunk!, 'otp-popup-0ldBu1ld.js'),
    }),
  );
  const popupRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/otp-popup-')) popupRequests.push(new URL(request.url()).pathname);
  });
  await embed.open(widget);
  await page.getByRole('button', { name: 'Verify me' }).click();
  await expect(popupOn(page).identifier).toBeVisible();
  expect(popupRequests).toContain('/otp-popup-0ldBu1ld.js');
});
