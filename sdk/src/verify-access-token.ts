import {
  type ErrorBody,
  isErrorCode,
  type VerifyAccessTokenRequest,
  type VerifyAccessTokenSuccess,
  WIDGET_API_PATH,
} from '@otpkit/protocol';
import { OtpkitError } from './errors.ts';
import { normalizeServerUrl } from './server-url.ts';

/** A `fetch`-compatible function (the global one by default). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** What the otpkit server vouches for once it has accepted an access token. */
export interface VerifiedAccessToken {
  /** The verified phone number (digits with country code) or email address. */
  identifier: string;
  /** The widget the user verified with. */
  widgetId: string;
  /** The channel the code went out on (`sms`, `email`, …), or `passkey`. */
  channel: string;
  /** ISO 8601 time at which the user entered the right code. */
  verifiedAt: string;
  /**
   * How the person signed in (RFC 8176): `["otp"]` for a code or link;
   * `["hwk"]` or `["swk"]`, plus `"user"`, for a passkey (`channel: "passkey"`).
   * Require `amr` to contain `otp` when you need a fresh possession check of the number.
   */
  amr: string[];
  /**
   * True when the identifier is one of the widget's demo credentials (an
   * app-store reviewer's or a test's fixed pair: nothing was sent, nobody
   * proved they own the number), false otherwise. Decide what a demo login may do.
   */
  demo: boolean;
}

/** Options of {@link verifyAccessToken}. */
export interface VerifyAccessTokenOptions {
  /** Base URL of the otpkit server, such as `https://otp.example.com`. */
  serverUrl: string | URL;
  /** Your account authkey. Keep it on the server; never send it to a browser. */
  authkey: string;
  /**
   * The widget the token must be issued for. The server then refuses a token
   * of any other widget of your account with `TOKEN_INVALID` and leaves it
   * unused. Recommended whenever a backend serves one widget.
   */
  widgetId?: string;
  /** A `fetch` to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: FetchFunction;
  /** Give up after this many milliseconds (default 10 000) with `NETWORK_ERROR`. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Asks the otpkit server whether an access token is genuine, unexpired and
 * not used before, and marks it used: each token is accepted **once**, so a
 * replayed token rejects with `TOKEN_ALREADY_VERIFIED`.
 *
 * This is the recommended check for a login: it needs the authkey and one
 * request to the otpkit server.
 *
 * @param token the access token the widget handed to your page (`data.message`
 *   in its `success` callback).
 * @returns who was verified, with which widget and channel, when, and
 *   whether it was a demo credential (`demo`).
 * @throws {OtpkitError} with the server's code: `TOKEN_INVALID` (also for
 *   a token of another widget than `widgetId`),
 *   `TOKEN_EXPIRED`, `TOKEN_ALREADY_VERIFIED`, `INVALID_AUTHKEY`,
 *   `INVALID_REQUEST`; or `NETWORK_ERROR` when the server cannot be reached.
 * @throws {TypeError} when `serverUrl` or `authkey` is missing.
 *
 * @example
 * ```ts
 * import { verifyAccessToken } from '@otpkit/sdk';
 *
 * const { identifier, demo } = await verifyAccessToken(req.body.accessToken, {
 *   serverUrl: 'https://otp.example.com',
 *   authkey: process.env.OTPKIT_AUTHKEY!,
 *   widgetId: process.env.OTPKIT_WIDGET_ID,
 * });
 * ```
 */
export async function verifyAccessToken(
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<VerifiedAccessToken> {
  const serverUrl = normalizeServerUrl(options.serverUrl);
  if (typeof options.authkey !== 'string' || options.authkey === '') {
    throw new TypeError('otpkit: verifyAccessToken needs the account authkey');
  }
  if (
    options.widgetId !== undefined &&
    (typeof options.widgetId !== 'string' || !options.widgetId)
  ) {
    throw new TypeError('otpkit: widgetId must be a non-empty string when given');
  }
  // The token comes from a browser: a missing one is the user's problem, not a bug.
  if (typeof token !== 'string' || token === '') {
    throw new OtpkitError('TOKEN_INVALID', { message: 'No access token was given.' });
  }

  const doFetch: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const body: VerifyAccessTokenRequest = {
    authkey: options.authkey,
    'access-token': token,
    ...(options.widgetId !== undefined && { widgetId: options.widgetId }),
  };
  let response: Response;
  let payload: unknown;
  try {
    response = await doFetch(`${serverUrl}${WIDGET_API_PATH}/verifyAccessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    payload = await response.json().catch(() => undefined);
  } catch (error) {
    throw new OtpkitError('NETWORK_ERROR', { cause: error });
  }
  return readVerifyResponse(response, payload);
}

function readVerifyResponse(response: Response, payload: unknown): VerifiedAccessToken {
  if (isRecord(payload)) {
    if (response.ok && payload.type === 'success') {
      const success = payload as Partial<VerifyAccessTokenSuccess>;
      const identifier = success.identifier ?? success.message;
      if (
        typeof identifier === 'string' &&
        typeof success.widgetId === 'string' &&
        typeof success.channel === 'string' &&
        typeof success.verifiedAt === 'string'
      ) {
        return {
          identifier,
          widgetId: success.widgetId,
          channel: success.channel,
          verifiedAt: success.verifiedAt,
          // Servers from before passkeys answered codes only.
          amr: Array.isArray(success.amr) ? success.amr.map(String) : ['otp'],
          demo: success.demo === true,
        };
      }
    }
    if (payload.type === 'error' && isErrorCode(payload.code)) {
      const failure = payload as Partial<ErrorBody>;
      throw new OtpkitError(payload.code, {
        status: response.status,
        ...(typeof failure.message === 'string' && { message: failure.message }),
      });
    }
  }
  // No otpkit answer at all: a proxy or load balancer that cannot reach the server.
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    throw new OtpkitError('NETWORK_ERROR', { status: response.status });
  }
  throw new OtpkitError('INTERNAL_ERROR', {
    status: response.status,
    message: `Unexpected answer from the otpkit server (HTTP ${response.status}).`,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
