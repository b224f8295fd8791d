/**
 * Attack suite, forged delivery reports: each gateway's report URL refuses a
 * report it did not sign (or that lacks its secret).
 */
import { type Attack, attackSuite, codeFor, freshHarness } from './suite.ts';

interface Outcome {
  status: number;
  code: string;
}

const attacks: Attack[] = [
  {
    attack: 'forged delivery reports to each gateway’s report URL',
    expected: { status: 401, code: 'INVALID_SIGNATURE' },
    async run() {
      const h = await freshHarness({
        OTPKIT_SECRET: 'attack-secret-attack-secret-attack-secret-0',
        OTPKIT_MSG91_AUTHKEY: 'msg91-authkey-attack',
        OTPKIT_MSG91_TEMPLATE_ID: 'flow',
        OTPKIT_TELEGRAM_GATEWAY_TOKEN: 'telegram-token-attack-0123',
        OTPKIT_WHATSAPP_ACCESS_TOKEN: 'whatsapp-token-attack-0123',
        OTPKIT_WHATSAPP_PHONE_NUMBER_ID: '1065403522',
        OTPKIT_WHATSAPP_TEMPLATE: 'otp',
        OTPKIT_WHATSAPP_APP_SECRET: 'whatsapp-app-secret-attack',
        OTPKIT_VONAGE_API_KEY: 'key1',
        OTPKIT_VONAGE_API_SECRET: 'vonage-secret',
        OTPKIT_VONAGE_SIGNATURE_SECRET: 'vonage-signature-attack',
        OTPKIT_VONAGE_FROM: 'Acme',
        OTPKIT_PLIVO_AUTH_ID: 'MAATTACKATTACK',
        OTPKIT_PLIVO_AUTH_TOKEN: 'plivo-token-attack-0123',
        OTPKIT_PLIVO_FROM: '+14155550000',
        OTPKIT_INFOBIP_API_KEY: 'infobip-key-attack-0123',
        OTPKIT_POSTMARK_SERVER_TOKEN: 'postmark-token-attack-0123',
        OTPKIT_POSTMARK_FROM: 'a@example.com',
        OTPKIT_SES_REGION: 'eu-west-1',
        OTPKIT_SES_FROM: 'a@example.com',
      });
      const w = await h.createWidget();
      const { reqId } = await codeFor(h, w, '919876543210');
      const [message] = await h.services.store.messages.listForRequest(reqId);
      const id = message!.providerMessageId!;
      const now = String(Math.floor(h.clock.now() / 1000));
      const json = { 'content-type': 'application/json' };
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const forged: [string, RequestInit][] = [
        [
          '/api/hooks/msg91/guessed-token',
          {
            method: 'POST',
            headers: form,
            body: `data=${encodeURIComponent(JSON.stringify([{ requestId: id, report: [{ status: '2' }] }]))}`,
          },
        ],
        [
          '/api/hooks/telegram',
          {
            method: 'POST',
            headers: {
              ...json,
              'x-request-timestamp': now,
              'x-request-signature': '00'.repeat(32),
            },
            body: JSON.stringify({ request_id: id, delivery_status: { status: 'revoked' } }),
          },
        ],
        [
          '/api/hooks/whatsapp-cloud',
          {
            method: 'POST',
            headers: { ...json, 'x-hub-signature-256': `sha256=${'00'.repeat(32)}` },
            body: JSON.stringify({
              entry: [{ changes: [{ value: { statuses: [{ id, status: 'failed' }] } }] }],
            }),
          },
        ],
        [
          `/api/hooks/vonage?messageId=${id}&status=failed&timestamp=${now}&sig=${'0'.repeat(32)}`,
          { method: 'GET' },
        ],
        [
          '/api/hooks/plivo',
          {
            method: 'POST',
            headers: { ...form, 'x-plivo-signature-v3': 'AAAA', 'x-plivo-signature-v3-nonce': '1' },
            body: `MessageUUID=${id}&Status=failed`,
          },
        ],
        [
          '/api/hooks/infobip/guessed-token',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              results: [{ messageId: id, status: { groupName: 'REJECTED' } }],
            }),
          },
        ],
        [
          '/api/hooks/postmark/guessed-token',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ RecordType: 'Bounce', MessageID: id }),
          },
        ],
        [
          '/api/hooks/ses/guessed-token',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              Type: 'Notification',
              Message: JSON.stringify({ eventType: 'Bounce', mail: { messageId: id } }),
            }),
          },
        ],
      ];
      const answers: Outcome[] = [];
      for (const [path, init] of forged) {
        const res = await h.app.request(path, init);
        answers.push({ status: res.status, code: ((await res.json()) as { code: string }).code });
      }
      await h.close();
      // Every gateway's route must refuse: the first that does not is the answer.
      return answers.find((a) => a.status !== 401) ?? answers[0]!;
    },
  },
];

attackSuite('Attack suite: forged delivery reports', attacks);
