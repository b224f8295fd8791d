/**
 * The attack suite for production's defaults: what a deployment that forgot
 * something, or a client that abuses one, meets. Starts are real `otpkit
 * serve` processes with `NODE_ENV` unset (production is the default); the
 * slow clients talk to a real socket. The suite prints its table (attack,
 * expected, got) at the end, as `attacks.test.ts` does.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.ts';
import { createHarness, type Harness, TEST_ISSUER } from '../../src/testing/harness.ts';
import { type Attack, attackSuite } from './suite.ts';

const bin = new URL('../../bin/otpkit.mjs', import.meta.url).pathname;
const API = '/api/v5/widget';

const strong = () => randomBytes(32).toString('base64');
const AUTHKEY = `otpk_${randomBytes(32).toString('base64url')}`;

/** A production environment that passes every check: each attack spoils one variable. */
function productionEnv(): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'otpkit-prod-')), 'otpkit.db')}`,
    OTPKIT_PUBLIC_URL: 'https://otp.example.com',
    OTPKIT_SECRET: strong(),
    OTPKIT_AUTHKEY: AUTHKEY,
    OTPKIT_METRICS_TOKEN: strong(),
    // A provider, so production has a way to deliver (nothing is sent here).
    OTPKIT_WEBHOOK_URL: 'http://127.0.0.1:9/send',
    OTPKIT_WEBHOOK_SECRET: strong(),
    OTPKIT_DELIVERY_WORKER: 'false',
    LOG_LEVEL: 'warn',
  };
}

/**
 * Runs `otpkit serve` as an operator would (NODE_ENV unset): `started` if it
 * listens (then it is stopped), else its exit code and what it printed.
 */
async function serve(
  env: Record<string, string | undefined>,
): Promise<
  { started: true; stdout: string } | { started: false; code: number | null; stderr: string }
> {
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve'], {
    // Only PATH from the test's environment: no NODE_ENV, no OTPKIT_* leaking in.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (/listening on http/.test(stdout)) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve({ started: true, stdout });
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      resolve(
        /listening on http/.test(stdout)
          ? { started: true, stdout }
          : { started: false, code, stderr },
      );
    });
  });
}

/**
 * What a refused start said, in the table's words: the exit code, the first
 * variable named and why, and whether it said how to fix it and kept its
 * stack trace to itself.
 */
function refusal(outcome: Awaited<ReturnType<typeof serve>>): string {
  if (outcome.started) return 'started';
  const line = outcome.stderr.match(/^\s+(OTPKIT_\w+): (.*)$/m);
  const why = line?.[2]?.startsWith('too easy to guess')
    ? 'guessable'
    : line?.[2]?.startsWith('required in production')
      ? 'missing'
      : (line?.[2]?.slice(0, 40) ?? outcome.stderr.slice(0, 80));
  const fix = /openssl rand -base64 32|OTPKIT_PUBLIC_URL=https:/.test(outcome.stderr)
    ? ''
    : ', no fix named';
  const stack = /\n\s+at /.test(outcome.stderr) ? ', stack trace' : '';
  return `exit ${outcome.code}: ${line?.[1] ?? '?'} ${why}${fix}${stack}`;
}

/** A raw socket to a running server; resolves once connected. */
function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: hostname === 'localhost' ? '127.0.0.1' : hostname,
      port: +port,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends `head` at once, then `drip` one byte every `everyMs` until the
 * server closes the socket or `forMs` has passed. Says when it was closed
 * and the status the server answered, if any.
 */
async function trickle(
  url: string,
  head: string,
  drip: string,
  options: { everyMs: number; forMs: number },
): Promise<{ closedAfterMs: number | null; status: string | null }> {
  const socket = await open(url);
  const started = Date.now();
  let received = '';
  let closedAt: number | null = null;
  socket.on('data', (chunk) => {
    received += chunk.toString();
  });
  socket.on('error', () => {});
  socket.once('close', () => {
    closedAt = Date.now();
  });
  socket.write(head);
  for (let i = 0; Date.now() - started < options.forMs && closedAt === null; i++) {
    await new Promise((r) => setTimeout(r, options.everyMs));
    if (closedAt === null && !socket.destroyed) socket.write(drip[i % drip.length]!);
  }
  socket.destroy();
  const closedAfterMs = closedAt === null ? null : (closedAt as number) - started;
  return { closedAfterMs, status: received.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? null };
}

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

/** An in-process production server with the given timeouts and cap. */
async function productionServer(env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer({
    env: { ...productionEnv(), NODE_ENV: 'production', ...env },
  });
  running.push(server);
  return server;
}

/** An in-process production harness; widgets are made with {@link AUTHKEY}. */
async function productionHarness(env: Record<string, string> = {}): Promise<Harness> {
  return createHarness({
    env: {
      NODE_ENV: 'production',
      OTPKIT_PUBLIC_URL: TEST_ISSUER,
      OTPKIT_SECRET: strong(),
      OTPKIT_AUTHKEY: AUTHKEY,
      OTPKIT_METRICS_TOKEN: strong(),
      ...env,
    },
  });
}

async function widgetOf(
  h: Harness,
  settings: Record<string, unknown> = {},
): Promise<{ widgetId: string; tokenAuth: string }> {
  const res = await h.post(
    '/api/v1/widgets',
    { name: 'Shop', contactPoints: ['mobile'], captcha: { provider: 'none' }, ...settings },
    { authkey: AUTHKEY },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { widgetId: res.body.widgetId, tokenAuth: res.body.tokenAuth };
}

const guessable = (variable: string, value: string): Attack => ({
  attack: `otpkit serve (NODE_ENV unset) with ${variable}=${JSON.stringify(value.length > 24 ? `${value.slice(0, 21)}…` : value)}`,
  expected: `exit 1: ${variable} guessable`,
  run: async () => refusal(await serve({ ...productionEnv(), [variable]: value })),
});

const attacks: Attack[] = [
  guessable('OTPKIT_SECRET', 'changeme'.repeat(4)),
  guessable('OTPKIT_SECRET', 'a'.repeat(48)),
  guessable('OTPKIT_SECRET', 'abc'.repeat(16)),
  guessable('OTPKIT_AUTHKEY', 'changeme-changeme'),
  guessable('OTPKIT_METRICS_TOKEN', 'metrics-token-0123456789'),
  guessable('OTPKIT_WEBHOOK_SECRET', 'xxxxxxxxxxxxxxxxxxxxxxxx'),
  {
    attack: 'otpkit serve (NODE_ENV unset) behind a proxy without OTPKIT_PUBLIC_URL',
    expected: 'exit 1: OTPKIT_PUBLIC_URL missing',
    run: async () =>
      refusal(
        await serve({ ...productionEnv(), OTPKIT_PUBLIC_URL: undefined, OTPKIT_TRUST_PROXY: '1' }),
      ),
  },
  {
    attack: 'a browser on another site calls a widget that lists no allowedOrigins',
    expected: '403 ORIGIN_NOT_ALLOWED',
    async run() {
      const h = await productionHarness();
      const w = await widgetOf(h);
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210' },
        { origin: 'https://evil.example' },
      );
      await h.close();
      return `${res.status} ${res.body.code}`;
    },
  },
  {
    attack: 'a slowloris client sends its headers a byte every 100 ms (headers timeout 1 s)',
    expected: '408, cut off within 3 s',
    async run() {
      const server = await productionServer({
        OTPKIT_HEADERS_TIMEOUT_SECONDS: '1',
        OTPKIT_REQUEST_TIMEOUT_SECONDS: '2',
      });
      const { closedAfterMs, status } = await trickle(
        server.url,
        'GET /healthz HTTP/1.1\r\nHost: otp.example.com\r\n',
        'X-Padding: slowly-slowly\r\n',
        { everyMs: 100, forMs: 8_000 },
      );
      if (closedAfterMs === null) return 'still connected after 8 s';
      return `${status ?? 'no answer'}, ${closedAfterMs <= 3_000 ? 'cut off within 3 s' : `cut off after ${closedAfterMs} ms`}`;
    },
  },
  {
    attack: 'a client sends its body a byte every 100 ms (request timeout 2 s)',
    expected: '408, cut off within 4 s',
    async run() {
      const server = await productionServer({
        OTPKIT_HEADERS_TIMEOUT_SECONDS: '1',
        OTPKIT_REQUEST_TIMEOUT_SECONDS: '2',
      });
      const body = JSON.stringify({ widgetId: 'x'.repeat(500) });
      const { closedAfterMs, status } = await trickle(
        server.url,
        `POST ${API}/sendOtpMobile HTTP/1.1\r\nHost: otp.example.com\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
        { everyMs: 100, forMs: 8_000 },
      );
      if (closedAfterMs === null) return 'still connected after 8 s';
      return `${status ?? 'no answer'}, ${closedAfterMs <= 4_000 ? 'cut off within 4 s' : `cut off after ${closedAfterMs} ms`}`;
    },
  },
  {
    attack: 'a client opens more idle connections than the cap (OTPKIT_MAX_CONNECTIONS=5)',
    expected: 'the 6th closed at once',
    async run() {
      const server = await productionServer({ OTPKIT_MAX_CONNECTIONS: '5' });
      const held = await Promise.all(Array.from({ length: 5 }, () => open(server.url)));
      const extra = await open(server.url);
      const closed = await new Promise<boolean>((resolve) => {
        extra.once('close', () => resolve(true));
        extra.on('error', () => {});
        setTimeout(() => resolve(false), 2_000);
      });
      // Once one of the five goes, a new connection is served again.
      held[0]!.destroy();
      await new Promise((r) => setTimeout(r, 200));
      const again = await fetch(`${server.url}/healthz`);
      for (const s of [...held, extra]) s.destroy();
      if (!closed) return 'the 6th stayed open';
      return again.status === 200 ? 'the 6th closed at once' : `then ${again.status}`;
    },
  },
];

