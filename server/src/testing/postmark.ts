/**
 * A stand-in for Postmark's email API (`POST /email`): checks the
 * `X-Postmark-Server-Token`, answers `{To, SubmittedAt, MessageID, ErrorCode:
 * 0, Message: "OK"}` or Postmark's error codes (10 bad token, 300 invalid
 * request, 406 inactive recipient), and posts `Delivery` or `Bounce`
 * webhooks to the URL set for the server.
 */
import { randomUUID } from 'node:crypto';
import { type ReportPoster, readJson, reportQueue, sendJson, serveStandIn } from './stand-in.ts';

export async function startPostmarkStandIn(options: {
  serverToken: string;
  webhookUrl?: string;
  post?: ReportPoster;
}) {
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  const requests: any[] = [];
  /** Addresses that bounced before (406) or bounce now (a Bounce webhook). */
  const inactive = new Set<string>();
  const bouncing = new Set<string>();
  const failures: number[] = [];
  const reports = reportQueue(options.post);
  const server = await serveStandIn(async (req, res) => {
    const answer = (status: number, body: unknown) => sendJson(res, status, body);
    if (req.method !== 'POST' || req.url !== '/email') {
      return answer(404, { ErrorCode: 404, Message: 'Not found' });
    }
    const body = await readJson(req);
    if (body === undefined) {
      return answer(400, { ErrorCode: 402, Message: 'Received invalid JSON input.' });
    }
    requests.push(body);
    if (req.headers['x-postmark-server-token'] !== options.serverToken) {
      return answer(401, { ErrorCode: 10, Message: 'The Server Token you provided was invalid.' });
    }
    const failure = failures.shift();
    if (failure) return answer(failure, { ErrorCode: 0, Message: 'Scripted failure' });
    const to = String(body.To ?? '');
    if (!body.From || !/^[^@\s]+@[^@\s]+$/.test(to)) {
      return answer(422, { ErrorCode: 300, Message: "Invalid 'To' address." });
    }
    if (inactive.has(to)) {
      return answer(422, {
        ErrorCode: 406,
        Message: 'You tried to send to recipient(s) that have been marked as inactive.',
      });
    }
    const id = randomUUID();
    answer(200, {
      To: to,
      SubmittedAt: new Date().toISOString(),
      MessageID: id,
      ErrorCode: 0,
      Message: 'OK',
    });
    const webhookUrl = options.webhookUrl;
    if (webhookUrl) {
      const event = bouncing.has(to)
        ? {
            RecordType: 'Bounce',
            ID: 42,
            Type: 'HardBounce',
            TypeCode: 1,
            MessageID: id,
            Email: to,
            Description: 'The server was unable to deliver your message.',
            BouncedAt: new Date().toISOString(),
            MessageStream: 'outbound',
            Metadata: body.Metadata ?? {},
          }
        : {
            RecordType: 'Delivery',
            MessageID: id,
            Recipient: to,
            DeliveredAt: new Date().toISOString(),
            Details: 'Test delivery',
            MessageStream: 'outbound',
            Metadata: body.Metadata ?? {},
          };
      reports.add(webhookUrl, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
    }
  });
  return {
    baseUrl: server.origin,
    requests,
    inactive,
    bouncing,
    failures,
    sendReports: reports.send,
    close: server.close,
  };
}
