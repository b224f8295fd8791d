/**
 * Vonage's SMS API: `POST {base}/sms/json` with `api_key` and `api_secret`,
 * `client-ref` (the queued message's id) and a per-message `callback` for
 * delivery receipts. Answers carry a `status` per message: "0" is accepted;
 * the others are Vonage's documented error statuses.
 *
 * Delivery receipts arrive at `/api/hooks/vonage` and must be signed (the
 * account's signed webhooks, with `OTPKIT_VONAGE_SIGNATURE_SECRET`): the
 * `sig` parameter is computed over the other parameters sorted by name and
 * joined as `&name=value` (with `&` and `=` in values replaced by `_`),
 * either as the MD5 of that string followed by the secret ("MD5 hash", the
 * dashboard's default) or as its HMAC-SHA256 keyed by the secret (Vonage's
 * "Signing Messages" guide). Receipts whose `timestamp` is more than five
 * minutes away are refused.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { VonageConfig } from '../../../platform/config/gateways.ts';
import { type DeliveryOutcome, deliveredOutcome, failedOutcome } from '../types.ts';
import { type GatewayResponse, httpGatewayProvider } from './http.ts';

export const VONAGE_RECEIPT_TOLERANCE_SECONDS = 300;

interface SmsAnswer {
  'message-count': string;
  messages: { status: string; 'message-id'?: string; 'error-text'?: string }[];
  /** A refusal of the whole request (bad credentials) carries these at the top. */
  status: string;
  'error-text': string;
}

/**
 * Vonage SMS statuses that are about the recipient (SMS API "Troubleshooting
 * failed SMS"): 6 invalid message (unroutable), 7 number barred, 29
 * non-whitelisted destination, 33 number de-activated. 1 (throttled), 5
 * (internal error) and 10 (too many binds) pass; the rest (credentials,
 * quota, sender, account) are the account's, and the next provider may
 * still deliver.
 */
const RECIPIENT_STATUSES = new Set(['6', '7', '29', '33']);

/** A Vonage SMS provider. */
export const createVonageProvider = httpGatewayProvider({
  name: 'vonage',
  vendor: 'Vonage',
  channels: ['sms'],
  request: (config: VonageConfig, message, options: { statusCallbackUrl: string }) => ({
    url: `${config.baseUrl}/sms/json`,
    headers: {},
    form: {
      api_key: config.apiKey,
      api_secret: config.apiSecret,
      from: message.senderId ?? config.from,
      to: message.to,
      text: message.text,
      ...(message.unicode ? { type: 'unicode' } : {}),
      'client-ref': message.id,
      callback: options.statusCallbackUrl,
    },
  }),
  accepted({ status, body }: GatewayResponse<SmsAnswer>) {
    const first = body.messages?.[0];
    return status === 200 && first?.status === '0' ? first['message-id'] : undefined;
  },
  refusal({ body }) {
    const first = body.messages?.[0];
    const status = first?.status ?? String(body.status ?? '');
    return {
      code: status ? `status ${status}` : undefined,
      detail: first?.['error-text'] ?? body['error-text'],
      recipient: RECIPIENT_STATUSES.has(status),
    };
  },
});

function signedString(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sig')
    .sort()
    .map((k) => `&${k}=${(params[k] ?? '').replace(/[&=]/g, '_')}`)
    .join('');
}

/** The `sig` of a receipt: `md5hash` (default) or `sha256` (HMAC). */
export function vonageSignature(
  secret: string,
  params: Record<string, string>,
  algorithm: 'md5hash' | 'sha256' = 'md5hash',
): string {
  const data = signedString(params);
  return algorithm === 'md5hash'
    ? createHash('md5')
        .update(data + secret)
        .digest('hex')
    : createHmac('sha256', secret).update(data).digest('hex');
}

/** Whether a receipt is signed with the secret (either algorithm) and recent. */
export function verifyVonageReceipt(
  secret: string,
  params: Record<string, string>,
  nowSeconds: number,
): boolean {
  const sig = params.sig?.toLowerCase();
  const timestamp = Number(params.timestamp);
  if (!sig || !Number.isFinite(timestamp)) return false;
  if (Math.abs(nowSeconds - timestamp) > VONAGE_RECEIPT_TOLERANCE_SECONDS) return false;
  return (['md5hash', 'sha256'] as const).some((algorithm) => {
    const expected = Buffer.from(vonageSignature(secret, params, algorithm));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/** A receipt as an outcome (`accepted`, `buffered` are not one yet). */
export function readVonageReceipt(params: Record<string, string>): DeliveryOutcome | undefined {
  const id = params.messageId;
  if (!id) throw new TypeError('not a Vonage receipt');
  if (params.status === 'delivered') return deliveredOutcome(id);
  if (['failed', 'rejected', 'expired', 'unknown'].includes(params.status ?? '')) {
    return failedOutcome(
      id,
      `Vonage ${params.status}${params['err-code'] ? ` (err-code ${params['err-code']})` : ''}`,
    );
  }
  return undefined;
}
