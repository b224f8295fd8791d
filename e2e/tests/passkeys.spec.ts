/**
 * Passkeys after the first code, in Chromium with a virtual authenticator
 * (the DevTools protocol's WebAuthn domain): a visitor proves a number with a
 * code, accepts the passkey offer, and next time signs in with one touch; the
 * demo backend accepts the token, and no second message is sent. The same
 * journey through `exposeMethods` (the demo site's own form).
 */
import type { CDPSession, Page } from '@playwright/test';
import { expect, popupOn, test } from '../support/fixtures.ts';
import { adminApi, latestCode, outbox, uniqueMobile } from '../support/otpkit.ts';

/** A platform authenticator with user verification that answers without a touch. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, id: authenticatorId };
}

async function credentialsOn(authenticator: { cdp: CDPSession; id: string }) {
  const { credentials } = await authenticator.cdp.send('WebAuthn.getCredentials', {
    authenticatorId: authenticator.id,
  });
  return credentials;
}

interface LogEntry {
  reqId: string;
  channel: string;
  channels: string[];
  status: string;
}

test('popup: a code, the passkey offer, then a one-touch sign-in with no message sent', async ({
  page,
  system,
}, testInfo) => {
  const authenticator = await virtualAuthenticator(page);
  const phone = uniqueMobile(testInfo.workerIndex);
  await page.goto(system.demoUrl);
  await page.getByRole('button', { name: 'Log in with phone or email' }).click();
  const popup = popupOn(page);
  await popup.identifier.pressSequentially(phone.national);
  await popup.send.click();
  await popup.code.pressSequentially(await latestCode(phone.full));

  // The code worked; before closing, the popup offers a passkey.
  await expect(
    popup.dialog.getByRole('heading', { name: 'Sign in faster next time' }),
  ).toBeVisible();
  await expect(popup.dialog.getByRole('button', { name: 'Not now' })).toBeVisible();
  await popup.dialog.getByRole('button', { name: /passkey/i }).click();
  await expect(popup.host).toHaveCount(0);
  await expect(page.locator('#result')).toHaveText(`Verified: ${phone.full}`);
  expect(await credentialsOn(authenticator)).toHaveLength(1);
  const messagesAfterCode = (await outbox(phone.full)).length;

  // Next visit: the phone field offers the passkey in its autofill (conditional mediation),
  // which Chromium's virtual authenticator picks at once, as a person would with one touch.
  await page.reload();
  await expect(page.locator('#result')).toHaveText('');
  await page.getByRole('button', { name: 'Log in with phone or email' }).click();
  await expect(popupOn(page).host).toHaveCount(0);
  await expect(page.locator('#result')).toHaveText(`Verified: ${phone.full}`);

  // A browser without passkey autofill: the popup offers "Sign in with a passkey" first.
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  await page.reload();
  await page.getByRole('button', { name: 'Log in with phone or email' }).click();
  const again = popupOn(page);
  await expect(again.identifier).toBeVisible(); // The code stays one click away.
  await again.dialog.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(again.host).toHaveCount(0);
  await expect(page.locator('#result')).toHaveText(`Verified: ${phone.full}`);
  expect((await outbox(phone.full)).length).toBe(messagesAfterCode);

  // The console's log shows the sign-in, with no message.
  const logs = await adminApi<{ entries: LogEntry[] }>(
    'GET',
    `/logs?identifier=${phone.full}&widgetId=${system.demoWidget.widgetId}`,
  );
  expect(logs.entries.map((e) => e.channel)).toEqual(['passkey', 'passkey', 'sms']);
  expect(logs.entries[0]).toMatchObject({ status: 'verified', channels: [] });
});

test('exposeMethods: registerPasskey after verifyOtp, then signInWithPasskey', async ({
  page,
  system,
}, testInfo) => {
  const authenticator = await virtualAuthenticator(page);
  const phone = uniqueMobile(testInfo.workerIndex);
  await page.goto(`${system.demoUrl}/custom`);
  await page.getByLabel('Phone or email').fill(phone.full);
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('Code', { exact: true }).fill(await latestCode(phone.full));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.locator('#result')).toHaveText(`Verified: ${phone.full}`);

  await page.getByRole('button', { name: 'Create a passkey for next time' }).click();
  await expect(page.locator('#status')).toHaveText('Passkey created: next time, sign in with it.');
  expect(await credentialsOn(authenticator)).toHaveLength(1);
  const messages = (await outbox(phone.full)).length;

  await page.reload();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.locator('#status')).toHaveText('Signed in with your passkey.');
  await expect(page.locator('#result')).toHaveText(`Verified: ${phone.full}`);
  expect((await outbox(phone.full)).length).toBe(messages);
});
