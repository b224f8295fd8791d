/**
 * The popup's state (small signals, `signals.ts`) and the actions that move it between
 * steps. Components only read signals and call these actions.
 */
import type { Channel, ContactPoint, ErrorCode, WidgetData } from '@otpkit/protocol';
import type { JSX } from 'preact';
import type {
  OtpClient,
  OtpError,
  OtpSent,
  OtpVerified,
  Outcome,
  WidgetLoaded,
} from '../client.ts';
import {
  chooseLanguage,
  createTranslator,
  explainError,
  loadLanguage,
  type Translator,
} from '../i18n/index.ts';
import {
  allowedCountriesOf,
  COUNTRIES,
  type Country,
  countryNamer,
  findCountry,
  splitNumber,
} from './countries.ts';
import { computed, signal } from './signals.ts';

/** The lazily loaded phone formatting chunk (layouts made from libphonenumber-js metadata). */
export type PhoneFormatting = typeof import('./phone.ts');

/**
 * The passkey UI chunk (`PasskeyUi.tsx`), loaded only for widgets that offer
 * passkeys. Spelled out rather than `typeof import(…)`: the chunk imports the
 * store's type, and the store must not import the chunk.
 */
export interface PasskeyUi {
  OfferStep(props: { store: Store }): JSX.Element;
  SignIn(props: { store: Store }): JSX.Element | null;
}

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

/** Codes that mean the integration is wrong, not the visitor's input. */
export const MISCONFIGURED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'WIDGET_NOT_FOUND',
  'INVALID_TOKEN_AUTH',
  'WIDGET_DISABLED',
  'ORIGIN_NOT_ALLOWED',
  'INVALID_AUTHKEY',
  'INVALID_REQUEST',
]);

const COUNTRY_KEY = 'otpkit:country';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the store needs from outside. */
export interface StoreDeps {
  client: OtpClient;
  /** Prefill: a full mobile number or an email. */
  identifier?: string | undefined;
  /** The visitor is verified: close the popup, then report. */
  onVerified: (result: OtpVerified) => void;
  /** The widget cannot work on this page (misconfiguration). */
  onMisconfigured: (error: OtpError) => void;
  /** Where the last country choice is remembered (default: localStorage when usable). */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Milliseconds the check mark stays before the popup closes. */
  doneDelayMs?: number;
  /** Loads phone formatting (default: the `otp-phone.js` chunk). */
  loadPhoneFormatting?: () => Promise<PhoneFormatting>;
  /** The browser's preferred languages (default: `navigator.languages`). */
  browserLanguages?: readonly string[];
  /** Loads the passkey UI chunk (`openPopup` passes it); without it, no passkey UI. */
  loadPasskeyUi?: () => Promise<PasskeyUi>;
}

function defaultStorage(): Pick<Storage, 'getItem' | 'setItem'> | null {
  try {
    return window.localStorage;
  } catch {
    return null; // Blocked third-party storage, sandboxed frames…
  }
}

/**
 * Runs `task` once the browser is idle (after the current step has painted), at the latest
 * after a second; resolves with its result.
 */
function whenIdle<T>(task: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => {
    const run = (): void => resolve(task());
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
    else setTimeout(run, 50);
  });
}

