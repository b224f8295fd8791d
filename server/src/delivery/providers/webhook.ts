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

/** A webhook provider for the configured channels. */
export function createWebhookProvider(
  config: { url: string; secret: string; channels: readonly string[] },
  options: { statusCallbackUrl: string; now: () => number; fetch?: typeof fetch },
): DeliveryProvider {
  const doFetch = options.fetch ?? fetch;
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
      let response: Response;
      try {
        response = await doFetch(config.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': message.id,
            'X-Otpkit-Signature': signWebhook(
              config.secret,
              body,
              Math.floor(options.now() / 1000),
            ),
          },
          body,
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new DeliveryError(`webhook unreachable: ${(error as Error).message}`, {
          permanent: false,
        });
      }
      const answer = (await response.json().catch(() => ({}))) as {
        providerMessageId?: unknown;
        status?: unknown;
      };
      const providerMessageId =
        typeof answer.providerMessageId === 'string' ? answer.providerMessageId : message.id;
      // 409: the receiver already has this idempotency key, so the message went out before.
      if (response.ok || response.status === 409) {
        return { providerMessageId, delivered: answer.status === 'delivered' };
      }
      const transient =
        response.status >= 500 || response.status === 408 || response.status === 429;
      throw new DeliveryError(`webhook answered ${response.status}`, { permanent: !transient });
    },
  };
}
