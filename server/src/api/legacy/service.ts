/**
 * The legacy API's behaviour: `sendotp.php`, `verifyRequestOTP.php` and
 * `retryotp.php` are the server API v5's send, verify and retry (the same
 * server API widget, rules, limits and codes), with the legacy send's own
 * parameters: the caller's SMS text (`message`) and sender id (`sender`),
 * and a default expiry of one day. No HTTP here.
 */
import { LEGACY_DEFAULT_EXPIRY_MINUTES } from '@otpkit/protocol';
import type { CallerText } from '../../core/templates/service.ts';
import type { RequestContext } from '../../model/call.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { Services } from '../app-types.ts';
import { SEND_BY_SERVER_API_ERRORS, sendByServerApi } from '../server-v5/service.ts';
import { MAX_MESSAGE_CHARS } from './schemas.ts';

export {
  RETRY_BY_SERVER_API_ERRORS as RETRY_BY_LEGACY_API_ERRORS,
  retryByServerApi as retryByLegacyApi,
  VERIFY_BY_SERVER_API_ERRORS as VERIFY_BY_LEGACY_API_ERRORS,
  verifyByServerApi as verifyByLegacyApi,
} from '../server-v5/service.ts';

/** The caller's `message` or `sender`: not text, no code in it, or over 3 SMS segments. */
const CALLER_TEXT_ERRORS = errorCodes('INVALID_REQUEST', 'MESSAGE_TOO_LONG');

/** `sendByLegacyApi`: as `sendByServerApi`, and the caller's text. */
export const SEND_BY_LEGACY_API_ERRORS = errorCodes(
  ...CALLER_TEXT_ERRORS,
  ...SEND_BY_SERVER_API_ERRORS,
);

const SENDER = /^([A-Za-z0-9 ]{3,11}|\+?\d{3,15})$/;

const blank = (value: unknown): boolean => value === undefined || value === null || value === '';

/** The caller's `message` and `sender`, checked. Throws {@link CALLER_TEXT_ERRORS}. */
function callerText(message: unknown, sender: unknown): CallerText | undefined {
  const text: CallerText = {};
  if (!blank(message)) {
    if (typeof message !== 'string')
      throw new OtpkitError('INVALID_REQUEST', 'message must be text.');
    if (message.length > MAX_MESSAGE_CHARS) throw new OtpkitError('MESSAGE_TOO_LONG');
    text.body = message;
  }
  if (!blank(sender)) {
    if (typeof sender !== 'string' || !SENDER.test(sender)) {
      throw new OtpkitError(
        'INVALID_REQUEST',
        'sender must be 3 to 11 letters or digits, or a phone number.',
      );
    }
    text.senderId = sender;
  }
  return text.body === undefined && text.senderId === undefined ? undefined : text;
}

/**
 * `/api/sendotp.php`: sends a code to a mobile number, in the caller's own
 * text when it gives one (which must hold the code and fit 3 SMS segments).
 * Throws {@link SEND_BY_LEGACY_API_ERRORS}.
 */
export async function sendByLegacyApi(
  services: Services,
  input: { accountId: string; params: Record<string, unknown>; context: RequestContext },
): Promise<{ reqId: string }> {
  const { params } = input;
  const text = callerText(params.message, params.sender);
  return sendByServerApi(services, {
    accountId: input.accountId,
    params: {
      mobile: params.mobile,
      otp: params.otp,
      otp_length: params.otp_length,
      otp_expiry: blank(params.otp_expiry) ? LEGACY_DEFAULT_EXPIRY_MINUTES : params.otp_expiry,
    },
    // The legacy API has no template variables: its caller writes the whole text.
    body: {},
    context: input.context,
    ...(text ? { text } : {}),
  });
}
