import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './server.ts';
import { until } from './testing/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'otpkit-server-'));
const widgetFile = join(dir, 'otp-provider.js');
writeFileSync(widgetFile, 'window.initSendOTP=function(){}');
const env = {
  NODE_ENV: 'development',
  PORT: '0',
  DATABASE_URL: `sqlite:${join(dir, 'otpkit.db')}`,
  OTPKIT_WIDGET_FILE: widgetFile,
};
const running: { close(): Promise<unknown> }[] = [];
afterAll(async () => {
  for (const s of running) await s.close();
});

describe('startServer', () => {
  it('bootstraps a first start: secret, authkey shown once, signing key, demo widget file', async () => {
    const server = await startServer({ env });
    running.push(server);
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(server.config.publicUrl).toBe(server.url);
    expect(server.report.newAuthkey).toMatch(/^otpk_/);
    const demo = JSON.parse(readFileSync(join(dir, 'demo-widget.json'), 'utf8'));
    expect(demo).toEqual({
      widgetId: server.report.demo?.widgetId,
      tokenAuth: server.report.demo?.tokenAuth,
    });

    const res = await fetch(
      `${server.url}/api/v5/widget/getWidgetProcess?widgetId=${demo.widgetId}&tokenAuth=${demo.tokenAuth}`,
    );
    expect(((await res.json()) as { data: { name: string } }).data.name).toBe('otpkit demo');
    const authkeyWorks = await fetch(`${server.url}/api/v1/widgets`, {
      headers: { authkey: server.report.newAuthkey! },
    });
    expect(authkeyWorks.status).toBe(200);

    const script = await fetch(`${server.url}/otp-provider.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('access-control-allow-origin')).toBe('*');
    expect(await script.text()).toContain('initSendOTP');
    const cached = await fetch(`${server.url}/otp-provider.js`, {
      headers: { 'if-none-match': script.headers.get('etag')! },
    });
    expect(cached.status).toBe(304);
    await server.close();
    running.pop();

    // A second start keeps the authkey, the secret and the demo widget, and shows no key.
    const again = await startServer({ env });
    running.push(again);
    expect(again.report.newAuthkey).toBeUndefined();
    expect(again.report.demo).toMatchObject({ widgetId: demo.widgetId, created: false });
    expect(
      (
        await fetch(`${again.url}/api/v1/widgets`, {
          headers: { authkey: server.report.newAuthkey! },
        })
      ).status,
    ).toBe(200);
  });

  it('takes OTPKIT_AUTHKEY as the first authkey', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'otpkit-server-'));
    const server = await startServer({
      env: {
        ...env,
        DATABASE_URL: `sqlite:${join(fresh, 'db.sqlite')}`,
        OTPKIT_AUTHKEY: 'otpk_chosen_by_the_operator_1234',
      },
    });
    running.push(server);
    expect(server.report.newAuthkey).toBeUndefined();
    const res = await fetch(`${server.url}/api/v1/widgets`, {
      headers: { authkey: 'otpk_chosen_by_the_operator_1234' },
    });
    expect(res.status).toBe(200);
  });

  it('reads bodies over a real socket: JSON and forms with a length, chunked, and too large', async () => {
    const server = await startServer({ env });
    running.push(server);
    const demo = JSON.parse(readFileSync(join(dir, 'demo-widget.json'), 'utf8'));
    const post = (path: string, body: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: { type: string; code?: string; message?: string } }>(
        (resolve, reject) => {
          const req = request(`${server.url}${path}`, { method: 'POST', headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          });
          req.on('error', reject);
          // Written in two parts: the body arrives in more than one chunk.
          const bytes = Buffer.from(body);
          req.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
          req.end(bytes.subarray(Math.floor(bytes.length / 2)));
        },
      );
    const send = '/api/v5/widget/sendOtpMobile';
    // The demo widget wants a captcha: CAPTCHA_REQUIRED comes after the widget, its token, the
    // identifier and the variables were read from the body and accepted.
    const accepted = { status: 400, body: { code: 'CAPTCHA_REQUIRED' } };
    const json = JSON.stringify({
      ...demo,
      identifier: '919876543210',
      variables: { name: 'नमस्ते' },
    });
    const withLength = await post(send, json, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(json)),
    });
    expect(withLength).toMatchObject(accepted);
    const form = new URLSearchParams({ ...demo, identifier: '919876543211' }).toString();
    const formed = await post(send, form, {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(form.length),
    });
    expect(formed).toMatchObject(accepted);
    const chunked = await post(send, JSON.stringify({ ...demo, identifier: '919876543212' }), {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    expect(chunked).toMatchObject(accepted);
    // A byte-order mark before the JSON (.NET, PowerShell) is read past, as WHATWG decoding does.
    const marked = `\uFEFF${JSON.stringify({ ...demo, identifier: '919876543213' })}`;
    const withMark = await post(send, marked, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(marked)),
    });
    expect(withMark).toMatchObject(accepted);
    const big = JSON.stringify({ ...demo, identifier: 'x'.repeat(20_000) });
    for (const framing of [
      { 'content-length': String(big.length) } as Record<string, string>,
      { 'transfer-encoding': 'chunked' },
    ]) {
      const refused = await post(send, big, { 'content-type': 'application/json', ...framing });
      expect(refused).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    }
    const broken = '{"identifier": ';
    const invalid = await post(send, broken, {
      'content-type': 'application/json',
      'content-length': String(broken.length),
    });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'INVALID_JSON' } });
  });
});

describe('startServer with Redis', () => {
  /** A TCP relay to the test's Redis that holds each new connection `delayMs` before it relays. */
  async function slowRedis(delayMs: number) {
    const target = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const sockets = new Set<Socket>();
    const relay = createNetServer((client) => {
      sockets.add(client);
      client.pause();
      setTimeout(() => {
        const upstream = connect(Number(target.port || 6379), target.hostname);
        sockets.add(upstream);
        client.pipe(upstream).pipe(client);
        client.resume();
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      }, delayMs);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    return {
      url: `redis://127.0.0.1:${(relay.address() as AddressInfo).port}`,
      /** Redis goes away: open connections are cut and new ones refused. */
      cut: () =>
        new Promise<void>((r) => {
          relay.close(() => r());
          for (const s of sockets) s.destroy();
        }),
    };
  }

  it('serves only once Redis answers, and /readyz fails while it does not', async () => {
    const redis = await slowRedis(1000);
    const fresh = mkdtempSync(join(tmpdir(), 'otpkit-server-'));
    const authkey = 'otpk_redis_start_authkey_0123456789';
    const server = await startServer({
      env: {
        ...env,
        DATABASE_URL: `sqlite:${join(fresh, 'db.sqlite')}`,
        OTPKIT_AUTHKEY: authkey,
        REDIS_URL: redis.url,
        OTPKIT_REDIS_PREFIX: `otpkit-start-${process.pid}-${Date.now()}`,
      },
    });
    running.push(server);
    // The first call counts against the limits in Redis: it must not fail for want of a connection.
    const created = await fetch(`${server.url}/api/v1/widgets`, {
      method: 'POST',
      headers: { authkey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Redis shop', captcha: { provider: 'none' } }),
    });
    expect(created.status).toBe(201);
    const ready = await fetch(`${server.url}/readyz`);
    expect(((await ready.json()) as { checks: Record<string, unknown> }).checks.redis).toEqual({
      ok: true,
    });

    await redis.cut();
    await until(async () => (await fetch(`${server.url}/readyz`)).status === 503);
    const down = (await (await fetch(`${server.url}/readyz`)).json()) as {
      code: string;
      checks: Record<string, { ok: boolean }>;
    };
    expect(down.code).toBe('NOT_READY');
    expect(down.checks.redis?.ok).toBe(false);
    expect(down.checks.store?.ok).toBe(true);
  });
});
