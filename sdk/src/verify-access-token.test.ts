import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOtpkit } from './client.ts';
import { OtpkitError } from './errors.ts';
import {
  type FakeOtpkitServer,
  startFakeOtpkitServer,
  TEST_AUTHKEY,
  TEST_WIDGET_ID,
} from './testing/fake-otpkit-server.ts';
import { verifyAccessToken } from './verify-access-token.ts';

let server: FakeOtpkitServer;
beforeAll(async () => {
  server = await startFakeOtpkitServer();
});
afterAll(() => server.close());
afterEach(() => server.onVerify(undefined));

async function rejection(promise: Promise<unknown>): Promise<OtpkitError> {
  const error = await promise.then(
    () => expect.fail('expected the verification to reject'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OtpkitError);
  return error as OtpkitError;
}

const client = () => createOtpkit({ serverUrl: server.url, authkey: TEST_AUTHKEY });

describe('verifyAccessToken (through the server)', () => {
  it('resolves to the verified identity', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await server.signToken({ iat: now, channel: 'email', sub: 'a@example.com' });
    await expect(client().verifyAccessToken(token)).resolves.toEqual({
      identifier: 'a@example.com',
      widgetId: TEST_WIDGET_ID,
      channel: 'email',
      verifiedAt: new Date(now * 1000).toISOString(),
      amr: ['otp'],
      demo: false,
    });
  });

  it('says how a passkey sign-in was made (channel passkey, RFC 8176 amr)', async () => {
    const token = await server.signToken({ channel: 'passkey', amr: ['hwk', 'user'] });
    await expect(client().verifyAccessToken(token)).resolves.toMatchObject({
      channel: 'passkey',
      amr: ['hwk', 'user'],
    });
  });

  it('says whether the login used demo credentials', async () => {
    const demo = await client().verifyAccessToken(await server.signToken({ demo: true }));
    expect(demo.demo).toBe(true);
    // A server that predates the field: not a demo.
    server.onVerify(() => ({
      status: 200,
      body: {
        type: 'success',
        message: '919999999999',
        identifier: '919999999999',
        widgetId: TEST_WIDGET_ID,
        channel: 'sms',
        verifiedAt: new Date().toISOString(),
      },
    }));
    expect((await client().verifyAccessToken(await server.signToken())).demo).toBe(false);
  });

  it('sends widgetId: a token of another widget is refused and stays usable', async () => {
    const seen: unknown[] = [];
    const otpkit = createOtpkit({
      serverUrl: server.url,
      authkey: TEST_AUTHKEY,
      widgetId: 'another-widget',
      fetch: (input, init) => {
        seen.push(JSON.parse(String(init.body)));
        return fetch(input, init);
      },
    });
    const token = await server.signToken();
    const error = await rejection(otpkit.verifyAccessToken(token));
    expect(error).toMatchObject({ code: 'TOKEN_INVALID', status: 401 });
    // The per-call widget id wins over the client's.
    const result = await otpkit.verifyAccessToken(token, { widgetId: TEST_WIDGET_ID });
    expect(result.widgetId).toBe(TEST_WIDGET_ID);
    expect(seen).toEqual([
      { authkey: TEST_AUTHKEY, 'access-token': token, widgetId: 'another-widget' },
      { authkey: TEST_AUTHKEY, 'access-token': token, widgetId: TEST_WIDGET_ID },
    ]);
    // Standalone, too; no widgetId sends none.
    const other = await server.signToken();
    await expect(
      verifyAccessToken(other, { serverUrl: server.url, authkey: TEST_AUTHKEY, widgetId: 'x' }),
    ).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(
      verifyAccessToken(other, { serverUrl: server.url, authkey: TEST_AUTHKEY }),
    ).resolves.toMatchObject({ widgetId: TEST_WIDGET_ID });
    await expect(
      verifyAccessToken(other, { serverUrl: server.url, authkey: TEST_AUTHKEY, widgetId: '' }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it('works standalone', async () => {
    const token = await server.signToken();
    const result = await verifyAccessToken(token, { serverUrl: server.url, authkey: TEST_AUTHKEY });
    expect(result.identifier).toBe('919999999999');
  });

  it('accepts a token once, then rejects it with TOKEN_ALREADY_VERIFIED (409)', async () => {
    const token = await server.signToken();
    await client().verifyAccessToken(token);
    const error = await rejection(client().verifyAccessToken(token));
    expect(error.code).toBe('TOKEN_ALREADY_VERIFIED');
    expect(error.status).toBe(409);
  });

  it('carries the server code and status of a 401', async () => {
    const error = await rejection(client().verifyAccessToken('not-a-jwt'));
    expect(error).toMatchObject({ code: 'TOKEN_INVALID', status: 401 });
    expect(error.message).toBe('The access token is invalid.');
  });

  it('reports TOKEN_EXPIRED from the server', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await server.signToken({ iat: now - 600, exp: now - 300 });
    expect((await rejection(client().verifyAccessToken(token))).code).toBe('TOKEN_EXPIRED');
  });

  it('reports INVALID_AUTHKEY for a wrong authkey', async () => {
    const otpkit = createOtpkit({ serverUrl: server.url, authkey: 'wrong' });
    const error = await rejection(otpkit.verifyAccessToken(await server.signToken()));
    expect(error).toMatchObject({ code: 'INVALID_AUTHKEY', status: 401 });
  });

  it('keeps the message the server sent', async () => {
    server.onVerify(() => ({
      status: 400,
      body: { type: 'error', code: 'INVALID_REQUEST', message: 'access-token is required' },
    }));
    const error = await rejection(client().verifyAccessToken('x'));
    expect(error).toMatchObject({
      code: 'INVALID_REQUEST',
      status: 400,
      message: 'access-token is required',
    });
  });

  it('sends the authkey and token in the body', async () => {
    let received: unknown;
    server.onVerify((body) => {
      received = body;
      return {
        status: 200,
        body: {
          type: 'success',
          message: 'x@example.com',
          identifier: 'x@example.com',
          widgetId: 'w',
          channel: 'email',
          verifiedAt: '2025-01-01T00:00:00.000Z',
        },
      };
    });
    await client().verifyAccessToken('the-token');
    expect(received).toEqual({ authkey: TEST_AUTHKEY, 'access-token': 'the-token' });
  });

  it('maps an answer that is not otpkit JSON to INTERNAL_ERROR, or NETWORK_ERROR from a proxy', async () => {
    server.onVerify(() => ({ status: 200, body: { type: 'success' } }));
    expect((await rejection(client().verifyAccessToken('t'))).code).toBe('INTERNAL_ERROR');
    server.onVerify(() => ({ status: 502, body: 'Bad Gateway' }));
    expect((await rejection(client().verifyAccessToken('t'))).code).toBe('NETWORK_ERROR');
  });

  it('rejects a missing token without calling the server', async () => {
    const before = server.hits.get('/api/v5/widget/verifyAccessToken') ?? 0;
    const error = await rejection(client().verifyAccessToken(undefined as unknown as string));
    expect(error.code).toBe('TOKEN_INVALID');
    expect(server.hits.get('/api/v5/widget/verifyAccessToken') ?? 0).toBe(before);
  });

  it('reports NETWORK_ERROR when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const otpkit = createOtpkit({ serverUrl: url, authkey: TEST_AUTHKEY });
    const error = await rejection(otpkit.verifyAccessToken(await server.signToken()));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 503 });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('reports NETWORK_ERROR when the server does not answer in time', async () => {
    server.onVerify(() => 'hang');
    const otpkit = createOtpkit({ serverUrl: server.url, authkey: TEST_AUTHKEY, timeoutMs: 100 });
    expect((await rejection(otpkit.verifyAccessToken('t'))).code).toBe('NETWORK_ERROR');
  });

  it('throws a TypeError without an authkey (a programming error)', async () => {
    const otpkit = createOtpkit({ serverUrl: server.url });
    await expect(otpkit.verifyAccessToken('t')).rejects.toThrow(TypeError);
  });

  it('throws a TypeError for a server URL that is not http(s)', () => {
    expect(() => createOtpkit({ serverUrl: 'ftp://example.com' })).toThrow(TypeError);
    expect(() => createOtpkit({ serverUrl: 'localhost:8787' })).toThrow(TypeError);
  });
});
