/**
 * A stand-in for MSG91's Flow API (`POST /api/v5/flow`): checks the
 * `authkey` header, the template id and the recipients, answers as MSG91
 * does (`{"type":"success","message":"<request id>"}`, errors as
 * `{"type":"error","message":…}`), and posts version-2 webhook reports
 * (form-encoded `data`) to the report URL it was given.
 */
import { randomBytes } from 'node:crypto';
import { type ReportPoster, readJson, reportQueue, sendJson, serveStandIn } from './stand-in.ts';

/** What the stand-in received. */
export interface Msg91Request {
  authkey: string | undefined;
  body: {
    template_id?: string;
    sender?: string;
    short_url?: string;
    recipients?: Record<string, string>[];
  };
}

export async function startMsg91StandIn(options: {
  authkey: string;
  /** Where to post delivery reports (the webhook URL set in MSG91's panel). */
  reportUrl?: string;
  post?: ReportPoster;
}) {
  const requests: Msg91Request[] = [];
  /** Next answers to fail with: HTTP status and MSG91's message. */
  const failures: { status: number; message: string }[] = [];
  /** Report status per number (MSG91 codes: 1 delivered, 2 failed, 17 blocked…); default 1. */
  const outcomes = new Map<string, string>();
  const reports = reportQueue(options.post);
  const server = await serveStandIn(async (req, res) => {
    const answer = (status: number, body: unknown) => sendJson(res, status, body);
    if (req.method !== 'POST' || !/^\/api\/v5\/flow\/?$/.test(req.url ?? '')) {
      return answer(404, { type: 'error', message: 'Not found' });
    }
    const authkey = req.headers.authkey as string | undefined;
    const body: Msg91Request['body'] | undefined = await readJson(req);
    if (body === undefined) return answer(400, { type: 'error', message: 'Invalid JSON' });
    requests.push({ authkey, body });
    if (authkey !== options.authkey) {
      return answer(401, { type: 'error', message: 'Authentication failure', code: '201' });
    }
    const failure = failures.shift();
    if (failure) return answer(failure.status, { type: 'error', message: failure.message });
    if (!body.template_id) return answer(400, { type: 'error', message: 'template_id missing' });
    const recipients = body.recipients ?? [];
    if (recipients.length === 0 || recipients.some((r) => !/^\d{10,15}$/.test(r.mobiles ?? ''))) {
      return answer(400, { type: 'error', message: 'Invalid mobile number' });
    }
    const requestId = randomBytes(12).toString('hex');
    answer(200, { type: 'success', message: requestId });
    const reportUrl = options.reportUrl;
    if (reportUrl) {
      const data = [
        {
          senderId: body.sender ?? 'MSGIND',
          requestId,
          report: recipients.map((r) => {
            const status = outcomes.get(r.mobiles!) ?? '1';
            return {
              date: new Date().toISOString().slice(0, 19).replace('T', ' '),
              number: r.mobiles,
              status,
              desc: status === '1' ? 'DELIVERED' : 'FAILED',
            };
          }),
          userId: '1',
          campaignName: 'API',
        },
      ];
      reports.add(reportUrl, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ data: JSON.stringify(data) }).toString(),
      });
    }
  });
  return {
    baseUrl: server.origin,
    requests,
    failures,
    outcomes,
    sendReports: reports.send,
    close: server.close,
  };
}
