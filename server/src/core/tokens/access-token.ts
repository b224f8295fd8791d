/**
 * Access tokens: short-lived EdDSA JWTs proving that an identifier was
 * verified through a widget. A customer backend checks one through
 * `verifyAccessToken` (once) or locally against the JWKS.
 */
import { type KeyObject, sign } from 'node:crypto';
import type { AccessTokenClaims } from '@otpkit/protocol';
import { errors, jwtVerify } from 'jose';
import { OtpkitError } from '../../platform/errors.ts';
import type { Clock, Random } from '../../platform/runtime.ts';
import type { AccessTokenRecord, RequestChannel, Store } from '../../store/index.ts';
import type { KeyRing } from './keys.ts';

/** Lifetime of an access token. */
export const ACCESS_TOKEN_TTL_SECONDS = 5 * 60;

export interface TokenDeps {
  store: Store;
  keys: KeyRing;
  clock: Clock;
  random: Random;
  issuer: string;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * A compact JWS (RFC 7515) of `claims`, signed with Ed25519 (RFC 8037
 * `EdDSA`). Signing is the one step done without jose: jose signs through
 * WebCrypto, an asynchronous job per token that took 13 % of `verifyOtp`'s
 * CPU in a profile; `crypto.sign` with a key object is synchronous.
 * Tokens are read back with jose's `jwtVerify` (here, in the SDK and by any
 * JWT library), which the tests do.
 */
export function signJwt(
  claims: Record<string, unknown>,
  signer: { kid: string; key: KeyObject },
): string {
  const input = `${base64url(JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(sign(null, Buffer.from(input), signer.key))}`;
}

/** What an access token is minted for. */
export interface VerifiedRequest {
  requestId: string;
  widgetId: string;
  identifier: string;
  channel: RequestChannel;
  demo: boolean;
  /**
   * How the person proved it (RFC 8176 method references): `["otp"]` for a
   * code or link; `["hwk"]` or `["swk"]`, plus `"user"`, for a passkey.
   */
  amr?: readonly string[];
}

/** A new access token's id and times (its row's, in ms), drawn before the request is verified. */
export interface AccessTokenStamp {
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

/** Draws a new access token's id and times. */
export function stampAccessToken(deps: Pick<TokenDeps, 'clock' | 'random'>): AccessTokenStamp {
  const iat = Math.floor(deps.clock.now() / 1000);
  return {
    jti: deps.random.sortable(16),
    issuedAt: iat * 1000,
    expiresAt: (iat + ACCESS_TOKEN_TTL_SECONDS) * 1000,
  };
}

/** The claims of the access token `stamp` names, for a verified request. */
export function accessTokenClaims(
  deps: Pick<TokenDeps, 'issuer'>,
  verified: VerifiedRequest,
  stamp: AccessTokenStamp,
): Record<string, unknown> {
  return {
    reqId: verified.requestId,
    channel: verified.channel,
    amr: verified.amr ?? ['otp'],
    ...(verified.demo ? { demo: true } : {}),
    iss: deps.issuer,
    sub: verified.identifier,
    aud: verified.widgetId,
    jti: stamp.jti,
    iat: stamp.issuedAt / 1000,
    exp: stamp.expiresAt / 1000,
  };
}

/**
 * A new access token's claims and the row that records it, before it is
 * signed. A code check draws the stamp first instead (`stampAccessToken`):
 * the store writes the row in the step that verifies the request
 * (`otpRequests.verify`), and the token is signed after it commits.
 */
export function accessTokenFor(
  deps: Pick<TokenDeps, 'clock' | 'random' | 'issuer'>,
  verified: VerifiedRequest,
): { claims: Record<string, unknown>; record: Omit<AccessTokenRecord, 'verifiedAt'> } {
  const stamp = stampAccessToken(deps);
  return {
    claims: accessTokenClaims(deps, verified, stamp),
    record: {
      ...stamp,
      requestId: verified.requestId,
      widgetId: verified.widgetId,
      identifier: verified.identifier,
      channel: verified.channel,
      demo: verified.demo,
    },
  };
}

/** Signs claims from `accessTokenFor` with the current signing key. */
export async function signAccessToken(
  deps: Pick<TokenDeps, 'keys'>,
  claims: Record<string, unknown>,
): Promise<string> {
  return signJwt(claims, await deps.keys.current());
}

/** Records and signs an access token for a verified request. */
export async function issueAccessToken(
  deps: TokenDeps,
  verified: VerifiedRequest,
): Promise<string> {
  const { claims, record } = accessTokenFor(deps, verified);
  const token = await signAccessToken(deps, claims);
  await deps.store.accessTokens.insert(record);
  return token;
}

/**
 * Checks a token's signature, issuer, algorithm and expiry.
 *
 * @throws OtpkitError `TOKEN_EXPIRED` or `TOKEN_INVALID`
 */
export async function readAccessToken(deps: TokenDeps, token: unknown): Promise<AccessTokenClaims> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
    throw new OtpkitError('TOKEN_INVALID', 'access-token is required.');
  }
  const verify = async () =>
    jwtVerify(token, await deps.keys.verifier(), {
      algorithms: ['EdDSA'],
      issuer: deps.issuer,
      currentDate: new Date(deps.clock.now()),
      maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
      requiredClaims: ['sub', 'aud', 'jti', 'iat', 'exp'],
    });
  try {
    const { payload } = await verify().catch((error: unknown) => {
      // A key this instance has not loaded yet (rotated by another instance): read the keys once more.
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      deps.keys.refresh();
      return verify();
    });
    if (typeof payload.aud !== 'string' || typeof payload.reqId !== 'string') {
      throw new OtpkitError('TOKEN_INVALID');
    }
    return payload as unknown as AccessTokenClaims;
  } catch (error) {
    if (error instanceof OtpkitError) throw error;
    if (error instanceof errors.JWTExpired) throw new OtpkitError('TOKEN_EXPIRED');
    throw new OtpkitError('TOKEN_INVALID');
  }
}
