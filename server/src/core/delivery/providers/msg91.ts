/**
 * MSG91's Flow API for SMS: `POST /api/v5/flow` with the `authkey` header,
 * the template (flow) id and sender from the otpkit template (its DLT
 * template id and sender ID) or the configuration, and the code in the
 * template's OTP variable, so a SendOTP customer keeps their DLT-registered
 * templates and sender.
 *
 * Delivery reports: MSG91 posts them to the webhook URL set in its panel
 * (SMS → Webhook, version 2: form-encoded `data`, a JSON array of
 * `{requestId, report: [{number, status, desc}]}`; version 3: one JSON
 * object). MSG91 does not sign them, so the URL carries a secret:
 * `/api/hooks/msg91/<token>`.
 */
import type { Msg91Config } from '../../../platform/config/gateways.ts';
import { DeliveryError, type DeliveryOutcome, deliveredOutcome, failedOutcome } from '../types.ts';
import { type GatewayResponse, httpGatewayProvider } from './http.ts';

interface FlowAnswer {
  type: string;
  message: string;
}

/**
 * MSG91 report statuses (msg91.com help, "delivery reports on my webhook
 * URL"): 1 delivered; 2 failed, 9 NDNC, 16 and 25 rejected, 17 blocked.
 * Others (submitted, pending) are not an outcome yet.
 */
const DELIVERED = new Set(['1']);
const FAILED: Record<string, string> = {
  '2': 'failed',
  '9': 'NDNC',
  '16': 'rejected',
  '17': 'blocked number',
  '25': 'rejected',
};

/** A refusal that is about the number (invalid, blocked, DND): no provider will do better. */
const RECIPIENT_REFUSAL =
  /(mobile|number|recipient).*(invalid|incorrect|wrong|blocked|dnd|not valid)|(invalid|blocked).*(mobile|number)/i;

/** An MSG91 provider. */
export const createMsg91Provider = httpGatewayProvider({
  name: 'msg91',
  vendor: 'MSG91',
  channels: ['sms'],
  request(config: Msg91Config, message) {
    const templateId = message.dltTemplateId ?? config.templateId;
    if (!templateId) {
      throw new DeliveryError(
        'MSG91: no template id (set OTPKIT_MSG91_TEMPLATE_ID or the template’s DLT template id)',
        { permanent: false },
      );
    }
    const sender = message.senderId ?? config.sender;
    const recipient: Record<string, string> = { mobiles: message.to };
    if (message.code) recipient[config.otpVariable] = message.code;
    return {
      url: `${config.baseUrl}/api/v5/flow`,
      headers: { authkey: config.authkey },
      json: {
        template_id: templateId,
        ...(sender ? { sender } : {}),
        short_url: '0',
        ...(message.unicode ? { unicode: 1 } : {}),
        recipients: [recipient],
      },
    };
  },
  accepted: ({ ok, body }: GatewayResponse<FlowAnswer>) =>
    ok && body.type === 'success' && body.message ? String(body.message) : undefined,
  // Only a refusal of the number itself is the recipient's; a bad authkey, template or balance
  // is the provider's problem, and the next provider can still deliver.
  refusal: ({ body }) => ({
    detail: body.message,
    recipient: RECIPIENT_REFUSAL.test(String(body.message ?? '')),
  }),
});

/** One MSG91 report as an outcome for the queue, or `undefined` while it is not one yet. */
function outcomeOf(
  requestId: unknown,
  status: unknown,
  desc: unknown,
): DeliveryOutcome | undefined {
  if (typeof requestId !== 'string' || !requestId) return undefined;
  const code = String(status ?? '');
  if (DELIVERED.has(code)) return deliveredOutcome(requestId);
  const failed = FAILED[code];
  if (failed) {
    return failedOutcome(
      requestId,
      `MSG91 ${failed}${typeof desc === 'string' && desc ? ` (${desc.slice(0, 100)})` : ''}`,
    );
  }
  return undefined;
}

/**
 * Reads an MSG91 webhook body: version 2 (`data` = a JSON array of requests,
 * each with its `report` list), or version 3 (one flat object).
 *
 * @throws TypeError when the body is neither.
 */
export function readMsg91Reports(body: Record<string, unknown>): DeliveryOutcome[] {
  if (typeof body.data === 'string' || Array.isArray(body.data)) {
    const data: unknown = typeof body.data === 'string' ? JSON.parse(body.data) : body.data;
    if (!Array.isArray(data)) throw new TypeError('data must be a list');
    return data.flatMap((request: { requestId?: unknown; report?: unknown }) =>
      (Array.isArray(request.report) ? request.report : []).flatMap(
        (r: { status?: unknown; desc?: unknown }) =>
          outcomeOf(request.requestId, r.status, r.desc) ?? [],
      ),
    );
  }
  if (typeof body.requestId === 'string') {
    const one = outcomeOf(body.requestId, body.status, body.desc ?? body.failureReason);
    return one ? [one] : [];
  }
  throw new TypeError('not an MSG91 report');
}
