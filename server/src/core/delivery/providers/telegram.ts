/**
 * Telegram Gateway for the `telegram` channel (core.telegram.org/gateway/api):
 * `checkSendAbility` first, then `sendVerificationMessage` with the
 * `request_id` it gave (so the code is paid once) and otpkit's own code, and
 * a `callback_url` for delivery reports. Both calls authenticate with
 * `Authorization: Bearer <token>`; answers are `{ok, result}` or `{ok: false, error}`.
 *
 * A number with no Telegram account fails `checkSendAbility`: that is
 * {@link DeliveryError.unreachable}, and the request moves on to its next
 * channel at once.
 *
 * Reports arrive at `/api/hooks/telegram`, signed: `X-Request-Signature` is
 * the hex HMAC-SHA-256 of `X-Request-Timestamp + "\n" + raw body`, keyed by
 * the SHA-256 of the API token ("Checking report integrity").
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { TelegramGatewayConfig } from '../../../platform/config/gateways.ts';
import {
  DeliveryError,
  type DeliveryOutcome,
  type DeliveryProvider,
  deliveredOutcome,
  failedOutcome,
  transientStatus,
} from '../types.ts';
import { postJson } from './http.ts';

/** Reports older (or newer) than this are refused. */
export const TELEGRAM_REPORT_TOLERANCE_SECONDS = 300;

interface GatewayAnswer {
  ok: boolean;
  error: string;
  result: { request_id: string };
}

/**
 * Errors that are the gateway's or the account's, not the number's: the
 * next provider (or a later attempt) may do better. The API documents the
 * error field (e.g. `ACCESS_TOKEN_INVALID`) without listing every value, so
 * any other refusal of `checkSendAbility` is read as "this number cannot get
 * a Telegram code".
 */
const SERVICE_ERRORS = /ACCESS_TOKEN|BALANCE|FLOOD|TOO_MANY|INTERNAL|TIMEOUT|UNAVAILABLE/i;

/** A Telegram Gateway provider. */
export function createTelegramProvider(
  config: TelegramGatewayConfig,
  options: { statusCallbackUrl: string; fetch?: typeof fetch },
): DeliveryProvider {
  const call = (method: string, params: Record<string, string>) =>
    postJson<GatewayAnswer>(
      options.fetch,
      'Telegram Gateway',
      `${config.baseUrl}/${method}`,
      { authorization: `Bearer ${config.token}` },
      params,
    );
  const refusal = (
    step: string,
    answer: Awaited<ReturnType<typeof call>>,
    onRecipient: 'unreachable' | 'permanent',
  ): DeliveryError => {
    const error = String(answer.body.error ?? answer.text.slice(0, 100));
    const reason = `Telegram Gateway ${step}: ${answer.status} ${error}`;
    if (transientStatus(answer.status) || SERVICE_ERRORS.test(error) || answer.status === 401) {
      return new DeliveryError(reason, { permanent: false });
    }
    return onRecipient === 'unreachable'
      ? new DeliveryError(reason, { permanent: true, unreachable: true })
      : new DeliveryError(reason, { permanent: true });
  };
  return {
    name: 'telegram',
    channels: ['telegram'],
    async send(message) {
      // The Gateway carries codes of 4 to 8 digits, nothing else.
      if (!message.code || !/^\d{4,8}$/.test(message.code)) {
        throw new DeliveryError('Telegram Gateway: carries only codes of 4 to 8 digits', {
          permanent: true,
          unreachable: true,
        });
      }
      const phone = `+${message.to}`;
      const ability = await call('checkSendAbility', { phone_number: phone });
      if (!ability.body.ok || !ability.body.result?.request_id) {
        throw refusal('checkSendAbility', ability, 'unreachable');
      }
      const sent = await call('sendVerificationMessage', {
        phone_number: phone,
        request_id: ability.body.result.request_id,
        code: message.code,
        callback_url: options.statusCallbackUrl,
        payload: message.id,
      });
      if (!sent.body.ok || !sent.body.result?.request_id) {
        throw refusal('sendVerificationMessage', sent, 'permanent');
      }
      return { providerMessageId: sent.body.result.request_id };
    },
  };
}

/** The `X-Request-Signature` of a report body at a time. */
export function telegramSignature(token: string, timestamp: string, body: string): string {
  const key = createHash('sha256').update(token).digest();
  return createHmac('sha256', key).update(`${timestamp}\n${body}`).digest('hex');
}

/** Whether a report's signature is valid and its timestamp recent. */
export function verifyTelegramReport(
  token: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > TELEGRAM_REPORT_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(telegramSignature(token, timestamp, body), 'hex');
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * A report (a `RequestStatus`) as an outcome: `delivered` and `read` are
 * delivered, `expired` and `revoked` failed, `sent` is not an outcome yet.
 */
export function readTelegramReport(body: unknown): DeliveryOutcome | undefined {
  const status = body as {
    request_id?: unknown;
    delivery_status?: { status?: unknown };
  };
  if (typeof status?.request_id !== 'string') throw new TypeError('not a RequestStatus');
  const s = status.delivery_status?.status;
  if (s === 'delivered' || s === 'read') return deliveredOutcome(status.request_id);
  if (s === 'expired' || s === 'revoked') return failedOutcome(status.request_id, `Telegram ${s}`);
  return undefined;
}
