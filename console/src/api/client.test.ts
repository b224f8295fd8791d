import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, errorFromResponse, isApiError } from './client.ts';

function respond(status: number, body?: unknown, raw?: string): typeof fetch {
  return vi.fn(
    async () =>
      new Response(status === 204 ? null : (raw ?? JSON.stringify(body)), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
  ) as unknown as typeof fetch;
}

describe('errorFromResponse', () => {
  it('keeps the server code, message and field issues', () => {
    const error = errorFromResponse(400, {
      type: 'error',
      code: 'INVALID_REQUEST',
      message: 'otpLength: must be 4 to 9',
      fields: [
        { path: 'otpLength', message: 'must be 4 to 9' },
        { path: ['demoCredentials', 0, 'otp'], message: 'must be 4 to 9 digits' },
        { nonsense: true },
      ],
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toBe('otpLength: must be 4 to 9');
    expect(error.fields).toEqual([
      { path: 'otpLength', message: 'must be 4 to 9' },
      { path: 'demoCredentials.0.otp', message: 'must be 4 to 9 digits' },
    ]);
  });

  it('falls back to the catalogue when the body is not an error body', () => {
    expect(errorFromResponse(404, undefined).code).toBe('NOT_FOUND');
    expect(errorFromResponse(401, 'x').code).toBe('INVALID_AUTHKEY');
    const error = errorFromResponse(502, { hello: 1 });
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.message).toBe('Something went wrong on our side.');
    expect(error.fields).toEqual([]);
  });
});

describe('createApiClient', () => {
  it('sends the authkey and JSON, and parses the answer', async () => {
    const fetch = respond(200, { widgets: [] });
    const request = createApiClient({ authkey: () => 'key-1', fetch });
    await expect(request('POST', '/widgets', { name: 'A' })).resolves.toEqual({ widgets: [] });
    const [url, init] = (fetch as unknown as ReturnType<typeof vi.fn>).mock.calls[0] as [
      string,
      RequestInit,
    ];
    expect(url).toBe('/api/v1/widgets');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"name":"A"}');
    expect(init.headers).toMatchObject({ authkey: 'key-1', 'content-type': 'application/json' });
  });

  it('answers undefined for 204', async () => {
    const request = createApiClient({ authkey: () => 'k', fetch: respond(204) });
    await expect(request('DELETE', '/widgets/w')).resolves.toBeUndefined();
  });

  it('throws ApiError for an error body, and reports a rejected authkey', async () => {
    const onUnauthorized = vi.fn();
    const request = createApiClient({
      authkey: () => 'old',
      onUnauthorized,
      fetch: respond(401, {
        type: 'error',
        code: 'INVALID_AUTHKEY',
        message: 'The authkey is missing or invalid.',
      }),
    });
    const error = await request('GET', '/widgets').catch((e: unknown) => e);
    expect(isApiError(error, 'INVALID_AUTHKEY')).toBe(true);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('does not report a rejected key when none was sent (sign-in page)', async () => {
    const onUnauthorized = vi.fn();
    const request = createApiClient({
      authkey: () => null,
      onUnauthorized,
      fetch: respond(401, { type: 'error', code: 'INVALID_AUTHKEY', message: 'no' }),
    });
    await expect(request('GET', '/widgets')).rejects.toThrow('no');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('maps non-JSON failures and network failures', async () => {
    const html = createApiClient({
      authkey: () => 'k',
      fetch: respond(500, undefined, '<h1>oops</h1>'),
    });
    await expect(html('GET', '/meta')).rejects.toMatchObject({
      status: 500,
      code: 'INTERNAL_ERROR',
    });
    const offline = createApiClient({
      authkey: () => 'k',
      fetch: vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    await expect(offline('GET', '/meta')).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
    });
  });
});
