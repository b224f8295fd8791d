/**
 * Everything by keyboard: focus moves into the dialog, Tab stays inside it,
 * Enter submits, typing the code completes, Esc closes and gives focus back.
 */
import type { Page } from '@playwright/test';
import { expect, popupOn, test } from '../support/fixtures.ts';
import { latestCode, uniqueMobile } from '../support/otpkit.ts';

/** Describes the focused element, looking inside the popup's shadow root. */
function focused(page: Page): Promise<{ inPopup: boolean; id: string; label: string }> {
  return page.evaluate(() => {
    const outer = document.activeElement;
    const inner = outer?.shadowRoot?.activeElement ?? outer;
    return {
      inPopup: outer?.id === 'otpkit-widget-host',
      id: inner?.id ?? '',
      label: inner?.getAttribute('aria-label') ?? inner?.textContent?.trim() ?? '',
    };
  });
}

test.describe('keyboard only', () => {
  test.beforeEach(async ({ page, system }) => {
    await page.goto(system.demoUrl);
    const login = page.getByRole('button', { name: 'Log in with phone or email' });
    await expect(login).toBeEnabled();
    // Reach the button by Tab, as a keyboard user does.
    for (let i = 0; i < 10 && !(await login.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(login).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(popupOn(page).dialog).toBeVisible();
  });

  test('a phone number is verified without the mouse', async ({ page }, testInfo) => {
    const phone = uniqueMobile(testInfo.workerIndex);
    const popup = popupOn(page);
    await expect(popup.identifier).toBeFocused();

    // Tab cycles within the dialog, forwards and backwards, and comes back round.
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      expect(now.inPopup, `Tab #${i + 1} left the dialog`).toBe(true);
      seen.push(now.id || now.label);
      if (now.id === 'otpkit-identifier') break;
    }
    expect(seen.at(-1), `Tab did not cycle back to the field: ${seen.join(' → ')}`).toBe(
      'otpkit-identifier',
    );
    expect(seen.length).toBeGreaterThan(2); // The close button, the tabs, the country, Send…
    for (let i = 0; i < seen.length; i++) {
      await page.keyboard.press('Shift+Tab');
      expect((await focused(page)).inPopup, `Shift+Tab #${i + 1} left the dialog`).toBe(true);
    }
    await expect(popup.identifier).toBeFocused();

    await page.keyboard.type(phone.national);
    await page.keyboard.press('Enter');

    await expect(popup.code).toBeFocused();
    const code = await latestCode(phone.full);
    await page.keyboard.type(code);

    await expect(popup.host).toHaveCount(0);
    await expect(page.locator('#result')).toHaveText(`Verified: ${phone.full}`);
  });

  test('Esc closes the dialog and returns focus to the button that opened it', async ({ page }) => {
    const popup = popupOn(page);
    await expect(popup.identifier).toBeFocused();
    await page.keyboard.type('98765');

    await page.keyboard.press('Escape');

    await expect(popup.host).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Log in with phone or email' })).toBeFocused();
    // The page scrolls again once the modal is gone.
    expect(await page.evaluate(() => document.documentElement.style.overflow)).toBe('');
  });

  test('Esc on the code step closes too', async ({ page }, testInfo) => {
    const phone = uniqueMobile(testInfo.workerIndex);
    const popup = popupOn(page);
    await page.keyboard.type(phone.national);
    await page.keyboard.press('Enter');
    await expect(popup.code).toBeFocused();

    await page.keyboard.press('Escape');

    await expect(popup.host).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Log in with phone or email' })).toBeFocused();
  });
});
