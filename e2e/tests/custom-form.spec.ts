/**
 * The demo site's own form (`/custom`), driving the widget through
 * `exposeMethods`, to a token the demo backend accepts.
 */
import { expect, test } from '../support/fixtures.ts';
import { latestCode, uniqueEmail, uniqueMobile, wrongCode } from '../support/otpkit.ts';

const identifiers = [
  {
    kind: 'an email address',
    make: (worker: number) => {
      const email = uniqueEmail(worker, 'Custom');
      return { typed: email, normalised: email.toLowerCase() };
    },
  },
  {
    kind: 'a mobile number with its country code',
    make: (worker: number) => {
      const { full } = uniqueMobile(worker);
      return { typed: full, normalised: full };
    },
  },
] as const;

test.describe('custom form with exposeMethods', () => {
  for (const { kind, make } of identifiers) {
    test(`${kind} is verified through sendOtp and verifyOtp`, async ({
      page,
      system,
    }, testInfo) => {
      const { typed, normalised } = make(testInfo.workerIndex);
      await page.goto(`${system.demoUrl}/custom`);
      await expect(page.locator('#send')).toBeEnabled();
      await expect(page.locator('#otp')).toBeHidden();

      await page.getByLabel('Phone or email').fill(typed);
      await page.locator('#send').click();

      await expect(page.locator('#status')).toHaveText(`We sent a code to ${typed}.`);
      await expect(page.getByLabel('Code', { exact: true })).toBeFocused();
      const code = await latestCode(normalised);
      await page.getByLabel('Code', { exact: true }).fill(code);
      await page.locator('#verify').click();

      await expect(page.locator('#status')).toHaveText('Code verified.');
      await expect(page.locator('#result')).toHaveText(`Verified: ${normalised}`);
      // No popup in this mode.
      await expect(page.locator('#otpkit-widget-host')).toHaveCount(0);
    });
  }

  test('a wrong code reaches the failure callback with its error code', async ({
    page,
    system,
  }, testInfo) => {
    const email = uniqueEmail(testInfo.workerIndex, 'wrong');
    await page.goto(`${system.demoUrl}/custom`);
    await page.getByLabel('Phone or email').fill(email);
    await page.locator('#send').click();
    await expect(page.locator('#otp')).toBeVisible();
    const code = await latestCode(email);

    await page.locator('#otp').fill(wrongCode(code));
    await page.locator('#verify').click();

    await expect(page.locator('#status')).toHaveAttribute('data-state', 'error');
    await expect(page.locator('#status')).toHaveAttribute('data-code', 'OTP_MISMATCH');
    await expect(page.locator('#result')).toHaveText('');

    await page.locator('#otp').fill(code);
    await page.locator('#verify').click();
    await expect(page.locator('#result')).toHaveText(`Verified: ${email}`);
  });
});
