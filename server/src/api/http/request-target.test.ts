import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server.ts';
import { createOriginFormServer, originForm } from './request-target.ts';

describe('originForm', () => {
  it.each([
    ['https://api.msg91.com/api/v5/otp?mobile=91&x=1', '/api/v5/otp?mobile=91&x=1'],
    ['HTTP://example.com', '/'],
    ['http://user:pw@example.com:8080/a/b#frag', '/a/b'],
    ['/api/v5/otp?x=1', '/api/v5/otp?x=1'],
    ['*', '*'],
    ['https://[bad', 'https://[bad'],
  ])('%s → %s', (target, expected) => {
    expect(originForm(target)).toBe(expected);
  });
});

describe('createOriginFormServer', () => {
  it('hands the listener the origin-form target and the Host header the client sent', async () => {
    const seen: { url?: string; host?: string }[] = [];
    const bare = createOriginFormServer({}, (request, response) => {
      seen.push({ url: request.url, host: request.headers.host });
      response.end('ok');
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const { port } = bare.address() as { port: number };
    const answer = await rawRequest(port, {
      method: 'POST',
      target: 'https://api.msg91.com/api/v5/otp/verify?otp=1234',
      host: 'api.msg91.com',
    });
    await new Promise((resolve) => bare.close(resolve));
    expect(answer).toEqual({ status: 200, body: 'ok' });
    expect(seen).toEqual([{ url: '/api/v5/otp/verify?otp=1234', host: 'api.msg91.com' }]);
  });
});

/** One HTTP/1.1 request written by hand on a socket, so the target is sent exactly as given. */
function rawRequest(
  port: number,
  lines: {
    method: string;
    target: string;
    host: string;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<{ status: number; body: string }> {
  const body = lines.body ?? '';
  const head = [
    `${lines.method} ${lines.target} HTTP/1.1`,
    `Host: ${lines.host}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(lines.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\n\r\n${body}`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
      const raw = text.slice(text.indexOf('\r\n\r\n') + 4);
      // Chunked bodies: keep the JSON between the chunk sizes.
      resolve({
        status,
        body: raw.includes('{') ? raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1) : raw,
      });
    });
  });
}

describe('absolute-form request targets on a listening server', () => {
  let server: RunningServer;
  let port: number;
  let authkey: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otpkit-target-'));
    writeFileSync(join(dir, 'otp-provider.js'), '');
    server = await startServer({
      env: {
        NODE_ENV: 'development',
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir, 'otpkit.db')}`,
        OTPKIT_WIDGET_FILE: join(dir, 'otp-provider.js'),
        OTPKIT_AUTHKEY: 'otpk_absolute_form_test_key_0123456789',
      },
    });
    port = Number(new URL(server.url).port);
    authkey = 'otpk_absolute_form_test_key_0123456789';
  });
  afterAll(() => server.close());

  it('routes POST https://api.msg91.com/api/v5/otp?… by its path, as a proxied client sends it', async () => {
    const sent = await rawRequest(port, {
      method: 'POST',
      target: `https://api.msg91.com/api/v5/otp?otp_expiry=10&mobile=919812345678&authkey=${authkey}&otp_length=6&pluginsource=1100`,
      host: 'api.msg91.com',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toEqual({ type: 'success', request_id: expect.any(String) });
  });

  it('does not let the target’s origin change the server’s own origin (the token issuer stays OTPKIT_PUBLIC_URL)', async () => {
    const demo = server.report.demo!;
    const identifier = '919812345679';
    const sent = await rawRequest(port, {
      method: 'POST',
      target: 'https://evil.example/api/v5/widget/sendOtp',
      host: 'evil.example',
      headers: { 'Content-Type': 'application/json', authkey },
      body: JSON.stringify({ widgetId: demo.widgetId, identifier }),
    });
    expect(sent.status).toBe(200);
    const reqId = JSON.parse(sent.body).message;
    const outbox = await fetch(`${server.url}/dev/outbox?to=${identifier}`);
    const [message] = (await outbox.json()) as { text: string }[];
    const code = message?.text.match(/\d{4,9}/)?.[0];
    const verified = await rawRequest(port, {
      method: 'POST',
      target: 'http://evil.example:9999/api/v5/widget/verifyOtp',
      host: 'evil.example:9999',
      headers: { 'Content-Type': 'application/json', authkey },
      body: JSON.stringify({ widgetId: demo.widgetId, reqId, otp: code }),
    });
    expect(verified.status).toBe(200);
    expect(decodeJwt(JSON.parse(verified.body).message).iss).toBe(server.url);
  });

  it('still serves origin-form targets, and refuses a malformed absolute target with a 400', async () => {
    const health = await rawRequest(port, { method: 'GET', target: '/healthz', host: 'localhost' });
    expect(health).toEqual({ status: 200, body: '{"status":"ok"}' });
    const bad = await rawRequest(port, { method: 'GET', target: 'http://[::1/healthz', host: 'x' });
    expect(bad.status).toBe(400);
  });
});
