/**
 * The headless core of the widget: the widget-API calls over `fetch`,
 * with every outcome (success, error body, unreadable body, network failure)
 * normalised to `{type, message, code?}`. The popup and the exposed window
 * methods are both built on this.
 */
import {
  CHANNEL_CODES,
  channelFromCode,
  type ErrorBody,
  type ErrorCode,
  type GetWidgetProcessResponse,
  type PowChallenge,
  type RetryOtpRequest,
  type SendOtpRequest,
  type SendOtpSuccess,
  type VerifyOtpRequest,
  WIDGET_API_PATH,
  type WidgetData,
} from '@otpkit/protocol';
import type { Captcha } from './captcha/index.ts';
import type {
  LinkStatus,
  OtpError,
  OtpSent,
  OtpVerified,
  Outcome,
  PasskeyRegistered,
  PasskeySignedIn,
  PasskeySignInOptions,
  WidgetLoaded,
} from './outcome.ts';
import { POLL_INTERVAL_MS, waitForLink } from './poll.ts';

export type * from './outcome.ts';

/** The passkey chunk's exports (`otp-passkeys.js`). */
export type PasskeyModule = typeof import('./passkeys/index.ts');

/** Options of {@link createOtpClient}. */
export interface OtpClientOptions {
  /** Origin (and optional path prefix) of the otpkit server, e.g. `https://otp.example.com`. */
  baseUrl: string;
  widgetId: string;
  tokenAuth: string;
  /** Template variables sent with every `sendOtpMobile`. */
  variables?: Record<string, string>;
  /**
   * The top page's origin when the widget runs in a cross-origin frame, sent
   * with sends and resends so the SMS ends with the WebOTP line for frames.
   */
  topOrigin?: string | undefined;
  /** The fetch to use; defaults to the global one (browsers, React Native, Node 18+). */
  fetch?: typeof fetch;
  /** Milliseconds before a request is abandoned as a network error (default 20 000). */
  timeoutMs?: number;
  /**
   * The widget's captcha: configured with the widget data when it loads; each
   * send and resend takes a fresh token from it (as `captcha`).
   */
  captcha?: Pick<Captcha, 'configure' | 'take' | 'next'>;
  /**
   * Loads the passkey chunk (WebAuthn in the browser), the first time a
   * passkey method is called. `@otpkit/widget/client` passes a dynamic
   * import; without one, the passkey methods fail with `PASSKEY_UNSUPPORTED`.
   */
  loadPasskeys?: () => Promise<PasskeyModule>;
}

/** The numbers a send's answer may carry, kept when they are numbers. */
const NUMBERS_SENT = ['retryAfter', 'retriesLeft', 'expiresIn', 'matchNumber'] as const;

/** The captcha errors after which a fresh captcha is fetched and the call made once more. */
const CAPTCHA_ERRORS: ReadonlySet<string> = new Set(['CAPTCHA_REQUIRED', 'CAPTCHA_FAILED']);

/** A retry channel as callers may name it: `'11'`, `11`, `'sms'`, or null for the widget's default. */
export type RetryChannel = string | number | null | undefined;

/** Options of {@link OtpClient.waitForMagicLink}. */
export interface WaitOptions {
  /** Stops waiting; the promise then rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Milliseconds between two polls (default 2000). */
  intervalMs?: number;
}

