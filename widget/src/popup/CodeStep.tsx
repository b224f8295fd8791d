/**
 * Step 2: one code field (one-time-code autofill, paste, WebOTP), submitted
 * as soon as the last digit arrives; the resend options below a countdown.
 */
import type { JSX } from 'preact';
import { Countdown } from './Countdown.tsx';
import { useEffect, useRef } from './hooks.ts';
import type { Store } from './store.ts';

/** Props of {@link CodeStep}. */
export interface CodeStepProps {
  store: Store;
}

/** Listens for the code over WebOTP (Chrome on Android) until aborted. */
function listenForSmsCode(onCode: (code: string) => void): () => void {
  if (!('OTPCredential' in window)) return () => {};
  const controller = new AbortController();
  const request = {
    otp: { transport: ['sms'] },
    signal: controller.signal,
  } as CredentialRequestOptions;
  navigator.credentials
    .get(request)
    .then((credential) => {
      const code = (credential as { code?: unknown } | null)?.code;
      if (typeof code === 'string') onCode(code);
    })
    .catch(() => {
      // Aborted, denied or unsupported: typing still works.
    });
  return () => controller.abort();
}

/** The code step. */
export function CodeStep({ store }: CodeStepProps): JSX.Element {
  const t = store.tr.value;
  const sentTo = store.sentTo.value;
  const length = store.otpLength.value;
  const busy = store.busy.value;
  const blocked = store.blocked.value;
  const error = store.codeError.value;
  const retriesLeft = store.retriesLeft.value;
  const input = useRef<HTMLInputElement>(null);
  const newCode = useRef<HTMLButtonElement>(null);
  const point = sentTo?.contactPoint ?? 'mobile';
  const magic = store.magic.value;
  const match = sentTo?.matchNumber;

  useEffect(() => {
    // A blocked code can't be typed into: the way forward is a new code.
    (blocked === null ? input.current : newCode.current)?.focus();
  }, [store.focusCode.value, blocked]);

  useEffect(() => {
    if (point !== 'mobile' || magic) return;
    return listenForSmsCode((code) => store.inputCode(code));
  }, [sentTo]);

  const [before = '', after = ''] = t
    .t(magic ? 'link.sentTo' : 'code.sentTo', { length, identifier: '\u0000' })
    .split('\u0000');

  const onPaste = (event: JSX.TargetedClipboardEvent<HTMLInputElement>): void => {
    const text = event.clipboardData?.getData('text') ?? '';
    if (!text) return;
    // maxlength would cut "123 456" short; take the digits ourselves.
    event.preventDefault();
    store.inputCode(text);
  };

  return (
    <>
      <h2 id="otpkit-title">{t.t(`code.title.${point}`)}</h2>
      <p class="m">
        {before}
        <strong dir="ltr">{sentTo?.display}</strong>
        {after}{' '}
        <button type="button" class="a" onClick={store.edit}>
          {t.t('code.edit')}
        </button>
      </p>
      {magic ? (
        <div class="f">
          {blocked === null && match !== undefined && (
            // The number is set like a code (class k): large and spaced.
            <p class="m">
              {t.t('link.match')} <strong class="k">{match}</strong>
            </p>
          )}
          {blocked === null && (
            <p class="m">
              <span class="sp" aria-hidden="true" /> {t.t('link.waiting')}
            </p>
          )}
          <p id="otpkit-code-error" class="er" aria-live="polite">
            {error}
          </p>
        </div>
      ) : (
        <form
          class="f"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void store.verify();
          }}
        >
          <label class="l" for="otpkit-code">
            {t.t('code.label')}
          </label>
          <div class="kw">
            <input
              ref={input}
              id="otpkit-code"
              class={`i k${error ? ' v' : ''}`}
              type="text"
              inputMode="numeric"
              autocomplete="one-time-code"
              autocapitalize="off"
              spellcheck={false}
              dir="ltr"
              maxLength={length}
              value={store.code.value}
              readOnly={busy}
              disabled={blocked !== null}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby="otpkit-code-error"
              onInput={(event) => store.inputCode(event.currentTarget.value)}
              onPaste={onPaste}
            />
            {busy && <span class="sp if" aria-hidden="true" />}
          </div>
          <p id="otpkit-code-error" class="er" aria-live="polite">
            {error}
          </p>
        </form>
      )}
      <div class="r">
        {blocked !== null || retriesLeft === 0 ? (
          <>
            {blocked === null && <p class="m">{t.t('resend.none')}</p>}
            <button
              ref={newCode}
              type="button"
              class="pr"
              disabled={busy}
              onClick={() => void store.sendNewCode()}
            >
              {t.t(magic ? 'link.newLink' : 'code.newCode')}
            </button>
          </>
        ) : (
          <Countdown store={store} until={store.resendAt.value}>
            <p class="m">{t.t('resend.prompt')}</p>
            <div class="ch">
              {store.resendChannels.value.map((channel) => (
                <button
                  key={channel}
                  type="button"
                  class="se"
                  disabled={busy}
                  onClick={() => void store.resend(channel)}
                >
                  {t.t(`resend.${channel}`)}
                </button>
              ))}
            </div>
          </Countdown>
        )}
      </div>
    </>
  );
}
