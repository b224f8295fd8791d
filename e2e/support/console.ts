/** Console helpers shared by the console specs. */
import type { Page } from '@playwright/test';
import type { E2eEnvironment } from './environment.ts';
import { expect } from './fixtures.ts';

/** Signs in to the console with the account's authkey; ends on the Widgets page. */
export async function signIn(page: Page, system: E2eEnvironment): Promise<void> {
  await page.goto(`${system.serverUrl}/console`);
  await expect(
    page.getByRole('heading', { level: 1, name: 'Sign in to the console' }),
  ).toBeVisible();
  await page.getByLabel('Authkey', { exact: true }).fill(system.authkey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Widgets' })).toBeVisible();
  await expect(page).toHaveURL(/\/console\/widgets$/);
}

/** Whether the page scrolls sideways (the document is wider than the viewport). */
export function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth ||
      document.body.scrollWidth > document.body.clientWidth,
  );
}
