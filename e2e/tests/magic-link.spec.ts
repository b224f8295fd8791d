/**
 * Magic links as a person meets them: the customer's tab asks for a link,
 * the person opens it from their mail in another tab, sees who asked and
 * confirms, and the first tab finishes by itself with an access token.
 */
import { expect, popupOn, test } from '../support/fixtures.ts';
import { createWidget, uniqueEmail, waitForMessages } from '../support/otpkit.ts';

function linkIn(text: string): string {
  const link = text.match(/https?:\/\/\S+\/verify\/[A-Za-z0-9_-]+/)?.[0];
  if (!link) throw new Error(`no link in: ${text}`);
  return link;
}

for (const mode of ['popup', 'exposeMethods'] as const) {
  test(`${mode}: a link confirmed in another tab finishes the first tab`, async ({
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
    } else {
      await embed.open({ ...widget, exposeMethods: true });
      await page.evaluate((to) => window.sendOtp?.(to), email);
    }

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
    await page.waitForTimeout(2500);
    expect(await embed.events()).toEqual([]);

    await mail.getByRole('button', { name: 'Yes, sign me in' }).click();
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
