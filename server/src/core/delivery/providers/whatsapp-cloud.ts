/**
 * Meta's WhatsApp Cloud API for the `whatsapp` channel, with an
 * authentication template: `POST {base}/{phone-number-id}/messages`
 * (`Authorization: Bearer <token>`), the code as the body parameter and as
 * the parameter of the template's button (copy-code or one-tap autofill;
 * both are sent as the `url` button at index 0, as Meta's authentication
 * template docs show).
 *
 * Status webhooks arrive at `/api/hooks/whatsapp-cloud`, signed with
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by
 * the app secret>`; the subscription handshake (`GET` with `hub.mode`,
 * `hub.verify_token`, `hub.challenge`) is answered there too.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WhatsAppCloudConfig } from '../../../platform/config/gateways.ts';
import { DeliveryError, type DeliveryOutcome, deliveredOutcome, failedOutcome } from '../types.ts';
import { type GatewayResponse, httpGatewayProvider } from './http.ts';

interface GraphAnswer {
  messages: { id: string }[];
  error: { message?: string; code?: number; error_subcode?: number; type?: string };
}

/**
 * Cloud API error codes that are about the recipient, so no provider will do
 * better (Meta's "Error codes" page): 131026 message undeliverable (not on
 * WhatsApp, old app), 131021 recipient is the sender, 131030 recipient not in
 * the test allow-list, 131009 parameter value not valid (the number),
 * 131050 the user stopped marketing/auth messages from this business.
 * Throttling (4, 80007, 130429, 131048, 131056), service trouble (1, 2,
 * 131000, 131016) and the account's own problems (190 token, 132xxx
 * template) are transient: the next provider can still deliver.
 */
const RECIPIENT_CODES = new Set([131026, 131021, 131030, 131009, 131050]);

const LANGUAGES: Record<string, string> = { en: 'en_US', hi: 'hi' };

/** A WhatsApp Cloud API provider. */
export const createWhatsAppCloudProvider = httpGatewayProvider({
  name: 'whatsapp-cloud',
  vendor: 'WhatsApp Cloud API',
  channels: ['whatsapp'],
  request(config: WhatsAppCloudConfig, message) {
    if (!message.code) {
      throw new DeliveryError('WhatsApp Cloud API: an authentication template carries only codes', {
        permanent: true,
      });
    }
    return {
      url: `${config.baseUrl}/${config.phoneNumberId}/messages`,
      headers: { authorization: `Bearer ${config.accessToken}` },
      json: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: message.to,
        type: 'template',
        // Tells a retry of the same message apart in Meta's logs and the stand-in.
        biz_opaque_callback_data: message.id,
        template: {
          name: config.template,
          language: {
            code: config.templateLanguage ?? LANGUAGES[message.language] ?? 'en_US',
          },
          components: [
            { type: 'body', parameters: [{ type: 'text', text: message.code }] },
            {
              type: 'button',
              sub_type: 'url',
              index: '0',
              parameters: [{ type: 'text', text: message.code }],
            },
          ],
        },
      },
    };
  },
  accepted: ({ ok, body }: GatewayResponse<GraphAnswer>) =>
    ok ? body.messages?.[0]?.id : undefined,
  refusal({ body }) {
    const error = body.error ?? {};
    return {
      code: error.code,
      detail: error.message,
      recipient: error.code !== undefined && RECIPIENT_CODES.has(error.code),
    };
  },
});

/** The `X-Hub-Signature-256` of a body. */
export function hubSignature(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;
}

/** Whether a webhook carries a valid `X-Hub-Signature-256`. */
export function verifyHubSignature(
  appSecret: string,
  body: string,
  header: string | undefined,
): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(hubSignature(appSecret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The statuses of a webhook body as outcomes (`sent` is not one yet). */
export function readWhatsAppStatuses(body: unknown): DeliveryOutcome[] {
  const entries = (body as { entry?: unknown })?.entry;
  if (!Array.isArray(entries)) throw new TypeError('not a WhatsApp webhook');
  const out: DeliveryOutcome[] = [];
  for (const entry of entries as { changes?: { value?: { statuses?: unknown } }[] }[]) {
    for (const change of entry.changes ?? []) {
      const statuses = change.value?.statuses;
      if (!Array.isArray(statuses)) continue;
      for (const s of statuses as {
        id?: unknown;
        status?: unknown;
        errors?: { code?: number; title?: string }[];
      }[]) {
        if (typeof s.id !== 'string') continue;
        if (s.status === 'delivered' || s.status === 'read') {
          out.push(deliveredOutcome(s.id));
        } else if (s.status === 'failed') {
          const e = s.errors?.[0];
          out.push(
            failedOutcome(
              s.id,
              `WhatsApp failed${e?.code ? ` (${e.code})` : ''}${e?.title ? `: ${e.title.slice(0, 100)}` : ''}`,
            ),
          );
        }
      }
    }
  }
  return out;
}
