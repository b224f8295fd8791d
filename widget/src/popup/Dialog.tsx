/**
 * The modal frame: a native `<dialog>` opened with `showModal()` (so the
 * page behind is inert), a close button, a focus trap that cycles with
 * Tab / Shift+Tab, Esc to close, and the current step.
 */
import type { JSX } from 'preact';
import { logoSource, themeStyle } from './brand.ts';
import { CodeStep } from './CodeStep.tsx';
import { useEffect, useRef, useState } from './hooks.ts';
import { IdentifierStep } from './IdentifierStep.tsx';
import { CheckMark, LoadingStatus, useFocusOnMount } from './parts.tsx';
import type { Component } from './render.ts';
import { useSignals } from './signals.ts';
import type { Step, Store } from './store.ts';

/** What Tab can reach in the popup: its buttons and fields (it has no links or tabindex ≥ 0). */
const FOCUSABLE = 'button:not([disabled]),input:not([disabled])';

/** Props of {@link Dialog}. */
export interface DialogProps {
  store: Store;
  /** Closes the popup (Esc, the close button). */
  onClose: () => void;
}

/** Keeps Tab and Shift+Tab inside `container`: past the last item (or the first), round again. */
function trapTab(event: KeyboardEvent, container: HTMLElement): void {
  const items = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const active = (container.getRootNode() as ShadowRoot | Document).activeElement;
  const [from, to] = event.shiftKey ? [items[0], items.at(-1)] : [items.at(-1), items[0]];
  if (to && (active === from || !container.contains(active))) {
    event.preventDefault();
    to.focus();
  }
}

/** The screen of each step after loading (which the dialog draws itself). */
const STEPS: Partial<Record<Step, Component<{ store: Store }>>> = {
  identifier: IdentifierStep,
  code: CodeStep,
  passkey: PasskeyOffer,
  done: DoneStep,
  unavailable: ProblemStep,
  offline: ProblemStep,
};

/** The popup's dialog. */
export function Dialog({ store, onClose }: DialogProps): JSX.Element {
  useSignals();
  const ref = useRef<HTMLDialogElement>(null);
  const t = store.tr.value;
  const step = store.step.value;
  const data = store.widget.value;
  const theme = data?.brandTheme;
  const Step = STEPS[step];

  useEffect(() => {
    const dialog = ref.current as HTMLDialogElement;
    // Esc (and a phone's back gesture) also reach us as the dialog's "cancel": close our way,
    // restoring focus. The listener lives as long as the dialog.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      onClose();
    });
    try {
      dialog.showModal();
    } catch {
      dialog.setAttribute('open', ''); // Very old engines: still shown, just not inert behind.
    }
  }, []);

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLDialogElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Tab') {
      trapTab(event, event.currentTarget);
    }
  };

  return (
    <dialog
      ref={ref}
      class="dg"
      aria-modal="true"
      aria-labelledby="otpkit-title"
      lang={t.lang}
      dir={t.dir}
      onKeyDown={onKeyDown}
      style={theme ? themeStyle(theme) : undefined}
    >
      <BrandHeader logoUrl={data?.logoUrl} name={data?.name} />
      <button type="button" class="x" aria-label={t.t('dialog.close')} onClick={onClose}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M6 6l12 12M18 6L6 18" />
        </svg>
      </button>
      <div class="bd">
        {step === 'loading' && <LoadingStatus label={t.t('dialog.loading')} />}
        {Step && <Step store={store} />}
        {/* A visible third-party captcha (Turnstile, hCaptcha) renders here, from the light DOM. */}
        <slot name="captcha" />
      </div>
      <p class="sr" aria-live="polite">
        {store.status.value}
      </p>
    </dialog>
  );
}

/** The customer's logo and widget name, when the widget has a logo. */
function BrandHeader({
  logoUrl,
  name,
}: {
  logoUrl: string | null | undefined;
  name: string | undefined;
}): JSX.Element | null {
  const src = logoSource(logoUrl);
  const [broken, setBroken] = useState(false);
  if (!src || broken) return null;
  return (
    <div class="br">
      {/* Decorative: the name beside it says whose popup this is. */}
      <img
        src={src}
        alt=""
        height={28}
        referrerpolicy="no-referrer"
        onError={() => setBroken(true)}
      />
      {name && <span class="bn">{name}</span>}
    </div>
  );
}

/** The passkey offer, from its own chunk (the step is only entered once the chunk is in). */
function PasskeyOffer({ store }: { store: Store }): JSX.Element | null {
  const ui = store.passkeyUi.value;
  return ui && <ui.OfferStep store={store} />;
}

function DoneStep({ store }: { store: Store }): JSX.Element {
  const t = store.tr.value;
  const title = useFocusOnMount();
  return (
    <div class="c">
      <CheckMark />
      <h2 id="otpkit-title" tabIndex={-1} ref={title}>
        {t.t('done.title')}
      </h2>
      <p class="m">{t.t('done.body')}</p>
    </div>
  );
}

function ProblemStep({ store }: { store: Store }): JSX.Element {
  const t = store.tr.value;
  const title = useFocusOnMount();
  const offline = store.step.value === 'offline';
  return (
    <div class="c">
      <h2 id="otpkit-title" tabIndex={-1} ref={title}>
        {t.t('error.unavailable.title')}
      </h2>
      <p class="m" aria-live="polite">
        {t.t(offline ? 'error.offline' : 'error.unavailable')}
      </p>
      {offline && (
        <button type="button" class="pr" onClick={() => void store.reload()}>
          {t.t('error.retry')}
        </button>
      )}
    </div>
  );
}
