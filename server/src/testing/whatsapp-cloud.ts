/**
 * A stand-in for Meta's WhatsApp Cloud API: `POST /{phone-number-id}/messages`
 * behind a bearer token, template messages checked for the authentication
 * shape (body and button parameters), answers as the Graph API does
 * (`{messaging_product, contacts, messages: [{id}]}`, errors as
 * `{error: {message, type, code, fbtrace_id}}`), and status webhooks signed
 * with `X-Hub-Signature-256` posted to the subscribed URL.
 */
import { randomBytes } from 'node:crypto';
import { hubSignature } from '../core/delivery/providers/whatsapp-cloud.ts';
import { type ReportPoster, readJson, reportQueue, sendJson, serveStandIn } from './stand-in.ts';

export interface WhatsAppRequest {
  phoneNumberId: string;
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  body: any;
}

export async function startWhatsAppCloudStandIn(options: {
  accessToken: string;
  phoneNumberId: string;
  appSecret: string;
  /** The webhook subscribed for the app. */
  webhookUrl?: string;
  post?: ReportPoster;
}) {
  const requests: WhatsAppRequest[] = [];
  /** Numbers that are not on WhatsApp: their sends fail with 131026 in a status webhook. */
  const notOnWhatsApp = new Set<string>();
  /** Next answers to fail with (HTTP status and Graph error code). */
  const failures: { status: number; code: number; message: string }[] = [];
  const reports = reportQueue(options.post);
  const server = await serveStandIn(async (req, res) => {
    const graphError = (status: number, code: number, message: string) =>
      sendJson(res, status, {
        error: {
          message,
          type: 'OAuthException',
          code,
          fbtrace_id: randomBytes(8).toString('hex'),
        },
      });
    const match = /^(?:\/v\d+\.\d+)?\/(\d+)\/messages$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return graphError(404, 100, 'Unknown path');
    const body = await readJson(req);
    if (body === undefined) return graphError(400, 100, 'Invalid JSON');
    requests.push({ phoneNumberId: match[1]!, body });
    if (req.headers.authorization !== `Bearer ${options.accessToken}`) {
      return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    if (match[1] !== options.phoneNumberId) return graphError(400, 100, 'Invalid parameter');
    const failure = failures.shift();
    if (failure) return graphError(failure.status, failure.code, failure.message);
    const to = String(body.to ?? '');
    const template = body.template;
    const code = template?.components?.[0]?.parameters?.[0]?.text;
    const button = template?.components?.find((c: { type: string }) => c.type === 'button');
    if (
      body.messaging_product !== 'whatsapp' ||
      body.type !== 'template' ||
      !template?.name ||
      !template.language?.code ||
      !code ||
      button?.sub_type !== 'url' ||
      button.parameters?.[0]?.text !== code
    ) {
      return graphError(
        400,
        132000,
        'Number of parameters does not match the expected number of params',
      );
    }
    if (!/^\d{6,15}$/.test(to)) return graphError(400, 131009, 'Parameter value is not valid');
    const id = `wamid.${randomBytes(18).toString('base64url')}`;
    sendJson(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id }],
    });
    const webhookUrl = options.webhookUrl;
    if (webhookUrl) {
      const failed = notOnWhatsApp.has(to);
      const raw = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { phone_number_id: options.phoneNumberId },
                  statuses: [
                    {
                      id,
                      status: failed ? 'failed' : 'delivered',
                      timestamp: String(Math.floor(Date.now() / 1000)),
                      recipient_id: to,
                      ...(failed
                        ? { errors: [{ code: 131026, title: 'Message undeliverable' }] }
                        : {}),
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
      reports.add(webhookUrl, {
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': hubSignature(options.appSecret, raw),
        },
        body: raw,
      });
    }
  });
  return {
    baseUrl: `${server.origin}/v21.0`,
    requests,
    failures,
    notOnWhatsApp,
    sendReports: reports.send,
    close: server.close,
  };
}
