/**
 * Widget settings a visitor notices, on a page of our own: the popup's
 * language (the widget's `language`, or the browser's with `auto`) and demo
 * credentials (a fixed code, nothing delivered).
 */
import type { Page } from '@playwright/test';
import { type Embed, expect, popupOn, test } from '../support/fixtures.ts';
import {
  createWidget,
  expectNoMessages,
  uniqueMobile,
  type WidgetCredentials,
  waitForMessages,
} from '../support/otpkit.ts';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const HINDI = {
  title: 'अपना फ़ोन नंबर सत्यापित करें',
  phone: 'फ़ोन नंबर',
  send: 'कोड भेजें',
  code: 'सत्यापन कोड',
  sms: 'सत्यापन कोड है',
};

/** Opens the popup on our page and sends a code to `national` using the Hindi labels. */
async function sendInHindi(page: Page, embed: Embed, widget: WidgetCredentials, national: string) {
  await embed.open(widget);
  await page.getByRole('button', { name: 'Verify me' }).click();
  const dialog = popupOn(page).dialog;
  await expect(dialog.getByRole('heading', { name: HINDI.title })).toBeVisible();
  await expect(dialog).toHaveAttribute('lang', /^hi/);
  await dialog.getByLabel(HINDI.phone, { exact: true }).fill(national);
  await dialog.getByRole('button', { name: HINDI.send }).click();
  await expect(dialog.getByLabel(HINDI.code, { exact: true })).toBeVisible();
}

test.describe('brand colour', () => {
  test("the popup's button takes it, with readable text on it (the server's brandTheme)", async ({
    page,
    embed,
  }) => {
    const widget = await createWidget({
      name: 'Branded',
      contactPoints: ['mobile'],
      brandColor: '#ffcc00',
    });
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    const send = popupOn(page).send;
    await expect(send).toBeVisible();
    // Yellow is too light for white text: near-black it is (4.5:1 at least).
    await expect(send).toHaveCSS('background-color', 'rgb(255, 204, 0)');
    await expect(send).toHaveCSS('color', 'rgb(17, 17, 17)');
  });
});

test.describe('popup language', () => {
  test('language "hi": the popup speaks Hindi in an English browser, and so does the SMS', async ({
    page,
    embed,
  }, testInfo) => {
    const widget = await createWidget({
      name: 'Hindi',
      contactPoints: ['mobile'],
      language: 'hi',
    });
    const phone = uniqueMobile(testInfo.workerIndex);

    await sendInHindi(page, embed, widget, phone.national);

    await expect(popupOn(page).dialog).not.toContainText('Verification code');
    const [message] = await waitForMessages(phone.full);
    expect(message!.text).toContain(HINDI.sms);
  });

  test('language "auto" in an English browser: English', async ({ page, embed }) => {
    const widget = await createWidget({
      name: 'Auto, English browser',
      contactPoints: ['mobile'],
      language: 'auto',
    });
    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page);
    await expect(
      popup.dialog.getByRole('heading', { name: 'Verify your phone number' }),
    ).toBeVisible();
    await expect(popup.identifier).toBeVisible();
  });

  test.describe('in a Hindi browser (locale hi-IN)', () => {
    test.use({ locale: 'hi-IN' });

    test('language "auto": the popup speaks Hindi, and so does the SMS', async ({
      page,
      embed,
    }, testInfo) => {
      const widget = await createWidget({
        name: 'Auto, Hindi browser',
        contactPoints: ['mobile'],
        language: 'auto',
      });
      const phone = uniqueMobile(testInfo.workerIndex);

      await sendInHindi(page, embed, widget, phone.national);

      const [message] = await waitForMessages(phone.full);
      expect(message!.text).toContain(HINDI.sms);
    });

    test('language "en": English even so', async ({ page, embed }) => {
      const widget = await createWidget({
        name: 'English, Hindi browser',
        contactPoints: ['mobile'],
        language: 'en',
      });
      await embed.open(widget);
      await page.getByRole('button', { name: 'Verify me' }).click();
      await expect(popupOn(page).identifier).toBeVisible();
    });
  });
});

test.describe('demo credentials', () => {
  test('the fixed code verifies the demo number, nothing is delivered, and the token says demo', async ({
    page,
    embed,
    system,
  }, testInfo) => {
    const demoNumber = '14155550100';
    const widget = await createWidget({
      name: 'App store review',
      contactPoints: ['mobile'],
      defaultCountry: 'US',
      demoCredentials: [{ identifier: demoNumber, otp: '123456' }],
      // The last step sends by plain fetch, which solves no captcha (demo numbers need none).
      captcha: { provider: 'none' },
    });

    await embed.open(widget);
    await page.getByRole('button', { name: 'Verify me' }).click();
    const popup = popupOn(page);
    await expect(popup.dialog.getByRole('button', { name: /country/i })).toHaveAccessibleName(
      /\+1\b/,
    );
    await popup.identifier.pressSequentially('4155550100');
    await expect(popup.identifier).toHaveValue('(415) 555-0100'); // AsYouType, US format.
    await popup.send.click();
    await expect(popup.code).toBeVisible();
    await popup.code.pressSequentially('123456');

    await expect(popup.host).toHaveCount(0);
    await expect.poll(async () => (await embed.events()).map((e) => e.kind)).toEqual(['success']);
    const token = (await embed.events())[0]!.data.message;
    expect(token).toMatch(JWT);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: demoNumber, aud: widget.widgetId, demo: true });
    await expectNoMessages(demoNumber);

    // Another number of the same widget is an ordinary one: it gets a real message.
    const other = uniqueMobile(testInfo.workerIndex);
    const response = await fetch(`${system.serverUrl}/api/v5/widget/sendOtpMobile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...widget, identifier: other.full }),
    });
    expect(response.status).toBe(200);
    await waitForMessages(other.full);
  });
});