/** The headless widget client. */
export interface OtpClient {
  /** `GET getWidgetProcess`: the widget's configuration. */
  getWidgetData(): Promise<Outcome<WidgetLoaded>>;
  /**
   * The language the visitor is shown (a tag such as `ta` or `pt-BR`), sent
   * as `Accept-Language` with every later call so that the code's message
   * goes out in the same language as the popup; `null` goes back to the
   * browser's own header.
   */
  setLanguage(language: string | null): void;
  /**
   * `POST sendOtpMobile`: sends a code to a mobile number (any `+`, spaces or
   * dashes are dropped) or an email. For a magic-link widget, show the
   * answer's `matchNumber` to the visitor: the link's page asks for it.
   */
  sendOtp(identifier: string): Promise<Outcome<OtpSent>>;
  /** `POST retryOtp`: resends the code of `reqId` (default: the last request) on a channel. */
  retryOtp(channel?: RetryChannel, reqId?: string): Promise<Outcome<OtpSent>>;
  /** `GET captchaChallenge`: a proof-of-work challenge (widgets with the `pow` captcha). */
  getCaptchaChallenge(): Promise<Outcome<PowChallenge>>;
  /** `POST verifyOtp`: checks a code for `reqId` (default: the last request). */
  verifyOtp(otp: string, reqId?: string): Promise<Outcome<OtpVerified>>;
  /**
   * `POST isOneTapAuthenticated`: whether the magic link of `reqId` (default:
   * the last request) was confirmed; `verified` comes with the access token.
   */
  linkStatus(reqId?: string): Promise<Outcome<LinkStatus>>;
  /**
   * Waits for the magic link of `reqId` (default: the last request) to be
   * opened: polls {@link OtpClient.linkStatus} every 2 s and resolves with the
   * access token, or with the error that ended the wait (`OTP_EXPIRED`,
   * `LINK_EXPIRED` after a wrong number on the link's page, a replaced
   * request…). A network blip is retried, not reported. Aborting
   * `signal` stops polling and rejects with `signal.reason`, like `fetch`.
   *
   * @example
   * const sent = await client.sendOtp('ada@example.com'); // a magic-link widget
   * if (sent.type === 'success') show(`Your number: ${sent.matchNumber}`); // typed on the link's page
   * const done = await client.waitForMagicLink(); // { type: 'success', message: <access token> }
   */
  waitForMagicLink(reqId?: string, options?: WaitOptions): Promise<Outcome<OtpVerified>>;
  /**
   * Creates a passkey for the identifier just verified, with the
   * `passkeyTicket` of that verification (default: the last one). Browsers only.
   */
  registerPasskey(ticket?: string): Promise<Outcome<PasskeyRegistered>>;
  /**
   * Signs in with a passkey instead of a code: `message` is the access
   * token. `identifier`, when given, must be the passkey's. Browsers only.
   */
  signInWithPasskey(options?: PasskeySignInOptions): Promise<Outcome<PasskeySignedIn>>;
  /** The request id of the last successful send or resend, if any. */
  readonly lastReqId: string | undefined;
}

// The few messages the client itself may need. Importing protocol's whole ERRORS catalogue
// would put every server message into the browser bundle (about 1 KB gzipped).
const CLIENT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  NETWORK_ERROR: 'The otpkit server could not be reached.',
  INTERNAL_ERROR: 'Something went wrong on our side.',
  RATE_LIMITED: 'Too many requests. Try again later.',
  INVALID_REQUEST: 'The request is malformed.',
};

/** Builds an {@link OtpError}; without a message, a generic one for the code. */
export function otpError(code: ErrorCode, message?: string): OtpError {
  return { type: 'error', code, message: message ?? CLIENT_MESSAGES[code] ?? code };
}

/** Server codes are UPPER_SNAKE; anything else is not trusted as a code. */
function isCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && /^[A-Z][A-Z_]*$/.test(value);
}

/**
 * Normalises an identifier the way the wire wants it: an email is only
 * trimmed; a phone number keeps its digits (`+91 98765-43210` → `919876543210`).
 *
 * @example normalizeIdentifier(' +1 (415) 555-0100 ') // '14155550100'
 */
