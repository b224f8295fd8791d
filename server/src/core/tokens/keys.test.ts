import { errors, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../compose.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';

/** Sends a code to a new widget and verifies it: the widget, the request id and the access token. */
async function verifiedToken(h: Harness) {
  const widget = await h.createWidget();
  const sent = await h.post('/api/v5/widget/sendOtpMobile', {
    ...widget,
    identifier: '919876543210',
  });
  const verified = await h.post('/api/v5/widget/verifyOtp', {
    ...widget,
    reqId: sent.body.message,
    otp: await h.lastCode('919876543210'),
  });
  return {
    widget,
    reqId: sent.body.message as string,
    token: verified.body.message as string,
  };
}

describe('signing keys across instances', () => {
  it('a token signed with a key another instance just rotated in still verifies here', async () => {
    const h = await createHarness();
    // A second instance over the same database, which has loaded (and cached) the old keys.
    const other = createServices(h.config, h.services.store, h.services.otp.secret, {
      clock: h.clock,
    });
    await other.keys.jwks();
    // Its cached verifier too: it must not hide the new key.
    await other.keys.verifier();
    await h.post('/api/v1/keys/rotate', {}, { authkey: TEST_AUTHKEY });
    const w = await h.createWidget();
    const sent = await h.post('/api/v5/widget/sendOtpMobile', { ...w, identifier: '919876543210' });
    const verified = await h.post('/api/v5/widget/verifyOtp', {
      ...w,
      reqId: sent.body.message,
      otp: await h.lastCode('919876543210'),
    });
    const { readAccessToken } = await import('./access-token.ts');
    const claims = await readAccessToken(other.tokens, verified.body.message);
    expect(claims.sub).toBe('919876543210');
    await h.close();
  });

  it('the cached verifier follows rotations and drops a retired key when its grace ends', async () => {
    const h = await createHarness();
    const keys = h.services.keys;
    const { token } = await verifiedToken(h);
    const issuedAt = new Date(h.clock.now());
    // The token's own expiry is not under test here: verify as of its issue time.
    const check = async () => jwtVerify(token, await keys.verifier(), { currentDate: issuedAt });
    const first = await keys.verifier();
    expect(await keys.verifier()).toBe(first);
    await expect(check()).resolves.toBeDefined();

    await keys.rotate();
    expect(await keys.verifier()).not.toBe(first);
    await expect(check()).resolves.toBeDefined();

    h.clock.advance(7 * 60_000);
    await expect(check()).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    await h.close();
  });
});

describe('access tokens', () => {
  it('are compact EdDSA JWS that jose verifies against the published JWKS, with every claim', async () => {
    const { createLocalJWKSet, decodeProtectedHeader } = await import('jose');
    const h = await createHarness();
    const { widget: w, reqId, token } = await verifiedToken(h);
    const jwks = createLocalJWKSet(await h.services.keys.jwks());
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      algorithms: ['EdDSA'],
      currentDate: new Date(h.clock.now()),
    });
    const [current] = (await h.services.keys.jwks()).keys;
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: current?.kid, typ: 'JWT' });
    expect(decodeProtectedHeader(token)).toEqual(protectedHeader);
    expect(payload).toMatchObject({
      reqId,
      channel: 'sms',
      sub: '919876543210',
      aud: w.widgetId,
      jti: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    // A changed payload no longer verifies.
    const [head, body, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: '919999999999' })).toString(
      'base64url',
    );
    expect(forged).not.toBe(body);
    await expect(
      jwtVerify(`${head}.${forged}.${signature}`, jwks, { currentDate: new Date(h.clock.now()) }),
    ).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    await h.close();
  });
});
