/**
 * The popup's state machine as pure functions. Each takes the state and an
 * event (what the visitor did, what the server answered) and returns a
 * {@link Transition}: the fields that change, and what to do next as data
 * ({@link Effect}). Nothing here touches the DOM, the network, storage,
 * timers or the clock (the time comes in the event), so the rules of the
 * popup are tested in Node (`transitions.test.ts`). The store (`store.ts`)
 * keeps the state in signals, applies the changes and performs the effects.
 */
import type { Channel, ContactPoint, ErrorCode, WidgetData } from '@otpkit/protocol';
import type { OtpError, OtpSent, OtpVerified, Outcome } from '../client.ts';
import { explainError, type Translator } from '../i18n/index.ts';
import {
  allowedCountriesOf,
  COUNTRIES,
  type Country,
  countryNamer,
  findCountry,
  splitNumber,
} from './countries.ts';

/** The lazily loaded phone formatting chunk (layouts made from libphonenumber-js metadata). */
export type PhoneFormatting = typeof import('./phone.ts');

/** Where the popup is. */
export type Step =
  | 'loading'
  | 'identifier'
  | 'code'
  | 'passkey'
  | 'done'
  | 'unavailable'
  | 'offline';

/** Why the current code can no longer be used; each needs a new code. */
export type Blocked = 'expired' | 'tooManyTries' | 'retryLimit' | null;

/** Where the code or link went; a magic link's `matchNumber` is shown and typed on its page. */
export interface SentTo {
  identifier: string;
  display: string;
  contactPoint: ContactPoint;
  matchNumber?: number | undefined;
}

/** Everything the popup shows and decides on. */
export interface PopupState {
  tr: Translator;
  step: Step;
  widget: WidgetData | null;
  contactPoint: ContactPoint;
  country: Country;
  /** What the phone field shows (formatted national number). */
  phoneText: string;
  /** Phone formatting, once its chunk has arrived; until then digits show as typed. */
  phone: PhoneFormatting | null;
  email: string;
  fieldError: string;
  busy: boolean;
  /** Polite announcements that are not errors ("Sending code…", "You can ask for a new code now"). */
  status: string;
  sentTo: SentTo | null;
  code: string;
  codeError: string;
  /** Bumped whenever the code field should take focus again. */
  focusCode: number;
  blocked: Blocked;
  /** Epoch milliseconds when a resend becomes possible. */
  resendAt: number;
  retriesLeft: number | undefined;
  /**
   * The passkey UI chunk, once loaded: only for widgets with passkeys, in browsers with
   * WebAuthn (typed by the store, which renders it; here only its presence counts).
   */
  passkeyUi: object | null;
  /** A verified code waiting while the visitor answers the passkey offer. */
  pendingVerified: OtpVerified | null;
}

/** Something the store does after a transition, in order. */
export type Effect =
  /** Asks for a code (`again`: a fresh one for the same identifier), then {@link codeSent}. */
  | { type: 'send'; to: SentTo; again: boolean }
  /** Resends the current code on a channel, then {@link resent}. */
  | { type: 'resend'; channel: Channel }
  /** Runs {@link askVerify} on the state as it is after this transition. */
  | { type: 'verify' }
  /** Checks the code with the server, then {@link verified}. */
  | { type: 'check'; code: string }
  /** The check mark shows: stop waiting for a link, then close and report the result. */
  | { type: 'finish'; result: OtpVerified }
  /** Tells the integrator the widget is misconfigured (the page's `failure`). */
  | { type: 'report'; error: OtpError }
  /** Waits for the magic link with this request id (`undefined`: stops waiting). */
  | { type: 'wait'; reqId: string | undefined }
  /** Loads phone formatting (once), then {@link phoneFormattingArrived}. */
  | { type: 'loadPhone' }
  /** Remembers the country choice for next time. */
  | { type: 'saveCountry'; iso2: string };

/** What changes, and what to do next. */
export type Transition = [changes: Partial<PopupState>, effects: Effect[]];

/** Codes that mean the integration is wrong, not the visitor's input. */
export const MISCONFIGURED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'WIDGET_NOT_FOUND',
  'INVALID_TOKEN_AUTH',
  'WIDGET_DISABLED',
  'ORIGIN_NOT_ALLOWED',
  'INVALID_AUTHKEY',
  'INVALID_REQUEST',
]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const COUNTRY_NOT_ALLOWED: OtpError = { type: 'error', code: 'COUNTRY_NOT_ALLOWED', message: '' };

