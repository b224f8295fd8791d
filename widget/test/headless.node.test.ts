/**
 * The headless client where there is no browser: Node (and so React
 * Native's situation: a global fetch, no DOM). It talks to a real otpkit
 * server on a free port, reads codes from the development outbox, and goes
 * through send → verify, resend, a wrong code, and a magic link.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server/src/server.ts';
import { createOtpClient } from '../src/headless.ts';

const AUTHKEY = 'otpk_node_client_test_0123456789';
let server: RunningServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-node-client-'));
  const widgetFile = join(dir, 'otp-provider.js');
  writeFileSync(widgetFile, '');
  server = await startServer({
    env: {
      NODE_ENV: 'development',
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir, 'otpkit.db')}`,
      OTPKIT_WIDGET_FILE: widgetFile,
      OTPKIT_AUTHKEY: AUTHKEY,
    },
  });
});
afterAll(() => server?.close());

async function createWidget(settings: Record<string, unknown>): Promise<{
  widgetId: string;
  tokenAuth: string;
}> {
  const response = await fetch(`${server.url}/api/v1/widgets`, {
    method: 'POST',
    headers: { authkey: AUTHKEY, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Node app', captcha: { provider: 'none' }, ...settings }),
  });
  expect(response.status).toBe(201);
  const { widgetId, tokenAuth } = (await response.json()) as {
    widgetId: string;
    tokenAuth: string;
  };
  return { widgetId, tokenAuth };
}

/** The newest outbox message to `to`, waiting for the delivery worker. */
async function lastMessage(to: string, count = 1): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const response = await fetch(`${server.url}/dev/outbox?to=${encodeURIComponent(to)}`);
    const messages = (await response.json()) as Array<{ text: string }>;
    if (messages.length >= count && messages[0]) return messages[0].text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no outbox message to ${to}`);
}

const codeIn = (text: string): string => text.match(/\d{4,9}/)?.[0] ?? '';

describe('createOtpClient in Node, against a real server', () => {
  it('has no DOM to lean on', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  });

  it('loads the widget, sends, refuses an early resend and a wrong code, then verifies', async () => {
    const widget = await createWidget({ mobileIntegration: true, contactPoints: ['mobile'] });
    const otp = createOtpClient({ baseUrl: server.url, ...widget });

    const data = await otp.getWidgetData();
    expect(data).toMatchObject({ type: 'success', message: widget.widgetId });
    expect(data.type === 'success' && data.data.mobileIntegration).toBe(true);

    const sent = await otp.sendOtp('+91 98765 43210');
    expect(sent).toMatchObject({ type: 'success', reqId: expect.any(String) });
    const first = codeIn(await lastMessage('919876543210'));
    expect(first).toMatch(/^\d{4,9}$/);

    // A resend before the widget's retry time is refused, with how long to wait.
    const early = await otp.retryOtp('sms');
    expect(early).toMatchObject({
      type: 'error',
      code: 'RETRY_TOO_SOON',
      retryAfter: expect.any(Number),
    });

    const wrong = first === '000000' ? '111111' : '000000';
    const refused = await otp.verifyOtp(wrong.slice(0, first.length));
    expect(refused).toMatchObject({ type: 'error', code: 'OTP_MISMATCH' });

    const verified = await otp.verifyOtp(first);
    expect(verified.type).toBe('success');
    const token = verified.message;
    expect(token.split('.')).toHaveLength(3); // A JWT.

    // The backend's side of it: the server vouches for the token, once.
    const check = await fetch(`${server.url}/api/v5/widget/verifyAccessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authkey: AUTHKEY, 'access-token': token }),
    });
    expect(await check.json()).toMatchObject({ type: 'success' });
  });

  it('answers bad input with a stable code, without a request', async () => {
    const otp = createOtpClient({ baseUrl: server.url, widgetId: 'nope', tokenAuth: 'nope' });
    expect(await otp.verifyOtp('123456')).toMatchObject({ code: 'REQUEST_NOT_FOUND' });
    expect(await otp.getWidgetData()).toMatchObject({ type: 'error' });
    const offline = createOtpClient({
      baseUrl: 'http://127.0.0.1:1',
      widgetId: 'w',
      tokenAuth: 't',
    });
    expect(await offline.sendOtp('919876543210')).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('waits for a magic link to be opened and gets the access token', async () => {
    const widget = await createWidget({
      verificationType: 'magic_link',
      contactPoints: ['email'],
      mobileIntegration: true,
    });
    const otp = createOtpClient({ baseUrl: server.url, ...widget });
    const sent = await otp.sendOtp('ada@example.com');
    if (sent.type !== 'success') throw new Error(sent.message);
    // The number the app shows, which the link's page asks for.
    expect(sent.matchNumber).toBeGreaterThanOrEqual(10);
    expect(sent.matchNumber).toBeLessThanOrEqual(99);
    const waiting = otp.waitForMagicLink(undefined, { intervalMs: 50 });

    // The visitor opens the link, types the app's number and confirms on the server's page.
    const link = (await lastMessage('ada@example.com')).match(
      /https?:\/\/\S+\/verify\/[\w-]+/,
    )?.[0];
    expect(link).toBeTruthy();
    const page = await (await fetch(link!)).text();
    const csrf = page.match(/name="csrf"\s+value="([^"]+)"/)?.[1];
    expect(csrf).toBeTruthy();
    const confirmed = await fetch(link!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ csrf: csrf!, match: String(sent.matchNumber) }),
      redirect: 'manual',
    });
    expect(confirmed.status).toBeLessThan(400);

    const done = await waiting;
    expect(done.type).toBe('success');
    expect(done.message.split('.')).toHaveLength(3);
  });

  it('stops waiting when aborted', async () => {
    const widget = await createWidget({ verificationType: 'magic_link', contactPoints: ['email'] });
    const otp = createOtpClient({ baseUrl: server.url, ...widget });
    await otp.sendOtp('grace@example.com');
    const controller = new AbortController();
    const waiting = otp.waitForMagicLink(undefined, { signal: controller.signal, intervalMs: 50 });
    controller.abort(new Error('left the screen'));
    await expect(waiting).rejects.toThrow('left the screen');
  });
});
