/**
 * A stand-in for Telegram's Gateway API: `checkSendAbility` and
 * `sendVerificationMessage` behind `Authorization: Bearer <token>`, answers
 * as `{ok: true, result: RequestStatus}` or `{ok: false, error}`, and signed
 * delivery reports (`X-Request-Timestamp`, `X-Request-Signature`) posted to
 * each message's `callback_url`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { telegramSignature } from '../core/delivery/providers/telegram.ts';
import type { ReportPoster } from './msg91.ts';
import { listen, readBody } from './standins.ts';

export interface TelegramRequest {
  method: string;
  params: Record<string, string>;
}

export async function startTelegramGatewayStandIn(options: { token: string; post?: ReportPoster }) {
  const requests: TelegramRequest[] = [];
  /** Numbers (E.164 with `+`) that have Telegram; others cannot get a code. */
  const onTelegram = new Set<string>();
  const pending = new Map<string, string>();
  /** Reports waiting to be posted: a gateway reports a moment after it answers. */
  const queued: (() => Promise<Response>)[] = [];
  const post = options.post ?? ((url, init) => fetch(url, init));
  const server = createServer(async (req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const method = (req.url ?? '').replace(/^\//, '').split('?')[0]!;
    let params: Record<string, string> = {};
    try {
      const raw = await readBody(req);
      params = (req.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(raw) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return answer(400, { ok: false, error: 'BAD_REQUEST' });
    }
    requests.push({ method, params });
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return answer(401, { ok: false, error: 'ACCESS_TOKEN_INVALID' });
    }
    const phone = params.phone_number ?? '';
    if (!/^\+\d{6,15}$/.test(phone))
      return answer(400, { ok: false, error: 'PHONE_NUMBER_INVALID' });
    const status = (requestId: string) => ({
      request_id: requestId,
      phone_number: phone,
      request_cost: 0.01,
      remaining_balance: 10,
    });
    if (/^checksendability$/i.test(method)) {
      if (!onTelegram.has(phone)) return answer(400, { ok: false, error: 'PHONE_NOT_ON_TELEGRAM' });
      const requestId = randomBytes(8).toString('hex');
      pending.set(requestId, phone);
      return answer(200, { ok: true, result: status(requestId) });
    }
    if (/^sendverificationmessage$/i.test(method)) {
      if (params.code !== undefined && !/^\d{4,8}$/.test(params.code)) {
        return answer(400, { ok: false, error: 'CODE_INVALID' });
      }
      let requestId = params.request_id;
      if (requestId) {
        // One free send per checked request.
        if (pending.get(requestId) !== phone)
          return answer(400, { ok: false, error: 'REQUEST_ID_INVALID' });
        pending.delete(requestId);
      } else {
        if (!onTelegram.has(phone))
          return answer(400, { ok: false, error: 'PHONE_NOT_ON_TELEGRAM' });
        requestId = randomBytes(8).toString('hex');
      }
      answer(200, {
        ok: true,
        result: {
          ...status(requestId),
          delivery_status: { status: 'sent', updated_at: Math.floor(Date.now() / 1000) },
        },
      });
      const callbackUrl = params.callback_url;
      if (callbackUrl) {
        const body = JSON.stringify({
          ...status(requestId),
          ...(params.payload ? { payload: params.payload } : {}),
          delivery_status: { status: 'delivered', updated_at: Math.floor(Date.now() / 1000) },
        });
        const timestamp = String(Math.floor(Date.now() / 1000));
        queued.push(() =>
          post(callbackUrl, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-request-timestamp': timestamp,
              'x-request-signature': telegramSignature(options.token, timestamp, body),
            },
            body,
          }),
        );
      }
      return;
    }
    answer(404, { ok: false, error: 'METHOD_NOT_FOUND' });
  });
  const port = await listen(server);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    onTelegram,
    /** Posts the delivery reports due so far; resolves to the answers they got. */
    sendReports: () => Promise.all(queued.splice(0).map((send) => send())),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