/** The state before the widget data arrives. */
export function initialState(tr: Translator): PopupState {
  return {
    tr,
    step: 'loading',
    widget: null,
    contactPoint: 'mobile',
    country: findCountry('US')!,
    phoneText: '',
    phone: null,
    email: '',
    fieldError: '',
    busy: false,
    status: '',
    sentTo: null,
    code: '',
    codeError: '',
    focusCode: 0,
    blocked: null,
    resendAt: 0,
    retriesLeft: undefined,
    passkeyUi: null,
    pendingVerified: null,
  };
}

// What the widget data decides.

/** A magic-link widget (`verificationType` "2"): the visitor opens a link instead of typing a code. */
export const isMagic = (widget: WidgetData | null): boolean =>
  widget?.verificationType?.value === '2';

/** The code's length: the widget's `otpLength` when sensible (4 to 9), else 6. */
export function otpLengthOf(widget: WidgetData | null): number {
  const length = widget?.otpLength;
  return typeof length === 'number' && length >= 4 && length <= 9 ? length : 6;
}

/** The contact points the widget takes (`processType` 2: phone only, 3: email only). */
export function allowedOf(widget: WidgetData | null): ContactPoint[] {
  const type = widget?.processType?.value;
  return type === '2' ? ['mobile'] : type === '3' ? ['email'] : ['mobile', 'email'];
}

/** The countries the picker offers (the widget's `allowedCountries`, or all). */
export const countriesOf = (widget: WidgetData | null): readonly Country[] =>
  widget ? allowedCountriesOf(widget.allowedCountries) : COUNTRIES;

/**
 * Channels offered for a resend, for the contact point the code went to: the widget data
 * lists them in order (`resendChannels`); without any, the contact point's usual one.
 */
export function resendChannelsOf(state: PopupState): readonly Channel[] {
  const point = state.sentTo?.contactPoint ?? state.contactPoint;
  const listed = state.widget?.resendChannels?.[point];
  return listed?.length ? listed : [point === 'email' ? 'email' : 'sms'];
}

const isAllowed = (state: PopupState, candidate: Country): boolean =>
  countriesOf(state.widget).some((c) => c.iso2 === candidate.iso2);

// Words and numbers.

/**
 * Plain words for an error, in the popup's language. The everyday ones are here; the rarer
 * server errors are explained by a chunk fetched with the language (`i18n/explain.ts`).
 */
export function describe(state: PopupState, error: OtpError): string {
  const t = state.tr;
  switch (error.code) {
    case 'NETWORK_ERROR':
      return t.t('error.offline');
    case 'INVALID_IDENTIFIER':
      return t.t(`identifier.invalid.${state.contactPoint}`);
    case 'INVALID_OTP':
    case 'OTP_MISMATCH':
      return error.code === 'OTP_MISMATCH' && error.attemptsLeft !== undefined
        ? t.plural('code.wrong', error.attemptsLeft)
        : t.t('code.wrong');
    default:
      return explainError(t, error, {
        magic: isMagic(state.widget),
        country: () => countryNamer(t.lang)(state.country.iso2),
      });
  }
}

/** National text formatted for a country, or as typed until formatting arrives. */
export function formatPhone(state: PopupState, text: string, at = state.country): string {
  try {
    return state.phone?.formatNational(at.iso2, text) ?? text;
  } catch {
    return text; // A country libphonenumber doesn't know: keep what was typed.
  }
}

/** How a sent-to number is shown: `+91 98765 43210`. */
function displayNumber(state: PopupState, at: Country, national: string): string {
  try {
    if (state.phone) return state.phone.formatInternational(at, national);
  } catch {
    // Fall through to the plain form.
  }
  return `+${at.dialCode} ${national}`;
}

const digitsOf = (text: string): string => text.replace(/\D/g, '');

// Loading.

/** The widget can't work on this page: a polite step for the visitor, the error for the page. */
export const misconfigured = (error: OtpError): Transition => [
  { step: 'unavailable' },
  [{ type: 'report', error }],
];

/** The widget data failed to load. */
export const loadFailed = (error: OtpError): Transition =>
  error.code === 'NETWORK_ERROR' ? [{ step: 'offline' }, []] : misconfigured(error);

