import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE_DIR } from './config.ts';
import { createDemoApp, type DemoSiteOptions, startDemoSite } from './server.ts';

/** A fake otpkit server that answers verifyAccessToken: one good token, used once. */
let otpkit: Server;
let otpkitUrl: string;
let tmp: string;
const verifyCalls: unknown[] = [];

beforeAll(async () => {
  const used = new Set<string>();
  otpkit = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    verifyCalls.push(body);
    const answer = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.url !== '/api/v5/widget/verifyAccessToken') return answer(404, {});
    if (body.authkey !== 'authkey-1') {
      return answer(401, { type: 'error', code: 'INVALID_AUTHKEY', message: 'bad authkey' });
    }
    const token = body['access-token'];
    if (token === 'good-token' || token === 'other-widget-token') {
      const widgetId = token === 'good-token' ? 'widget-1' : 'widget-2';
      if (body.widgetId !== undefined && body.widgetId !== widgetId) {
        return answer(401, { type: 'error', code: 'TOKEN_INVALID', message: 'Another widget.' });
      }
      if (used.has(token)) {
        return answer(409, {
          type: 'error',
          code: 'TOKEN_ALREADY_VERIFIED',
          message: 'This access token has already been verified.',
        });
      }
      used.add(token);
      return answer(200, {
        type: 'success',
        message: '919999999999',
        identifier: '919999999999',
        widgetId,
        channel: 'sms',
        verifiedAt: '2025-01-01T00:00:00.000Z',
      });
    }
    answer(401, { type: 'error', code: 'TOKEN_INVALID', message: 'The access token is invalid.' });
  });
  await new Promise<void>((resolve) => otpkit.listen(0, '127.0.0.1', resolve));
  otpkitUrl = `http://127.0.0.1:${(otpkit.address() as AddressInfo).port}`;
  tmp = await mkdtemp(join(tmpdir(), 'otpkit-demo-'));
});

