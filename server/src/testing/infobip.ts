/**
 * A stand-in for Infobip's SMS API (`POST /sms/2/text/advanced`): checks
 * `Authorization: App <key>`, answers with `{bulkId, messages: [{to,
 * messageId, status}]}` (PENDING_ACCEPTED, or a REJECTED status), errors as
 * `{requestError: {serviceException}}`, and posts JSON delivery reports
 * (`{results: [...]}`) to each message's `notifyUrl`.
 */
import { randomBytes } from 'node:crypto';
import { type ReportPoster, readJson, reportQueue, sendJson, serveStandIn } from './stand-in.ts';

const PENDING = {
  groupId: 1,
  groupName: 'PENDING',
  id: 26,
  name: 'PENDING_ACCEPTED',
  description: 'Message sent to next instance',
};
const DELIVERED = {
  groupId: 3,
  groupName: 'DELIVERED',
  id: 5,
  name: 'DELIVERED_TO_HANDSET',
  description: 'Message delivered to handset',
};
const INVALID = {
  groupId: 5,
  groupName: 'REJECTED',
  id: 51,
  name: 'REJECTED_DESTINATION',
  description: 'Invalid destination address',
};

export async function startInfobipStandIn(options: { apiKey: string; post?: ReportPoster }) {
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  const requests: any[] = [];
  /** Next answers to fail with an HTTP status. */
  const failures: number[] = [];
  const reports = reportQueue(options.post);
  const server = await serveStandIn(async (req, res) => {
    const serviceException = (status: number, messageId: string, text: string) =>
      sendJson(res, status, { requestError: { serviceException: { messageId, text } } });
    if (req.method !== 'POST' || req.url !== '/sms/2/text/advanced') {
      return serviceException(404, 'NOT_FOUND', 'Not found');
    }
    const body = await readJson(req);
    if (body === undefined) return serviceException(400, 'BAD_REQUEST', 'Bad request');
    requests.push(body);
    if (req.headers.authorization !== `App ${options.apiKey}`) {
      return serviceException(401, 'UNAUTHORIZED', 'Invalid login details');
    }
    const failure = failures.shift();
    if (failure)
      return serviceException(
        failure,
        failure === 429 ? 'TOO_MANY_REQUESTS' : 'GENERAL_ERROR',
        'Scripted',
      );
    const bulkId = randomBytes(8).toString('hex');
    const messages = (body.messages ?? []).flatMap(
      // biome-ignore lint/suspicious/noExplicitAny: checked field by field
      (m: any) =>
        // biome-ignore lint/suspicious/noExplicitAny: checked field by field
        (m.destinations ?? []).map((d: any) => ({
          to: d.to,
          messageId: d.messageId ?? randomBytes(8).toString('hex'),
          status: /^\d{6,15}$/.test(d.to ?? '') ? PENDING : INVALID,
          notifyUrl: m.notifyUrl,
        })),
    );
    sendJson(res, 200, {
      bulkId,
      messages: messages.map(({ notifyUrl: _, ...m }: { notifyUrl?: string }) => m),
    });
    for (const m of messages) {
      if (!m.notifyUrl || m.status !== PENDING) continue;
      reports.add(m.notifyUrl, () => ({
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          results: [
            {
              bulkId,
              messageId: m.messageId,
              to: m.to,
              sentAt: new Date().toISOString(),
              doneAt: new Date().toISOString(),
              smsCount: 1,
              price: { pricePerMessage: 0.01, currency: 'EUR' },
              status: DELIVERED,
              error: {
                groupId: 0,
                groupName: 'OK',
                id: 0,
                name: 'NO_ERROR',
                description: 'No Error',
                permanent: false,
              },
            },
          ],
        }),
      }));
    }
  });
  return {
    baseUrl: server.origin,
    requests,
    failures,
    sendReports: reports.send,
    close: server.close,
  };
}