/** A widget its owner switched off (`status` "0"). */
export const isDisabled = (data: WidgetData): boolean => data.status?.value === '0';

/**
 * The widget data arrived (and the language with it): the first step, with the country
 * (`remembered` from last time, else the widget's default) and the page's prefill.
 */
export function opened(
  state: PopupState,
  event: { data: WidgetData; identifier?: string | undefined; remembered?: string | null },
): Transition {
  const { data } = event;
  if (isDisabled(data)) {
    return misconfigured({
      type: 'error',
      code: 'WIDGET_DISABLED',
      message: 'This widget is disabled.',
    });
  }
  const offered = countriesOf(data);
  const allowed = allowedOf(data);
  const fallback =
    findCountry(data.defaultCountry?.iso2, offered) ??
    findCountry('US', offered) ??
    offered[0] ??
    findCountry('US')!;
  const changes: Partial<PopupState> = {
    widget: data,
    step: 'identifier',
    country: findCountry(event.remembered, offered) ?? fallback,
    contactPoint: allowed[0] ?? 'mobile',
  };
  const effects: Effect[] = [];
  const prefill = event.identifier?.trim();
  if (prefill?.includes('@')) {
    changes.email = prefill;
    if (allowed.includes('email')) changes.contactPoint = 'email';
  } else if (prefill) {
    const split = splitNumber(digitsOf(prefill), fallback, offered);
    if (split) {
      changes.country = split.country;
      changes.phoneText = formatPhone(state, split.national, split.country);
      effects.push({ type: 'loadPhone' });
    }
    if (allowed.includes('mobile')) changes.contactPoint = 'mobile';
  }
  return [changes, effects];
}

// The identifier step.

/** Phone formatting arrived: what was typed meanwhile is formatted. */
export function phoneFormattingArrived(state: PopupState, phone: PhoneFormatting): Transition {
  const next = { ...state, phone };
  return [{ phone, phoneText: state.phoneText && formatPhone(next, state.phoneText) }, []];
}

/** The visitor picked a country: the number is formatted for it, and the choice remembered. */
export function countryChosen(state: PopupState, country: Country): Transition {
  return [
    { country, fieldError: '', phoneText: formatPhone(state, digitsOf(state.phoneText), country) },
    [{ type: 'saveCountry', iso2: country.iso2 }],
  ];
}

/** The visitor switched between phone and email (only to one the widget takes). */
export function contactPointChosen(state: PopupState, next: ContactPoint): Transition {
  return allowedOf(state.widget).includes(next)
    ? [{ contactPoint: next, fieldError: '' }, []]
    : [{}, []];
}

/** Typed email text. */
export const emailTyped = (email: string): Transition => [{ email, fieldError: '' }, []];

/**
 * Typed or pasted phone text: a leading `+` or `00` picks the country too. Formatting is
 * fetched on the first keystroke.
 */
export function phoneTyped(
  state: PopupState,
  event: { text: string; caretAtEnd: boolean },
): Transition {
  const { text } = event;
  const effects: Effect[] = [{ type: 'loadPhone' }];
  const trimmed = text.trim();
  if (/^(\+|00)/.test(trimmed)) {
    const split = splitNumber(
      digitsOf(trimmed.replace(/^00/, '')),
      state.country,
      countriesOf(state.widget),
    );
    if (split) {
      const [changes, saved] = countryChosen(state, split.country);
      changes.phoneText = formatPhone(state, split.national, split.country);
      if (!isAllowed(state, split.country)) {
        changes.fieldError = describe({ ...state, country: split.country }, COUNTRY_NOT_ALLOWED);
      }
      return [changes, [...effects, ...saved]];
    }
  }
  const previous = state.phoneText;
  const deletedFormatting = text.length < previous.length && digitsOf(text) === digitsOf(previous);
  // Reformat only while typing at the end, so editing in the middle keeps the caret; and
  // never straight after deleting a space or bracket, which formatting would put back.
  const phoneText = event.caretAtEnd && !deletedFormatting ? formatPhone(state, text) : text;
  return [{ fieldError: '', phoneText }, effects];
}

