/**
 * A stand-in for Vonage's SMS API (`POST /sms/json`): checks `api_key` and
 * `api_secret`, answers `{"message-count", messages: [{status, message-id,
 * …}]}` with Vonage's status codes, and sends signed delivery receipts
 * (`sig` = MD5 hash of the sorted parameters and the signature secret) to
 * each message's `callback` URL as form posts.
 */
import { randomBytes } from 'node:crypto';
import { vonageSignature } from '../core/delivery/providers/vonage.ts';
import { type ReportPoster, readParams, reportQueue, sendJson, serveStandIn } from './stand-in.ts';

export async function startVonageStandIn(options: {
  apiKey: string;
  apiSecret: string;
  signatureSecret: string;
  post?: ReportPoster;
}) {
  const requests: Record<string, string>[] = [];
  /** Next answers' Vonage statuses (e.g. "1" throttled, "7" number barred). */
  const statuses: string[] = [];
  const reports = reportQueue(options.post);
  const server = await serveStandIn(async (req, res) => {
    const answer = (body: unknown, status = 200) => sendJson(res, status, body);
    if (req.method !== 'POST' || req.url !== '/sms/json') return answer({}, 404);
    const params = await readParams(req);
    requests.push(params);
    const fail = (status: string, text: string) =>
      answer({ 'message-count': '1', messages: [{ status, 'error-text': text }] });
    if (params.api_key !== options.apiKey || params.api_secret !== options.apiSecret) {
      return fail('4', 'Bad Credentials');
    }
    const scripted = statuses.shift();
    if (scripted && scripted !== '0') return fail(scripted, `Scripted status ${scripted}`);
    if (!params.from || !params.text) return fail('2', 'Missing from or text');
    if (!/^\d{6,15}$/.test(params.to ?? '')) return fail('3', 'Invalid to address');
    const id = randomBytes(8).toString('hex').toUpperCase();
    answer({
      'message-count': '1',
      messages: [
        {
          to: params.to,
          'message-id': id,
          status: '0',
          'remaining-balance': '10.00',
          'message-price': '0.05',
          network: '40410',
          'client-ref': params['client-ref'],
        },
      ],
    });
    const callback = params.callback;
    if (callback) {
      // Signed when posted, as Vonage stamps a receipt when it sends it.
      reports.add(callback, () => {
        const receipt: Record<string, string> = {
          msisdn: params.to!,
          to: params.from!,
          'network-code': '40410',
          messageId: id,
          price: '0.05',
          status: 'delivered',
          scts: '2601011200',
          'err-code': '0',
          'api-key': options.apiKey,
          'client-ref': params['client-ref'] ?? '',
          'message-timestamp': new Date().toISOString().slice(0, 19).replace('T', ' '),
          timestamp: String(Math.floor(Date.now() / 1000)),
          nonce: randomBytes(8).toString('hex'),
        };
        receipt.sig = vonageSignature(options.signatureSecret, receipt);
        return {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(receipt).toString(),
        };
      });
    }
  });
  return {
    baseUrl: server.origin,
    requests,
    statuses,
    sendReports: reports.send,
    close: server.close,
  };
}