attackSuite('Attack suite: production defaults', attacks, { timeoutMs: 60_000 });

describe('production defaults, beside the attacks', () => {
  it('otpkit config check prints the same refusals, and --dev asks for development', async () => {
    const run = promisify(execFile);
    const env = {
      PATH: process.env.PATH ?? '',
      ...productionEnv(),
      OTPKIT_PUBLIC_URL: '',
      OTPKIT_SECRET: 'changeme'.repeat(4),
    };
    const failed = await run(process.execPath, [bin, 'config', 'check'], { env }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/OTPKIT_PUBLIC_URL: required in production/);
    expect(failed?.stderr).toMatch(
      /OTPKIT_SECRET: too easy to guess for production: it is a short pattern repeated, about \d+ bits/,
    );
    expect(failed?.stderr).toContain('openssl rand -base64 32');
    expect(failed?.stderr).toMatch(/runs in production mode unless NODE_ENV=development/);
    expect(failed?.stderr).not.toContain('changemechangeme');
    const dev = await run(process.execPath, [bin, 'config', 'check', '--dev'], { env });
    expect(dev.stdout).toMatch(/Configuration is valid/);
  }, 60_000);

  it('otpkit serve --dev starts where production refuses', async () => {
    const env = { ...productionEnv(), OTPKIT_PUBLIC_URL: undefined, OTPKIT_SECRET: undefined };
    expect(refusal(await serve(env))).toMatch(/^exit 1: OTPKIT_PUBLIC_URL missing/);
    const child = spawn(process.execPath, [bin, 'serve', '--dev'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const started = await new Promise<string>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/listening on http/.test(out)) resolve(out);
      });
      child.once('exit', () => resolve(out));
    });
    child.kill('SIGKILL');
    expect(started).toMatch(/otpkit \(development\) listening on http/);
  }, 60_000);

  it('lets browsers use a widget from its allowedOrigins, and mobile apps and servers without one', async () => {
    const h = await productionHarness();
    const open = await widgetOf(h);
    const listed = await widgetOf(h, { allowedOrigins: ['https://shop.example'] });
    const send = (w: { widgetId: string; tokenAuth: string }, headers: Record<string, string>) =>
      h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' }, headers);

    const refused = await send(open, { origin: 'https://shop.example' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/allowedOrigins/);
    expect(refused.body.message).toMatch(/OTPKIT_ALLOW_ANY_ORIGIN=true/);
    // The refusal is readable by the page that made it, so its developer sees why.
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const described = await h.get(
      `${API}/getWidgetProcess?widgetId=${open.widgetId}&tokenAuth=${open.tokenAuth}`,
      { origin: 'https://shop.example' },
    );
    expect(described.body.code).toBe('ORIGIN_NOT_ALLOWED');

    expect((await send(listed, { origin: 'https://shop.example' })).status).toBe(200);
    expect((await send(listed, { origin: 'https://evil.example' })).body.code).toBe(
      'ORIGIN_NOT_ALLOWED',
    );
    // No Origin: a mobile SDK. The server's own origin: the console's "Try it".
    expect((await send(open, {})).status).toBe(200);
    expect((await send(open, { origin: new URL(TEST_ISSUER).origin })).status).toBe(200);
    // The console learns whether the server enforces it.
    expect((await h.get('/api/v1/meta')).body).toMatchObject({
      env: 'production',
      allowAnyOrigin: false,
    });
    await h.close();
  });

  it('a production start with OTPKIT_ALLOW_ANY_ORIGIN=true says so', async () => {
    const outcome = await serve({ ...productionEnv(), OTPKIT_ALLOW_ANY_ORIGIN: 'true' });
    expect(outcome.started && outcome.stdout).toMatch(
      /Warning: OTPKIT_ALLOW_ANY_ORIGIN=true: any site may use a widget that lists no allowedOrigins/,
    );
  }, 60_000);

  it('OTPKIT_ALLOW_ANY_ORIGIN=true opens widgets without allowedOrigins to any site', async () => {
    const h = await productionHarness({ OTPKIT_ALLOW_ANY_ORIGIN: 'true' });
    const w = await widgetOf(h);
    const res = await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543210' },
      { origin: 'https://any.example' },
    );
    expect(res.status).toBe(200);
    expect((await h.get('/api/v1/meta')).body.allowAnyOrigin).toBe(true);
    await h.close();
  });

  it('keeps an ordinary client served under the timeouts', async () => {
    const server = await productionServer({
      OTPKIT_HEADERS_TIMEOUT_SECONDS: '1',
      OTPKIT_REQUEST_TIMEOUT_SECONDS: '2',
    });
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
