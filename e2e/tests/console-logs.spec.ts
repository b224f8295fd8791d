/**
 * The console's Logs and Analytics pages over real traffic: codes sent
 * through the widget API to two widgets (one verified, one wrong code, resends),
 * then found by phone number, filtered, opened in the drawer, exported; a
 * refused call (no captcha) in the Refused calls list; the analytics totals
 * and charts; axe-core and a 360 px viewport on both pages.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { axeViolations } from '../support/axe.ts';
import { overflowsSideways, signIn } from '../support/console.ts';
import { e2eEnvironment } from '../support/environment.ts';
import { expect, test } from '../support/fixtures.ts';
import {
  createWidget,
  latestCode,
  uniqueMobile,
  type WidgetCredentials,
  wrongCode,
} from '../support/otpkit.ts';

test.describe.configure({ mode: 'serial', timeout: 60_000 });

/** Calls the widget API (`/api/v5/widget/<path>`) as a plain client; returns status and body. */
async function widgetCall(
  path: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${e2eEnvironment().serverUrl}/api/v5/widget/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Sends a code; returns the request id. */
async function send(widget: WidgetCredentials, full: string): Promise<string> {
  const r = await widgetCall('sendOtpMobile', { ...widget, identifier: full });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return String(r.body.reqId);
}

async function resend(widget: WidgetCredentials, reqId: string): Promise<void> {
  const r = await widgetCall('retryOtp', { ...widget, reqId, retryChannel: '11' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function verify(widget: WidgetCredentials, reqId: string, otp: string, ok = true) {
  const r = await widgetCall('verifyOtp', { ...widget, reqId, otp });
  if (ok) expect(r.status, JSON.stringify(r.body)).toBe(200);
  else expect(r.body).toMatchObject({ type: 'error', code: 'OTP_MISMATCH' });
}

interface Seeded {
  a: WidgetCredentials & { name: string };
  b: WidgetCredentials & { name: string };
  pow: WidgetCredentials & { name: string };
  verified: { full: string; reqId: string };
  wrong: { full: string; reqId: string };
  resent: { full: string; reqId: string };
  resentVerified: { full: string; reqId: string };
  plain: { full: string; reqId: string };
  refused: string;
}

let seeded: Seeded;

test.beforeAll(async () => {
  const workerInfo = test.info();
  const tag = `${workerInfo.workerIndex}-${Date.now()}`;
  const settings = { captcha: { provider: 'none' as const }, retryTime: 0, retryCount: 3 };
  const a = {
    name: `Logs A ${tag}`,
    ...(await createWidget({ name: `Logs A ${tag}`, ...settings })),
  };
  const b = {
    name: `Logs B ${tag}`,
    ...(await createWidget({ name: `Logs B ${tag}`, ...settings })),
  };
  const pow = {
    name: `Logs captcha ${tag}`,
    ...(await createWidget({ name: `Logs captcha ${tag}`, captcha: { provider: 'pow' } })),
  };
  const phone = () => uniqueMobile(workerInfo.workerIndex).full;

  // Widget A: one verified, one failed by a wrong code.
  const verified = { full: phone(), reqId: '' };
  verified.reqId = await send(a, verified.full);
  await verify(a, verified.reqId, await latestCode(verified.full));
  const wrong = { full: phone(), reqId: '' };
  wrong.reqId = await send(a, wrong.full);
  await verify(a, wrong.reqId, wrongCode(await latestCode(wrong.full)), false);

  // Widget B: resent (not verified), resent and verified, sent once.
  const resent = { full: phone(), reqId: '' };
  resent.reqId = await send(b, resent.full);
  await latestCode(resent.full);
  await resend(b, resent.reqId);
  await latestCode(resent.full, 2);
  const resentVerified = { full: phone(), reqId: '' };
  resentVerified.reqId = await send(b, resentVerified.full);
  await latestCode(resentVerified.full);
  await resend(b, resentVerified.reqId);
  await verify(b, resentVerified.reqId, await latestCode(resentVerified.full, 2));
  const plain = { full: phone(), reqId: '' };
  plain.reqId = await send(b, plain.full);
  await latestCode(plain.full);

  // A refused call: the captcha widget without a captcha.
  const refused = phone();
  const r = await widgetCall('sendOtpMobile', { ...pow, identifier: refused });
  expect(r.body).toMatchObject({ type: 'error', code: 'CAPTCHA_REQUIRED' });

  seeded = { a, b, pow, verified, wrong, resent, resentVerified, plain, refused };
});

function requestsTable(page: Page) {
  return page.getByRole('table', { name: 'OTP requests' });
}

test('logs: find by phone, filter, drawer, export, refused calls, axe, 360 px', async ({
  page,
  system,
}) => {
  const s = seeded;
  await signIn(page, system);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logs' })).toBeVisible();
  await expect(page).toHaveURL(/\/console\/logs$/);

  // Find one request by its phone number (typed the way a person would).
  const filters = page.getByRole('form', { name: 'Log filters' });
  await filters.getByLabel('Phone or email').fill(`+${s.verified.full}`);
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/identifier=/);
  const table = requestsTable(page);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText(s.verified.full);
  await expect(table).toContainText(s.verified.reqId);
  await expect(table.locator('.status--verified')).toHaveText(/Verified/);

  // Resends > 0 and not verified, on widget B: exactly the resent, unverified request.
  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/console\/logs$/);
  await filters.getByLabel('Widget').selectOption(s.b.widgetId);
  await filters.getByLabel('Resend count').selectOption('gt');
  await filters.getByLabel('Number of resends').fill('0');
  await filters.getByLabel('OTP verified').selectOption('false');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/resendOp=gt/);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText(s.resent.full);
  await expect(table.locator('.status--retry')).toHaveText(/Retry/);
  // The page reloads with the filters from its address.
  await page.reload();
  await expect(requestsTable(page).locator('tbody tr')).toHaveCount(1);
  await expect(filters.getByLabel('OTP verified')).toHaveValue('false');

  // The drawer: facts and both delivery attempts.
  await page
    .getByRole('button', { name: `Details of ${s.resent.full}, request ${s.resent.reqId}` })
    .click();
  const drawer = page.getByRole('dialog', { name: `Request ${s.resent.reqId}` });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('heading', { name: 'Delivery attempts' })).toBeVisible();
  const attempts = drawer.locator('ol.attempts > li');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toContainText('first send');
  await expect(attempts.nth(1)).toContainText('resend');
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 360, height: 800 });
  await expect(drawer.getByRole('button', { name: 'Close' })).toBeInViewport();
  expect(await overflowsSideways(page)).toBe(false);
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(drawer).toBeHidden();
  expect(await overflowsSideways(page)).toBe(false);
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Export what the filters select, unmasked: the CSV holds the row.
  await page.getByLabel('Mask phone numbers and emails').uncheck();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^otpkit-logs-.*\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain('reqId');
  expect(lines[1]).toContain(s.resent.reqId);
  expect(lines[1]).toContain(s.resent.full);
  await expect(page.getByText(`Downloaded ${download.suggestedFilename()}.`)).toBeVisible();

  // Masked by default: the number does not appear in full.
  await page.getByLabel('Mask phone numbers and emails').check();
  const masked = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const maskedCsv = readFileSync((await (await masked).path())!, 'utf8');
  expect(maskedCsv).toContain(s.resent.reqId);
  expect(maskedCsv).not.toContain(s.resent.full);

  // Refused calls, for the captcha widget: the send without a captcha.
  await page.goto(
    `${system.serverUrl}/console/logs?widgetId=${encodeURIComponent(s.pow.widgetId)}`,
  );
  await expect(page.getByRole('heading', { level: 2, name: 'Refused calls' })).toBeVisible();
  const refused = page.getByRole('table', { name: 'Refused calls' });
  await expect(refused.locator('tbody tr')).toHaveCount(1);
  const row = refused.locator('tbody tr').first();
  await expect(row).toContainText(s.refused);
  await expect(row).toContainText('CAPTCHA_REQUIRED');
  await expect(row).toContainText('No captcha was sent');
  await expect(row).toContainText(s.pow.name);
  await expect(row).toContainText('Send');
  // Widget B has no refused call.
  await page.goto(`${system.serverUrl}/console/logs?widgetId=${encodeURIComponent(s.b.widgetId)}`);
  await expect(page.getByText('No call was refused in this range.')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test('analytics: totals and charts for a widget, axe, 360 px', async ({ page, system }) => {
  const s = seeded;
  await signIn(page, system);
  await page.goto(`${system.serverUrl}/console/analytics`);
  await expect(page.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible();
  const totals = page.getByRole('region', { name: 'Totals' });
  await expect(totals).toBeVisible();

  const form = page.getByRole('form', { name: 'Date range' });
  await form.getByLabel('Widget').selectOption(s.a.widgetId);
  await form.getByRole('button', { name: 'Show' }).click();
  const kpi = (label: string) =>
    totals.locator('.kpi', { has: page.getByText(label, { exact: true }) }).locator('dd');
  await expect(kpi('Requests')).toHaveText('2');
  await expect(kpi('Verified')).toHaveText('1');
  await expect(kpi('Conversion')).toHaveText('50.0%');

  for (const caption of [
    'Deliveries',
    'Verifications',
    'Conversion (%)',
    'Messages sent per channel',
  ]) {
    const figure = page.getByRole('figure', { name: caption });
    await expect(figure).toBeVisible();
    await expect(figure.locator('canvas')).toHaveCount(1);
    const size = await figure.locator('canvas').boundingBox();
    expect(size?.width ?? 0).toBeGreaterThan(100);
  }
  await expect(page.getByRole('table', { name: 'By channel' })).toContainText('SMS');
  expect(await axeViolations(page)).toEqual([]);

  await page.setViewportSize({ width: 360, height: 800 });
  await expect(page.getByRole('figure', { name: 'Deliveries' }).locator('canvas')).toBeVisible();
  expect(await overflowsSideways(page)).toBe(false);
  expect(await axeViolations(page)).toEqual([]);
});
