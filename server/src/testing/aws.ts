/**
 * A stand-in for two AWS APIs on one port, checking each request's
 * Signature Version 4 (the canonical request, the scope and the signature
 * recomputed from the test credentials):
 *
 * - AWS End User Messaging SMS: `POST /` with `X-Amz-Target:
 *   PinpointSMSVoiceV2.SendTextMessage` (the AWS JSON 1.0 protocol), answering
 *   `{MessageId}` or `{__type, message, Reason}` errors; it then posts the
 *   SMS event (`TEXT_DELIVERED`, or the event type a number is told to end
 *   with) as an SNS notification of the SMS topic to the subscribed URL.
 * - Amazon SES v2: `POST /v2/email/outbound-emails` (REST-JSON), answering
 *   `{MessageId}` or an `x-amzn-ErrorType` error; it then posts the SES event
 *   (`Delivery`, or `Bounce` for addresses told to bounce) as an SNS
 *   notification of the SES topic to the subscribed URL.
 *
 * The notifications are signed by the SNS stand-in (`sns.ts`).
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SnsStandIn } from './sns.ts';
import { type ReportPoster, readBody, reportQueue, sendJson, serveStandIn } from './stand-in.ts';

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** Whether a request carries a valid SigV4 signature for these credentials. */
function verifySigV4(
  req: IncomingMessage,
  body: string,
  credentials: { accessKeyId: string; secretAccessKey: string; region: string },
  service: string,
): string | null {
  const auth = req.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!match) return 'missing or malformed Authorization';
  const [, keyId, date, region, signedService, signedHeaders, signature] =
    match as unknown as string[];
  if (keyId !== credentials.accessKeyId) return 'unknown access key';
  if (region !== credentials.region || signedService !== service) return 'wrong scope';
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date!)) return 'wrong date';
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  const headerNames = signedHeaders!.split(';');
  const canonicalHeaders = headerNames
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonical = [
    req.method,
    url.pathname,
    query,
    canonicalHeaders,
    signedHeaders,
    String(req.headers['x-amz-content-sha256'] ?? sha256(body)),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date!);
  for (const part of [region!, service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(hmac(key, toSign).toString('hex'));
  const given = Buffer.from(signature!);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? null
    : 'signature does not match';
}

export async function startAwsStandIn(options: {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** The SNS stand-in that signs the event notifications. */
  sns?: SnsStandIn;
  /** The HTTPS endpoint subscribed to the SES event topic (`sesTopic`, default `ses-events`). */
  sesEventsUrl?: string;
  sesTopic?: string;
  /** The HTTPS endpoint subscribed to the SMS event destination's topic (`smsTopic`, default `sms-events`). */
  smsEventsUrl?: string;
  smsTopic?: string;
  post?: ReportPoster;
}) {
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  const sms: any[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  const emails: any[] = [];
  /** Signature problems seen (a request the stand-in refused). */
  const refused: string[] = [];
  /** Next SMS answers to fail with (an AWS error type, its reason, the HTTP status). */
  const smsFailures: { type: string; reason?: string; status: number }[] = [];
  /** Addresses that bounce. */
  const bouncing = new Set<string>();
  /** The SMS event a number's texts end with (`+E.164` → `TEXT_BLOCKED`…); default `TEXT_DELIVERED`. */
  const smsOutcomes = new Map<string, string>();
  const reports = reportQueue(options.post);
  /** Every notification posted, as sent (tests replay or alter them). */
  const notifications: Record<string, string>[] = [];
  const sns = options.sns;
  const notify = (url: string, topic: string, event: unknown) => {
    if (!sns) throw new TypeError('the AWS stand-in needs the SNS stand-in to send events');
    const notification = sns.notification(sns.topicArn(topic), JSON.stringify(event));
    notifications.push(notification);
    reports.add(url, {
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': 'Notification',
        'x-amz-sns-message-id': notification.MessageId!,
        'x-amz-sns-topic-arn': notification.TopicArn!,
      },
      body: JSON.stringify(notification),
    });
  };
  const server = await serveStandIn(async (req, res) => {
    const body = await readBody(req);
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      sendJson(res, status, payload, headers);
    if (req.method === 'POST' && req.url === '/') {
      const problem = verifySigV4(req, body, options, 'sms-voice');
      const awsError = (status: number, type: string, message: string, extra = {}) =>
        json(status, { __type: type, message, ...extra }, { 'x-amzn-errortype': type });
      if (problem) {
        refused.push(problem);
        return awsError(403, 'InvalidSignatureException', problem);
      }
      if (req.headers['x-amz-target'] !== 'PinpointSMSVoiceV2.SendTextMessage') {
        return awsError(400, 'UnknownOperationException', 'Unknown operation');
      }
      const input = JSON.parse(body);
      sms.push(input);
      const failure = smsFailures.shift();
      if (failure) {
        return awsError(
          failure.status,
          failure.type,
          'Scripted failure',
          failure.reason ? { Reason: failure.reason } : {},
        );
      }
      if (!/^\+\d{6,15}$/.test(input.DestinationPhoneNumber ?? '') || !input.OriginationIdentity) {
        return awsError(400, 'ValidationException', 'Invalid parameter', {
          Reason: 'INVALID_PARAMETER',
        });
      }
      const messageId = randomUUID();
      json(200, { MessageId: messageId });
      if (options.smsEventsUrl) {
        const eventType = smsOutcomes.get(input.DestinationPhoneNumber) ?? 'TEXT_DELIVERED';
        const delivered = eventType === 'TEXT_DELIVERED' || eventType === 'TEXT_SUCCESSFUL';
        const now = Date.now();
        // The event shape of AWS's "Messaging events" (SMS example log).
        notify(options.smsEventsUrl, options.smsTopic ?? 'sms-events', {
          eventType,
          eventVersion: '1.0',
          eventTimestamp: now,
          isFinal: true,
          originationPhoneNumber: input.OriginationIdentity,
          destinationPhoneNumber: input.DestinationPhoneNumber,
          isoCountryCode: 'IN',
          isInternationalSend: false,
          mcc: '404',
          mnc: '10',
          messageId,
          messageRequestTimestamp: now - 300,
          messageEncoding: 'GSM',
          messageType: input.MessageType ?? 'TRANSACTIONAL',
          messageStatus: delivered ? 'DELIVERED' : eventType.replace(/^TEXT_/, ''),
          messageStatusDescription: delivered
            ? 'Message has been accepted by phone'
            : 'Message was not delivered',
          ...(input.Context ? { context: input.Context } : {}),
          totalMessageParts: 1,
          totalMessagePrice: 0.00254,
          totalCarrierFee: 0.0,
        });
      }
      return;
    }
    if (req.method === 'POST' && req.url === '/v2/email/outbound-emails') {
      const problem = verifySigV4(req, body, options, 'ses');
      if (problem) {
        refused.push(problem);
        return json(403, { message: problem }, { 'x-amzn-errortype': 'InvalidSignatureException' });
      }
      const input = JSON.parse(body);
      emails.push(input);
      const to: string | undefined = input.Destination?.ToAddresses?.[0];
      if (!input.FromEmailAddress || !to || !/^[^@\s]+@[^@\s]+$/.test(to)) {
        return json(
          400,
          { message: 'Missing or invalid address' },
          { 'x-amzn-errortype': 'BadRequestException' },
        );
      }
      const messageId = `0100018f${randomUUID().replace(/-/g, '')}-000000`;
      json(200, { MessageId: messageId });
      const eventsUrl = options.sesEventsUrl;
      if (eventsUrl) {
        const bounce = bouncing.has(to);
        const event = {
          eventType: bounce ? 'Bounce' : 'Delivery',
          mail: {
            timestamp: new Date().toISOString(),
            source: input.FromEmailAddress,
            messageId,
            destination: [to],
          },
          ...(bounce
            ? {
                bounce: {
                  bounceType: 'Permanent',
                  bounceSubType: 'General',
                  bouncedRecipients: [{ emailAddress: to }],
                },
              }
            : { delivery: { timestamp: new Date().toISOString(), recipients: [to] } }),
        };
        notify(eventsUrl, options.sesTopic ?? 'ses-events', event);
      }
      return;
    }
    json(404, { message: 'Not found' });
  });
  return {
    endpoint: server.origin,
    sms,
    emails,
    refused,
    smsFailures,
    bouncing,
    smsOutcomes,
    notifications,
    sendReports: reports.send,
    close: server.close,
  };
}
