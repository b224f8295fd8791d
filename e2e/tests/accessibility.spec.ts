/**
 * axe-core scans of the popup, step by step, inside its shadow root; and
 * the popup's layout on a 360 px wide phone.
 */
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { expect, popupOn, test } from '../support/fixtures.ts';
import { uniqueMobile } from '../support/otpkit.ts';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}

/** Runs axe on the popup's host (axe walks into open shadow roots); returns readable violations. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Element, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const host = document.getElementById('otpkit-widget-host');
    if (!host) throw new Error('no popup host');
    const result = await axe.run(host, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .map((n) => `    ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`)
        .join('\n')}`,
  );
}

test.describe('popup accessibility', () => {
  test.beforeEach(async ({ page, system }) => {
    await page.goto(system.demoUrl);
    await page.getByRole('button', { name: 'Log in with phone or email' }).click();
    await expect(popupOn(page).identifier).toBeVisible();
  });

  test('the identifier step has no axe violations', async ({ page }) => {
    const popup = popupOn(page);
    await expect(popup.dialog).toHaveAccessibleName('Verify your phone number');
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the identifier step with an error has no axe violations', async ({ page }) => {
    const popup = popupOn(page);
    await popup.identifier.fill('12');
    await popup.send.click();
    await expect(popup.identifier).toHaveAttribute('aria-invalid', 'true');
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the email tab has no axe violations', async ({ page }) => {
    const popup = popupOn(page, 'email');
    await popup.dialog.getByRole('tab', { name: 'Email' }).click();
    await expect(popup.identifier).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the code step has no axe violations', async ({ page }, testInfo) => {
    const popup = popupOn(page);
    await popup.identifier.pressSequentially(uniqueMobile(testInfo.workerIndex).national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    await expect(popup.dialog).toHaveAccessibleName('Check your phone');
    expect(await axeViolations(page)).toEqual([]);
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
