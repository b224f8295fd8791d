/**
 * Postmark email over HTTP: `POST {base}/email` with `X-Postmark-Server-Token`,
 * the template's HTML and text parts, and the queued message's id in the
 * metadata. Postmark answers `{MessageID, ErrorCode: 0}`, or an `ErrorCode`
 * (Postmark "API error codes": 406 inactive recipient, 300 invalid request,
 * 10 bad server token, 429 rate limited).
 *
 * Delivery and bounce webhooks (`RecordType` `Delivery` / `Bounce`) are not
 * signed, so their URL carries a secret: `/api/hooks/postmark/<token>`.
 */
import type { PostmarkConfig } from '../../../platform/config/gateways.ts';
import { type DeliveryOutcome, deliveredOutcome, failedOutcome } from '../types.ts';
import { type GatewayResponse, httpGatewayProvider } from './http.ts';

interface EmailAnswer {
  MessageID: string;
  ErrorCode: number;
  Message: string;
}

/** A Postmark email provider. */
export const createPostmarkProvider = httpGatewayProvider({
  name: 'postmark',
  vendor: 'Postmark',
  channels: ['email'],
  request: (config: PostmarkConfig, message) => ({
    url: `${config.baseUrl}/email`,
    headers: { 'x-postmark-server-token': config.serverToken },
    json: {
      From: config.from,
      To: message.to,
      Subject: message.subject ?? '',
      TextBody: message.text,
      ...(message.html ? { HtmlBody: message.html } : {}),
      MessageStream: 'outbound',
      TrackOpens: false,
      Headers: [{ Name: 'X-Otpkit-Request-Id', Value: message.requestId }],
      Metadata: { otpkitMessageId: message.id },
    },
  }),
  accepted: ({ status, body }: GatewayResponse<EmailAnswer>) =>
    status === 200 && body.ErrorCode === 0 ? body.MessageID : undefined,
  refusal: ({ body: { ErrorCode, Message } }) => ({
    code: ErrorCode,
    detail: Message,
    // 406: the address bounced or complained before; 300 naming the recipient: not an address.
    recipient: ErrorCode === 406 || (ErrorCode === 300 && /\bto\b|recipient/i.test(Message ?? '')),
  }),
});

/** A Postmark webhook as an outcome: `Delivery` delivered, `Bounce` failed (others are not outcomes). */
export function readPostmarkWebhook(body: unknown): DeliveryOutcome | undefined {
  const event = body as { RecordType?: unknown; MessageID?: unknown; Type?: unknown };
  if (typeof event?.MessageID !== 'string' || typeof event.RecordType !== 'string') {
    throw new TypeError('not a Postmark webhook');
  }
  if (event.RecordType === 'Delivery') return deliveredOutcome(event.MessageID);
  if (event.RecordType === 'Bounce') {
    return failedOutcome(
      event.MessageID,
      `Postmark bounce${typeof event.Type === 'string' ? ` (${event.Type.slice(0, 40)})` : ''}`,
    );
  }
  return undefined;
}
