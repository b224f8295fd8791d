import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtpkit } from './client.ts';
import { OtpkitError } from './errors.ts';
import {
  type FakeOtpkitServer,
  startFakeOtpkitServer,
  TEST_KID,
  TEST_WIDGET_ID,
} from './testing/fake-otpkit-server.ts';
import { verifyAccessTokenLocally } from './verify-locally.ts';

let server: FakeOtpkitServer;
beforeAll(async () => {
  server = await startFakeOtpkitServer();
});
afterAll(() => server.close());

async function rejection(promise: Promise<unknown>): Promise<OtpkitError> {
  const error = await promise.then(
    () => expect.fail('expected the verification to reject'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OtpkitError);
  return error as OtpkitError;
}

describe('verifyAccessTokenLocally', () => {
  it('accepts a valid token and returns its claims with readable names', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await server.signToken({ jti: 'jti-ok', iat: now, exp: now + 300 });
    const otpkit = createOtpkit({ serverUrl: server.url, widgetId: TEST_WIDGET_ID });

    await expect(otpkit.verifyAccessTokenLocally(token)).resolves.toEqual({
      identifier: '919999999999',
      widgetId: TEST_WIDGET_ID,
      reqId: 'req-1',
      channel: 'sms',
      amr: ['otp'],
      jti: 'jti-ok',
      issuedAt: new Date(now * 1000),
      expiresAt: new Date((now + 300) * 1000),
      demo: false,
    });
  });

  it('reads a passkey sign-in’s amr', async () => {
    const token = await server.signToken({ channel: 'passkey', amr: ['swk'] });
    const otpkit = createOtpkit({ serverUrl: server.url, widgetId: TEST_WIDGET_ID });
    await expect(otpkit.verifyAccessTokenLocally(token)).resolves.toMatchObject({
      channel: 'passkey',
      amr: ['swk'],
    });
  });

  it('tells a demo login from a real one (the demo claim)', async () => {
    const otpkit = createOtpkit({ serverUrl: server.url, widgetId: TEST_WIDGET_ID });
    const demo = await otpkit.verifyAccessTokenLocally(await server.signToken({ demo: true }));
    expect(demo.demo).toBe(true);
    // Only a literal true counts.
    const odd = await otpkit.verifyAccessTokenLocally(await server.signToken({ demo: 'yes' }));
    expect(odd.demo).toBe(false);
  });

  it('works standalone, with a trailing slash on the server URL', async () => {
    const token = await server.signToken();
    const claims = await verifyAccessTokenLocally(token, {
      serverUrl: `${server.url}/`,
      widgetId: TEST_WIDGET_ID,
    });
    expect(claims.identifier).toBe('919999999999');
  });

  it('does not enforce single use: the same token passes twice', async () => {
    const otpkit = createOtpkit({ serverUrl: server.url, widgetId: TEST_WIDGET_ID });
    const token = await server.signToken();
    await otpkit.verifyAccessTokenLocally(token);
    await expect(otpkit.verifyAccessTokenLocally(token)).resolves.toBeDefined();
  });

  it('takes the widget id per call', async () => {
    const otpkit = createOtpkit({ serverUrl: server.url });
    const token = await server.signToken({ aud: 'other-widget' });
    const claims = await otpkit.verifyAccessTokenLocally(token, { widgetId: 'other-widget' });
    expect(claims.widgetId).toBe('other-widget');
  });

  it('throws a TypeError without a widget id (a programming error)', async () => {
    const otpkit = createOtpkit({ serverUrl: server.url });
    await expect(otpkit.verifyAccessTokenLocally(await server.signToken())).rejects.toThrow(
      TypeError,
    );
  });

  const otpkit = () => createOtpkit({ serverUrl: server.url, widgetId: TEST_WIDGET_ID });
  const cases: [string, () => Promise<string>, string][] = [
    ['a wrong audience', () => server.signToken({ aud: 'another-widget' }), 'TOKEN_INVALID'],
    ['a wrong issuer', () => server.signToken({ iss: 'https://evil.example' }), 'TOKEN_INVALID'],
    ['no reqId claim', () => server.signToken({ reqId: undefined }), 'TOKEN_INVALID'],
    ['no jti claim', () => server.signToken({ jti: undefined }), 'TOKEN_INVALID'],
    [
      'an expired token',
      () => {
        const now = Math.floor(Date.now() / 1000);
        return server.signToken({ iat: now - 600, exp: now - 300 });
      },
      'TOKEN_EXPIRED',
    ],
    [
      'a token older than five minutes with a far expiry',
      () => {
        const now = Math.floor(Date.now() / 1000);
        return server.signToken({ iat: now - 600, exp: now + 3600 });
      },
      'TOKEN_EXPIRED',
    ],
    [
      'an HS256 token (algorithm confusion)',
      () =>
        new SignJWT({ reqId: 'req-1', channel: 'sms' })
          .setProtectedHeader({ alg: 'HS256', kid: TEST_KID })
          .setIssuer(server.url)
          .setAudience(TEST_WIDGET_ID)
          .setSubject('919999999999')
          .setJti('jti-hs')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('a-shared-secret-of-enough-length!')),
      'TOKEN_INVALID',
    ],
    [
      'an unsecured token (alg none)',
      async () =>
        new UnsecuredJWT({ reqId: 'req-1', channel: 'sms' })
          .setIssuer(server.url)
          .setAudience(TEST_WIDGET_ID)
          .setSubject('919999999999')
          .setJti('jti-none')
          .setIssuedAt()
          .setExpirationTime('5m')
          .encode(),
      'TOKEN_INVALID',
    ],
    [
      'a tampered signature',
      async () => {
        const [header, payload, signature] = (await server.signToken()).split('.');
        const flipped = `${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
        return `${header}.${payload}.${flipped}`;
      },
      'TOKEN_INVALID',
    ],
    [
      'a tampered payload',
      async () => {
        const [header, , signature] = (await server.signToken()).split('.');
        const forged = Buffer.from(
          JSON.stringify({ iss: server.url, sub: 'attacker@example.com', aud: TEST_WIDGET_ID }),
        ).toString('base64url');
        return `${header}.${forged}.${signature}`;
      },
      'TOKEN_INVALID',
    ],
    [
      'a token signed by another key with the same kid',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return new SignJWT({ reqId: 'req-1', channel: 'sms' })
          .setProtectedHeader({ alg: 'EdDSA', kid: TEST_KID })
          .setIssuer(server.url)
          .setAudience(TEST_WIDGET_ID)
          .setSubject('919999999999')
          .setJti('jti-other')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      },
      'TOKEN_INVALID',
    ],
    ['garbage', async () => 'not-a-jwt', 'TOKEN_INVALID'],
    ['an empty string', async () => '', 'TOKEN_INVALID'],
  ];

  it.each(cases)('rejects %s', async (_name, makeToken, code) => {
    const error = await rejection(otpkit().verifyAccessTokenLocally(await makeToken()));
    expect(error.code).toBe(code);
    expect(error.status).toBe(401);
  });

  it('rejects a token once the frozen clock passes its expiry', async () => {
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = await server.signToken({ iat: issuedAt, exp: issuedAt + 300 });
    let clock = new Date(issuedAt * 1000 + 60_000);
    const frozen = createOtpkit({
      serverUrl: server.url,
      widgetId: TEST_WIDGET_ID,
      now: () => clock,
    });

    await expect(frozen.verifyAccessTokenLocally(token)).resolves.toBeDefined();
    clock = new Date((issuedAt + 300 + 6) * 1000); // past exp and the 5 s tolerance
    expect((await rejection(frozen.verifyAccessTokenLocally(token))).code).toBe('TOKEN_EXPIRED');
  });

  it('accepts a custom issuer', async () => {
    const token = await server.signToken({ iss: 'https://otp.example.com' });
    const claims = await createOtpkit({
      serverUrl: server.url,
      widgetId: TEST_WIDGET_ID,
      issuer: 'https://otp.example.com',
    }).verifyAccessTokenLocally(token);
    expect(claims.identifier).toBe('919999999999');
  });

  it('fetches the JWKS once and caches it', async () => {
    const otpkitClient = otpkit();
    const before = server.hits.get('/.well-known/jwks.json') ?? 0;
    await otpkitClient.verifyAccessTokenLocally(await server.signToken());
    await otpkitClient.verifyAccessTokenLocally(await server.signToken());
    expect(server.hits.get('/.well-known/jwks.json')).toBe(before + 1);
  });

  it('reports NETWORK_ERROR when the keys cannot be fetched', async () => {
    const token = await server.signToken();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const error = await rejection(
      createOtpkit({
        serverUrl: url,
        widgetId: TEST_WIDGET_ID,
        issuer: server.url,
      }).verifyAccessTokenLocally(token),
    );
    expect(error.code).toBe('NETWORK_ERROR');
  });

  it('uses the given fetch for the JWKS', async () => {
    const seen: string[] = [];
    const client = createOtpkit({
      serverUrl: server.url,
      widgetId: TEST_WIDGET_ID,
      fetch: (input, init) => {
        seen.push(input);
        return fetch(input, init);
      },
    });
    await client.verifyAccessTokenLocally(await server.signToken());
    expect(seen).toEqual([`${server.url}/.well-known/jwks.json`]);
  });
});
