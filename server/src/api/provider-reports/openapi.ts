/** The delivery-report operations for the OpenAPI document. */
import { z } from 'zod';
import { type ApiRoute, type RouteGroup, text } from '../http/openapi-registry.ts';

/** The webhook provider's report body (what the route reads). */
export const webhookReportBody = z.looseObject({
  providerMessageId: z
    .string()
    .optional()
    .describe('The id your gateway answered the send with (`id` is accepted too).'),
  id: z.string().optional(),
  status: z.enum(['delivered', 'failed']),
  error: z.string().optional().describe('Why it failed (at most 300 characters kept).'),
});

/** An SNS message as posted to an HTTPS subscription (the fields the signature covers and names). */
const snsMessageBody = z.looseObject({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string(),
  TopicArn: z.string(),
  Message: z.string(),
  Timestamp: z.string(),
  SubscribeURL: z.string().optional(),
  Token: z.string().optional(),
  Subject: z.string().optional(),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string(),
  SigningCertURL: z.string(),
});

const RECORDED = { status: 204, description: 'Recorded (or ignored for an unknown message).' };
const REPORT_ERRORS = ['NOT_FOUND', 'INVALID_SIGNATURE', 'INVALID_REQUEST'] as const;
const secretUrl = (what: string) => ({ token: `The secret part of the ${what} URL.` });

/**
 * A provider's report of a message: POSTed, answered 204 once recorded (or
 * ignored), refused unauthenticated or malformed, unless the route says otherwise.
 */
const report = (
  route: Omit<ApiRoute, 'method' | 'response' | 'errors'> & Partial<ApiRoute>,
): ApiRoute => ({ method: 'post', response: RECORDED, errors: REPORT_ERRORS, ...route });

/** A callback's fields, each an optional string (the provider sends those that apply). */
const optionalFields = (...names: string[]) =>
  z.looseObject(Object.fromEntries(names.map((name) => [name, z.string().optional()])));

/** Vonage's signed delivery receipt, in the query (GET) or the body (POST). */
const vonageReceipt = z.looseObject({
  messageId: z.string(),
  status: z.string(),
  timestamp: z.string(),
  sig: z.string(),
});

/**
 * An AWS event route: the messages of an SNS HTTPS subscription (SNS posts
 * JSON as text/plain), behind a secret URL token.
 */
const snsEventRoute = (
  route: Pick<ApiRoute, 'path' | 'operationId' | 'summary' | 'description'>,
): ApiRoute =>
  report({
    ...route,
    params: secretUrl('subscription'),
    body: snsMessageBody,
    bodyMediaTypes: ['text/plain', 'application/json'],
    response: { status: 200, description: 'Recorded, confirmed or ignored.' },
    errors: [...REPORT_ERRORS, 'NETWORK_ERROR'],
  });

