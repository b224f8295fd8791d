/**
 * The popup's store: its state in small signals (`signals.ts`), which the
 * components read, and the actions they call. The rules live in
 * `transitions.ts` as pure functions; an action runs one on the current
 * state, writes the changes into the signals and performs the effects the
 * transition asked for: requests through the client, timers, storage and
 * the lazily loaded chunks.
 */
import type { Channel, ContactPoint, WidgetData } from '@otpkit/protocol';
import type { JSX } from 'preact';
import type { OtpClient, OtpError, OtpVerified, Outcome, WidgetLoaded } from '../client.ts';
import { chooseLanguage, createTranslator, loadLanguage } from '../i18n/index.ts';
import { type Country, countryNamer } from './countries.ts';
import { computed, type ReadonlySignal, type Signal, signal } from './signals.ts';
import {
  allowedOf,
  askNewCode,
  askResend,
  askSend,
  askVerify,
  codeSent,
  codeTyped,
  contactPointChosen,
  countriesOf,
  countryChosen,
  describe,
  type Effect,
  edited,
  emailTyped,
  finished,
  initialState,
  isDisabled,
  isMagic,
  linkAnswered,
  loadFailed,
  offerAnswered,
  opened,
  otpLengthOf,
  type PhoneFormatting,
  type PopupState,
  phoneFormattingArrived,
  phoneTyped,
  resendChannelsOf,
  resendReady,
  resent,
  signInFailed,
  type Transition,
  verified,
} from './transitions.ts';

export type { Blocked, PhoneFormatting, Step } from './transitions.ts';
export { MISCONFIGURED } from './transitions.ts';

/**
 * The passkey UI chunk (`PasskeyUi.tsx`), loaded only for widgets that offer
 * passkeys. Spelled out rather than `typeof import(…)`: the chunk imports the
 * store's type, and the store must not import the chunk.
 */
export interface PasskeyUi {
  OfferStep(props: { store: Store }): JSX.Element;
  SignIn(props: { store: Store }): JSX.Element | null;
}

/** The popup's state as the store keeps it: the passkey UI typed. */
type State = Omit<PopupState, 'passkeyUi'> & { passkeyUi: PasskeyUi | null };

/** One signal per field of the state. */
type Cells = { [K in keyof State]: Signal<State[K]> };
/** The same signals as components see them: read only, changed through the store's actions. */
type Readable = { readonly [K in keyof State]: ReadonlySignal<State[K]> };

