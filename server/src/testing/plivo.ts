/**
 * A stand-in for Plivo's REST API: `POST /v1/Account/{id}/Message/` and
 * `/Call/` behind Basic auth, answers as Plivo does (202 `{api_id, message,
 * message_uuid: [...]}`, 201 `{api_id, message: "call fired",
 * request_uuid}`, errors as `{api_id, error}`). A call fetches its
 * `answer_url` and keeps the Plivo XML it got; status and hangup callbacks
 * are posted form-encoded and signed with `X-Plivo-Signature-V3`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { plivoSignature } from '../core/delivery/providers/plivo.ts';
import { type ReportPoster, readJson, reportQueue, sendJson, serveStandIn } from './stand-in.ts';

export async function startPlivoStandIn(options: {
  authId: string;
  authToken: string;
  post?: ReportPoster;
  /** How the stand-in fetches a call's answer URL (tests route it into the app). */
  get?: (url: string) => Promise<Response>;
}) {
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field
  const requests: { kind: 'Message' | 'Call'; body: any }[] = [];
  /** The Plivo XML each call's answer URL returned. */
  const answers: string[] = [];
  const failures: { status: number; error: string }[] = [];
  const reports = reportQueue(options.post);
  const get = options.get ?? ((url) => fetch(url));
  /** Queues a callback, form-encoded and signed as Plivo signs them. */
  const callback = (url: string, params: Record<string, string>) => {
    const nonce = randomBytes(10).toString('hex');
    reports.add(url, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-plivo-signature-v3': plivoSignature(options.authToken, url, params, nonce),
        'x-plivo-signature-v3-nonce': nonce,
      },
      body: new URLSearchParams(params).toString(),
    });
  };
  const server = await serveStandIn(async (req, res) => {
    const answer = (status: number, body: unknown) => sendJson(res, status, body);
    const apiId = randomUUID();
    const match = /^\/v1\/Account\/(\w+)\/(Message|Call)\/$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return answer(404, { api_id: apiId, error: 'not found' });
    const expected = `Basic ${Buffer.from(`${options.authId}:${options.authToken}`).toString('base64')}`;
    const body = await readJson(req);
    if (body === undefined) return answer(400, { api_id: apiId, error: 'invalid json' });
    const kind = match[2] as 'Message' | 'Call';
    requests.push({ kind, body });
    if (req.headers.authorization !== expected || match[1] !== options.authId) {
      return answer(401, { api_id: apiId, error: 'Authentication credentials invalid.' });
    }
    const failure = failures.shift();
    if (failure) return answer(failure.status, { api_id: apiId, error: failure.error });
    if (kind === 'Message') {
      if (!/^\d{6,15}$/.test(body.dst ?? '')) {
        return answer(400, { api_id: apiId, error: 'invalid dst parameter' });
      }
      const uuid = randomUUID();
      answer(202, { api_id: apiId, message: 'message(s) queued', message_uuid: [uuid] });
      if (body.url) {
        callback(body.url, {
          MessageUUID: uuid,
          Status: 'delivered',
          To: body.dst,
          From: String(body.src ?? ''),
          Units: '1',
        });
      }
      return;
    }
    if (!/^\d{6,15}$/.test(body.to ?? '') || !body.answer_url) {
      return answer(400, { api_id: apiId, error: 'invalid to or answer_url parameter' });
    }
    const requestUuid = randomUUID();
    answer(201, { api_id: apiId, message: 'call fired', request_uuid: requestUuid });
    // The callee picks up: Plivo asks the answer URL what to do.
    const xml = await (await get(body.answer_url)).text();
    answers.push(xml);
    if (body.hangup_url) {
      callback(body.hangup_url, {
        RequestUUID: requestUuid,
        CallUUID: randomUUID(),
        CallStatus: xml.includes('<Speak') ? 'completed' : 'failed',
        HangupCause: 'NORMAL_CLEARING',
        To: body.to,
      });
    }
  });
  return {
    baseUrl: server.origin,
    requests,
    answers,
    failures,
    sendReports: reports.send,
    close: server.close,
  };
}