/** "Send code": checks the field, then asks for the first code. */
export function askSend(state: PopupState): Transition {
  if (state.busy) return [{}, []];
  const t = state.tr;
  const point = state.contactPoint;
  let to: SentTo;
  if (point === 'email') {
    const identifier = state.email.trim();
    if (!EMAIL.test(identifier)) return [{ fieldError: t.t('identifier.invalid.email') }, []];
    to = { identifier, display: identifier, contactPoint: point };
  } else {
    const national = digitsOf(state.phoneText).replace(/^0+/, '');
    const identifier = `${state.country.dialCode}${national}`;
    if (!isAllowed(state, state.country)) {
      return [{ fieldError: describe(state, COUNTRY_NOT_ALLOWED) }, []];
    }
    if (national.length < 4 || identifier.length > 15) {
      return [{ fieldError: t.t('identifier.invalid.mobile') }, []];
    }
    to = {
      identifier,
      display: displayNumber(state, state.country, national),
      contactPoint: point,
    };
  }
  return [
    { fieldError: '', busy: true, status: t.t('identifier.sending') },
    [{ type: 'send', to, again: false }],
  ];
}

// The code step.

/** Seconds until a resend: the server's `retryAfter`, else the widget's `retryTime`, else 30. */
const resendAt = (state: PopupState, retryAfter: number | undefined, now: number): number =>
  now + (retryAfter ?? state.widget?.retryTime ?? 30) * 1000;

/** "Send a new code" after expiry, too many tries…: a fresh code for the same identifier. */
export function askNewCode(state: PopupState): Transition {
  const to = state.sentTo;
  if (state.busy || !to) return [{}, []];
  return [{ busy: true, codeError: '' }, [{ type: 'send', to, again: true }]];
}

/** The server answered a request for a code (the first, or a fresh one: `again`). */
export function codeSent(
  state: PopupState,
  event: { sent: Outcome<OtpSent>; to: SentTo; again: boolean; now: number },
): Transition {
  const { sent, to, again } = event;
  if (sent.type === 'success') {
    const magic = isMagic(state.widget);
    return [
      {
        busy: false,
        status: again ? state.tr.t(magic ? 'link.resent' : 'code.resent') : '',
        sentTo: { ...to, matchNumber: sent.matchNumber },
        code: '',
        codeError: '',
        blocked: null,
        retriesLeft: sent.retriesLeft,
        resendAt: resendAt(state, sent.retryAfter, event.now),
        step: 'code',
        focusCode: state.focusCode + (again ? 1 : 0),
      },
      [{ type: 'wait', reqId: magic ? sent.reqId : undefined }],
    ];
  }
  if (MISCONFIGURED.has(sent.code)) {
    const [changes, effects] = misconfigured(sent);
    return [{ busy: false, status: again ? state.status : '', ...changes }, effects];
  }
  if (again) return [{ busy: false, codeError: describe(state, sent) }, []];
  return [
    { busy: false, status: '', fieldError: describe(state, sent) },
    // The page's configuration lacks a template variable: the developer must hear of it.
    sent.code === 'TEMPLATE_VARIABLE_MISSING' ? [{ type: 'report', error: sent }] : [],
  ];
}

/** "Text me again", "Call me"…: resends the current code on a channel. */
export function askResend(state: PopupState, channel: Channel): Transition {
  if (state.busy) return [{}, []];
  return [{ busy: true, codeError: '', status: '' }, [{ type: 'resend', channel }]];
}

/** The server answered a resend. */
export function resent(
  state: PopupState,
  event: { sent: Outcome<OtpSent>; now: number },
): Transition {
  const { sent } = event;
  const magic = isMagic(state.widget);
  // A code typed in full while the resend was on its way (the captcha takes a moment) was
  // held back by `busy`: check it now.
  const typedMeanwhile = !magic && state.code.length === otpLengthOf(state.widget);
  const verify: Effect[] = typedMeanwhile ? [{ type: 'verify' }] : [];
  if (sent.type === 'success') {
    return [
      {
        busy: false,
        retriesLeft: sent.retriesLeft,
        resendAt: resendAt(state, sent.retryAfter, event.now),
        status: state.tr.t(magic ? 'link.resent' : 'code.resent'),
        focusCode: state.focusCode + 1,
      },
      verify,
    ];
  }
  if (MISCONFIGURED.has(sent.code)) {
    const [changes, effects] = misconfigured(sent);
    return [{ busy: false, ...changes }, effects];
  }
  const changes: Partial<PopupState> = { busy: false, codeError: describe(state, sent) };
  if (sent.code === 'RETRY_TOO_SOON' && sent.retryAfter) {
    changes.resendAt = event.now + sent.retryAfter * 1000;
  }
  if (sent.code === 'RETRY_LIMIT_REACHED') changes.retriesLeft = 0;
  if (sent.code === 'OTP_EXPIRED' || sent.code === 'REQUEST_NOT_FOUND') {
    changes.blocked = 'expired';
    return [changes, []];
  }
  return [changes, verify];
}

