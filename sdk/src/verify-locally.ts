import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type JWTVerifyGetKey,
  jwtVerify,
  type RemoteJWKSetOptions,
} from 'jose';
import { OtpkitError } from './errors.ts';
import { normalizeServerUrl } from './server-url.ts';
import type { FetchFunction } from './verify-access-token.ts';

/** The claims of an access token that passed local verification, with readable names. */
export interface VerifiedTokenClaims {
  /** The verified phone number or email address (`sub`). */
  identifier: string;
  /** The widget the user verified with (`aud`). */
  widgetId: string;
  /** The verification request the token closes (`reqId`). */
  reqId: string;
  /** The channel the code went out on (`channel`), or `passkey`. */
  channel: string;
  /**
   * How the person signed in (RFC 8176): `["otp"]` for a code or link;
   * `["hwk"]` or `["swk"]`, plus `"user"`, for a passkey (`channel: "passkey"`).
   * Require `amr` to contain `otp` when you need a fresh possession check of the number.
   */
  amr: string[];
  /** Unique token id (`jti`): remember it if you need single use without the endpoint. */
  jti: string;
  /** When the token was issued (`iat`). */
  issuedAt: Date;
  /** When the token expires (`exp`). */
  expiresAt: Date;
  /** True when the identifier is one of the widget's demo credentials (`demo` claim), false otherwise. */
  demo: boolean;
}

/** Options of {@link verifyAccessTokenLocally}. */
export interface VerifyLocallyOptions {
  /** Base URL of the otpkit server; its keys are read from `{serverUrl}/.well-known/jwks.json`. */
  serverUrl: string | URL;
  /** The widget id the token must be issued for (its `aud`). */
  widgetId: string;
  /** Expected `iss`; defaults to `serverUrl` without a trailing slash. */
  issuer?: string;
  /** Seconds of clock skew tolerated on `exp` and `iat` (default 5). */
  clockTolerance?: number;
  /** A `fetch` to use for the JWKS instead of the global one. */
  fetch?: FetchFunction;
  /** The current time (tests freeze it). */
  now?: () => Date;
}

/** Tokens older than this are refused even when their `exp` says otherwise. */
const MAX_TOKEN_AGE = '5m';
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

/** A key resolver for one otpkit server, reused across verifications to cache its keys. */
export type KeyResolver = JWTVerifyGetKey;

/** Marks a failure to obtain the server's keys, as opposed to a bad token. */
class KeysUnavailable extends Error {}

/** jose codes that mean "this token names a key the server does not have". */
const UNKNOWN_KEY_CODES = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS']);

/**
 * Creates a resolver for the otpkit server's signing keys. It fetches
 * `{serverUrl}/.well-known/jwks.json` when first needed and caches it
 * (jose's `createRemoteJWKSet`: ten minutes, refetched when a new `kid` appears).
 */
export function createKeyResolver(
  serverUrl: string | URL,
  options: { fetch?: FetchFunction } = {},
): KeyResolver {
  const jwksOptions: RemoteJWKSetOptions = {};
  const doFetch = options.fetch;
  if (doFetch) jwksOptions[customFetch] = (url, init) => doFetch(url, init);
  const jwks = createRemoteJWKSet(
    new URL(`${normalizeServerUrl(serverUrl)}/.well-known/jwks.json`),
    jwksOptions,
  );
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (error instanceof errors.JOSEError && UNKNOWN_KEY_CODES.has(error.code)) throw error;
      throw new KeysUnavailable('The otpkit signing keys could not be fetched.', { cause: error });
    }
  };
}

