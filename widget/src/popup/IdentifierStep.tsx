/**
 * Step 1: the phone number or email. Tabs when the widget takes both; a
 * country picker beside the phone field; one plain sentence under the field
 * when the input is not usable.
 */
import type { ContactPoint } from '@otpkit/protocol';
import type { JSX } from 'preact';
import type { CountryPickerProps } from './CountryPicker.tsx';
import { flagOf } from './countries.ts';
import { useEffect, useRef, useState } from './hooks.ts';
import { LoadingStatus, PrimaryButton } from './parts.tsx';
import type { Component } from './render.ts';
import type { Store } from './store.ts';

type PickerComponent = Component<CountryPickerProps>;
let pickerChunk: Promise<PickerComponent> | undefined;

/** The country list is its own small chunk: most visitors never open it. */
function loadCountryPicker(): Promise<PickerComponent> {
  pickerChunk ??= import('./CountryPicker.tsx').then(
    (module) => module.CountryPicker,
    (error: unknown) => {
      pickerChunk = undefined; // Try again on the next click.
      throw error;
    },
  );
  return pickerChunk;
}

/** Props of {@link IdentifierStep}. */
export interface IdentifierStepProps {
  store: Store;
}

/** The identifier step. */
export function IdentifierStep({ store }: IdentifierStepProps): JSX.Element {
  const t = store.tr.value;
  const point = store.contactPoint.value;
  const allowed = store.allowed.value;
  const busy = store.busy.value;
  const error = store.fieldError.value;
  const country = store.country.value;
  const passkeyUi = store.passkeyUi.value;
  const [picking, setPicking] = useState(false);
  const [Picker, setPicker] = useState<PickerComponent | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const countryButton = useRef<HTMLButtonElement>(null);
  const tabs = useRef<HTMLDivElement>(null);
  const returnToCountry = useRef(false);

  useEffect(() => {
    if (picking) return;
    if (returnToCountry.current) {
      returnToCountry.current = false;
      countryButton.current?.focus();
    } else {
      field.current?.focus();
    }
  }, [picking]);

  useEffect(() => {
    if (error) field.current?.focus();
  }, [error]);

  // Phone formatting (on the first keystroke: store.inputPhone) and the country list are
  // chunks of their own; the list is fetched when the pointer or focus reaches its button.
  const fetchPicker = (): Promise<void> =>
    loadCountryPicker().then(
      (component) => setPicker(() => component),
      () => setPicking(false),
    );
  const prefetchPicker = (): void => {
    if (!Picker) void fetchPicker();
  };

  const closePicker = (): void => {
    returnToCountry.current = true;
    setPicking(false);
  };

  if (picking && !Picker) {
    return <LoadingStatus label={t.t('dialog.loading')} />;
  }
  if (picking && Picker) {
    return (
      <Picker
        store={store}
        onPick={(next) => {
          store.chooseCountry(next);
          setPicking(false); // Back to the number, which is what comes next.
        }}
        onCancel={closePicker}
      />
    );
  }

  const switchTo = (next: ContactPoint): void => {
    store.setContactPoint(next);
    tabs.current?.querySelector<HTMLElement>(`#otpkit-tab-${next}`)?.focus();
  };
  const onTabKey = (event: JSX.TargetedKeyboardEvent<HTMLDivElement>): void => {
    if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) {
      event.preventDefault();
      switchTo(point === 'mobile' ? 'email' : 'mobile');
    }
  };
  const onSubmit = (event: Event): void => {
    event.preventDefault();
    void store.send();
  };

  const label = t.t(`identifier.label.${point}`);
  const describedBy = 'otpkit-hint otpkit-field-error';
  const panel = (
    <form class="f" onSubmit={onSubmit} noValidate>
      <p id="otpkit-hint" class="m">
        {t.t(store.magic.value ? `link.hint.${point}` : `identifier.hint.${point}`)}
      </p>
      <label class="l" for="otpkit-identifier">
        {label}
      </label>
      {point === 'mobile' ? (
        // Dial code and number read left to right as one, in every language.
        <div class={`p${error ? ' v' : ''}`} dir="ltr">
          <button
            type="button"
            class="cy"
            ref={countryButton}
            aria-label={t.t('country.button', {
              country: store.countryName(country.iso2),
              dialCode: country.dialCode,
            })}
            aria-haspopup="listbox"
            onPointerEnter={prefetchPicker}
            onFocus={prefetchPicker}
            onClick={() => {
              setPicking(true);
              if (!Picker) void fetchPicker();
            }}
          >
            <span aria-hidden="true">{flagOf(country.iso2)}</span>
            <span aria-hidden="true">+{country.dialCode}</span>
            <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
              <path d="M3 4.5l3 3 3-3" />
            </svg>
          </button>
          <input
            ref={field}
            id="otpkit-identifier"
            class="i b"
            type="tel"
            inputMode="tel"
            autocomplete={passkeyUi ? 'tel-national webauthn' : 'tel-national'}
            dir="ltr"
            value={store.phoneText.value}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={describedBy}
            onInput={(event) => {
              const input = event.currentTarget;
              store.inputPhone(input.value, input.selectionStart === input.value.length);
            }}
          />
        </div>
      ) : (
        <input
          ref={field}
          id="otpkit-identifier"
          class={`i${error ? ' v' : ''}`}
          type="email"
          inputMode="email"
          autocomplete={passkeyUi ? 'email webauthn' : 'email'}
          autocapitalize="off"
          spellcheck={false}
          dir="ltr"
          value={store.email.value}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
          onInput={(event) => store.inputEmail(event.currentTarget.value)}
        />
      )}
      <p id="otpkit-field-error" class="er" aria-live="polite">
        {error}
      </p>
      <PrimaryButton busy={busy}>
        {t.t(store.magic.value ? 'link.send' : 'identifier.send')}
      </PrimaryButton>
    </form>
  );

  return (
    <>
      <h2 id="otpkit-title">{t.t(`identifier.title.${point}`)}</h2>
      {passkeyUi && <passkeyUi.SignIn store={store} />}
      {allowed.length > 1 ? (
        <>
          <div
            class="t"
            role="tablist"
            aria-label={t.t('identifier.tabs')}
            ref={tabs}
            onKeyDown={onTabKey}
          >
            {allowed.map((option) => (
              <button
                key={option}
                type="button"
                role="tab"
                id={`otpkit-tab-${option}`}
                aria-selected={option === point ? 'true' : 'false'}
                aria-controls="otpkit-panel"
                tabIndex={option === point ? 0 : -1}
                onClick={() => switchTo(option)}
              >
                {t.t(`identifier.tab.${option}`)}
              </button>
            ))}
          </div>
          <div id="otpkit-panel" role="tabpanel" aria-labelledby={`otpkit-tab-${point}`}>
            {panel}
          </div>
        </>
      ) : (
        panel
      )}
    </>
  );
}
