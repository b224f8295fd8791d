/**
 * Two real otpkit processes on one PostgreSQL (a schema of its own) and one
 * Redis (a key prefix of its own), delivering through the webhook provider to
 * a receiver that counts deliveries per message. Several instances behave as one.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { freshSchema } from '../../src/store/postgres/test-database.ts';
import { startWebhookReceiver } from '../../src/testing/standins.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const bin = new URL('../../bin/otpkit.mjs', import.meta.url).pathname;
const SECRET = 'multi-instance-webhook-secret';
const AUTHKEY = 'otpk_multi_instance_authkey_0123456789';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const API = '/api/v5/widget';

const db = freshSchema();
const redisPrefix = `otpkit-test-${randomBytes(6).toString('hex')}`;
const children: ChildProcess[] = [];
/** Each instance's output so far: shown when a check on its answers fails. */
const outputs: string[] = [];
let gateway: Awaited<ReturnType<typeof startWebhookReceiver>>;
let env: Record<string, string>;
let a: string;
let b: string;
let widget: { widgetId: string; tokenAuth: string };
let kidsAfterMigrate: string[];

async function startInstance(): Promise<string> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const index = outputs.push('') - 1;
  return new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      outputs[index] += chunk.toString();
      const output = outputs[index]!;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', (code) => reject(new Error(`otpkit exited (${code}): ${outputs[index]}`)));
  });
}

async function post(base: string, path: string, body: unknown, ip = '203.0.113.10') {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  return { status: res.status, body: (await res.json()) as any };
}

