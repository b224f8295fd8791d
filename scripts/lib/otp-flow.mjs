// A user's first minutes against a deployed otpkit, over HTTP only: what the
// package, image and Node-version checks run against a real `otpkit serve`.
// Plain JavaScript, so scripts run it on any supported Node without a loader.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

/**
 * A production environment with strong random secrets and a webhook gateway:
 * what `NODE_ENV=production` asks of an operator.
 *
 * @param {{ publicUrl: string, webhookUrl: string }} options
 * @returns {Record<string, string>}
 */
export function productionEnv({ publicUrl, webhookUrl }) {
  return {
    NODE_ENV: 'production',
    OTPKIT_SECRET: randomBytes(48).toString('base64url'),
    OTPKIT_AUTHKEY: `otpk_${randomBytes(24).toString('hex')}`,
    OTPKIT_METRICS_TOKEN: randomBytes(24).toString('hex'),
    OTPKIT_PUBLIC_URL: publicUrl,
    OTPKIT_WEBHOOK_URL: webhookUrl,
    OTPKIT_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
  };
}

/**
 * An SMS gateway for the webhook provider: keeps what it is sent and answers 200.
 *
 * @param {{ host?: string }} [options]
 */
export async function startGateway({ host = '127.0.0.1' } = {}) {
  /** @type {Record<string, unknown>[]} */
  const messages = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    messages.push(JSON.parse(raw));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ providerMessageId: `gw-${messages.length}` }));
  });
  await new Promise((resolve) => server.listen(0, host, () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://${host}:${port}/sms`,
    messages,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/** Polls `check` until it returns a truthy value; throws after `ms`. */
export async function until(check, ms = 30_000, label = 'a condition') {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until `GET /healthz` answers 200; returns its body. */
export function waitForHealth(url, ms = 60_000) {
  return until(
    async () => {
      const res = await fetch(`${url}/healthz`);
      return res.ok ? res.json() : undefined;
    },
    ms,
    `${url}/healthz`,
  );
}

/**
 * A free TCP port on 127.0.0.1.
 *
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve) => {
    const server = createTcpServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a process that runs `otpkit serve` (directly, through npx or in a
 * container) with its stdout and stderr collected, for a failure to show.
 * `healthy` waits for `/healthz` and fails at once, naming `what`, when the
 * process exits first.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 */
export function startServeProcess(command, args, options = {}) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk) => {
    output += chunk;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  return {
    child,
    /** @type {Promise<number | string>} the exit code, or the signal that ended it */
    exited,
    output: () => output,
    /** @param {string} url @param {string} what @param {number} [ms] */
    healthy: (url, what, ms) =>
      Promise.race([
        waitForHealth(url, ms),
        exited.then((code) => {
          throw new Error(`${what} exited (${code})`);
        }),
      ]),
  };
}

async function call(url, path, { body, headers = {}, method = 'POST' } = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return json;
}

/** The widgets the account holds (admin API). */
export async function listWidgets(url, authkey) {
  const answer = await call(url, '/api/v1/widgets', { method: 'GET', headers: { authkey } });
  return Array.isArray(answer) ? answer : answer.widgets;
}

/**
 * Creates a widget for `origin`, then logs in as that page would: send a code
 * (with the page's Origin), read it from the gateway, verify it, and redeem
 * the access token server to server (`verifyAccessToken`, no Origin).
 *
 * @param {{ url: string, authkey: string, gateway: { messages: Record<string, unknown>[] }, origin: string, identifier?: string }} options
 * @returns {Promise<{ widgetId: string, requestId: string }>}
 */
export async function otpFlow({ url, authkey, gateway, origin, identifier = '919876543210' }) {
  const widget = await call(url, '/api/v1/widgets', {
    headers: { authkey },
    body: {
      name: 'Deployed shop',
      contactPoints: ['mobile'],
      captcha: { provider: 'none' },
      allowedOrigins: [origin],
    },
  });
  const keys = { widgetId: widget.widgetId, tokenAuth: widget.tokenAuth };
  const page = { origin };
  const before = gateway.messages.length;
  const sent = await call(url, '/api/v5/widget/sendOtpMobile', {
    headers: page,
    body: { ...keys, identifier },
  });
  const message = await until(
    async () => gateway.messages.slice(before).find((m) => m.requestId === sent.message),
    30_000,
    'the code at the gateway',
  );
  const otp = String(message.text).match(/\d{4,9}/)?.[0];
  if (!otp) throw new Error(`no code in ${JSON.stringify(message)}`);
  const verified = await call(url, '/api/v5/widget/verifyOtp', {
    headers: page,
    body: { ...keys, reqId: sent.message, otp },
  });
  const redeemed = await call(url, '/api/v5/widget/verifyAccessToken', {
    headers: { authkey },
    body: { 'access-token': verified.message },
  });
  if (redeemed.type !== 'success')
    throw new Error(`verifyAccessToken: ${JSON.stringify(redeemed)}`);
  return { widgetId: widget.widgetId, requestId: sent.message };
}