/** Creates the popup store. */
export function createStore(deps: StoreDeps) {
  const storage = deps.storage === undefined ? defaultStorage() : deps.storage;
  const client = deps.client;

  const tr = signal<Translator>(createTranslator(chooseLanguage(null, deps.browserLanguages)));
  const step = signal<Step>('loading');
  const widget = signal<WidgetData | null>(null);
  const contactPoint = signal<ContactPoint>('mobile');
  const country = signal<Country>(findCountry('US')!);
  /** What the phone field shows (formatted national number). */
  const phoneText = signal('');
  /** Phone formatting, once its chunk has arrived; until then digits show as typed. */
  const phone = signal<PhoneFormatting | null>(null);
  let phoneLoading: Promise<void> | undefined;
  const email = signal('');
  const fieldError = signal('');
  const busy = signal(false);
  /** Polite announcements that are not errors ("Sending code…", "You can ask for a new code now"). */
  const status = signal('');
  /** Where the code or link went; a magic link's `matchNumber` is shown and typed on its page. */
  const sentTo = signal<{
    identifier: string;
    display: string;
    contactPoint: ContactPoint;
    matchNumber?: number | undefined;
  } | null>(null);
  const code = signal('');
  const codeError = signal('');
  /** Bumped whenever the code field should take focus again. */
  const focusCode = signal(0);
  const blocked = signal<Blocked>(null);
  const resendAt = signal(0);
  const retriesLeft = signal<number | undefined>(undefined);

  /** The passkey UI, once loaded: only for widgets with passkeys, in browsers with WebAuthn. */
  const passkeyUi = signal<PasskeyUi | null>(null);
  /** A verified code waiting while the visitor answers the passkey offer. */
  const pendingVerified = signal<OtpVerified | null>(null);

  /** A magic-link widget (`verificationType` "2"): the visitor opens a link instead of typing a code. */
  const magic = computed(() => widget.value?.verificationType?.value === '2');
  let stopWaiting: (() => void) | undefined;

  const otpLength = computed(() => {
    const length = widget.value?.otpLength;
    return typeof length === 'number' && length >= 4 && length <= 9 ? length : 6;
  });
  const allowed = computed<ContactPoint[]>(() => {
    const type = widget.value?.processType?.value;
    return type === '2' ? ['mobile'] : type === '3' ? ['email'] : ['mobile', 'email'];
  });
  /**
   * Channels offered for a resend, for the contact point the code went to: the widget data
   * lists them in order (`resendChannels`); without any, the contact point's usual one.
   */
  const resendChannels = computed<readonly Channel[]>(() => {
    const point = sentTo.value?.contactPoint ?? contactPoint.value;
    const listed = widget.value?.resendChannels?.[point];
    return listed?.length ? listed : [point === 'email' ? 'email' : 'sms'];
  });

  /** The countries the picker offers (the widget's `allowedCountries`, or all). */
  const countries = computed<readonly Country[]>(() =>
    widget.value ? allowedCountriesOf(widget.value.allowedCountries) : COUNTRIES,
  );
  const isAllowed = (candidate: Country): boolean =>
    countries.value.some((c) => c.iso2 === candidate.iso2);

  const namer = computed(() => countryNamer(tr.value.lang));
  /** A country's name in the popup's language. */
  const countryName = (iso2: string): string => namer.value(iso2);

  const nationalDigits = (): string => phoneText.value.replace(/\D/g, '');

  /** National text formatted for the current country, or as typed until formatting arrives. */
  function formatPhone(text: string, at: Country = country.value): string {
    const formatting = phone.value;
    if (!formatting) return text;
    try {
      return formatting.formatNational(at.iso2, text);
    } catch {
      return text; // A country libphonenumber doesn't know: keep what was typed.
    }
  }

  /** How a sent-to number is shown: `+91 98765 43210`. */
  function displayNumber(at: Country, national: string): string {
    try {
      if (phone.value) return phone.value.formatInternational(at, national);
    } catch {
      // Fall through to the plain form.
    }
    return `+${at.dialCode} ${national}`;
  }

  /**
   * Loads phone formatting once (on the first keystroke in the phone field,
   * or for a prefilled number) and reformats what has been typed meanwhile.
   */
  function loadPhoneFormatting(): Promise<void> {
    phoneLoading ??= (deps.loadPhoneFormatting ?? (() => import('./phone.ts')))().then(
      (formatting) => {
        phone.value = formatting;
        if (phoneText.value) phoneText.value = formatPhone(phoneText.value);
      },
      () => {
        phoneLoading = undefined; // Offline for a moment: digits as typed; try again next time.
      },
    );
    return phoneLoading;
  }

  /**
   * Plain words for an error, in the popup's language. The everyday ones are here; the rarer
   * server errors are explained by a chunk fetched with the language (`i18n/explain.ts`).
   */
  function describe(error: OtpError): string {
    const t = tr.value;
    switch (error.code) {
      case 'NETWORK_ERROR':
        return t.t('error.offline');
      case 'INVALID_IDENTIFIER':
        return t.t(`identifier.invalid.${contactPoint.value}`);
      case 'INVALID_OTP':
      case 'OTP_MISMATCH':
        return error.code === 'OTP_MISMATCH' && error.attemptsLeft !== undefined
          ? t.plural('code.wrong', error.attemptsLeft)
          : t.t('code.wrong');
      default:
        return explainError(t, error, {
          magic: magic.value,
          country: () => countryName(country.value.iso2),
        });
    }
  }

  function misconfigured(error: OtpError): void {
    step.value = 'unavailable';
    deps.onMisconfigured(error);
  }

  function chooseCountry(next: Country): void {
    country.value = next;
    fieldError.value = '';
    phoneText.value = formatPhone(nationalDigits(), next);
    try {
      storage?.setItem(COUNTRY_KEY, next.iso2);
    } catch {
      // Storage full or blocked: the choice just isn't remembered.
    }
  }

  /** Applies loaded widget data: mode, country and the prefill. */
  function applyWidget(data: WidgetData): void {
    widget.value = data;
    const offered = countries.value;
    let remembered: Country | undefined;
    try {
      remembered = findCountry(storage?.getItem(COUNTRY_KEY), offered);
    } catch {
      remembered = undefined;
    }
    const fallback =
      findCountry(data.defaultCountry?.iso2, offered) ??
      findCountry('US', offered) ??
      offered[0] ??
      findCountry('US')!;
    country.value = remembered ?? fallback;
    contactPoint.value = allowed.value[0] ?? 'mobile';
    const prefill = deps.identifier?.trim();
    if (prefill) {
      if (prefill.includes('@')) {
        email.value = prefill;
        if (allowed.value.includes('email')) contactPoint.value = 'email';
      } else {
        const split = splitNumber(prefill.replace(/\D/g, ''), fallback, offered);
        if (split) {
          country.value = split.country;
          phoneText.value = formatPhone(split.national, split.country);
          void loadPhoneFormatting();
        }
        if (allowed.value.includes('mobile')) contactPoint.value = 'mobile';
      }
    }
    step.value = 'identifier';
  }

  /** Waits for the widget data and opens the first step (or explains why not). */
  async function load(pending: Promise<Outcome<WidgetLoaded>>): Promise<void> {
    step.value = 'loading';
    const outcome = await pending;
    if (outcome.type === 'success') {
      // Passkeys only where the device itself can keep one (Touch ID, Windows Hello, a phone's
      // screen lock): elsewhere the offer would only lead to a QR code or a security key prompt.
      if (outcome.data.passkeys && typeof PublicKeyCredential !== 'undefined') {
        PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable?.()
          .then((available) => (available ? deps.loadPasskeyUi?.() : null))
          .then(
            (ui) => {
              if (ui) passkeyUi.value = ui;
            },
            () => {}, // Without it the popup is a code popup, which always works.
          );
      }
      // The widget's language (or the visitor's), fetched before any words show. For English
      // the everyday flow is built in and the rest comes in the background: nothing waits.
      const lang = chooseLanguage(outcome.data.language, deps.browserLanguages);
      // English waits until the first step shows: its download never delays the field.
      const catalogue = lang === 'en' ? whenIdle(() => loadLanguage(lang)) : loadLanguage(lang);
      if (lang !== 'en') await catalogue;
      tr.value = createTranslator(lang);
      // The code's message speaks the language the popup shows (the server reads Accept-Language).
      client.setLanguage(tr.value.lang);
      if (outcome.data.status?.value === '0') {
        await catalogue; // The explanation is not everyday English.
        misconfigured({
          type: 'error',
          code: 'WIDGET_DISABLED',
          message: 'This widget is disabled.',
        });
      } else applyWidget(outcome.data);
    } else if (outcome.code === 'NETWORK_ERROR') {
      step.value = 'offline';
    } else {
      await loadLanguage(tr.value.lang);
      misconfigured(outcome);
    }
  }

  /** Reloads the widget after an offline start. */
  function reload(): Promise<void> {
    return load(client.getWidgetData());
  }

  function setContactPoint(next: ContactPoint): void {
    if (!allowed.value.includes(next)) return;
    contactPoint.value = next;
    fieldError.value = '';
  }

  /** Typed or pasted phone text: a leading `+` or `00` picks the country too. */
  function inputPhone(text: string, caretAtEnd: boolean): void {
    fieldError.value = '';
    void loadPhoneFormatting();
    const trimmed = text.trim();
    if (/^(\+|00)/.test(trimmed)) {
      const split = splitNumber(
        trimmed.replace(/^00/, '').replace(/\D/g, ''),
        country.value,
        countries.value,
      );
      if (split) {
        chooseCountry(split.country);
        phoneText.value = formatPhone(split.national, split.country);
        if (!isAllowed(split.country)) {
          fieldError.value = describe({ type: 'error', code: 'COUNTRY_NOT_ALLOWED', message: '' });
        }
        return;
      }
    }
    const previous = phoneText.value;
    const deletedFormatting =
      text.length < previous.length && text.replace(/\D/g, '') === previous.replace(/\D/g, '');
    // Reformat only while typing at the end, so editing in the middle keeps the caret; and
    // never straight after deleting a space or bracket, which formatting would put back.
    phoneText.value = caretAtEnd && !deletedFormatting ? formatPhone(text) : text;
  }

  function inputEmail(text: string): void {
    fieldError.value = '';
    email.value = text;
  }

  function startCode(
    sent: OtpSent,
    identifier: string,
    display: string,
    point: ContactPoint,
  ): void {
    sentTo.value = { identifier, display, contactPoint: point, matchNumber: sent.matchNumber };
    code.value = '';
    codeError.value = '';
    blocked.value = null;
    retriesLeft.value = sent.retriesLeft;
    resendAt.value = Date.now() + (sent.retryAfter ?? widget.value?.retryTime ?? 30) * 1000;
    step.value = 'code';
    stopWaiting?.();
    stopWaiting = magic.value ? waitForMagicLink(sent.reqId) : undefined;
  }

  /**
   * Polls the link through the client's own `waitForMagicLink` (the polling code lives once,
   * in otp-provider.js); returns what stops it. Stopping rejects the wait, which is ignored.
   */
  function waitForMagicLink(reqId: string): () => void {
    const controller = new AbortController();
    client.waitForMagicLink(reqId, { signal: controller.signal }).then(
      (result) => (result.type === 'success' ? finish(result) : linkFailed(result)),
      () => {},
    );
    return () => controller.abort();
  }

  /** Verified (by code or link): the check mark, then the popup closes. */
  function finish(result: OtpVerified): void {
    stopWaiting?.();
    step.value = 'done';
    setTimeout(() => deps.onVerified(result), deps.doneDelayMs ?? 900);
  }

  /** The link can no longer be confirmed (expired, replaced…): the way forward is a new one. */
  function linkFailed(error: OtpError): void {
    if (MISCONFIGURED.has(error.code)) {
      misconfigured(error);
      return;
    }
    blocked.value = 'expired';
    codeError.value = describe(error);
  }

  /** Stops waiting for a link (the popup closed). */
  function dispose(): void {
    stopWaiting?.();
  }

  /** Validates the field and sends the first code. */
  async function send(): Promise<void> {
    if (busy.value) return;
    const t = tr.value;
    const point = contactPoint.value;
    let identifier: string;
    let display: string;
    if (point === 'email') {
      identifier = email.value.trim();
      display = identifier;
      if (!EMAIL.test(identifier)) {
        fieldError.value = t.t('identifier.invalid.email');
        return;
      }
    } else {
      const national = nationalDigits().replace(/^0+/, '');
      identifier = `${country.value.dialCode}${national}`;
      display = displayNumber(country.value, national);
      if (!isAllowed(country.value)) {
        fieldError.value = describe({ type: 'error', code: 'COUNTRY_NOT_ALLOWED', message: '' });
        return;
      }
      if (national.length < 4 || identifier.length > 15) {
        fieldError.value = t.t('identifier.invalid.mobile');
        return;
      }
    }
    fieldError.value = '';
    busy.value = true;
    status.value = t.t('identifier.sending');
    void loadLanguage(t.lang); // No-op once here; tries again if the background fetch failed.
    const sent = await client.sendOtp(identifier);
    busy.value = false;
    status.value = '';
    if (sent.type === 'success') startCode(sent, identifier, display, point);
    else if (MISCONFIGURED.has(sent.code)) misconfigured(sent);
    else {
      // The page's configuration lacks a template variable: the developer must hear of it.
      if (sent.code === 'TEMPLATE_VARIABLE_MISSING') deps.onMisconfigured(sent);
      fieldError.value = describe(sent);
    }
  }

  /** Starts over with a fresh code for the same identifier (after expiry, too many tries…). */
  async function sendNewCode(): Promise<void> {
    const target = sentTo.value;
    if (busy.value || !target) return;
    busy.value = true;
    codeError.value = '';
    const sent = await client.sendOtp(target.identifier);
    busy.value = false;
    if (sent.type === 'success') {
      startCode(sent, target.identifier, target.display, target.contactPoint);
      status.value = tr.value.t(magic.value ? 'link.resent' : 'code.resent');
      focusCode.value++;
    } else if (MISCONFIGURED.has(sent.code)) misconfigured(sent);
    else codeError.value = describe(sent);
  }

  /** Resends the current code on a channel. */
  async function resend(channel: Channel): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    codeError.value = '';
    status.value = '';
    const sent = await client.retryOtp(channel);
    busy.value = false;
    // A code typed in full while the resend was on its way (the captcha takes a moment) was
    // held back by `busy`: check it now.
    const typedMeanwhile = !magic.value && code.value.length === otpLength.value;
    if (sent.type === 'success') {
      retriesLeft.value = sent.retriesLeft;
      resendAt.value = Date.now() + (sent.retryAfter ?? widget.value?.retryTime ?? 30) * 1000;
      status.value = tr.value.t(magic.value ? 'link.resent' : 'code.resent');
      focusCode.value++;
      if (typedMeanwhile) void verify();
      return;
    }
    if (MISCONFIGURED.has(sent.code)) return misconfigured(sent);
    if (typedMeanwhile && sent.code !== 'OTP_EXPIRED' && sent.code !== 'REQUEST_NOT_FOUND')
      void verify();
    if (sent.code === 'RETRY_TOO_SOON' && sent.retryAfter) {
      resendAt.value = Date.now() + sent.retryAfter * 1000;
    }
    if (sent.code === 'RETRY_LIMIT_REACHED') retriesLeft.value = 0;
    if (sent.code === 'OTP_EXPIRED' || sent.code === 'REQUEST_NOT_FOUND') blocked.value = 'expired';
    codeError.value = describe(sent);
  }

  /** Typed, pasted or autofilled code: keeps the digits and submits when complete. */
  function inputCode(text: string): void {
    const digits = text.replace(/\D/g, '').slice(0, otpLength.value);
    code.value = digits;
    if (digits.length > 0) codeError.value = '';
    if (digits.length === otpLength.value) void verify();
  }

  async function verify(): Promise<void> {
    if (busy.value || blocked.value) return;
    const t = tr.value;
    if (code.value.length !== otpLength.value) {
      codeError.value = t.t('code.incomplete', { length: otpLength.value });
      return;
    }
    busy.value = true;
    status.value = t.t('code.verifying');
    const result = await client.verifyOtp(code.value);
    busy.value = false;
    status.value = '';
    if (result.type === 'success') {
      // A widget with passkeys offers one now, before closing; the code already verified.
      if (result.passkeyTicket && passkeyUi.value) {
        pendingVerified.value = result;
        step.value = 'passkey';
        return;
      }
      return finish(result);
    }
    if (MISCONFIGURED.has(result.code)) return misconfigured(result);
    code.value = '';
    if (
      result.code === 'MAX_ATTEMPTS_REACHED' ||
      (result.code === 'OTP_MISMATCH' && result.attemptsLeft === 0)
    ) {
      blocked.value = 'tooManyTries';
      codeError.value = t.t('code.tooManyTries');
    } else if (result.code === 'OTP_EXPIRED' || result.code === 'REQUEST_NOT_FOUND') {
      blocked.value = 'expired';
      codeError.value = describe(result);
    } else {
      if (result.code === 'ALREADY_VERIFIED') blocked.value = 'expired';
      codeError.value = describe(result);
    }
    focusCode.value++;
  }

  /** Back to the identifier step to change the number or address. */
  function edit(): void {
    stopWaiting?.();
    codeError.value = '';
    status.value = '';
    step.value = 'identifier';
  }

  return {
    tr,
    step,
    client,
    storage,
    finish,
    describe,
    passkeyUi,
    pendingVerified,
    widget,
    contactPoint,
    country,
    phoneText,
    countries,
    email,
    fieldError,
    busy,
    status,
    sentTo,
    code,
    codeError,
    focusCode,
    blocked,
    resendAt,
    retriesLeft,
    otpLength,
    magic,
    dispose,
    allowed,
    resendChannels,
    load,
    reload,
    setContactPoint,
    chooseCountry,
    inputPhone,
    loadPhoneFormatting,
    inputEmail,
    send,
    sendNewCode,
    resend,
    inputCode,
    verify,
    edit,
    countryName,
  };
}

/** The popup store. */
export type Store = ReturnType<typeof createStore>;
