/**
 * The popup's passkey parts, a chunk of their own that only widgets with
 * passkeys download (code-only popups are unchanged): the offer after a
 * verified code, and "Sign in with a passkey" (plus the field's passkey
 * autofill) before the number. The WebAuthn calls themselves are the
 * client's, in `otp-passkeys.js`.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from './hooks.ts';
import { CheckMark, PrimaryButton, useFocusOnMount } from './parts.tsx';
import type { PasskeyWords } from './passkey-words/words.ts';
import type { Store } from './store.ts';

/** Remembered on this device once a passkey is made or used here, so the button shows first. */
const HINT_KEY = 'otpkit:passkey';

const WORDS = {
  en: {
    offerTitle: 'Sign in faster next time',
    offerBody:
      'Use a passkey: your fingerprint, face or screen lock instead of a code. It stays on your device.',
    create: 'Create a passkey',
    notNow: 'Not now',
    created: 'Passkey created.',
    cancelled: 'No passkey was created. You can try again, or skip it.',
    failed: 'The passkey couldn’t be created. You can skip it: your code already worked.',
    signIn: 'Sign in with a passkey',
    or: 'or get a code',
    signInFailed: 'That passkey didn’t work. Use a code instead.',
  },
  hi: {
    offerTitle: 'अगली बार जल्दी साइन इन करें',
    offerBody:
      'पासकी इस्तेमाल करें: कोड की जगह आपका फ़िंगरप्रिंट, चेहरा या स्क्रीन लॉक। यह आपके डिवाइस पर रहती है।',
    create: 'पासकी बनाएँ',
    notNow: 'अभी नहीं',
    created: 'पासकी बन गई।',
    cancelled: 'पासकी नहीं बनी। फिर से कोशिश करें, या इसे छोड़ दें।',
    failed: 'पासकी नहीं बन सकी। आप इसे छोड़ सकते हैं: आपका कोड काम कर गया है।',
    signIn: 'पासकी से साइन इन करें',
    or: 'या कोड पाएँ',
    signInFailed: 'वह पासकी काम नहीं आई। कोड का इस्तेमाल करें।',
  },
} as const satisfies Record<string, PasskeyWords>;

export type { PasskeyWords } from './passkey-words/words.ts';

/** The passkey words built in: English and Hindi (the others are chunks of their own). */
export function passkeyWords(lang: string): PasskeyWords {
  return (WORDS as Record<string, PasskeyWords>)[lang] ?? WORDS.en;
}

const byDefault = (module: { default: PasskeyWords }) => module.default;

/** Fetches a language's passkey words: each is its own small chunk, so a page gets only its own. */
export function loadPasskeyWords(lang: string): Promise<PasskeyWords> {
  switch (lang) {
    case 'bn':
      return import('./passkey-words/passkey-bn.ts').then(byDefault);
    case 'te':
      return import('./passkey-words/passkey-te.ts').then(byDefault);
    case 'mr':
      return import('./passkey-words/passkey-mr.ts').then(byDefault);
    case 'ta':
      return import('./passkey-words/passkey-ta.ts').then(byDefault);
    case 'gu':
      return import('./passkey-words/passkey-gu.ts').then(byDefault);
    case 'kn':
      return import('./passkey-words/passkey-kn.ts').then(byDefault);
    case 'ml':
      return import('./passkey-words/passkey-ml.ts').then(byDefault);
    case 'pa':
      return import('./passkey-words/passkey-pa.ts').then(byDefault);
    case 'ur':
      return import('./passkey-words/passkey-ur.ts').then(byDefault);
    case 'ar':
      return import('./passkey-words/passkey-ar.ts').then(byDefault);
    case 'es':
      return import('./passkey-words/passkey-es.ts').then(byDefault);
    case 'pt-BR':
      return import('./passkey-words/passkey-pt-BR.ts').then(byDefault);
    case 'fr':
      return import('./passkey-words/passkey-fr.ts').then(byDefault);
    case 'de':
      return import('./passkey-words/passkey-de.ts').then(byDefault);
    case 'id':
      return import('./passkey-words/passkey-id.ts').then(byDefault);
    case 'ru':
      return import('./passkey-words/passkey-ru.ts').then(byDefault);
    case 'tr':
      return import('./passkey-words/passkey-tr.ts').then(byDefault);
    case 'vi':
      return import('./passkey-words/passkey-vi.ts').then(byDefault);
    case 'zh-CN':
      return import('./passkey-words/passkey-zh-CN.ts').then(byDefault);
    case 'ja':
      return import('./passkey-words/passkey-ja.ts').then(byDefault);
    default:
      return Promise.resolve(passkeyWords(lang));
  }
}