async function until<T>(
  check: () => T | undefined | Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The code the gateway received for a request. */
function codeOf(reqId: string): Promise<string> {
  return until(() => {
    const d = gateway.deliveries.find((x) => x.body.requestId === reqId);
    return (d?.body.text as string | undefined)?.match(/\d{6}/)?.[0];
  });
}

beforeAll(async () => {
  gateway = await startWebhookReceiver({ secret: SECRET });
  env = {
    NODE_ENV: 'development',
    DATABASE_URL: db.url,
    REDIS_URL,
    OTPKIT_REDIS_PREFIX: redisPrefix,
    // One public address (the proxy's): it is the tokens' issuer, the same on every instance.
    OTPKIT_PUBLIC_URL: 'http://otpkit.multi.test',
    OTPKIT_SECRET: 'multi-instance-secret-0123456789-abcdef',
    OTPKIT_AUTHKEY: AUTHKEY,
    OTPKIT_DEV_OUTBOX: 'false',
    OTPKIT_TRUST_PROXY: 'true',
    OTPKIT_WEBHOOK_URL: gateway.url,
    OTPKIT_WEBHOOK_SECRET: SECRET,
    OTPKIT_LIMIT_IDENTIFIER: '3/600',
  };
  // The schema comes from `otpkit migrate`; the instances then start together.
  const migrated = await promisify(execFile)(process.execPath, [bin, 'migrate'], {
    env: { ...process.env, ...env },
  });
  expect(migrated.stdout).toContain('Database is up to date.');
  const store = openPostgresStore(db.url);
  kidsAfterMigrate = (await store.signingKeys.list()).map((k) => k.kid);
  await store.close();
  [a, b] = await Promise.all([startInstance(), startInstance()]);
  const created = await fetch(`${a}/api/v1/widgets`, {
    method: 'POST',
    headers: { authkey: AUTHKEY, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Multi shop', maxAttempts: 5, captcha: { provider: 'none' } }),
  });
  expect(created.status, `instance output:\n${outputs.join('\n---\n')}`).toBe(201);
  // Only the credentials: any other key of a send's body is a template variable.
  const { widgetId, tokenAuth } = (await created.json()) as { widgetId: string; tokenAuth: string };
  widget = { widgetId, tokenAuth };
});

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null) return resolve(undefined);
          c.once('exit', resolve);
          c.kill('SIGTERM');
        }),
    ),
  );
  await gateway?.close();
  await db.drop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('two instances on one PostgreSQL and one Redis', () => {
  it('publish the one signing key `otpkit migrate` made', async () => {
    const [ja, jb] = await Promise.all(
      [a, b].map(
        async (base) =>
          (await fetch(`${base}/.well-known/jwks.json`)).json() as Promise<{
            keys: { kid: string }[];
          }>,
      ),
    );
    expect(kidsAfterMigrate).toHaveLength(1);
    expect(ja!.keys.map((k) => k.kid)).toEqual(kidsAfterMigrate);
    expect(jb).toEqual(ja);
  });

  it('a code sent by one instance is verified on the other, and its token redeemed on the first', async () => {
    const sent = await post(a, `${API}/sendOtpMobile`, { ...widget, identifier: '919876543210' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const reqId = sent.body.message as string;
    const code = await codeOf(reqId);
    const verified = await post(b, `${API}/verifyOtp`, { ...widget, reqId, otp: code });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const redeemed = await post(a, `${API}/verifyAccessToken`, {
      authkey: AUTHKEY,
      'access-token': verified.body.message,
    });
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
    // Redeemed once, whichever instance is asked the second time.
    const again = await post(b, `${API}/verifyAccessToken`, {
      authkey: AUTHKEY,
      'access-token': verified.body.message,
    });
    expect(again.status).not.toBe(200);
  });

  it('50 concurrent right-code verifications spread over both give exactly one token', async () => {
    const sent = await post(b, `${API}/sendOtpMobile`, { ...widget, identifier: '919811111111' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const reqId = sent.body.message as string;
    const code = await codeOf(reqId);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(i % 2 === 0 ? a : b, `${API}/verifyOtp`, { ...widget, reqId, otp: code }),
      ),
    );
    const tokens = answers.filter((x) => x.status === 200).map((x) => x.body.message);
    expect(tokens).toHaveLength(1);
    expect(answers.filter((x) => x.status >= 500)).toEqual([]);
  });

  it('a rate limit holds across both instances', async () => {
    const identifier = '919822222222';
    const statuses: number[] = [];
    for (const base of [a, b, a, b]) {
      statuses.push((await post(base, `${API}/sendOtpMobile`, { ...widget, identifier })).status);
    }
    // OTPKIT_LIMIT_IDENTIFIER is 3 per 10 minutes, counted in the shared Redis.
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await post(a, `${API}/sendOtpMobile`, { ...widget, identifier });
    expect(refused.body.code).toBe('RATE_LIMITED');
  });

  it('delivers each message once, though both workers poll one queue', async () => {
    const reqIds = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const sent = await post(
          i % 2 === 0 ? a : b,
          `${API}/sendOtpMobile`,
          { ...widget, identifier: `9198330000${String(i).padStart(2, '0')}` },
          `198.51.100.${i + 1}`,
        );
        expect(sent.status, JSON.stringify(sent.body)).toBe(200);
        return sent.body.message as string;
      }),
    );
    await until(() =>
      reqIds.every((id) => gateway.deliveries.some((d) => d.body.requestId === id))
        ? true
        : undefined,
    );
    // Time for a double send to show up, were there one.
    await new Promise((r) => setTimeout(r, 1500));
    const perMessage = new Map<string, number>();
    for (const d of gateway.deliveries) {
      perMessage.set(d.idempotencyKey!, (perMessage.get(d.idempotencyKey!) ?? 0) + 1);
    }
    expect([...perMessage.values()].filter((n) => n !== 1)).toEqual([]);
    expect(gateway.deliveries.every((d) => d.signatureValid)).toBe(true);
  });

  it('a token revoked and a widget disabled through one instance are refused by the other within a second', async () => {
    const admin = (base: string, path: string, method: string, body?: unknown) =>
      fetch(`${base}/api/v1${path}`, {
        method,
        headers: { authkey: AUTHKEY, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const created = await admin(a, `/widgets/${widget.widgetId}/tokens`, 'POST', {});
    expect(created.status).toBe(201);
    const token = (await created.json()) as { tokenId: string; tokenAuth: string };
    const widgetProcess = (tokenAuth: string) =>
      fetch(`${a}${API}/getWidgetProcess?widgetId=${widget.widgetId}&tokenAuth=${tokenAuth}`);
    // A answers with the token, repeatedly (so it is cached there).
    for (let i = 0; i < 3; i++) expect((await widgetProcess(token.tokenAuth)).status).toBe(200);
    expect(
      (await admin(b, `/widgets/${widget.widgetId}/tokens/${token.tokenId}`, 'DELETE')).status,
    ).toBe(204);
    const revokedAfter = Date.now();
    await until(
      async () => ((await widgetProcess(token.tokenAuth)).status === 200 ? undefined : true),
      1000,
    );
    expect(Date.now() - revokedAfter).toBeLessThan(1000);
    expect((await widgetProcess(token.tokenAuth)).status).toBe(401);

    // The widget's own token still works on A until B disables the widget.
    expect((await widgetProcess(widget.tokenAuth)).status).toBe(200);
    expect(
      (await admin(b, `/widgets/${widget.widgetId}`, 'PATCH', { status: 'disabled' })).status,
    ).toBe(200);
    const disabledAfter = Date.now();
    await until(async () => {
      const sent = await post(a, `${API}/sendOtpMobile`, { ...widget, identifier: '919844444444' });
      return sent.body.code === 'WIDGET_DISABLED' ? true : undefined;
    }, 1000);
    expect(Date.now() - disabledAfter).toBeLessThan(1000);
  });
});
