/**
 * The popup on the demo site (`/`): a visitor proves a phone number and the
 * demo backend checks the access token with the SDK; wrong codes and the
 * resend countdown as the visitor sees them.
 */
import { expect, popupOn, test } from '../support/fixtures.ts';
import {
  createWidget,
  latestCode,
  uniqueEmail,
  uniqueMobile,
  waitForMessages,
  wrongCode,
} from '../support/otpkit.ts';

/** A national number as a person types it: "98765 00001". */
function spaced(national: string): string {
  return `${national.slice(0, 5)} ${national.slice(5)}`;
}

test.describe('popup on the demo site', () => {
  test.beforeEach(async ({ page, system }) => {
    await page.goto(system.demoUrl);
    await page.getByRole('button', { name: 'Log in with phone or email' }).click();
    await expect(popupOn(page).dialog).toBeVisible();
  });

  test('a phone number is verified and the demo backend accepts the access token', async ({
    page,
  }, testInfo) => {
    const phone = uniqueMobile(testInfo.workerIndex);
    const popup = popupOn(page);
    await expect(
      popup.dialog.getByRole('heading', { name: 'Verify your phone number' }),
    ).toBeVisible();
    // The widget's default country (IN) is preselected.
    const country = popup.dialog.getByRole('button', { name: /country/i });
    await expect(country).toHaveAccessibleName(/India/);
    await expect(country).toHaveAccessibleName(/\+91/);

    await popup.identifier.pressSequentially(spaced(phone.national));
    await popup.send.click();

    await expect(popup.code).toBeVisible();
    await expect(popup.code).toHaveAttribute('autocomplete', 'one-time-code');
    await expect(popup.code).toHaveAttribute('inputmode', 'numeric');
    await expect(popup.dialog).toContainText('Enter the 6-digit code sent to');
    await expect(popup.code).toBeFocused();

    const code = await latestCode(phone.full);
    await popup.code.pressSequentially(code); // No submit button press: the last digit submits.

    // A brief "Verified", then the popup closes by itself.
    await expect(popup.dialog.getByRole('heading', { name: 'Verified' })).toBeVisible();
    await expect(popup.host).toHaveCount(0);
    await expect(page.locator('#result')).toHaveText(`Verified: ${phone.full}`);
  });

  test('the country list (its own chunk) searches, picks a country and comes back to the number', async ({
    page,
  }) => {
    const popup = popupOn(page);
    const country = popup.dialog.getByRole('button', { name: /country/i });
    await country.click();
    const search = popup.dialog.getByRole('combobox', { name: 'Search countries' });
    await expect(search).toBeFocused();
    await search.fill('united k');
    await expect(popup.dialog.getByRole('option')).toHaveCount(1);
    await expect(popup.dialog.getByRole('option')).toContainText('United Kingdom');
    await search.press('Enter');
    await expect(country).toHaveAccessibleName(/United Kingdom/);
    await expect(country).toHaveAccessibleName(/\+44/);
    await expect(popup.identifier).toBeFocused();
    // Esc in the list goes back without closing the popup.
    await country.click();
    await popup.dialog.getByRole('combobox').press('Escape');
    await expect(country).toBeFocused();
    await expect(popup.dialog).toBeVisible();
  });

  test('an email address is verified through the Email tab', async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo.workerIndex, 'Popup');
    const popup = popupOn(page, 'email');
    const emailTab = popup.dialog.getByRole('tab', { name: 'Email' });
    await emailTab.click();
    await expect(emailTab).toHaveAttribute('aria-selected', 'true');
    await expect(popup.dialog.getByRole('heading', { name: 'Verify your email' })).toBeVisible();

    await popup.identifier.fill(email);
    await popup.send.click();
    await expect(popup.code).toBeVisible();

    const code = await latestCode(email.toLowerCase());
    await popup.code.fill(code);

    await expect(popup.host).toHaveCount(0);
    await expect(page.locator('#result')).toHaveText(`Verified: ${email.toLowerCase()}`);
  });

  test('an invalid phone number is explained under the field and nothing is sent', async ({
    page,
  }) => {
    const popup = popupOn(page);
    await popup.identifier.pressSequentially('12345');
    await popup.send.click();

    await expect(popup.identifier).toHaveAccessibleDescription(/Enter a valid phone number\./);
    await expect(popup.identifier).toHaveAttribute('aria-invalid', 'true');
    await expect(popup.identifier).toBeFocused();
    await expect(popup.code).toHaveCount(0);
  });

  test('a wrong code is explained inline, the field is cleared and keeps focus, then the right code works', async ({
    page,
  }, testInfo) => {
    const phone = uniqueMobile(testInfo.workerIndex);
    const popup = popupOn(page);
    await popup.identifier.pressSequentially(phone.national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    const code = await latestCode(phone.full);

    await popup.code.pressSequentially(wrongCode(code));

    // The demo widget allows 5 attempts: one used, four left.
    const error = popup.dialog.locator('[aria-live]').filter({ hasText: 'That code didn’t work' });
    await expect(error).toHaveText('That code didn’t work. You have 4 tries left.');
    await expect(popup.code).toHaveAccessibleDescription(/You have 4 tries left/);
    await expect(popup.code).toHaveAttribute('aria-invalid', 'true');
    await expect(popup.code).toHaveValue('');
    await expect(popup.code).toBeFocused();
    await expect(popup.dialog).toBeVisible();
    await expect(page.locator('#result')).toHaveText('');

    await page.keyboard.type(code); // Focus stayed in the field: just keep typing.

    await expect(popup.host).toHaveCount(0);
    await expect(page.locator('#result')).toHaveText(`Verified: ${phone.full}`);
  });

  test('"Edit" goes back to the number, keeping it', async ({ page }, testInfo) => {
    const phone = uniqueMobile(testInfo.workerIndex);
    const popup = popupOn(page);
    await popup.identifier.pressSequentially(phone.national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();

    await popup.dialog.getByRole('button', { name: 'Edit' }).click();

    await expect(popup.identifier).toBeVisible();
    await expect(popup.identifier).toBeFocused();
    expect((await popup.identifier.inputValue()).replace(/\D/g, '')).toBe(phone.national);
  });
});

