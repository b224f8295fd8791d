/**
 * Access tokens: short-lived EdDSA JWTs proving that an identifier was
 * verified through a widget. A customer backend checks one through
 * `verifyAccessToken` (once) or locally against the JWKS.
 */
import { type KeyObject, sign, verify } from 'node:crypto';
import type { AccessTokenClaims } from '@otpkit/protocol';
import type { Clock, Random } from '../deps.ts';
import { OtpkitError } from '../errors.ts';
import type { AccessTokenRecord, RequestChannel, Store } from '../store/index.ts';
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
 * Tokens are read back with jose's `jwtVerify` in the SDK and by any JWT
 * library, which the tests do; here by `readAccessToken`, synchronously too.
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

/**
 * A new access token's claims and the row that records it, before it is
 * signed: the row can then be written in the same store step that verifies
 * the request (`otpRequests.verify`), and the token signed after it commits.
 */
export function accessTokenFor(
  deps: Pick<TokenDeps, 'clock' | 'random' | 'issuer'>,
  verified: VerifiedRequest,
): { claims: Record<string, unknown>; record: Omit<AccessTokenRecord, 'verifiedAt'> } {
  const iat = Math.floor(deps.clock.now() / 1000);
  const jti = deps.random.sortable(16);
  return {
    claims: {
      reqId: verified.requestId,
      channel: verified.channel,
      amr: verified.amr ?? ['otp'],
      ...(verified.demo ? { demo: true } : {}),
      iss: deps.issuer,
      sub: verified.identifier,
      aud: verified.widgetId,
      jti,
      iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
    },
    record: {
      jti,
      requestId: verified.requestId,
      widgetId: verified.widgetId,
      identifier: verified.identifier,
      channel: verified.channel,
      issuedAt: iat * 1000,
      expiresAt: (iat + ACCESS_TOKEN_TTL_SECONDS) * 1000,
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

/** A compact JWS's three segments: base64url only, nothing a lenient decoder would skip. */
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/** A segment's JSON, if it is a JSON object. */
function segmentObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a token's signature, issuer, algorithm and expiry: what jose's
 * `jwtVerify` checked here with `algorithms: ['EdDSA']`, the issuer,
 * `maxTokenAge` and the required claims, done with node:crypto's synchronous
 * Ed25519 `verify`. jose verifies through WebCrypto, an asynchronous job per
 * token: 4–5 % of a complete flow's CPU in the bench's profile.
 *
 * @throws OtpkitError `TOKEN_EXPIRED` or `TOKEN_INVALID`
 */
export async function readAccessToken(deps: TokenDeps, token: unknown): Promise<AccessTokenClaims> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
    throw new OtpkitError('TOKEN_INVALID', 'access-token is required.');
  }
  const [, head, body, signature] = COMPACT_JWS.exec(token) ?? [];
  const header = head === undefined ? undefined : segmentObject(head);
  // Only Ed25519, and no critical extensions (none is understood here).
  if (header?.alg !== 'EdDSA' || header.crit !== undefined) {
    throw new OtpkitError('TOKEN_INVALID');
  }
  const kid = typeof header.kid === 'string' ? header.kid : '';
  // A key this instance has not loaded yet (rotated by another instance): read the keys once more.
  let key = await deps.keys.publicKey(kid);
  if (!key) {
    deps.keys.refresh();
    key = await deps.keys.publicKey(kid);
  }
  const signed = Buffer.from(`${head}.${body}`);
  if (!key || !verify(null, signed, key, Buffer.from(signature!, 'base64url'))) {
    throw new OtpkitError('TOKEN_INVALID');
  }
  const payload = segmentObject(body!);
  if (
    !payload ||
    payload.iss !== deps.issuer ||
    typeof payload.sub !== 'string' ||
    typeof payload.aud !== 'string' ||
    typeof payload.jti !== 'string' ||
    typeof payload.reqId !== 'string' ||
    typeof payload.iat !== 'number' ||
    typeof payload.exp !== 'number' ||
    (payload.nbf !== undefined && typeof payload.nbf !== 'number')
  ) {
    throw new OtpkitError('TOKEN_INVALID');
  }
  const now = Math.floor(deps.clock.now() / 1000);
  if (payload.iat > now) throw new OtpkitError('TOKEN_INVALID'); // issued in the future
  if (typeof payload.nbf === 'number' && payload.nbf > now) throw new OtpkitError('TOKEN_INVALID');
  if (payload.exp <= now || now - payload.iat > ACCESS_TOKEN_TTL_SECONDS) {
    throw new OtpkitError('TOKEN_EXPIRED');
  }
  return payload as unknown as AccessTokenClaims;
}