/** `/api/hooks/*`. */
export const HOOK_DOCS: RouteGroup = {
  tag: 'Delivery reports',
  description:
    'Providers report delivery here. Each report is authenticated the provider’s way; an unsigned or badly signed one changes nothing.',
  prefix: '/api/hooks',
  routes: [
    report({
      path: '/twilio',
      operationId: 'twilioStatusCallback',
      summary: 'Twilio status callback',
      description:
        'Twilio’s form-encoded `MessageStatus` / `CallStatus` callback, signed with `X-Twilio-Signature`. Answers 404 when Twilio is not configured.',
      security: ['twilioSignature'],
      body: optionalFields('MessageSid', 'MessageStatus', 'CallSid', 'CallStatus', 'ErrorCode'),
      bodyMediaTypes: ['application/x-www-form-urlencoded'],
      errors: ['NOT_FOUND', 'INVALID_SIGNATURE'],
    }),
    report({
      path: '/msg91/:token',
      operationId: 'msg91DeliveryReport',
      summary: 'MSG91 delivery report',
      description:
        'MSG91’s SMS webhook (version 2: form-encoded `data`, a JSON list of `{requestId, report: [{number, status, desc}]}`; version 3: one JSON object). MSG91 does not sign it: the URL’s token (derived from `OTPKIT_SECRET`, logged at start) is the secret.',
      params: secretUrl('report'),
      body: optionalFields('data', 'requestId'),
      bodyMediaTypes: ['application/x-www-form-urlencoded', 'application/json'],
    }),
    report({
      path: '/telegram',
      operationId: 'telegramDeliveryReport',
      summary: 'Telegram Gateway delivery report',
      description:
        'A `RequestStatus` object, signed (`X-Request-Signature`, `X-Request-Timestamp` within five minutes).',
      security: ['telegramSignature'],
      body: z.looseObject({
        request_id: z.string(),
        delivery_status: z.looseObject({ status: z.string() }).optional(),
      }),
      response: { status: 200, description: 'Recorded (Telegram retries anything but 200).' },
    }),
    {
      method: 'get',
      path: '/whatsapp-cloud',
      operationId: 'whatsappWebhookVerification',
      summary: 'WhatsApp webhook subscription handshake',
      description:
        'Answers `hub.challenge` when `hub.mode` is `subscribe` and `hub.verify_token` is `OTPKIT_WHATSAPP_VERIFY_TOKEN`.',
      query: z.object({
        'hub.mode': z.string(),
        'hub.verify_token': z.string(),
        'hub.challenge': z.string(),
      }),
      response: text('The challenge.', 'text/plain'),
      errors: ['NOT_FOUND', 'INVALID_SIGNATURE'],
    },
    report({
      path: '/whatsapp-cloud',
      operationId: 'whatsappStatusWebhook',
      summary: 'WhatsApp Cloud API status webhook',
      description:
        'Message statuses (`entry[].changes[].value.statuses[]`), signed with `X-Hub-Signature-256`.',
      security: ['hubSignature'],
      body: z.looseObject({ entry: z.array(z.looseObject({})) }),
      response: { status: 200, description: 'Recorded.' },
    }),
    report({
      method: 'get',
      path: '/vonage',
      operationId: 'vonageDeliveryReceiptGet',
      summary: 'Vonage delivery receipt (GET)',
      description: 'A signed delivery receipt in the query string.',
      security: ['vonageSignature'],
      query: vonageReceipt,
    }),
    report({
      path: '/vonage',
      operationId: 'vonageDeliveryReceipt',
      summary: 'Vonage delivery receipt (POST)',
      description: 'A signed delivery receipt, form-encoded or JSON.',
      security: ['vonageSignature'],
      body: vonageReceipt,
      bodyMediaTypes: ['application/x-www-form-urlencoded', 'application/json'],
    }),
    report({
      path: '/plivo',
      operationId: 'plivoCallback',
      summary: 'Plivo message status or call hangup callback',
      description: 'Form-encoded, signed with `X-Plivo-Signature-V3` and its nonce.',
      security: ['plivoSignature'],
      body: optionalFields('MessageUUID', 'Status', 'RequestUUID', 'CallStatus'),
      bodyMediaTypes: ['application/x-www-form-urlencoded'],
    }),
    ...(['get', 'post'] as const).map((method) => ({
      method,
      path: '/plivo/answer/:sealed',
      operationId: method === 'get' ? 'plivoAnswerGet' : 'plivoAnswer',
      summary: `Plivo call answer (${method.toUpperCase()})`,
      description:
        'The Plivo XML a call speaks: the words ride sealed (and expiring after 15 minutes) in the URL otpkit gave Plivo.',
      params: { sealed: 'The sealed words of the call.' },
      response: text('Plivo XML.', 'application/xml'),
      errors: ['NOT_FOUND'] as const,
    })),
    report({
      path: '/infobip/:token',
      operationId: 'infobipDeliveryReport',
      summary: 'Infobip delivery report',
      description:
        'JSON `{results: [{messageId, status: {groupName}}]}` at the `notifyUrl` otpkit sent with each message; the URL’s token is the secret.',
      params: secretUrl('report'),
      body: z.looseObject({ results: z.array(z.looseObject({})) }),
    }),
    report({
      path: '/postmark/:token',
      operationId: 'postmarkWebhook',
      summary: 'Postmark delivery and bounce webhook',
      description:
        '`RecordType` `Delivery` or `Bounce` with the `MessageID`; the URL’s token is the secret.',
      params: secretUrl('webhook'),
      body: z.looseObject({ RecordType: z.string(), MessageID: z.string() }),
      response: { status: 200, description: 'Recorded (or ignored).' },
    }),
    snsEventRoute({
      path: '/ses/:token',
      operationId: 'sesEventNotification',
      summary: 'Amazon SES event (SNS notification)',
      description:
        'An SNS HTTPS message of the topic `OTPKIT_SES_SNS_TOPIC_ARN`: a notification whose `Message` is an SES `Delivery`, `Bounce`, `Complaint` or `Reject` event, or the subscription confirmation (otpkit confirms it by fetching its `SubscribeURL`). Only messages SNS signed (SignatureVersion 1 or 2, certificate on `sns.<region>.amazonaws.com`) for that topic in the last hour count. The URL’s token is a further secret. Answers 404 when SES or its topic is not configured, 503 when SNS cannot be reached to check the signature (SNS tries again).',
    }),
    snsEventRoute({
      path: '/aws-sms/:token',
      operationId: 'awsSmsEventNotification',
      summary: 'AWS End User Messaging SMS event (SNS notification)',
      description:
        'An SNS HTTPS message of the topic `OTPKIT_AWS_SMS_SNS_TOPIC_ARN` (the SNS event destination of the configuration set): a notification whose `Message` is an SMS event `{eventType, isFinal, messageId, …}`, or the subscription confirmation (confirmed by otpkit). `TEXT_DELIVERED` and `TEXT_SUCCESSFUL` deliver the message whose `SendTextMessage` answer was `messageId`; a final `TEXT_BLOCKED`, `TEXT_CARRIER_BLOCKED`, `TEXT_SPAM`, `TEXT_INVALID`, `TEXT_INVALID_MESSAGE` or `TEXT_PROTECT_BLOCKED` fails it (permanent), `TEXT_UNREACHABLE`, `TEXT_CARRIER_UNREACHABLE`, `TEXT_TTL_EXPIRED` or `TEXT_UNKNOWN` fails it (transient); other events are ignored. Signature, topic and age are checked as for SES. Answers 404 when AWS SMS or its topic is not configured.',
    }),
    report({
      path: '/webhook',
      operationId: 'webhookDeliveryReport',
      summary: 'Webhook provider delivery report',
      description:
        'Your gateway’s report for a message it was given, signed like the sends (`X-Otpkit-Signature`). Answers 404 when the webhook provider is not configured.',
      security: ['webhookSignature'],
      body: webhookReportBody,
    }),
  ],
};
