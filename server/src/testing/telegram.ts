/**
 * A stand-in for Telegram's Gateway API: `checkSendAbility` and
 * `sendVerificationMessage` behind `Authorization: Bearer <token>`, answers
 * as `{ok: true, result: RequestStatus}` or `{ok: false, error}`, and signed
 * delivery reports (`X-Request-Timestamp`, `X-Request-Signature`) posted to
 * each message's `callback_url`.
 */
import { randomBytes } from 'node:crypto';
import { telegramSignature } from '../core/delivery/providers/telegram.ts';
import { type ReportPoster, readParams, reportQueue, sendJson, serveStandIn } from './stand-in.ts';

export interface TelegramRequest {
  method: string;
  params: Record<string, string>;
}

export async function startTelegramGatewayStandIn(options: { token: string; post?: ReportPoster }) {
  const requests: TelegramRequest[] = [];
  /** Numbers (E.164 with `+`) that have Telegram; others cannot get a code. */
  const onTelegram = new Set<string>();
  const pending = new Map<string, string>();
  const reports = reportQueue(options.post);
  const server = await serveStandIn(async (req, res) => {
    const answer = (status: number, body: unknown) => sendJson(res, status, body);
    const method = (req.url ?? '').replace(/^\//, '').split('?')[0]!;
    let params: Record<string, string> = {};
    try {
      params = await readParams(req);
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
        reports.add(callbackUrl, {
          headers: {
            'content-type': 'application/json',
            'x-request-timestamp': timestamp,
            'x-request-signature': telegramSignature(options.token, timestamp, body),
          },
          body,
        });
      }
      return;
    }
    answer(404, { ok: false, error: 'METHOD_NOT_FOUND' });
  });
  return {
    baseUrl: server.origin,
    requests,
    onTelegram,
    sendReports: reports.send,
    close: server.close,
  };
}
