/**
 * What the HTTP gateways share: a JSON call with a timeout whose network
 * failures are transient, the send step of a gateway that takes one POST
 * per message, and the secret path segment of report URLs for gateways that
 * do not sign their reports.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from '@otpkit/protocol';
import {
  DeliveryError,
  type DeliveryProvider,
  type OutgoingMessage,
  transientStatus,
} from '../types.ts';

/** How long a gateway may take to answer before the send counts as a passing failure. */
export const GATEWAY_TIMEOUT_MS = 15_000;

/** A gateway's answer: its status and its body (parsed JSON, else `{}`). */
export interface GatewayResponse<T> {
  status: number;
  /** A 2xx status. */
  ok: boolean;
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
  return { status: response.status, ok: response.ok, body, text };
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

/** The POST a gateway takes for one message: a JSON body, or a form. */
export type GatewayRequest = { url: string; headers: Record<string, string> } & (
  | { json: unknown }
  | { form: Record<string, string> }
);

/** How a gateway explains a refusal. */
export interface GatewayRefusal {
  /** The vendor's error code or status, shown in parentheses after the HTTP status. */
  code?: string | number;
  /** The vendor's explanation (absent: the start of the answer's text). */
  detail?: string;
  /**
   * The refusal is about the recipient, so no other provider can do better.
   * Any other refusal (credentials, balance, sender) leaves the message to
   * the next provider.
   */
  recipient: boolean;
}

/** What every gateway provider's options may hold. */
export interface GatewayOptions {
  /** Injected by tests; the global `fetch` without. */
  fetch?: typeof fetch;
}

/**
 * Makes a gateway's provider from its configuration and options (which may
 * be left out when the gateway needs none of its own).
 */
export type GatewayFactory<C, O> = (
  config: C,
  ...options: object extends O ? [options?: O & GatewayOptions] : [options: O & GatewayOptions]
) => DeliveryProvider;

/**
 * What sets one HTTP gateway apart: its request for a message (from its
 * configuration `C` and options `O`), and how it reads its answer `T`.
 */
export interface HttpGateway<C, T, O> {
  name: string;
  /** The vendor as error messages name it. */
  vendor: string;
  channels: readonly Channel[];
  /** The call for a message; throws a {@link DeliveryError} for a message it cannot carry. */
  request(config: C, message: OutgoingMessage, options: O): GatewayRequest;
  /** The vendor's message id when the answer accepts the message. */
  accepted(answer: GatewayResponse<T>, message: OutgoingMessage): string | undefined;
  /** Why the answer refuses the message. */
  refusal(answer: GatewayResponse<T>): GatewayRefusal;
}

/**
 * A provider that sends each message with one POST to a gateway: a refusal
 * is a {@link DeliveryError} reading `<vendor> <status> (<code>): <detail>`,
 * permanent only when it is about the recipient and the status does not
 * pass (a 5xx or 429 is never the recipient's fault).
 */
export function httpGatewayProvider<C, T, O extends object = object>(
  gateway: HttpGateway<C, T, O>,
): GatewayFactory<C, O> {
  return (config, ...[given]) => {
    const options = (given ?? {}) as O & GatewayOptions;
    return {
      name: gateway.name,
      channels: gateway.channels,
      async send(message) {
        const call = gateway.request(config, message, options);
        const answer =
          'json' in call
            ? await postJson<T>(options.fetch, gateway.vendor, call.url, call.headers, call.json)
            : await callGateway<T>(options.fetch, gateway.vendor, call.url, {
                method: 'POST',
                headers: { ...call.headers, 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams(call.form).toString(),
              });
        const id = gateway.accepted(answer, message);
        if (id) return { providerMessageId: id };
        const { code, detail, recipient } = gateway.refusal(answer);
        throw new DeliveryError(
          `${gateway.vendor} ${answer.status}${code ? ` (${code})` : ''}: ${detail ?? answer.text.slice(0, 200)}`,
          { permanent: !transientStatus(answer.status) && recipient },
        );
      },
    };
  };
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
