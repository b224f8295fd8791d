/**
 * axe-core scans of the popup, step by step, inside its shadow root; and
 * the popup's layout on a 360 px wide phone.
 */
import type { Page } from '@playwright/test';
import { axeViolations } from '../support/axe.ts';
import { expect, popupOn, test } from '../support/fixtures.ts';
import { uniqueMobile } from '../support/otpkit.ts';

/** The popup's violations (axe on its host element and shadow root). */
const popupViolations = (page: Page) => axeViolations(page, 'otpkit-widget-host');

test.describe('popup accessibility', () => {
  test.beforeEach(async ({ page, system }) => {
    await page.goto(system.demoUrl);
    await page.getByRole('button', { name: 'Log in with phone or email' }).click();
    await expect(popupOn(page).identifier).toBeVisible();
  });

  test('the identifier step has no axe violations', async ({ page }) => {
    const popup = popupOn(page);
    await expect(popup.dialog).toHaveAccessibleName('Verify your phone number');
    expect(await popupViolations(page)).toEqual([]);
  });

  test('the identifier step with an error has no axe violations', async ({ page }) => {
    const popup = popupOn(page);
    await popup.identifier.fill('12');
    await popup.send.click();
    await expect(popup.identifier).toHaveAttribute('aria-invalid', 'true');
    expect(await popupViolations(page)).toEqual([]);
  });

  test('the email tab has no axe violations', async ({ page }) => {
    const popup = popupOn(page, 'email');
    await popup.dialog.getByRole('tab', { name: 'Email' }).click();
    await expect(popup.identifier).toBeVisible();
    expect(await popupViolations(page)).toEqual([]);
  });

  test('the code step has no axe violations', async ({ page }, testInfo) => {
    const popup = popupOn(page);
    await popup.identifier.pressSequentially(uniqueMobile(testInfo.workerIndex).national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    await expect(popup.dialog).toHaveAccessibleName('Check your phone');
    expect(await popupViolations(page)).toEqual([]);
  });
});

/** Elements of the popup that stick out of the viewport sideways, and the page's own overflow. */
function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
      problems.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${width}`);
    }
    const dialog = document
      .getElementById('otpkit-widget-host')
      ?.shadowRoot?.querySelector('dialog');
    if (!dialog) return ['no dialog'];
    if (dialog.scrollWidth > dialog.clientWidth) {
      problems.push(`dialog scrollWidth ${dialog.scrollWidth} > clientWidth ${dialog.clientWidth}`);
    }
    for (const element of [dialog, ...Array.from(dialog.querySelectorAll('*'))]) {
      const box = element.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue; // Hidden or visually hidden text.
      if (box.left < -0.5 || box.right > width + 0.5) {
        problems.push(
          `<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}"> spans ${Math.round(box.left)}…${Math.round(box.right)} of ${width}px`,
        );
      }
    }
    return problems;
  });
}

test.describe('popup on a 360 px wide screen', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test('neither step overflows sideways', async ({ page, system }, testInfo) => {
    await page.goto(system.demoUrl);
    await page.getByRole('button', { name: 'Log in with phone or email' }).click();
    const popup = popupOn(page);
    await expect(popup.identifier).toBeVisible();
    expect(await horizontalOverflow(page)).toEqual([]);

    await popup.identifier.pressSequentially(uniqueMobile(testInfo.workerIndex).national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    expect(await horizontalOverflow(page)).toEqual([]);
  });
});
