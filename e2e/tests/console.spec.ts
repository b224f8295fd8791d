/**
 * The admin console at `${server}/console`, as a new owner uses it: sign in
 * with the authkey, create a widget for email and mobile with WhatsApp as
 * the primary channel for one country, give it an SMS template with a
 * variable, try it in the "Try it" panel and read the rendered message in
 * the dev outbox; edit its channels and see the next send use them; and
 * axe-core scans of the console's pages.
 */
import type { Locator, Page } from '@playwright/test';
import { axeViolations } from '../support/axe.ts';
import type { E2eEnvironment } from '../support/environment.ts';
import { expect, popupOn, test } from '../support/fixtures.ts';
import {
  codeOf,
  createWidget,
  uniqueMobile,
  uniqueUsMobile,
  waitForMessages,
} from '../support/otpkit.ts';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

// Whole owner journeys (several pages, two popups each): more room than one popup flow needs.
test.describe.configure({ timeout: 60_000 });

/** Signs in to the console with the account's authkey; ends on the Widgets page. */
async function signIn(page: Page, system: E2eEnvironment): Promise<void> {
  await page.goto(`${system.serverUrl}/console`);
  await expect(
    page.getByRole('heading', { level: 1, name: 'Sign in to the console' }),
  ).toBeVisible();
  await page.getByLabel('Authkey', { exact: true }).fill(system.authkey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Widgets' })).toBeVisible();
  await expect(page).toHaveURL(/\/console\/widgets$/);
}

/** The widget id of the editor page the browser is on. */
function widgetIdOf(page: Page): string {
  const id = new URL(page.url()).pathname.match(/^\/console\/widgets\/([^/]+)$/)?.[1];
  if (!id) throw new Error(`Not on a widget editor page: ${page.url()}`);
  return decodeURIComponent(id);
}

/** The "Try it" panel of the widget editor. */
function tryItPanel(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Try it and embed' });
}

/**
 * Clicks "Try it", sends a code to `national` (in the popup's current
 * country) and waits for the code step; returns the newest outbox message to `full`.
 */
async function tryItSend(page: Page, national: string, full: string, count = 1) {
  await tryItPanel(page).getByRole('button', { name: 'Try it' }).click();
  const popup = popupOn(page);
  await popup.identifier.fill(national);
  await popup.send.click();
  await expect(popup.code).toBeVisible();
  const [message] = await waitForMessages(full, count);
  return message!;
}

/** Types the code into the popup and expects the Try it panel's success with an access token. */
async function tryItVerify(page: Page, code: string): Promise<void> {
  const popup = popupOn(page);
  await popup.code.pressSequentially(code);
  await expect(popup.host).toHaveCount(0);
  const success = page.locator('#try-it-success');
  await expect(success).toBeVisible();
  await expect(success).toContainText('Verified');
  await expect(success.getByTestId('try-it-token')).toHaveText(JWT);
}

test.describe('console', () => {
  test('sign in, create a widget (email + mobile, WhatsApp for US), add an SMS template, try it', async ({
    page,
    system,
  }, testInfo) => {
    const name = `Acme login ${testInfo.workerIndex}-${Date.now()}`;
    await signIn(page, system);

    // A widget for email and mobile, with WhatsApp as the primary channel in the US.
    await page.getByRole('link', { name: 'New widget' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'New widget' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Widget settings' });
    await form.getByLabel('Widget name').fill(name);
    await expect(form.getByRole('checkbox', { name: 'Mobile number' })).toBeChecked();
    await form.getByRole('checkbox', { name: 'Email address' }).check();
    await expect(form.getByLabel('Primary mobile channel')).toHaveValue('sms');
    await form.getByRole('button', { name: 'Add country' }).click();
    await form.getByLabel('Country, row 1').selectOption('US');
    await form.getByLabel('Channel, row 1').selectOption('whatsapp');
    await form.getByRole('button', { name: 'Create widget' }).click();

    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByText('Widget created')).toBeVisible();
    const widgetId = widgetIdOf(page);
    const widgetUrl = page.url();

    // An SMS template for this widget, with a variable; the live preview fills it in.
    await page.getByRole('main').getByRole('link', { name: 'Templates', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Templates' })).toBeVisible();
    // The header's link (an empty list repeats it).
    await page.getByRole('link', { name: 'New template' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'New template' })).toBeVisible();
    const template = page.getByRole('form', { name: 'Template' });
    await template.getByLabel('Template name').fill('Acme SMS');
    await template.getByLabel('Channel').selectOption('sms');
    await expect(template.getByLabel('Used by')).toHaveValue(widgetId);
    await template.getByLabel('Template body').fill('Hi ##name##, ##OTP## is your Acme code');
    await page.getByLabel('Sample value for name').fill('Asha');
    await expect(page.getByTestId('preview-bubble')).toContainText(
      'Hi Asha, 482913 is your Acme code',
    );
    await template.getByRole('button', { name: 'Create template' }).click();
    await expect(page.getByText('Template created')).toBeVisible();
    await expect(page).toHaveURL(/\/console\/templates\/[^/?]+$/);

    // Try it: the popup of this widget, on the console's page; the SMS comes from the template.
    await page.goto(widgetUrl);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    const panel = tryItPanel(page);
    await panel.getByLabel('Value for name').fill('Asha');
    const phone = uniqueMobile(testInfo.workerIndex);
    const sms = await tryItSend(page, phone.national, phone.full);
    expect(sms.channel).toBe('sms');
    const code = codeOf(sms);
    expect(sms.text).toMatch(new RegExp(`^Hi Asha, ${code} is your Acme code`));
    expect(sms.text).not.toContain('##');
    await tryItVerify(page, code);

    // A US number goes out on WhatsApp (the country-wise channel).
    const us = uniqueUsMobile(testInfo.workerIndex);
    await panel.getByRole('button', { name: 'Try it' }).click();
    const popup = popupOn(page);
    await popup.dialog.getByRole('button', { name: /change country/ }).click();
    await popup.dialog.getByRole('combobox', { name: 'Search countries' }).fill('United States');
    await popup.dialog
      .getByRole('listbox', { name: 'Countries' })
      .getByRole('option', { name: /United States/ })
      .first()
      .click();
    await expect(popup.dialog.getByRole('button', { name: /change country/ })).toHaveAccessibleName(
      /^\+1 /,
    );
    await popup.identifier.fill(us.national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    const [whatsapp] = await waitForMessages(us.full);
    expect(whatsapp!.channel).toBe('whatsapp');
    await tryItVerify(page, codeOf(whatsapp!));
  });

  test('editing the channels in the console changes the next send', async ({
    page,
    system,
  }, testInfo) => {
    const name = `Channels ${testInfo.workerIndex}-${Date.now()}`;
    const widget = await createWidget({
      name,
      contactPoints: ['mobile'],
      primaryChannel: { mobile: 'sms' },
      retryChannels: { mobile: ['sms', 'voice'] },
    });
    await signIn(page, system);
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    expect(widgetIdOf(page)).toBe(widget.widgetId);

    // Before: SMS.
    const first = uniqueMobile(testInfo.workerIndex);
    expect((await tryItSend(page, first.national, first.full)).channel).toBe('sms');
    await popupOn(page).close.click();

    // Primary channel → Voice; resend only over WhatsApp, at once.
    const form = page.getByRole('form', { name: 'Widget settings' });
    await form.getByLabel('Primary mobile channel').selectOption('voice');
    const resend = form.getByRole('group', { name: 'Mobile resend channels' });
    await resend.getByRole('checkbox', { name: 'SMS' }).uncheck();
    await resend.getByRole('checkbox', { name: 'Voice' }).uncheck();
    await resend.getByRole('checkbox', { name: 'WhatsApp' }).check();
    await form.getByLabel('Resend wait (seconds)').fill('0');
    // Delivery providers, from those the server has configured (the development outbox here):
    // one for SMS, and one for SMS to India.
    const providers = form.getByRole('region', { name: 'Delivery providers' });
    await providers.getByLabel('Add to SMS providers').selectOption('outbox');
    await expect(providers.getByRole('list', { name: 'SMS providers' })).toHaveText(/outbox/);
    await providers.getByRole('button', { name: 'Add override for a country' }).click();
    await providers.getByLabel('Override country, row 1').selectOption('IN');
    await providers.getByLabel('Add to Override providers, row 1').selectOption('outbox');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(form.getByRole('status')).toHaveText('Changes saved.');
    const saved = await (
      await fetch(`${system.serverUrl}/api/v1/widgets/${widget.widgetId}`, {
        headers: { authkey: system.authkey },
      })
    ).json();
    expect(saved).toMatchObject({
      channelProviders: { sms: ['outbox'] },
      countryProviders: { IN: { sms: ['outbox'] } },
    });

    // After: the first code by voice; the resend offers only WhatsApp and uses it.
    const second = uniqueMobile(testInfo.workerIndex);
    expect((await tryItSend(page, second.national, second.full)).channel).toBe('voice');
    const popup = popupOn(page);
    const whatsapp = popup.dialog.getByRole('button', { name: 'WhatsApp' });
    await expect(whatsapp).toBeVisible();
    await expect(popup.dialog.getByRole('button', { name: 'Text me again' })).toHaveCount(0);
    await expect(popup.dialog.getByRole('button', { name: 'Call me' })).toHaveCount(0);
    await whatsapp.click();
    const [resent] = await waitForMessages(second.full, 2);
    expect(resent!.channel).toBe('whatsapp');
    await tryItVerify(page, codeOf(resent!));
  });
});

test.describe('console accessibility', () => {
  test('sign-in, widgets, widget editor, templates and template editor have no axe violations', async ({
    page,
    system,
  }, testInfo) => {
    await page.goto(`${system.serverUrl}/console`);
    await expect(page.getByLabel('Authkey', { exact: true })).toBeVisible();
    expect(await axeViolations(page), 'sign-in page').toEqual([]);

    // The sign-in page with an error.
    await page.getByLabel('Authkey', { exact: true }).fill('not-the-authkey');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('#field-authkey-error')).toBeVisible();
    expect(await axeViolations(page), 'sign-in page with an error').toEqual([]);

    const name = `Axe ${testInfo.workerIndex}-${Date.now()}`;
    const widget = await createWidget({
      name,
      contactPoints: ['mobile', 'email'],
      countryChannels: { US: 'whatsapp' },
      demoCredentials: [{ identifier: '14155550199', otp: '123456' }],
    });
    await signIn(page, system);
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
    expect(await axeViolations(page), 'widgets list').toEqual([]);

    await page.getByRole('link', { name: 'New widget' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'New widget' })).toBeVisible();
    expect(await axeViolations(page), 'new widget editor').toEqual([]);
    // With an error summary and invalid fields.
    const form = page.getByRole('form', { name: 'Widget settings' });
    await form.getByLabel('OTP length').fill('12');
    await form.getByRole('button', { name: 'Create widget' }).click();
    await expect(form.locator('#field-otpLength')).toHaveAttribute('aria-invalid', 'true');
    expect(await axeViolations(page), 'new widget editor with errors').toEqual([]);

    await page.goto(`${system.serverUrl}/console/widgets/${widget.widgetId}`);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(tryItPanel(page).getByRole('button', { name: 'Try it' })).toBeEnabled();
    expect(await axeViolations(page), 'widget editor with Try it').toEqual([]);

    await page.goto(`${system.serverUrl}/console/templates`);
    await expect(page.getByRole('heading', { level: 1, name: 'Templates' })).toBeVisible();
    expect(await axeViolations(page), 'templates list').toEqual([]);

    // The header's link (an empty list repeats it).
    await page.getByRole('link', { name: 'New template' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'New template' })).toBeVisible();
    const template = page.getByRole('form', { name: 'Template' });
    await template.getByLabel('Template body').fill('Hi ##name##, ##OTP## is your code');
    await expect(page.getByLabel('Sample value for name')).toBeVisible();
    await expect(page.getByTestId('preview-bubble')).toContainText('482913');
    expect(await axeViolations(page), 'template editor (SMS)').toEqual([]);
    await template.getByLabel('Channel').selectOption('email');
    await expect(page.getByTitle('Email preview')).toBeVisible();
    expect(await axeViolations(page), 'template editor (email)').toEqual([]);
  });
});
