/**
 * The transport to the admin API: JSON over fetch, the `authkey` header, and
 * one error type for every failure (HTTP error, non-JSON answer, network).
 */
import { ERRORS, type ErrorCode } from '@otpkit/protocol';

/** One invalid field, as the server names it (`otpLength`, `demoCredentials.0.otp`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** An admin API failure with the server's code, message and field issues. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: ErrorCode | (string & {}),
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
  }
}

function readFields(value: unknown): FieldIssue[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): FieldIssue[] => {
    if (!item || typeof item !== 'object') return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    const joined = Array.isArray(path) ? path.join('.') : path;
    if (typeof joined !== 'string' || typeof message !== 'string') return [];
    return [{ path: joined, message }];
  });
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'INVALID_AUTHKEY';
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'INVALID_REQUEST';
  return 'INTERNAL_ERROR';
}

/**
 * Turns a failed response's status and parsed body (or `undefined` when it
 * was not JSON) into an {@link ApiError}.
 *
 * @example errorFromResponse(400, {type:'error', code:'INVALID_REQUEST', message:'…', fields:[…]})
 */
export function errorFromResponse(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object') {
    const { message, code, fields } = body as {
      message?: unknown;
      code?: unknown;
      fields?: unknown;
    };
    if (typeof message === 'string' && typeof code === 'string') {
      return new ApiError(status, code, message, readFields(fields));
    }
  }
  const code = codeForStatus(status);
  return new ApiError(status, code, ERRORS[code].message);
}

/** The error for a fetch that threw (offline, DNS, CORS). */
export function networkError(): ApiError {
  return new ApiError(0, 'NETWORK_ERROR', ERRORS.NETWORK_ERROR.message);
}

/** Whether a value is an {@link ApiError} with one of the given codes. */
export function isApiError(value: unknown, ...codes: string[]): value is ApiError {
  return value instanceof ApiError && (codes.length === 0 || codes.includes(value.code));
}

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** The current authkey, read on every request. */
  authkey: () => string | null;
  /** Called when a signed-in request answers `INVALID_AUTHKEY` (revoked key). */
  onUnauthorized?: (error: ApiError) => void;
  fetch?: typeof fetch;
  /** Prefix of every path; default `/api/v1` on this origin. */
  baseUrl?: string;
}

/** A JSON request to the admin API. */
export type ApiRequest = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * Creates the request function every endpoint uses.
 *
 * @example const request = createApiClient({ authkey: () => key }); await request('GET', '/widgets')
 */
export function createApiClient(options: ApiClientOptions): ApiRequest {
  const baseUrl = options.baseUrl ?? '/api/v1';
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    const key = options.authkey();
    if (key) headers.authkey = key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch {
      throw networkError();
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = errorFromResponse(response.status, parsed);
      if (error.code === 'INVALID_AUTHKEY' && key) options.onUnauthorized?.(error);
      throw error;
    }
    return parsed as T;
  };
}