/**
 * Verifies an access token without calling the otpkit server for each
 * token: the signature against the server's published keys (JWKS, cached),
 * and the claims: algorithm `EdDSA` only, `iss`, `aud` (your widget id),
 * `exp`, and an age of at most five minutes.
 *
 * **Local verification does not enforce single use.** Only the server knows
 * whether a token was already accepted, so a token replayed within its five
 * minutes passes here. When a replay matters (a login, a payment), use
 * {@link verifyAccessToken}, or remember each `jti` until its `expiresAt`
 * and refuse one you have seen.
 *
 * Standalone calls share a key cache per server URL; {@link createOtpkit}
 * keeps its own.
 *
 * @returns the token's claims with readable names.
 * @throws {OtpkitError} `TOKEN_EXPIRED` for an expired or too old token,
 *   `TOKEN_INVALID` for anything else wrong with it, `NETWORK_ERROR` when
 *   the keys cannot be fetched.
 * @throws {TypeError} when `serverUrl` or `widgetId` is missing.
 *
 * @example
 * ```ts
 * import { verifyAccessTokenLocally } from '@otpkit/sdk';
 *
 * const claims = await verifyAccessTokenLocally(token, {
 *   serverUrl: 'https://otp.example.com',
 *   widgetId: '3561716b6d41363131323334',
 * });
 * console.log(claims.identifier, claims.jti);
 * ```
 */
export async function verifyAccessTokenLocally(
  token: string,
  options: VerifyLocallyOptions,
): Promise<VerifiedTokenClaims> {
  const keys = options.fetch
    ? createKeyResolver(options.serverUrl, { fetch: options.fetch })
    : sharedKeyResolver(options.serverUrl);
  return verifyWithKeys(token, keys, options);
}

const sharedResolvers = new Map<string, KeyResolver>();

function sharedKeyResolver(serverUrl: string | URL): KeyResolver {
  const key = normalizeServerUrl(serverUrl);
  let resolver = sharedResolvers.get(key);
  if (!resolver) {
    resolver = createKeyResolver(key);
    sharedResolvers.set(key, resolver);
  }
  return resolver;
}

/**
 * Verifies a token with a given key resolver; the shared core of
 * {@link verifyAccessTokenLocally} and {@link createOtpkit}.
 */
export async function verifyWithKeys(
  token: string,
  keys: KeyResolver,
  options: Omit<VerifyLocallyOptions, 'fetch'>,
): Promise<VerifiedTokenClaims> {
  const serverUrl = normalizeServerUrl(options.serverUrl);
  if (typeof options.widgetId !== 'string' || options.widgetId === '') {
    throw new TypeError('otpkit: local verification needs the widgetId the token is issued for');
  }
  if (typeof token !== 'string' || token === '') {
    throw new OtpkitError('TOKEN_INVALID', { message: 'No access token was given.' });
  }

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: ['EdDSA'],
      issuer: options.issuer ?? serverUrl,
      audience: options.widgetId,
      maxTokenAge: MAX_TOKEN_AGE,
      clockTolerance: options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      ...(options.now && { currentDate: options.now() }),
    }));
  } catch (error) {
    throw toOtpkitError(error);
  }

  const { sub, jti, iat, exp, reqId, channel, amr, demo } = payload;
  if (
    typeof sub !== 'string' ||
    typeof jti !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    typeof reqId !== 'string' ||
    typeof channel !== 'string'
  ) {
    throw new OtpkitError('TOKEN_INVALID', {
      message: 'The access token lacks an otpkit claim (sub, jti, reqId or channel).',
    });
  }
  return {
    identifier: sub,
    widgetId: options.widgetId,
    reqId,
    channel,
    amr: Array.isArray(amr) ? amr.map(String) : ['otp'],
    jti,
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date(exp * 1000),
    demo: demo === true,
  };
}

function toOtpkitError(error: unknown): OtpkitError {
  if (error instanceof KeysUnavailable) {
    return new OtpkitError('NETWORK_ERROR', { message: error.message, cause: error.cause });
  }
  // jose reports both a passed `exp` and an `iat` older than maxTokenAge as ERR_JWT_EXPIRED.
  if (error instanceof errors.JWTExpired) return new OtpkitError('TOKEN_EXPIRED', { cause: error });
  return new OtpkitError('TOKEN_INVALID', { cause: error });
}
