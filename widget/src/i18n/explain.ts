/**
 * Which sentence explains a server error beyond the everyday ones (a wrong
 * code, an invalid number or address, no network: the popup's `describe`
 * says those itself). Its own chunk (`otp-explain.js`), fetched beside the
 * language's catalogue by `loadLanguage`, in the background when the popup
 * opens and long before a visitor can meet one of these errors; until then
 * (or if it can't be fetched) the popup says `error.generic`, as it does
 * for English sentences not yet fetched.
 */
import type { OtpError } from '../client.ts';
import type { Translator } from './translator.ts';

/** What an explanation may mention besides the error. */
export interface ExplainContext {
  /** A magic-link widget: an expired link, not an expired code. */
  magic: boolean;
  /** The chosen country's name, in the popup's language. */
  country: () => string;
}

/** The sentence for a server error the everyday flow doesn't explain itself. */
export function explain(
  t: Translator,
  error: OtpError,
  { magic, country }: ExplainContext,
): string {
  switch (error.code) {
    case 'RATE_LIMITED':
      return t.t('error.rateLimited', { time: t.duration(error.retryAfter ?? 60) });
    case 'RETRY_TOO_SOON':
      return t.t('error.retryTooSoon', { time: t.duration(error.retryAfter ?? 30) });
    case 'CHANNEL_NOT_ALLOWED':
      return t.t('error.channel');
    case 'DELIVERY_FAILED':
      return t.t('error.delivery');
    case 'OTP_EXPIRED':
    case 'REQUEST_NOT_FOUND':
      return t.t(magic ? 'link.expired' : 'code.expired');
    case 'LINK_EXPIRED':
      return t.t('link.ended');
    case 'MAX_ATTEMPTS_REACHED':
      return t.t('code.tooManyTries');
    case 'RETRY_LIMIT_REACHED':
      return t.t('code.retryLimit');
    case 'COUNTRY_NOT_ALLOWED':
      return t.t('error.countryNotAllowed', { country: country() });
    case 'TEMPLATE_VARIABLE_MISSING':
    case 'MESSAGE_TOO_LONG':
      return t.t('error.templateVariable');
    case 'ALREADY_VERIFIED':
      return t.t('error.alreadyVerified');
    case 'CAPTCHA_REQUIRED':
    case 'CAPTCHA_FAILED':
      return t.t('error.captcha');
    default:
      return t.t('error.generic');
  }
}
