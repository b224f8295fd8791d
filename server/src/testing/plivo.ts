/**
 * A stand-in for Plivo's REST API: `POST /v1/Account/{id}/Message/` and
 * `/Call/` behind Basic auth, answers as Plivo does (202 `{api_id, message,
 * message_uuid: [...]}`, 201 `{api_id, message: "call fired",
 * request_uuid}`, errors as `{api_id, error}`). A call fetches its
 * `answer_url` and keeps the Plivo XML it got; status and hangup callbacks
 * are posted form-encoded and signed with `X-Plivo-Signature-V3`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { plivoSignature } from '../core/delivery/providers/plivo.ts';
import type { ReportPoster } from './msg91.ts';
import { listen, readBody } from './standins.ts';

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
  const queued: (() => Promise<Response>)[] = [];
  const post = options.post ?? ((url, init) => fetch(url, init));
  const get = options.get ?? ((url) => fetch(url));
  const signedPost = (url: string, params: Record<string, string>) => {
    const nonce = randomBytes(10).toString('hex');
    return post(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-plivo-signature-v3': plivoSignature(options.authToken, url, params, nonce),
        'x-plivo-signature-v3-nonce': nonce,
      },
      body: new URLSearchParams(params).toString(),
    });
  };
  const server = createServer(async (req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const apiId = randomUUID();
    const match = /^\/v1\/Account\/(\w+)\/(Message|Call)\/$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return answer(404, { api_id: apiId, error: 'not found' });
    const expected = `Basic ${Buffer.from(`${options.authId}:${options.authToken}`).toString('base64')}`;
    // biome-ignore lint/suspicious/noExplicitAny: checked field by field
    let body: any;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return answer(400, { api_id: apiId, error: 'invalid json' });
    }
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
        queued.push(() =>
          signedPost(body.url, {
            MessageUUID: uuid,
            Status: 'delivered',
            To: body.dst,
            From: String(body.src ?? ''),
            Units: '1',
          }),
        );
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
      queued.push(() =>
        signedPost(body.hangup_url, {
          RequestUUID: requestUuid,
          CallUUID: randomUUID(),
          CallStatus: xml.includes('<Speak') ? 'completed' : 'failed',
          HangupCause: 'NORMAL_CLEARING',
          To: body.to,
        }),
      );
    }
  });
  const port = await listen(server);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    answers,
    failures,
    sendReports: () => Promise.all(queued.splice(0).map((send) => send())),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
