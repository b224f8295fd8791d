/**
 * The webhook provider: an HMAC-SHA256-signed JSON POST to the owner's URL,
 * so any SMS gateway can be bridged. Delivery reports come back signed the
 * same way to `/api/hooks/webhook`.
 *
 * Signature header: `X-Otpkit-Signature: t=<unix seconds>,v1=<hex>` where
 * `hex = HMAC-SHA256(secret, "<t>.<raw body>")`. Receivers recompute it,
 * compare in constant time, and refuse timestamps older than five minutes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from '@otpkit/protocol';
import { request } from 'undici';
import { DeliveryError, type DeliveryProvider } from '../types.ts';

/** Reports and requests older than this are refused (replay protection). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The `X-Otpkit-Signature` value for a body at a time. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const hex = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${hex}`;
}

/** Whether an `X-Otpkit-Signature` header is valid for the body and recent. */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(
    header.split(',').map((p) => p.trim().split('=') as [string, string]),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS)
    return false;
  const expected = Buffer.from(signWebhook(secret, body, t).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** What the gateway answered: its status and its JSON body (`{}` when it sent none). */
interface GatewayAnswer {
  status: number;
  body: { providerMessageId?: unknown; status?: unknown };
}

/** How long a gateway may take to answer before the send is retried. */
const GATEWAY_TIMEOUT_MS = 15_000;

/**
 * Posts with undici's `request` on a keep-alive pool: a fraction of what the
 * WHATWG `fetch` costs per call (no streams, no abort signal per request),
 * which matters at one webhook per code sent.
 */
async function postWithUndici(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<GatewayAnswer> {
  const response = await request(url, {
    method: 'POST',
    headers,
    body,
    headersTimeout: GATEWAY_TIMEOUT_MS,
    bodyTimeout: GATEWAY_TIMEOUT_MS,
  });
  const answer = (await response.body.json().catch(() => ({}))) as GatewayAnswer['body'];
  return { status: response.statusCode, body: answer ?? {} };
}

function postWithFetch(doFetch: typeof fetch) {
  return async (
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<GatewayAnswer> => {
    const response = await doFetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
    const answer = (await response.json().catch(() => ({}))) as GatewayAnswer['body'];
    return { status: response.status, body: answer ?? {} };
  };
}

/** A webhook provider for the configured channels. */
export function createWebhookProvider(
  config: { url: string; secret: string; channels: readonly string[] },
  options: { statusCallbackUrl: string; now: () => number; fetch?: typeof fetch },
): DeliveryProvider {
  const post = options.fetch ? postWithFetch(options.fetch) : postWithUndici;
  return {
    name: 'webhook',
    channels: config.channels as Channel[],
    async send(message) {
      const body = JSON.stringify({
        id: message.id,
        requestId: message.requestId,
        widgetId: message.widgetId,
        channel: message.channel,
        to: message.channel === 'email' ? message.to : `+${message.to}`,
        country: message.country,
        text: message.text,
        subject: message.subject,
        html: message.html,
        language: message.language,
        unicode: message.unicode,
        senderId: message.senderId,
        dltTemplateId: message.dltTemplateId,
        callerId: message.callerId,
        statusCallbackUrl: options.statusCallbackUrl,
      });
      let answer: GatewayAnswer;
      try {
        answer = await post(
          config.url,
          {
            'Content-Type': 'application/json',
            'Idempotency-Key': message.id,
            'X-Otpkit-Signature': signWebhook(
              config.secret,
              body,
              Math.floor(options.now() / 1000),
            ),
          },
          body,
        );
      } catch (error) {
        throw new DeliveryError(`webhook unreachable: ${(error as Error).message}`, {
          permanent: false,
        });
      }
      const providerMessageId =
        typeof answer.body.providerMessageId === 'string'
          ? answer.body.providerMessageId
          : message.id;
      const ok = answer.status >= 200 && answer.status < 300;
      // 409: the receiver already has this idempotency key, so the message went out before.
      if (ok || answer.status === 409) {
        return { providerMessageId, delivered: answer.body.status === 'delivered' };
      }
      const transient = answer.status >= 500 || answer.status === 408 || answer.status === 429;
      throw new DeliveryError(`webhook answered ${answer.status}`, { permanent: !transient });
    },
  };
}