/** The words in the popup's language: English (or Hindi) at once, the others once their chunk is in. */
function useWords(store: Store): PasskeyWords {
  const lang = store.tr.value.lang;
  const [loaded, setLoaded] = useState<{ lang: string; words: PasskeyWords } | null>(null);
  useEffect(() => {
    let live = true;
    loadPasskeyWords(lang).then(
      (words) => {
        if (live) setLoaded({ lang, words });
      },
      () => {}, // Offline for a moment: English stays.
    );
    return () => {
      live = false;
    };
  }, [lang]);
  return loaded?.lang === lang ? loaded.words : passkeyWords(lang);
}

function remember(store: Store): void {
  try {
    store.storage?.setItem(HINT_KEY, '1');
  } catch {
    // Storage blocked: the button just isn't shown first next time.
  }
}

function remembered(store: Store): boolean {
  try {
    return store.storage?.getItem(HINT_KEY) === '1';
  } catch {
    return false;
  }
}

/** After a verified code: make a passkey for next time, or not now. Either way the visitor is in. */
export function OfferStep({ store }: { store: Store }): JSX.Element {
  const words = useWords(store);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const title = useFocusOnMount();

  const done = (status?: string): void => void store.answerOffer(status);
  const create = async (): Promise<void> => {
    setBusy(true);
    setError('');
    const made = await store.client.registerPasskey(store.pendingVerified.value?.passkeyTicket);
    setBusy(false);
    if (made.type === 'success') {
      remember(store);
      done(words.created);
    } else {
      setError(made.code === 'PASSKEY_CANCELLED' ? words.cancelled : words.failed);
    }
  };

  return (
    <div class="c">
      <CheckMark />
      <h2 id="otpkit-title" tabIndex={-1} ref={title}>
        {words.offerTitle}
      </h2>
      <p class="m">{words.offerBody}</p>
      <p class="er" aria-live="polite">
        {error}
      </p>
      <PrimaryButton busy={busy} onClick={() => void create()}>
        {words.create}
      </PrimaryButton>
      <button type="button" class="se" disabled={busy} onClick={() => done()}>
        {words.notNow}
      </button>
    </div>
  );
}

/**
 * Before the number: "Sign in with a passkey" for a visitor who made or
 * used one on this device, and the field's passkey autofill for everyone
 * (conditional mediation, where the browser has it).
 */
export function SignIn({ store }: { store: Store }): JSX.Element | null {
  const words = useWords(store);
  const [busy, setBusy] = useState(false);
  const offered = remembered(store);

  const signedIn = (outcome: Awaited<ReturnType<Store['client']['signInWithPasskey']>>): void => {
    if (outcome.type === 'success') {
      remember(store);
      store.finish(outcome);
    } else if (outcome.code !== 'PASSKEY_CANCELLED' && outcome.code !== 'PASSKEY_UNSUPPORTED') {
      void store.signInFailed(words.signInFailed);
    }
  };

  useEffect(() => {
    // Waits in the background for a pick from the field's autofill; a click on the button
    // starts a new prompt, which ends this wait (cancelled, ignored).
    let live = true;
    void store.client.signInWithPasskey({ autofill: true }).then((outcome) => {
      if (live && store.step.value === 'identifier') signedIn(outcome);
    });
    return () => {
      live = false;
    };
  }, []);

  if (!offered) return null;
  const click = async (): Promise<void> => {
    setBusy(true);
    void store.signInFailed('');
    const outcome = await store.client.signInWithPasskey({});
    setBusy(false);
    signedIn(outcome);
  };
  return (
    <div class="f">
      <PrimaryButton busy={busy} onClick={() => void click()}>
        {words.signIn}
      </PrimaryButton>
      <p class="m">{words.or}</p>
    </div>
  );
}
