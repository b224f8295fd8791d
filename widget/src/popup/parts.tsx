/**
 * Pieces several steps draw alike: the loading status, the check mark of a
 * step that went well, a step title that takes focus, and the primary
 * button with its busy spinner.
 */
import type { ComponentChildren, JSX, RefObject } from 'preact';
import { useEffect, useRef } from './hooks.ts';

/** A step still loading: a spinner, named for screen readers by the dialog's title. */
export function LoadingStatus({ label }: { label: string }): JSX.Element {
  return (
    <div class="c" role="status">
      <h2 id="otpkit-title" class="sr">
        {label}
      </h2>
      <span class="sp lg" aria-hidden="true" />
    </div>
  );
}

/** The check mark over a step that went well. */
export function CheckMark(): JSX.Element {
  return (
    <svg class="ok" viewBox="0 0 52 52" width="64" height="64" aria-hidden="true">
      <circle cx="26" cy="26" r="24" />
      <path d="M15 27l7 7 15-15" />
    </svg>
  );
}

/** A step's title (the dialog's name), focused as the step opens so screen readers announce it. */
export function useFocusOnMount(): RefObject<HTMLHeadingElement> {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

/** The step's primary button: disabled, with a spinner, while `busy`. */
export function PrimaryButton(props: {
  busy: boolean;
  /** Without it, the button submits its form. */
  onClick?: () => void;
  children: ComponentChildren;
}): JSX.Element {
  const { busy } = props;
  return (
    <button
      type={props.onClick ? 'button' : 'submit'}
      class="pr"
      disabled={busy}
      aria-busy={busy ? 'true' : undefined}
      onClick={props.onClick}
    >
      {busy && <span class="sp" aria-hidden="true" />}
      {props.children}
    </button>
  );
}