const COUNTRY_KEY = 'otpkit:country';

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

  const initial = initialState(createTranslator(chooseLanguage(null, deps.browserLanguages)));
  const cells = {} as Record<string, Signal<unknown>>;
  for (const name in initial) cells[name] = signal(initial[name as keyof PopupState]);
  const state = cells as unknown as Cells;
  const { tr, widget } = state;
  /** The state as it is now, for a transition. */
  const now = (): State => {
    const snapshot = {} as Record<string, unknown>;
    for (const name in cells) snapshot[name] = cells[name]!.value;
    return snapshot as State;
  };

  let phoneLoading: Promise<void> | undefined;
  let stopWaiting: (() => void) | undefined;

  const magic = computed(() => isMagic(widget.value));
  const otpLength = computed(() => otpLengthOf(widget.value));
  const allowed = computed<ContactPoint[]>(() => allowedOf(widget.value));
  const resendChannels = computed<readonly Channel[]>(() => resendChannelsOf(now()));
  const countries = computed(() => countriesOf(widget.value));
  const namer = computed(() => countryNamer(tr.value.lang));
  /** A country's name in the popup's language. */
  const countryName = (iso2: string): string => namer.value(iso2);

  /** Applies a transition: its changes to the signals, then its effects, in order. */
  function run([changes, effects]: Transition): Promise<void> {
    for (const name in changes) {
      cells[name]!.value = changes[name as keyof PopupState];
    }
    return Promise.all(effects.map(perform)).then(() => {});
  }

  async function perform(effect: Effect): Promise<void> {
    switch (effect.type) {
      case 'send': {
        // No-op once here; tries again if the background fetch failed.
        if (!effect.again) void loadLanguage(tr.value.lang);
        const sent = await client.sendOtp(effect.to.identifier);
        return run(codeSent(now(), { sent, to: effect.to, again: effect.again, now: Date.now() }));
      }
      case 'resend': {
        const sent = await client.retryOtp(effect.channel);
        return run(resent(now(), { sent, now: Date.now() }));
      }
      case 'verify':
        return verify();
      case 'check':
        return run(verified(now(), await client.verifyOtp(effect.code)));
      case 'finish':
        stopWaiting?.();
        setTimeout(() => deps.onVerified(effect.result), deps.doneDelayMs ?? 900);
        return;
      case 'report':
        return deps.onMisconfigured(effect.error);
      case 'wait':
        stopWaiting?.();
        stopWaiting = effect.reqId ? waitForMagicLink(effect.reqId) : undefined;
        return;
      case 'loadPhone':
        void loadPhoneFormatting();
        return;
      case 'saveCountry':
        try {
          storage?.setItem(COUNTRY_KEY, effect.iso2);
        } catch {
          // Storage full or blocked: the choice just isn't remembered.
        }
    }
  }

  /**
   * Loads phone formatting once (on the first keystroke in the phone field,
   * or for a prefilled number) and reformats what has been typed meanwhile.
   */
  function loadPhoneFormatting(): Promise<void> {
    phoneLoading ??= (deps.loadPhoneFormatting ?? (() => import('./phone.ts')))().then(
      (formatting) => run(phoneFormattingArrived(now(), formatting)),
      () => {
        phoneLoading = undefined; // Offline for a moment: digits as typed; try again next time.
      },
    );
    return phoneLoading;
  }

  /**
   * Polls the link through the client's own `waitForMagicLink` (the polling code lives once,
   * in otp-provider.js); returns what stops it. Stopping rejects the wait, which is ignored.
   */
  function waitForMagicLink(reqId: string): () => void {
    const controller = new AbortController();
    client.waitForMagicLink(reqId, { signal: controller.signal }).then(
      (result) => run(linkAnswered(now(), result)),
      () => {},
    );
    return () => controller.abort();
  }

  /** The country remembered from last time, if storage is usable. */
  function remembered(): string | null {
    try {
      return storage?.getItem(COUNTRY_KEY) ?? null;
    } catch {
      return null;
    }
  }

  /** Waits for the widget data and opens the first step (or explains why not). */
  async function load(pending: Promise<Outcome<WidgetLoaded>>): Promise<void> {
    state.step.value = 'loading';
    const outcome = await pending;
    if (outcome.type !== 'success') {
      if (outcome.code !== 'NETWORK_ERROR') await loadLanguage(tr.value.lang);
      return run(loadFailed(outcome));
    }
    const data: WidgetData = outcome.data;
    // Passkeys only where the device itself can keep one (Touch ID, Windows Hello, a phone's
    // screen lock): elsewhere the offer would only lead to a QR code or a security key prompt.
    if (data.passkeys && typeof PublicKeyCredential !== 'undefined') {
      PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable?.()
        .then((available) => (available ? deps.loadPasskeyUi?.() : null))
        .then(
          (ui) => {
            if (ui) state.passkeyUi.value = ui;
          },
          () => {}, // Without it the popup is a code popup, which always works.
        );
    }
    // The widget's language (or the visitor's), fetched before any words show. For English
    // the everyday flow is built in and the rest comes in the background: nothing waits.
    const lang = chooseLanguage(data.language, deps.browserLanguages);
    // English waits until the first step shows: its download never delays the field.
    const catalogue = lang === 'en' ? whenIdle(() => loadLanguage(lang)) : loadLanguage(lang);
    if (lang !== 'en' || isDisabled(data)) await catalogue; // A refusal is not everyday English.
    tr.value = createTranslator(lang);
    // The code's message speaks the language the popup shows (the server reads Accept-Language).
    client.setLanguage(tr.value.lang);
    return run(opened(now(), { data, identifier: deps.identifier, remembered: remembered() }));
  }

  const verify = (): Promise<void> => run(askVerify(now()));

  const readable: Readable = state;
  return {
    ...readable,
    client,
    storage,
    countries,
    otpLength,
    magic,
    allowed,
    resendChannels,
    countryName,
    loadPhoneFormatting,
    load,
    /** Plain words for an error, in the popup's language. */
    describe: (error: OtpError): string => describe(now(), error),
    /** Verified (by code, link or passkey): the check mark, then the popup closes. */
    finish: (result: OtpVerified): Promise<void> => run(finished(result)),
    /** Stops waiting for a link (the popup closed). */
    dispose: (): void => stopWaiting?.(),
    /** Reloads the widget after an offline start. */
    reload: (): Promise<void> => load(client.getWidgetData()),
    setContactPoint: (next: ContactPoint): Promise<void> => run(contactPointChosen(now(), next)),
    chooseCountry: (next: Country): Promise<void> => run(countryChosen(now(), next)),
    /** Typed or pasted phone text: a leading `+` or `00` picks the country too. */
    inputPhone: (text: string, caretAtEnd: boolean): Promise<void> =>
      run(phoneTyped(now(), { text, caretAtEnd })),
    inputEmail: (text: string): Promise<void> => run(emailTyped(text)),
    /** Validates the field and sends the first code. */
    send: (): Promise<void> => run(askSend(now())),
    /** Starts over with a fresh code for the same identifier (after expiry, too many tries…). */
    sendNewCode: (): Promise<void> => run(askNewCode(now())),
    /** Resends the current code on a channel. */
    resend: (channel: Channel): Promise<void> => run(askResend(now(), channel)),
    /** Typed, pasted or autofilled code: keeps the digits and submits when complete. */
    inputCode: (text: string): Promise<void> => run(codeTyped(now(), text)),
    verify,
    /** Back to the identifier step to change the number or address. */
    edit: (): Promise<void> => run(edited()),
    /** The resend countdown ended. */
    resendReady: (): Promise<void> => run(resendReady(now())),
    /** The passkey offer was answered: `status` announces a passkey made (none: "Not now"). */
    answerOffer: (status?: string): Promise<void> => run(offerAnswered(now(), status)),
    /** A passkey sign-in failed with these words ('' clears them for a new try). */
    signInFailed: (message: string): Promise<void> => run(signInFailed(message)),
  };
}

/** The popup store. */
export type Store = ReturnType<typeof createStore>;
