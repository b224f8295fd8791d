/**
 * "Didn't get it? Resend in 0:27": ticks every second until `until`, then
 * renders its children (the resend buttons) and announces once that a new
 * code can be asked for. The ticking itself is not announced.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from './hooks.ts';
import type { Store } from './store.ts';

/** Props of {@link Countdown}. */
export interface CountdownProps {
  store: Store;
  /** Epoch milliseconds when resending becomes possible. */
  until: number;
  children: ComponentChildren;
}

/** The resend countdown. */
export function Countdown({ store, until, children }: CountdownProps): JSX.Element {
  const t = store.tr.value;
  const [now, setNow] = useState(Date.now);
  const remaining = Math.max(0, Math.ceil((until - now) / 1000));

  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= until) {
        clearInterval(timer);
        void store.resendReady();
      }
    }, 250);
    return () => clearInterval(timer);
  }, [until]);

  if (remaining > 0) {
    return <p class="m">{t.t('resend.wait', { time: t.clock(remaining) })}</p>;
  }
  return <>{children}</>;
}
