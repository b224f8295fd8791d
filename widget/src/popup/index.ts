/**
 * Opens the popup: a host element (`#otpkit-widget-host`) with an open
 * shadow root, so the page's CSS can't reach in and ours can't leak out.
 */

import type { OtpClient, OtpError, OtpVerified, Outcome, WidgetLoaded } from '../client.ts';
import { Dialog } from './Dialog.tsx';
import { h, render } from './render.ts';
import { createStore, type Store } from './store.ts';
import css from './styles.css?inline';
import { adoptStyles } from './styles.ts';

/** Id of the popup's host element (a stable hook for tests and for theming: widget/README.md). */
const HOST_ID = 'otpkit-widget-host';

/** What {@link openPopup} needs. */
export interface PopupOptions {
  client: OtpClient;
  /** The widget data, loading. */
  widget: Promise<Outcome<WidgetLoaded>>;
  /** Prefill: a full mobile number or an email. */
  identifier?: string | undefined;
  /** Called after the popup has closed on a verified code. */
  onSuccess: (result: OtpVerified) => void;
  /** Called when the widget cannot be used here. */
  onMisconfigured: (error: OtpError) => void;
}

/** An open popup. */
export interface PopupHandle {
  /** Closes the popup and gives focus back to where it was. */
  close(): void;
  /** The popup's state, for tests. */
  readonly store: Store;
}

let current: PopupHandle | undefined;

/** Opens the popup (closing one already open) and returns a handle to it. */
export function openPopup(options: PopupOptions): PopupHandle {
  current?.close();
  const previousFocus = document.activeElement as HTMLElement | null;
  const previousOverflow = document.documentElement.style.overflow;

  const host = document.createElement('otpkit-widget');
  host.id = HOST_ID;
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, css);
  const mount = document.createElement('div');
  root.append(mount);

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    store.dispose();
    render(null, mount);
    host.remove();
    document.documentElement.style.overflow = previousOverflow;
    if (current === handle) current = undefined;
    previousFocus?.focus?.();
  };

  const store = createStore({
    client: options.client,
    identifier: options.identifier,
    onVerified: (result) => {
      close();
      options.onSuccess(result);
    },
    onMisconfigured: options.onMisconfigured,
    loadPasskeyUi: () => import('./PasskeyUi.tsx'),
  });
  const handle: PopupHandle = { close, store };
  current = handle;

  document.body.append(host);
  document.documentElement.style.overflow = 'hidden'; // No page scrolling behind the modal.
  render(h(Dialog, { store, onClose: close }), mount);
  void store.load(options.widget);
  return handle;
}
