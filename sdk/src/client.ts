import { normalizeServerUrl } from './server-url.ts';
import {
  type FetchFunction,
  type VerifiedAccessToken,
  verifyAccessToken,
} from './verify-access-token.ts';
import { createKeyResolver, type VerifiedTokenClaims, verifyWithKeys } from './verify-locally.ts';

/** Options of {@link createOtpkit}. */
export interface OtpkitOptions {
  /** Base URL of the otpkit server, such as `https://otp.example.com`. */
  serverUrl: string | URL;
  /** Your account authkey; needed by `verifyAccessToken`. Keep it on the server. */
  authkey?: string;
  /**
   * Default widget id: the token's `aud` for `verifyAccessTokenLocally`, and
   * the widget `verifyAccessToken` asks the server to require (a token of
   * another widget is refused and left unused).
   */
  widgetId?: string;
  /** Expected `iss` of tokens; defaults to `serverUrl` without a trailing slash. */
  issuer?: string;
  /** A `fetch` to use instead of the global one, for both the endpoint and the JWKS. */
  fetch?: FetchFunction;
  /** Endpoint timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Seconds of clock skew tolerated by local verification (default 5). */
  clockTolerance?: number;
  /** The current time for local verification (tests freeze it). */
  now?: () => Date;
}

/** Per-call options of {@link Otpkit.verifyAccessTokenLocally} and {@link Otpkit.verifyAccessToken}. */
export interface LocalVerifyCallOptions {
  /** The widget id the token must be issued for; overrides the client's `widgetId`. */
  widgetId?: string;
}

/** Per-call options of {@link Otpkit.verifyAccessToken}. */
export type VerifyCallOptions = LocalVerifyCallOptions;

/** An otpkit client bound to one server; create it once and reuse it. */
export interface Otpkit {
  /**
   * Checks a token with the otpkit server and marks it used (single use).
   * With a `widgetId` (per call, or the client's), a token of another
   * widget is refused with `TOKEN_INVALID` and not used up.
   * See {@link verifyAccessToken}.
   */
  verifyAccessToken(token: string, options?: VerifyCallOptions): Promise<VerifiedAccessToken>;
  /**
   * Checks a token's signature and claims against the server's cached keys,
   * without marking it used: **no replay protection**. See
   * {@link verifyAccessTokenLocally}.
   */
  verifyAccessTokenLocally(
    token: string,
    options?: LocalVerifyCallOptions,
  ): Promise<VerifiedTokenClaims>;
}

/**
 * Creates a client for one otpkit server. It caches the server's signing
 * keys between local verifications, so create it once per process.
 *
 * @throws {TypeError} when `serverUrl` is not an absolute http(s) URL.
 *
 * @example
 * ```ts
 * import { createOtpkit, OtpkitError } from '@otpkit/sdk';
 *
 * const otpkit = createOtpkit({
 *   serverUrl: 'https://otp.example.com',
 *   authkey: process.env.OTPKIT_AUTHKEY,
 *   widgetId: process.env.OTPKIT_WIDGET_ID,
 * });
 *
 * // Single use, checked by the server: the right call for a login.
 * const { identifier } = await otpkit.verifyAccessToken(accessToken);
 *
 * // Offline check of signature and claims (no replay protection).
 * const claims = await otpkit.verifyAccessTokenLocally(accessToken);
 * ```
 */
export function createOtpkit(options: OtpkitOptions): Otpkit {
  const serverUrl = normalizeServerUrl(options.serverUrl);
  const keys = createKeyResolver(serverUrl, options.fetch ? { fetch: options.fetch } : {});

  return {
    verifyAccessToken(token, callOptions = {}) {
      if (options.authkey === undefined) {
        return Promise.reject(
          new TypeError('otpkit: pass `authkey` to createOtpkit to use verifyAccessToken'),
        );
      }
      const widgetId = callOptions.widgetId ?? options.widgetId;
      return verifyAccessToken(token, {
        serverUrl,
        authkey: options.authkey,
        ...(widgetId !== undefined && { widgetId }),
        ...(options.fetch && { fetch: options.fetch }),
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      });
    },
    verifyAccessTokenLocally(token, callOptions = {}) {
      const widgetId = callOptions.widgetId ?? options.widgetId;
      if (widgetId === undefined) {
        return Promise.reject(
          new TypeError(
            'otpkit: pass `widgetId` to createOtpkit or to verifyAccessTokenLocally to verify locally',
          ),
        );
      }
      return verifyWithKeys(token, keys, {
        serverUrl,
        widgetId,
        ...(options.issuer !== undefined && { issuer: options.issuer }),
        ...(options.clockTolerance !== undefined && { clockTolerance: options.clockTolerance }),
        ...(options.now && { now: options.now }),
      });
    },
  };
}