test.describe('resend countdown', () => {
  test('counts down, then offers the channels; a resent code is a new one and verifies', async ({
    page,
    embed,
  }, testInfo) => {
    const widget = await createWidget({
      name: 'Quick resend',
      contactPoints: ['mobile'],
      retryChannels: { mobile: ['sms', 'voice'] },
      retryTime: 3,
      otpLength: 6,
    });
    const phone = uniqueMobile(testInfo.workerIndex);
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page);
    await popup.identifier.pressSequentially(phone.national);
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    const first = await latestCode(phone.full);

    const textAgain = popup.dialog.getByRole('button', { name: 'Text me again' });
    const callMe = popup.dialog.getByRole('button', { name: 'Call me' });
    await expect(popup.dialog).toContainText(/Didn’t get it\? Resend in 0:0[1-3]/);
    await expect(textAgain).toHaveCount(0);

    await expect(textAgain).toBeVisible({ timeout: 6_000 });
    await expect(callMe).toBeVisible();
    await expect(popup.dialog).not.toContainText('Resend in');
    // Only the widget's retry channels are offered.
    await expect(popup.dialog.getByRole('button', { name: 'WhatsApp' })).toHaveCount(0);

    await textAgain.click();

    const messages = await waitForMessages(phone.full, 2);
    expect(messages[0]!.channel).toBe('sms');
    const second = await latestCode(phone.full, 2);
    // The countdown starts again after a resend.
    await expect(popup.dialog).toContainText(/Resend in 0:0[1-3]/);
    await expect(popup.code).toBeFocused();
    test.skip(second === first, 'the server drew the same code twice (one chance in a million)');

    await popup.code.pressSequentially(second);

    await expect(popup.host).toHaveCount(0);
    const events = await embed.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'success', data: { type: 'success' } });
    expect(events[0]!.data.message).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  test('an email widget offers "Email" once the countdown ends', async ({
    page,
    embed,
  }, testInfo) => {
    const widget = await createWidget({
      name: 'Email only',
      contactPoints: ['email'],
      retryTime: 2,
      otpLength: 4,
    });
    const email = uniqueEmail(testInfo.workerIndex, 'resend');
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page, 'email');
    // One contact point: no tabs.
    await expect(popup.dialog.getByRole('tab')).toHaveCount(0);
    await popup.identifier.fill(email);
    await popup.send.click();
    await expect(popup.dialog).toContainText('Enter the 4-digit code sent to');
    await expect(popup.dialog).toContainText(/Resend in 0:0[1-2]/);

    const resend = popup.dialog.getByRole('button', { name: 'Email', exact: true });
    await expect(resend).toBeVisible({ timeout: 5_000 });
    await resend.click();
    await expect(popup.dialog).toContainText('We sent a new code.');

    const messages = await waitForMessages(email, 2);
    expect(messages[0]!.channel).toBe('email');
    const code = await latestCode(email, 2);
    await popup.code.pressSequentially(code);

    await expect(popup.host).toHaveCount(0);
    expect((await embed.events()).map((event) => event.kind)).toEqual(['success']);
  });
});
