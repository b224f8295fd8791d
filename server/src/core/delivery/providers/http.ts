/**
 * What the HTTP gateways share: a JSON call with a timeout whose network
 * failures are transient, and the secret path segment of report URLs for
 * gateways that do not sign their reports.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryError } from '../types.ts';

/** How long a gateway may take to answer before the send counts as a passing failure. */
export const GATEWAY_TIMEOUT_MS = 15_000;

/** A gateway's answer: its status and its body (parsed JSON, else `{}`). */
export interface GatewayResponse<T> {
  status: number;
  body: Partial<T>;
  text: string;
}

/**
 * Calls a gateway with `doFetch` (injected by tests; the global `fetch`
 * without). A connection that is refused, reset or times out is a
 * transient {@link DeliveryError} (the next provider takes the message).
 */
export async function callGateway<T>(
  doFetch: typeof fetch | undefined,
  vendor: string,
  url: string,
  init: RequestInit,
): Promise<GatewayResponse<T>> {
  let response: Response;
  try {
    response = await (doFetch ?? fetch)(url, {
      ...init,
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new DeliveryError(`${vendor} unreachable: ${cause ?? (error as Error).message}`, {
      permanent: false,
    });
  }
  const text = await response.text().catch(() => '');
  let body: Partial<T> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') body = parsed as Partial<T>;
  } catch {}
  return { status: response.status, body, text };
}

/**
 * POSTs a JSON body to a gateway and reads its JSON answer (see
 * {@link callGateway}); `headers` adds the gateway's authentication.
 */
export function postJson<T>(
  doFetch: typeof fetch | undefined,
  vendor: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<GatewayResponse<T>> {
  return callGateway<T>(doFetch, vendor, url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * The secret path segment of a report URL, for gateways that do not sign
 * their reports: derived from the server secret, so it survives restarts and
 * is the same on every instance.
 */
export function hookToken(secret: string, provider: string): string {
  return createHmac('sha256', secret)
    .update(`otpkit delivery reports: ${provider}`)
    .digest('base64url')
    .slice(0, 32);
}

/** Whether a report URL's token is the provider's (constant time). */
export function verifyHookToken(
  secret: string,
  provider: string,
  given: string | undefined,
): boolean {
  if (!given) return false;
  const expected = Buffer.from(hookToken(secret, provider));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
