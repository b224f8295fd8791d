/**
 * The built-in proof-of-work captcha: the popup solves it in the background
 * (no click, no third party), every send carries a fresh solution, and the
 * server refuses a send without one, or with one already used.
 */
import { expect, popupOn, test } from '../support/fixtures.ts';
import { createWidget, latestCode, uniqueMobile } from '../support/otpkit.ts';

test.describe('pow captcha', () => {
  test('the popup flow completes with no extra click', async ({ page, embed }, testInfo) => {
    const widget = await createWidget({
      name: 'Captcha shop',
      contactPoints: ['mobile'],
      defaultCountry: 'IN',
      captcha: { provider: 'pow' },
    });
    const sends: Array<Record<string, unknown>> = [];
    const challenges: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/captchaChallenge')) challenges.push(request.url());
      if (request.url().endsWith('/sendOtpMobile')) sends.push(request.postDataJSON());
    });
    await embed.open(widget);
    await page.locator('#open').click();
    const popup = popupOn(page);
    const phone = uniqueMobile(testInfo.workerIndex);
    await popup.identifier.pressSequentially(phone.national);
    await popup.send.click(); // Waits for the solution if the visitor was faster.
    await expect(popup.code).toBeVisible({ timeout: 15_000 });
    await popup.code.pressSequentially(await latestCode(phone.full));
    await expect(popup.host).toHaveCount(0);
    const events = await embed.events();
    expect(events.map((event) => event.kind)).toEqual(['success']);

    // The send carried an ALTCHA solution: base64 JSON whose number solves the challenge.
    expect(sends).toHaveLength(1);
    const solution = JSON.parse(Buffer.from(String(sends[0]?.captcha), 'base64').toString('utf8'));
    expect(solution).toMatchObject({ algorithm: 'SHA-256', number: expect.any(Number) });
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(`${solution.salt}${solution.number}`).digest('hex')).toBe(
      solution.challenge,
    );
    // The next solution is fetched right after the first was used.
    await expect.poll(() => challenges.length).toBeGreaterThanOrEqual(2);

    // A solution works once: replayed, the server refuses it.
    const { serverUrl } = (await import('../support/environment.ts')).e2eEnvironment();
    const replay = await fetch(`${serverUrl}/api/v5/widget/sendOtpMobile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sends[0]),
    });
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ type: 'error', code: 'CAPTCHA_FAILED' });
  });

  test('exposeMethods: isCaptchaVerified turns true by itself and sendOtp uses it', async ({
    page,
    embed,
  }, testInfo) => {
    const widget = await createWidget({ name: 'Captcha headless', captcha: { provider: 'pow' } });
    await embed.open({ ...widget, exposeMethods: true });
    await expect
      .poll(() => page.evaluate(() => window.isCaptchaVerified?.()), { timeout: 15_000 })
      .toBe(true);
    const phone = uniqueMobile(testInfo.workerIndex);
    const result = await page.evaluate(
      (identifier) => new Promise((resolve) => window.sendOtp?.(identifier, resolve, resolve)),
      phone.full,
    );
    expect(result).toMatchObject({ type: 'success' });
  });

  test('a send without a captcha gets CAPTCHA_REQUIRED', async ({ system }, testInfo) => {
    const widget = await createWidget({ name: 'Captcha plain', captcha: { provider: 'pow' } });
    const response = await fetch(`${system.serverUrl}/api/v5/widget/sendOtpMobile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...widget, identifier: uniqueMobile(testInfo.workerIndex).full }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', code: 'CAPTCHA_REQUIRED' });
  });
});
