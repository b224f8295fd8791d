import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kill9, killAll, startServerProcess, until } from '../../testing/processes.ts';
import { startWebhookReceiver } from '../../testing/standins.ts';

// Real server processes, killed with SIGKILL: seconds per test.
vi.setConfig({ testTimeout: 60_000 });

const SECRET = 'crash-test-webhook-secret';
const AUTHKEY = 'otpk_crash_test_authkey_0123456789';
afterEach(killAll);

const startServer = (env: Record<string, string>) =>
  startServerProcess({ OTPKIT_AUTHKEY: AUTHKEY, ...env });

async function sendCode(url: string, identifier: string): Promise<string> {
  const created = await fetch(`${url}/api/v1/widgets`, {
    method: 'POST',
    headers: { authkey: AUTHKEY, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Crash shop', captcha: { provider: 'none' } }),
  });
  // The admin answer holds every setting: send only the credentials (any other key of the
  // body would be a template variable).
  const { widgetId, tokenAuth } = (await created.json()) as { widgetId: string; tokenAuth: string };
  const sent = await fetch(`${url}/api/v5/widget/sendOtpMobile`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ widgetId, tokenAuth, identifier }),
  });
  expect(sent.status).toBe(200);
  return ((await sent.json()) as { message: string }).message;
}

describe('a crash between commit and delivery', () => {
  it('delivers the message after a restart, once', async () => {
    const gateway = await startWebhookReceiver({ secret: SECRET });
    const env = {
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'otpkit-crash-')), 'otpkit.db')}`,
      OTPKIT_WEBHOOK_URL: gateway.url,
      OTPKIT_WEBHOOK_SECRET: SECRET,
    };
    // An instance without a worker commits the message and answers; then dies hard.
    const first = await startServer({ ...env, OTPKIT_DELIVERY_WORKER: 'false' });
    await sendCode(first.url, '919876543210');
    await kill9(first);
    expect(gateway.deliveries).toHaveLength(0);

    await startServer(env);
    await until(() => gateway.accepted() === 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(gateway.deliveries).toHaveLength(1);
    expect(String(gateway.deliveries[0]?.body.text)).toMatch(
      /^\d{6} is your Crash shop verification code/,
    );
    await gateway.close();
  });

  it('re-sends a message the provider may have taken, with the same idempotency key', async () => {
    const gateway = await startWebhookReceiver({ secret: SECRET });
    let release = () => {};
    gateway.control.hold = new Promise<void>((r) => {
      release = r;
    });
    const env = {
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'otpkit-crash-')), 'otpkit.db')}`,
      OTPKIT_WEBHOOK_URL: gateway.url,
      OTPKIT_WEBHOOK_SECRET: SECRET,
      OTPKIT_DELIVERY_LEASE_SECONDS: '1',
    };
    const first = await startServer(env);
    await sendCode(first.url, '919876543211');
    // The gateway has the message but otpkit dies before hearing back.
    await until(() => gateway.deliveries.length === 1);
    await kill9(first);
    gateway.control.hold = undefined;
    release();

    await startServer(env);
    await until(() => gateway.deliveries.length === 2);
    const keys = gateway.deliveries.map((d) => d.idempotencyKey);
    expect(keys[0]).toBeDefined();
    expect(keys[1]).toBe(keys[0]);
    expect(gateway.accepted()).toBe(1);
    await gateway.close();
  });
});
