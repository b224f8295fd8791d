/**
 * The API reference as a new integrator finds it: linked from the console's
 * sign-in page and navigation, rendered by the server from /openapi.json,
 * readable without scripts, and free of axe violations.
 */
import { axeViolations } from '../support/axe.ts';
import { expect, test } from '../support/fixtures.ts';

test('the console links the API reference, which shows each operation with its errors', async ({
  page,
  system,
}) => {
  await page.goto(`${system.serverUrl}/console`);
  await page.getByRole('link', { name: 'API reference' }).click();
  await expect(page).toHaveURL(`${system.serverUrl}/docs/api`);
  await expect(page.getByRole('heading', { level: 1, name: /otpkit API/ })).toBeVisible();

  // Grouped by tag, with a table of contents.
  const nav = page.getByRole('navigation', { name: 'Operations' });
  await expect(nav.getByRole('link', { name: 'Widget API' })).toBeVisible();
  await nav.getByRole('link', { name: 'Send a code', exact: true }).click();
  await expect(page).toHaveURL(/#sendOtpMobile$/);

  const send = page.getByRole('region', { name: 'POST /api/v5/widget/sendOtpMobile' });
  await expect(send).toBeVisible();
  // The body's fields, from the schema the route validates with.
  await expect(send.locator('code.name').getByText('identifier', { exact: true })).toBeVisible();
  await expect(send.getByText(/Authentication: tokenauth header or authkey header/)).toBeVisible();
  const errors = send.getByRole('table').last();
  await expect(errors.getByRole('row', { name: /INVALID_IDENTIFIER 400/ })).toBeVisible();
  await expect(errors.getByRole('row', { name: /RETRY_TOO_SOON 429/ })).toBeVisible();

  const admin = page.getByRole('region', { name: 'PATCH /api/v1/widgets/{widgetId}' });
  await expect(admin.getByText(/Authentication: authkey header/)).toBeVisible();
  // Body and answer both list the settings.
  await expect(
    admin.locator('code.name').getByText('otpLength', { exact: true }).first(),
  ).toBeVisible();

  expect(await axeViolations(page)).toEqual([]);

  // The machine-readable document it was rendered from.
  const doc = await (await page.request.get(`${system.serverUrl}/openapi.json`)).json();
  expect(doc.paths['/api/v5/widget/sendOtpMobile'].post.operationId).toBe('sendOtpMobile');

  // Signed in, the console's header links it too.
  await page.goto(`${system.serverUrl}/console`);
  await page.getByLabel('Authkey', { exact: true }).fill(system.authkey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Widgets' })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'API reference' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /otpkit API/ })).toBeVisible();
});
