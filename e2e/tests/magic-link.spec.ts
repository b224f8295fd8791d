/**
 * Magic links as a person meets them: the customer's tab asks for a link
 * and shows a two-digit number, the person opens the link from their mail in
 * another tab, sees who asked (as claimed, not verified), types the number
 * and confirms, and the first tab finishes by itself with an access token.
 * A wrong number ends the link, and the first tab says so.
 */
import { expect, popupOn, test } from '../support/fixtures.ts';
import { createWidget, uniqueEmail, waitForMessages } from '../support/otpkit.ts';

function linkIn(text: string): string {
  const link = text.match(/https?:\/\/\S+\/verify\/[A-Za-z0-9_-]+/)?.[0];
  if (!link) throw new Error(`no link in: ${text}`);
  return link;
}

/** What `window.sendOtp` resolves with (the fields read here). */
type Sent = { type: string; matchNumber?: number } | undefined;

/** The number field of the confirmation page. */
const NUMBER_FIELD = 'Type the number shown on the page where you asked to sign in';

for (const mode of ['popup', 'exposeMethods'] as const) {
  test(`${mode}: a link confirmed in another tab, with the first tab's number, finishes the first tab`, async ({
    page,
    context,
    embed,
    embedOrigin,
  }, testInfo) => {
    const email = uniqueEmail(testInfo.workerIndex, `Magic-${mode}`);
    const widget = await createWidget({
      name: 'Magic shop',
      contactPoints: ['email'],
      verificationType: 'magic_link',
      retryTime: 30,
    });

    let number: string;
    if (mode === 'popup') {
      await embed.open(widget);
      await page.locator('#open').click();
      const popup = popupOn(page, 'email');
      await popup.identifier.fill(email);
      await popup.dialog.getByRole('button', { name: 'Send link' }).click();
      await expect(popup.dialog.getByRole('heading', { name: 'Check your email' })).toBeVisible();
      await expect(popup.dialog).toContainText('We sent a sign-in link to');
      await expect(popup.dialog).toContainText('Waiting for you to open the link');
      await expect(popup.dialog).toContainText(/Resend in 0:[23]\d/);
      // The tab that asked shows the number the link's page will ask for.
      await expect(popup.dialog).toContainText('The link’s page will ask for this number:');
      number = (await popup.dialog.locator('strong.k').textContent()) ?? '';
    } else {
      await embed.open({ ...widget, exposeMethods: true });
      const sent = (await page.evaluate((to) => window.sendOtp?.(to), email)) as Sent;
      number = String(sent?.type === 'success' ? sent.matchNumber : '');
    }
    expect(number).toMatch(/^[1-9]\d$/);

    const [message] = await waitForMessages(email.toLowerCase());
    expect(message?.subject).toContain('sign-in link');
    const link = linkIn(message!.text);

    // The person opens the link from their mail in another tab: nothing happens until they confirm.
    const mail = await context.newPage();
    await mail.goto(link);
    const host = new URL(embedOrigin).host;
    await expect(mail.getByRole('heading', { name: `Sign in to ${host}?` })).toBeVisible();
    await expect(mail.locator('[data-field="site"]')).toHaveText(`${host} (Magic shop)`);
    await expect(mail.locator('[data-field="browser"]')).toContainText(/Chrom/);
    await expect(mail.locator('[data-field="place"]')).toContainText('IP address');
    // The page says plainly what it could not check.
    await expect(mail.getByText('Site (as claimed)')).toBeVisible();
    await expect(mail.locator('[data-field="unverified"]')).toContainText(
      'Not verified: the site and the browser above are what the request said about itself.',
    );
    await page.waitForTimeout(2500);
    expect(await embed.events()).toEqual([]);

    // Without the number the browser does not even post the form.
    await mail.getByRole('button', { name: 'Sign me in' }).click();
    await expect(mail.getByRole('heading', { name: `Sign in to ${host}?` })).toBeVisible();
    await mail.getByLabel(NUMBER_FIELD).fill(number);
    await mail.getByRole('button', { name: 'Sign me in' }).click();
    await expect(mail.getByRole('heading', { name: 'You are signed in' })).toBeVisible();

    // The first tab learns of it by itself and reports the access token.
    await expect
      .poll(async () => (await embed.events()).map((e) => e.kind), { timeout: 10_000 })
      .toEqual(['success']);
    const [event] = await embed.events();
    expect(event?.data.message.split('.')).toHaveLength(3);
    if (mode === 'popup') await expect(popupOn(page).host).toHaveCount(0);

    // The link works once.
    await mail.goto(link);
    await expect(
      mail.getByRole('heading', { name: 'This link has already been used' }),
    ).toBeVisible();
  });
}

for (const mode of ['popup', 'exposeMethods'] as const) {
  test(`${mode}: a wrong number ends the link, and the first tab says so`, async ({
    page,
    context,
    embed,
  }, testInfo) => {
    const email = uniqueEmail(testInfo.workerIndex, `Wrong-${mode}`);
    const widget = await createWidget({
      name: 'Magic shop',
      contactPoints: ['email'],
      verificationType: 'magic_link',
    });
    let number: number;
    if (mode === 'popup') {
      await embed.open(widget);
      await page.locator('#open').click();
      const popup = popupOn(page, 'email');
      await popup.identifier.fill(email);
      await popup.dialog.getByRole('button', { name: 'Send link' }).click();
      // The send waits for the proof-of-work captcha: seconds on a loaded machine.
      await expect(popup.dialog.locator('strong.k')).toHaveText(/^\d\d$/);
      number = Number(await popup.dialog.locator('strong.k').textContent());
    } else {
      await embed.open({ ...widget, exposeMethods: true });
      const sent = (await page.evaluate((to) => window.sendOtp?.(to), email)) as Sent;
      number = sent?.type === 'success' ? (sent.matchNumber ?? 0) : 0;
    }
    expect(number).toBeGreaterThanOrEqual(10);

    const [message] = await waitForMessages(email.toLowerCase());
    const link = linkIn(message!.text);
    const mail = await context.newPage();
    await mail.goto(link);
    await mail.getByLabel(NUMBER_FIELD).fill(String(number === 99 ? 10 : number + 1));
    await mail.getByRole('button', { name: 'Sign me in' }).click();
    await expect(mail.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
    // One try: the link stays dead.
    await mail.goto(link);
    await expect(mail.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();

    if (mode === 'popup') {
      await expect(popupOn(page).dialog).toContainText(
        'A wrong number was typed on the link’s page, so it no longer works.',
        { timeout: 10_000 },
      );
      await expect(
        popupOn(page).dialog.getByRole('button', { name: 'Send a new link' }),
      ).toBeVisible();
      expect(await embed.events()).toEqual([]);
    } else {
      await expect
        .poll(async () => (await embed.events()).map((e) => `${e.kind} ${e.data.code}`), {
          timeout: 10_000,
        })
        .toEqual(['failure LINK_EXPIRED']);
    }
  });
}