export function normalizeIdentifier(identifier: string): string {
  const trimmed = String(identifier ?? '').trim();
  if (trimmed.includes('@')) return trimmed;
  // Only strip punctuation people type; anything else is left for the server to reject.
  return trimmed.replace(/[\s+\-().]/g, '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Turns whatever an error answer holds into an {@link OtpError}. */
function errorFromBody(body: unknown, status: number): OtpError {
  const raw = isObject(body) ? (body as Partial<ErrorBody> & Record<string, unknown>) : {};
  const code: ErrorCode = isCode(raw.code)
    ? raw.code
    : status === 429
      ? 'RATE_LIMITED'
      : status >= 500 || status === 0
        ? 'INTERNAL_ERROR'
        : 'INVALID_REQUEST';
  const firstError = Array.isArray(raw.errors) ? raw.errors[0] : undefined;
  const message =
    typeof raw.message === 'string' && raw.message
      ? raw.message
      : typeof firstError === 'string'
        ? firstError
        : undefined;
  const error = otpError(code, message);
  const retryAfter = numberOrUndefined(raw.retryAfter);
  const attemptsLeft = numberOrUndefined(raw.attemptsLeft);
  if (retryAfter !== undefined) error.retryAfter = retryAfter;
  if (attemptsLeft !== undefined) error.attemptsLeft = attemptsLeft;
  return error;
}

/** The access token of a success body (`message`, or `access-token`). */
function tokenOf(body: Record<string, unknown>): Outcome<OtpVerified> {
  const token = typeof body.message === 'string' ? body.message : body['access-token'];
  if (typeof token !== 'string' || !token) return errorFromBody(undefined, 500);
  return { type: 'success', message: token };
}

/**
 * Creates the headless client of one widget.
 *
 * @example
 * const client = createOtpClient({ baseUrl: 'https://otp.example.com', widgetId, tokenAuth });
 * const sent = await client.sendOtp('919876543210');
 * if (sent.type === 'success') await client.verifyOtp('123456'); // uses sent.reqId
 */
export function createOtpClient(options: OtpClientOptions): OtpClient {
  // Programmer mistakes, said plainly at once rather than as a failure on the first call.
  if (typeof options?.baseUrl !== 'string' || !options.baseUrl) {
    throw new TypeError(
      'createOtpClient needs baseUrl: the otpkit server, such as "https://otp.example.com".',
    );
  }
  if (typeof (options.fetch ?? globalThis.fetch) !== 'function') {
    throw new TypeError('createOtpClient found no global fetch: pass one as options.fetch.');
  }
  const base = `${options.baseUrl.replace(/\/+$/, '')}${WIDGET_API_PATH}`;
  const { widgetId, tokenAuth } = options;
  const timeoutMs = options.timeoutMs ?? 20_000;
  let lastReqId: string | undefined;
  let language: string | null = null;
  let lastPasskeyTicket: string | undefined;

  /** Loads the passkey chunk, or says this client has none (a script without it, React Native). */
  async function passkeys(): Promise<PasskeyModule | OtpError> {
    if (!options.loadPasskeys) return otpError('PASSKEY_UNSUPPORTED');
    return options.loadPasskeys().catch(() => otpError('NETWORK_ERROR'));
  }

  /** A widget-API POST for the passkey chunk, with this widget's credentials. */
  async function post(path: string, body: Record<string, unknown>) {
    const result = await call(path, { widgetId, tokenAuth, ...body });
    if (!result.ok) return result.error;
    const answer = result.body;
    // WebAuthn options carry no `type`; every other success says `type: "success"`.
    if (result.status === 200 && isObject(answer) && answer.type !== 'error') {
      return { ...answer, type: 'success' as const };
    }
    return errorFromBody(answer, result.status);
  }

  /** One round trip; resolves to the parsed body and status, or a network error. */
  async function call(
    path: string,
    body?: object,
  ): Promise<{ ok: true; status: number; body: unknown } | { ok: false; error: OtpError }> {
    // Looked up per call: a page may wrap fetch after the widget has started.
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    // A CORS-safelisted header: it adds no preflight.
    const headers: Record<string, string> = language ? { 'Accept-Language': language } : {};
    const init: RequestInit = body
      ? {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }
      : { method: 'GET', headers };
    if (typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal) {
      init.signal = AbortSignal.timeout(timeoutMs);
    }
    let response: Response;
    try {
      response = await doFetch(`${base}/${path}`, init);
    } catch {
      return { ok: false, error: otpError('NETWORK_ERROR') };
    }
    try {
      // The server answers real HTTP statuses with a JSON body either way.
      return { ok: true, status: response.status, body: await response.json() };
    } catch {
      return { ok: false, error: errorFromBody(undefined, response.status) };
    }
  }

  function toSent(body: unknown, status: number): Outcome<OtpSent> {
    if (!isObject(body) || body.type !== 'success') return errorFromBody(body, status);
    const wire = body as Partial<SendOtpSuccess>;
    const reqId = typeof wire.reqId === 'string' ? wire.reqId : String(wire.message ?? '');
    if (!reqId) return errorFromBody(undefined, 500);
    lastReqId = reqId;
    const sent: OtpSent = { type: 'success', message: reqId, reqId };
    if (typeof wire.channel === 'string') sent.channel = wire.channel;
    for (const key of NUMBERS_SENT) {
      const value = numberOrUndefined(wire[key]);
      if (value !== undefined) sent[key] = value;
    }
    return sent;
  }

  /**
   * A send or resend with a fresh captcha token; on `CAPTCHA_REQUIRED` /
   * `CAPTCHA_FAILED` (expired, already used) once more with a new one.
   */
  async function withCaptcha(path: string, request: object): Promise<Outcome<OtpSent>> {
    const captcha = options.captcha;
    let outcome: Outcome<OtpSent> | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      let token: string | undefined;
      try {
        token = await captcha?.take();
      } catch (error) {
        return error as OtpError;
      }
      const result = await call(path, token ? { ...request, captcha: token } : request);
      if (token) captcha?.next(); // Single use: prepare the next one now.
      outcome = result.ok ? toSent(result.body, result.status) : result.error;
      if (outcome.type === 'success' || !token || !CAPTCHA_ERRORS.has(outcome.code)) break;
    }
    return outcome!;
  }

  const client: OtpClient = {
    get lastReqId() {
      return lastReqId;
    },

    setLanguage(tag) {
      language = tag;
    },

    async getWidgetData() {
      const query = new URLSearchParams({ widgetId, tokenAuth });
      const result = await call(`getWidgetProcess?${query}`);
      if (!result.ok) return result.error;
      const body = result.body as Partial<GetWidgetProcessResponse> | null;
      if (isObject(body) && body.status === 'success' && isObject(body.data)) {
        options.captcha?.configure(body.data as WidgetData);
        return { type: 'success', message: widgetId, data: body.data as WidgetData };
      }
      return errorFromBody(body, result.status);
    },

    async sendOtp(identifier) {
      const request: SendOtpRequest = {
        widgetId,
        tokenAuth,
        identifier: normalizeIdentifier(identifier),
      };
      if (options.variables && Object.keys(options.variables).length > 0) {
        request.variables = options.variables;
      }
      if (options.topOrigin) request.topOrigin = options.topOrigin;
      return withCaptcha('sendOtpMobile', request);
    },

    async retryOtp(channel, reqId) {
      const id = reqId || lastReqId;
      if (!id) return otpError('REQUEST_NOT_FOUND', 'Send a code before asking to resend it.');
      let retryChannel: number | null = null;
      if (channel !== null && channel !== undefined && channel !== '') {
        const named = channelFromCode(channel);
        if (!named) return otpError('CHANNEL_NOT_ALLOWED', `Unknown retry channel: ${channel}.`);
        retryChannel = CHANNEL_CODES[named];
      }
      const request: RetryOtpRequest = { widgetId, tokenAuth, reqId: id, retryChannel };
      if (options.topOrigin) request.topOrigin = options.topOrigin;
      return withCaptcha('retryOtp', request);
    },

    async getCaptchaChallenge() {
      const query = new URLSearchParams({ widgetId, tokenAuth });
      const result = await call(`captchaChallenge?${query}`);
      if (!result.ok) return result.error;
      const body = result.body as Partial<PowChallenge> | null;
      if (isObject(body) && typeof body.challenge === 'string' && typeof body.salt === 'string') {
        return body as PowChallenge;
      }
      return errorFromBody(body, result.status);
    },

    async verifyOtp(otp, reqId) {
      const id = reqId || lastReqId;
      if (!id) return otpError('REQUEST_NOT_FOUND', 'Send a code before verifying one.');
      const request: VerifyOtpRequest = {
        widgetId,
        tokenAuth,
        reqId: id,
        otp: String(otp ?? '').trim(),
      };
      const result = await call('verifyOtp', request);
      if (!result.ok) return result.error;
      const body = result.body;
      if (!isObject(body) || body.type !== 'success') return errorFromBody(body, result.status);
      const verified = tokenOf(body);
      if (verified.type === 'success' && typeof body.passkeyTicket === 'string') {
        lastPasskeyTicket = body.passkeyTicket;
        verified.passkeyTicket = body.passkeyTicket;
      }
      return verified;
    },

    async registerPasskey(ticket) {
      const module = await passkeys();
      if ('type' in module) return module;
      const made = await module.registerPasskey(post, ticket ?? lastPasskeyTicket);
      if (made.type === 'success') lastPasskeyTicket = undefined;
      return made;
    },

    async signInWithPasskey(signIn = {}) {
      const module = await passkeys();
      if ('type' in module) return module;
      return module.signInWithPasskey(post, signIn);
    },

    async linkStatus(reqId) {
      const id = reqId || lastReqId;
      if (!id) return otpError('REQUEST_NOT_FOUND', 'Send a link before waiting for it.');
      const result = await call('isOneTapAuthenticated', { requestId: id, widgetId, tokenAuth });
      if (!result.ok) return result.error;
      const body = result.body;
      if (!isObject(body) || body.type !== 'success') return errorFromBody(body, result.status);
      // Waiting: the answer as it is (`matchNumber` included).
      if (body.verified !== true) return body as LinkStatus;
      const verified = tokenOf(body);
      return verified.type === 'success' ? { ...verified, verified: true } : verified;
    },

    waitForMagicLink(reqId, wait = {}) {
      const id = reqId || lastReqId;
      if (!id)
        return Promise.resolve(otpError('REQUEST_NOT_FOUND', 'Send a link before waiting for it.'));
      const { signal } = wait;
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const stop = waitForLink(
          client,
          id,
          {
            onVerified: (result) => {
              signal?.removeEventListener('abort', onAbort);
              resolve(result);
            },
            onFailed: (error) => {
              signal?.removeEventListener('abort', onAbort);
              resolve(error);
            },
          },
          wait.intervalMs ?? POLL_INTERVAL_MS,
        );
        const onAbort = (): void => {
          stop();
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  return client;
}
