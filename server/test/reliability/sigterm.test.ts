/**
 * Graceful shutdown of a real `otpkit serve` on SIGTERM: /readyz turns 503
 * first, then new connections are refused while requests in flight finish,
 * the worker completes the message it is sending, and the process exits 0;
 * past the timeout it cuts what is left and exits 1.
 */

import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Database } from '../../src/store/sqlite/driver.ts';
import { killAll, startServerProcess, until } from '../../src/testing/processes.ts';
import { startWebhookReceiver } from '../../src/testing/standins.ts';

vi.setConfig({ testTimeout: 60_000 });
afterEach(killAll);

const SECRET = 'shutdown-webhook-secret';
const AUTHKEY = 'otpk_shutdown_authkey_0123456789';
const API = '/api/v5/widget';

/** A captcha siteverify endpoint that holds its answers until released: a slow request in flight. */
async function startSlowSiteverify() {
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  let calls = 0;
  const server: Server = createServer(async (req, res) => {
    calls++;
    for await (const _ of req) {
      // drain the body
    }
    await held;
    res.writeHead(200, { 'content-type': 'application/json' });
    // Turnstile's answer names the action the widget renders with.
    res.end(JSON.stringify({ success: true, hostname: 'shop.example', action: 'otp' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`,
    calls: () => calls,
    release,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Whether a fresh TCP connection to the port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function setUp(extraEnv: Record<string, string>) {
  const gateway = await startWebhookReceiver({ secret: SECRET });
  const siteverify = await startSlowSiteverify();
  const file = join(mkdtempSync(join(tmpdir(), 'otpkit-sigterm-')), 'otpkit.db');
  const server = await startServerProcess({
    OTPKIT_AUTHKEY: AUTHKEY,
    DATABASE_URL: `sqlite:${file}`,
    OTPKIT_WEBHOOK_URL: gateway.url,
    OTPKIT_WEBHOOK_SECRET: SECRET,
    OTPKIT_TURNSTILE_VERIFY_URL: siteverify.url,
    ...extraEnv,
  });
  const widget = async (captcha: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/api/v1/widgets`, {
      method: 'POST',
      headers: { authkey: AUTHKEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Drain shop', captcha }),
    });
    expect(res.status).toBe(201);
    // Only the credentials: any other key of a send's body is a template variable.
    const { widgetId, tokenAuth } = (await res.json()) as { widgetId: string; tokenAuth: string };
    return { widgetId, tokenAuth };
  };
  const plain = await widget({ provider: 'none' });
  const guarded = await widget({ provider: 'turnstile', siteKey: 'site-key', secretKey: 'secret' });
  const send = (w: { widgetId: string; tokenAuth: string }, identifier: string) =>
    fetch(`${server.url}${API}/sendOtpMobile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...w, identifier, captcha: 'turnstile-token' }),
    });
  return { gateway, siteverify, server, file, plain, guarded, send };
}

describe('SIGTERM', () => {
  it('drains: readyz 503, new connections refused, requests in flight and the worker finish, exit 0', async () => {
    const { gateway, siteverify, server, file, plain, guarded, send } = await setUp({
      OTPKIT_SHUTDOWN_DELAY_SECONDS: '1',
      OTPKIT_SHUTDOWN_TIMEOUT_SECONDS: '20',
    });
    // The worker is in the middle of a send the gateway holds…
    let releaseGateway = () => {};
    gateway.control.hold = new Promise<void>((r) => {
      releaseGateway = r;
    });
    expect((await send(plain, '919876543210')).status).toBe(200);
    await until(() => gateway.deliveries.length === 1);
    // …and a browser's send waits on a slow captcha check.
    const slow = send(guarded, '919876543211');
    await until(() => siteverify.calls() === 1);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    // During the delay the instance still serves, but tells load balancers to go away.
    await new Promise((r) => setTimeout(r, 200));
    const draining = await fetch(`${server.url}/readyz`, { headers: { connection: 'close' } });
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({
      status: 'not_ready',
      checks: { shutdown: { ok: false } },
    });
    // After the delay the listener is closed: a new connection is refused.
    await until(() => Date.now() - signalledAt > 1300);
    expect(await accepts(server.port)).toBe(false);
    expect(server.child.exitCode).toBeNull();

    // The request in flight completes normally.
    siteverify.release();
    const answered = await slow;
    expect(answered.status).toBe(200);
    const { message: slowReqId } = (await answered.json()) as { message: string };
    // The worker finishes the message it holds, then the process exits cleanly.
    releaseGateway();
    expect(await server.exited).toBe(0);
    expect(gateway.accepted()).toBe(1);

    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const messages = db
      .prepare('SELECT request_id AS requestId, status FROM messages ORDER BY created_at')
      .all() as { requestId: string; status: string }[];
    // The held message was recorded as sent; the late one waits in the queue for the next start.
    expect(messages).toEqual([
      { requestId: expect.any(String), status: 'sent' },
      { requestId: slowReqId, status: 'pending' },
    ]);
    db.close();
    expect(server.output()).not.toMatch(/"level":"(error|fatal)"/);
    await gateway.close();
    await siteverify.close();
  });

  it('cuts requests that outlive the timeout and exits 1', async () => {
    const { siteverify, server, guarded, send, gateway } = await setUp({
      OTPKIT_SHUTDOWN_TIMEOUT_SECONDS: '1',
    });
    const slow = send(guarded, '919876543212').catch((error: unknown) => error);
    await until(() => siteverify.calls() === 1);
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(await slow).toBeInstanceOf(Error);
    expect(server.output()).toContain('shutdown timed out');
    siteverify.release();
    await siteverify.close();
    await gateway.close();
  });
});
