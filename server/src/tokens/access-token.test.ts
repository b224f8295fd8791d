import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness.ts';
import { ACCESS_TOKEN_TTL_SECONDS, readAccessToken, signJwt } from './access-token.ts';

/** readAccessToken checks with node:crypto what jose's jwtVerify checked: each refusal below. */
describe('readAccessToken', () => {
  async function setup() {
    const h = await createHarness();
    const deps = h.services.tokens;
    const signer = await deps.keys.current();
    const now = Math.floor(deps.clock.now() / 1000);
    const claims = {
      reqId: 'req1',
      channel: 'sms',
      amr: ['otp'],
      iss: deps.issuer,
      sub: '919876543210',
      aud: 'widget1',
      jti: 'jti1',
      iat: now,
      exp: now + ACCESS_TOKEN_TTL_SECONDS,
    };
    const code = async (token: string) =>
      readAccessToken(deps, token).then(
        () => 'OK',
        (error: { code?: string }) => error.code,
      );
    return { h, deps, signer, claims, now, code };
  }

  it('reads a token it signed, and refuses every altered or foreign one', async () => {
    const { h, signer, claims, now, code } = await setup();
    const good = signJwt(claims, signer);
    expect(await code(good)).toBe('OK');
    // Another issuer, a missing claim, a critical extension, a date in the future.
    expect(await code(signJwt({ ...claims, iss: 'https://elsewhere.example' }, signer))).toBe(
      'TOKEN_INVALID',
    );
    const { jti: _jti, ...withoutJti } = claims;
    expect(await code(signJwt(withoutJti, signer))).toBe('TOKEN_INVALID');
    expect(await code(signJwt({ ...claims, iat: now + 60 }, signer))).toBe('TOKEN_INVALID');
    expect(await code(signJwt({ ...claims, nbf: now + 60 }, signer))).toBe('TOKEN_INVALID');
    const [, body, signature] = good.split('.');
    const critHead = Buffer.from(
      JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ: 'JWT', crit: ['exp'] }),
    ).toString('base64url');
    expect(await code(signJwt(claims, signer).replace(/^[^.]+/, critHead))).toBe('TOKEN_INVALID');
    // The same kid with another Ed25519 key; a character a lenient base64 decoder would skip.
    const stranger = { kid: signer.kid, key: generateKeyPairSync('ed25519').privateKey };
    expect(await code(signJwt(claims, stranger))).toBe('TOKEN_INVALID');
    expect(await code(`${good.split('.')[0]}.${body}.${signature}=`)).toBe('TOKEN_INVALID');
    expect(await code(`${good}.`)).toBe('TOKEN_INVALID');
    // Expired by its exp, and older than the maximum age whatever its exp says.
    expect(await code(signJwt({ ...claims, exp: now }, signer))).toBe('TOKEN_EXPIRED');
    expect(
      await code(
        signJwt({ ...claims, iat: now - ACCESS_TOKEN_TTL_SECONDS - 1, exp: now + 3600 }, signer),
      ),
    ).toBe('TOKEN_EXPIRED');
    await h.close();
  });
});