/** Typed, pasted or autofilled code: keeps the digits and submits when complete. */
export function codeTyped(state: PopupState, text: string): Transition {
  const length = otpLengthOf(state.widget);
  const code = digitsOf(text).slice(0, length);
  const changes: Partial<PopupState> = { code };
  if (code) changes.codeError = '';
  return [changes, code.length === length ? [{ type: 'verify' }] : []];
}

/** "Verify" (or the last digit typed): checks the code with the server when it is complete. */
export function askVerify(state: PopupState): Transition {
  if (state.busy || state.blocked) return [{}, []];
  const t = state.tr;
  const length = otpLengthOf(state.widget);
  if (state.code.length !== length) {
    return [{ codeError: t.t('code.incomplete', { length }) }, []];
  }
  return [{ busy: true, status: t.t('code.verifying') }, [{ type: 'check', code: state.code }]];
}

/** Verified (by code, link or passkey): the check mark, then the popup closes. */
export const finished = (result: OtpVerified): Transition => [
  { step: 'done' },
  [{ type: 'finish', result }],
];

/** The server answered a code. */
export function verified(state: PopupState, result: Outcome<OtpVerified>): Transition {
  const idle: Partial<PopupState> = { busy: false, status: '' };
  if (result.type === 'success') {
    // A widget with passkeys offers one now, before closing; the code already verified.
    if (result.passkeyTicket && state.passkeyUi) {
      return [{ ...idle, pendingVerified: result, step: 'passkey' }, []];
    }
    const [changes, effects] = finished(result);
    return [{ ...idle, ...changes }, effects];
  }
  if (MISCONFIGURED.has(result.code)) {
    const [changes, effects] = misconfigured(result);
    return [{ ...idle, ...changes }, effects];
  }
  const changes: Partial<PopupState> = {
    ...idle,
    code: '',
    codeError: describe(state, result),
    focusCode: state.focusCode + 1,
  };
  if (
    result.code === 'MAX_ATTEMPTS_REACHED' ||
    (result.code === 'OTP_MISMATCH' && result.attemptsLeft === 0)
  ) {
    changes.blocked = 'tooManyTries';
    changes.codeError = state.tr.t('code.tooManyTries');
  } else if (
    result.code === 'OTP_EXPIRED' ||
    result.code === 'REQUEST_NOT_FOUND' ||
    result.code === 'ALREADY_VERIFIED'
  ) {
    changes.blocked = 'expired';
  }
  return [changes, []];
}

/**
 * The wait for a magic link ended: confirmed, or it can no longer be (expired, replaced…),
 * where the way forward is a new one.
 */
export function linkAnswered(state: PopupState, result: Outcome<OtpVerified>): Transition {
  if (result.type === 'success') return finished(result);
  if (MISCONFIGURED.has(result.code)) return misconfigured(result);
  return [{ blocked: 'expired', codeError: describe(state, result) }, []];
}

/** The resend countdown reached zero: said once, politely (the ticking itself is not). */
export const resendReady = (state: PopupState): Transition => [
  { status: state.tr.t('resend.ready') },
  [],
];

/**
 * The visitor answered the passkey offer (made one, which `status` announces; or "Not now"):
 * the code verified before the offer finishes the sign-in.
 */
export function offerAnswered(state: PopupState, status?: string): Transition {
  const answered: Partial<PopupState> = { pendingVerified: null };
  if (status !== undefined) answered.status = status;
  const result = state.pendingVerified;
  if (!result) return [answered, []];
  const [changes, effects] = finished(result);
  return [{ ...answered, ...changes }, effects];
}

/** A passkey sign-in before the number failed (its words come with the passkey chunk), or restarted: ''. */
export const signInFailed = (fieldError: string): Transition => [{ fieldError }, []];

/** "Edit": back to the identifier step to change the number or address. */
export const edited = (): Transition => [
  { codeError: '', status: '', step: 'identifier' },
  [{ type: 'wait', reqId: undefined }],
];
