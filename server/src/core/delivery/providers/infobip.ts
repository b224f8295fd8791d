/**
 * Infobip SMS: `POST {base}/sms/2/text/advanced` with `Authorization: App
 * <key>`, the queued message's id as Infobip's `messageId`, and a `notifyUrl`
 * for delivery reports. Infobip does not sign reports, so the URL carries a
 * secret: `/api/hooks/infobip/<token>`.
 *
 * Statuses (Infobip "Response status and error codes"): group 1 PENDING and
 * 3 DELIVERED are fine; 2 UNDELIVERABLE, 4 EXPIRED and 5 REJECTED are not.
 * Of the rejections, a destination problem (`REJECTED_DESTINATION`,
 * `REJECTED_PREFIX_MISSING`, `REJECTED_INVALID_DESTINATION`…) is the
 * recipient's; others (credit, sender, network) are the account's.
 */
import type { InfobipConfig } from '../../../platform/config/gateways.ts';
import { type DeliveryOutcome, deliveredOutcome, failedOutcome } from '../types.ts';
import { type GatewayResponse, httpGatewayProvider } from './http.ts';

interface InfobipStatus {
  groupId: number;
  groupName: string;
  id: number;
  name: string;
  description?: string;
}

interface SendAnswer {
  bulkId: string;
  messages: { to: string; messageId: string; status: InfobipStatus }[];
  requestError: { serviceException?: { messageId?: string; text?: string } };
}

const RECIPIENT_REJECTION = /DESTINATION|PREFIX_MISSING|BLOCKED|NOT_ALLOWED_NUMBER/;

/** An Infobip SMS provider. */
export const createInfobipProvider = httpGatewayProvider({
  name: 'infobip',
  vendor: 'Infobip',
  channels: ['sms'],
  request(config: InfobipConfig, message, options: { statusCallbackUrl: string }) {
    const from = message.senderId ?? config.from;
    return {
      url: `${config.baseUrl}/sms/2/text/advanced`,
      headers: { authorization: `App ${config.apiKey}` },
      json: {
        messages: [
          {
            destinations: [{ to: message.to, messageId: message.id }],
            ...(from ? { from } : {}),
            text: message.text,
            notifyUrl: options.statusCallbackUrl,
            notifyContentType: 'application/json',
            ...(message.dltTemplateId
              ? { regional: { indiaDlt: { contentTemplateId: message.dltTemplateId } } }
              : {}),
          },
        ],
      },
    };
  },
  accepted({ ok, body }: GatewayResponse<SendAnswer>) {
    const first = body.messages?.[0];
    return ok && first?.status?.groupName !== 'REJECTED' ? first?.messageId : undefined;
  },
  refusal({ body }) {
    const first = body.messages?.[0];
    const failure = body.requestError?.serviceException;
    const name = first?.status?.name ?? failure?.messageId ?? '';
    return {
      code: name,
      detail: first?.status?.description ?? failure?.text,
      recipient: RECIPIENT_REJECTION.test(name),
    };
  },
});

/** The outcomes of a delivery report body (`{results: [...]}`). */
export function readInfobipReports(body: unknown): DeliveryOutcome[] {
  const results = (body as { results?: unknown })?.results;
  if (!Array.isArray(results)) throw new TypeError('not an Infobip report');
  return (results as { messageId?: unknown; status?: Partial<InfobipStatus> }[]).flatMap(
    (r): DeliveryOutcome[] => {
      if (typeof r.messageId !== 'string') return [];
      const group = r.status?.groupName;
      if (group === 'DELIVERED') return [deliveredOutcome(r.messageId)];
      if (group === 'UNDELIVERABLE' || group === 'EXPIRED' || group === 'REJECTED') {
        return [failedOutcome(r.messageId, `Infobip ${r.status?.name ?? group}`)];
      }
      return [];
    },
  );
}