afterAll(async () => {
  otpkit.closeAllConnections();
  await new Promise((resolve) => otpkit.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

const configured = (): DemoSiteOptions => ({
  otpkitUrl,
  widgetId: 'widget-1',
  tokenAuth: 'token-auth-1',
  authkey: 'authkey-1',
  demoFile: join(tmp, 'missing.json'),
});

function login(options: DemoSiteOptions, body: unknown, contentType = 'application/json') {
  return createDemoApp(options).request('/api/login', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: JSON.stringify(body),
  });
}

describe('POST /api/login', () => {
  it('logs in with a good token, once', async () => {
    const app = createDemoApp(configured());
    const first = await app.request('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken: 'good-token' }),
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      ok: true,
      identifier: '919999999999',
      channel: 'sms',
      verifiedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(verifyCalls.at(-1)).toEqual({
      authkey: 'authkey-1',
      'access-token': 'good-token',
      widgetId: 'widget-1',
    });

    const replay = await login(configured(), { accessToken: 'good-token' });
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ ok: false, code: 'TOKEN_ALREADY_VERIFIED' });
  });

  it('refuses an invalid token with 401', async () => {
    const response = await login(configured(), { accessToken: 'forged' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      ok: false,
      code: 'TOKEN_INVALID',
      message: 'The access token is invalid.',
    });
  });

  it("refuses a token of another of the account's widgets", async () => {
    const response = await login(configured(), { accessToken: 'other-widget-token' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect(verifyCalls.at(-1)).toMatchObject({ widgetId: 'widget-1' });
  });

  it('answers 400 without an access token, 415 for a non-JSON body', async () => {
    expect((await login(configured(), {})).status).toBe(400);
    expect((await login(configured(), { accessToken: 'good-token' }, 'text/plain')).status).toBe(
      415,
    );
  });

  it('answers 502 when the otpkit server is unreachable or refuses the authkey', async () => {
    const unreachable = await login(
      { ...configured(), otpkitUrl: 'http://127.0.0.1:1' },
      { accessToken: 'x' },
    );
    expect(unreachable.status).toBe(502);
    expect(await unreachable.json()).toMatchObject({ ok: false, code: 'NETWORK_ERROR' });

    const wrongKey = await login({ ...configured(), authkey: 'nope' }, { accessToken: 'x' });
    expect(wrongKey.status).toBe(502);
    expect(await wrongKey.json()).toMatchObject({ ok: false, code: 'INVALID_AUTHKEY' });
  });

  it('answers 500 when the demo site has no authkey', async () => {
    const { authkey: _, ...options } = configured();
    const response = await login(options, { accessToken: 'x' });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ ok: false, code: 'INVALID_AUTHKEY' });
  });
});

describe('pages', () => {
  it('/ loads the widget script and initialises it with the configured widget', async () => {
    const html = await (await createDemoApp(configured()).request('/')).text();
    expect(html).toContain(`<script src="${otpkitUrl}/otp-provider.js"`);
    expect(html).toContain('{"widgetId":"widget-1","tokenAuth":"token-auth-1"}');
    expect(html).toContain('id="login"');
    expect(html).toContain('Log in with phone or email');
    expect(html).toContain('id="result"');
    expect(html).not.toContain('id="setup-notice"');
  });

  it('/custom has its own form using exposeMethods', async () => {
    const html = await (await createDemoApp(configured()).request('/custom')).text();
    expect(html).toContain(`<script src="${otpkitUrl}/otp-provider.js"`);
    expect(html).toContain('exposeMethods: true');
    expect(html).toContain('<label for="identifier">Phone or email</label>');
    expect(html).toContain('<label for="otp">Code</label>');
    for (const id of ['send', 'verify', 'resend', 'status', 'result']) {
      expect(html).toContain(`id="${id}"`);
    }
  });

  it('escapes configuration inside the page script', async () => {
    const html = await (
      await createDemoApp({ ...configured(), widgetId: '</script><b>' }).request('/')
    ).text();
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('\\u003c/script>\\u003cb>');
  });

  it('shows a setup notice and no widget when nothing is configured', async () => {
    const app = createDemoApp({ otpkitUrl, demoFile: join(tmp, 'missing.json') });
    for (const path of ['/', '/custom']) {
      const html = await (await app.request(path)).text();
      expect(html).toContain('id="setup-notice"');
      expect(html).toContain('pnpm start');
      expect(html).not.toContain('otp-provider.js');
    }
  });

  it('reads the widget from the demo file, even when it appears after start', async () => {
    const demoFile = join(tmp, 'demo-widget.json');
    const app = createDemoApp({ otpkitUrl, demoFile });
    expect(await (await app.request('/')).text()).toContain('id="setup-notice"');

    await writeFile(demoFile, JSON.stringify({ widgetId: 'file-widget', tokenAuth: 'file-token' }));
    const html = await (await app.request('/')).text();
    expect(html).toContain('{"widgetId":"file-widget","tokenAuth":"file-token"}');
    // No authkey in the file or the options: the notice says what is missing.
    expect(html).toContain('OTPKIT_AUTHKEY');
  });
});

describe('startDemoSite and the CLI', () => {
  it('serves on a free port and closes', async () => {
    const site = await startDemoSite({ ...configured(), port: 0 });
    try {
      expect(site.url).toMatch(/^http:\/\/localhost:\d+$/);
      const response = await fetch(`${site.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessToken: 'forged' }),
      });
      expect(response.status).toBe(401);
    } finally {
      await site.close();
    }
  });

  it('prints "Demo site: URL" with the real port', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: DEMO_SITE_DIR,
      env: {
        ...process.env,
        DEMO_PORT: '0',
        OTPKIT_URL: otpkitUrl,
        OTPKIT_DEMO_FILE: join(tmp, 'none.json'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Demo site: (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const html = await (await fetch(url)).text();
      expect(html).toContain('Log in with phone or email');
    } finally {
      child.kill('SIGTERM');
    }
  }, 20_000);
});
