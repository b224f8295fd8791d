/**
 * The console's warning on widgets that browsers cannot use: in production
 * (`GET /api/v1/meta` says `allowAnyOrigin: false`) a widget without
 * allowed origins refuses every site. The e2e server runs in development,
 * so the meta answer is the real one with those two fields changed, as a
 * production server sends them (the server side is proved by
 * `server/test/security/production.test.ts`).
 */
import type { Page } from '@playwright/test';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/console.ts';
import { expect, test } from '../support/fixtures.ts';
import { createWidget } from '../support/otpkit.ts';

/** Answers `/api/v1/meta` as a production server without OTPKIT_ALLOW_ANY_ORIGIN would. */
async function asProduction(page: Page): Promise<void> {
  await page.route('**/api/v1/meta', async (route) => {
    const real = await route.fetch();
    const body = { ...(await real.json()), env: 'production', allowAnyOrigin: false };
    await route.fulfill({ response: real, json: body });
  });
}

test('marks widgets without allowed origins in the list and the editor, in production', async ({
  page,
  system,
}) => {
  const suffix = Date.now().toString(36);
  const bare = await createWidget({ name: `No origins ${suffix}` });
  await createWidget({ name: `Shop only ${suffix}`, allowedOrigins: ['https://shop.example'] });
  await asProduction(page);
  await signIn(page, system);

  await expect(
    page.getByRole('status').filter({ hasText: 'Some widgets cannot be used from browsers' }),
  ).toBeVisible();
  const row = (name: string) => page.getByRole('row').filter({ hasText: name });
  await expect(row(`No origins ${suffix}`).getByText('No allowed origins')).toBeVisible();
  await expect(row(`Shop only ${suffix}`).getByText('No allowed origins')).toHaveCount(0);
  expect(await axeViolations(page), 'widgets list with the warning').toEqual([]);

  await row(`No origins ${suffix}`)
    .getByRole('link', { name: `No origins ${suffix}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/console/widgets/${bare.widgetId}$`));
  const warning = page.getByRole('status').filter({ hasText: 'ORIGIN_NOT_ALLOWED' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('OTPKIT_ALLOW_ANY_ORIGIN=true');
  const origins = page.getByRole('textbox', { name: 'Allowed origins' });
  await expect(page.getByText('Empty: no site (this server runs in production).')).toBeVisible();
  expect(await axeViolations(page), 'widget editor with the warning').toEqual([]);

  // Listing a site and saving clears the warning.
  await origins.fill('https://shop.example');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  await expect(warning).toHaveCount(0);
});

test('shows no warning where the server lets any site use such widgets', async ({
  page,
  system,
}) => {
  const suffix = Date.now().toString(36);
  await createWidget({ name: `Open in dev ${suffix}` });
  await signIn(page, system);
  const row = page.getByRole('row').filter({ hasText: `Open in dev ${suffix}` });
  await expect(row).toBeVisible();
  await expect(row.getByText('No allowed origins')).toHaveCount(0);
  await expect(page.getByText('Some widgets cannot be used from browsers')).toHaveCount(0);
});
