/**
 * A production instance as an operator meets it: a load balancer's health
 * checks and a Prometheus scrape against the real process.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { killAll, startServerProcess } from '../../src/testing/processes.ts';
import { startWebhookReceiver } from '../../src/testing/standins.ts';

vi.setConfig({ testTimeout: 60_000 });
afterEach(killAll);

const TOKEN = randomBytes(32).toString('base64url');

describe('a production instance', () => {
  it('answers health checks and a Prometheus scrape with its bearer token', async () => {
    // Production refuses guessable secrets and wants its public address.
    const webhookSecret = randomBytes(32).toString('base64');
    const gateway = await startWebhookReceiver({ secret: webhookSecret });
    const server = await startServerProcess({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      OTPKIT_PUBLIC_URL: 'https://otp.example.com',
      OTPKIT_SECRET: randomBytes(32).toString('base64'),
      OTPKIT_METRICS_TOKEN: TOKEN,
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'otpkit-probe-')), 'otpkit.db')}`,
      OTPKIT_WEBHOOK_URL: gateway.url,
      OTPKIT_WEBHOOK_SECRET: webhookSecret,
      LOG_LEVEL: 'info',
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { worker: { ok: true } } });

    // Loopback is no excuse in production: the token is required.
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    const scrape = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(
      /^otpkit_http_requests_total\{route="\/readyz",method="GET",status="200"\} 1$/m,
    );
    expect(text).toMatch(/^otpkit_queue_depth 0$/m);

    // The logs are JSON lines with the request ids the responses carried.
    const id = ready.headers.get('x-request-id');
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'listening')).toMatchObject({ level: 'info' });
    const denied = lines.find((l) => l.msg === 'request' && l.status === 401);
    expect(denied).toMatchObject({
      route: '/metrics',
      requestId: anonymous.headers.get('x-request-id'),
    });
    // Probe hits are debug lines: a load balancer polling every second does not flood the log.
    expect(lines.some((l) => l.requestId === id)).toBe(false);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await gateway.close();
  });
});
