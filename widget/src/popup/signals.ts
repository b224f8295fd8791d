/**
 * The popup's reactive state in the few lines it needs, instead of
 * `@preact/signals` (about 4 KB gzip, a quarter of the popup): `signal` and
 * `computed` with the same `.value` interface, and {@link useSignals}, which
 * re-renders the popup's root component when any signal changes. The popup
 * is one small tree without `memo`, so re-rendering from the root is both
 * correct and cheap; the renderer batches the renders a burst of writes asks for.
 */
import { nextSlot, schedule } from './render.ts';

/** Bumped on every write; computed values are cached per version. */
let version = 0;
const listeners = new Set<() => void>();

/** A value that components read through `.value`. */
export interface ReadonlySignal<T> {
  readonly value: T;
}

/** A writable {@link ReadonlySignal}: writing a different value re-renders the popup. */
export interface Signal<T> {
  value: T;
}

/**
 * A piece of state.
 *
 * @example const step = signal('loading'); step.value = 'code';
 */
export function signal<T>(initial: T): Signal<T> {
  let current = initial;
  return {
    get value() {
      return current;
    },
    set value(next) {
      if (Object.is(next, current)) return;
      current = next;
      version++;
      for (const listener of listeners) listener();
    },
  };
}

/**
 * A value derived from signals, recomputed only after some signal changed.
 *
 * @example const otpLength = computed(() => widget.value?.otpLength ?? 6);
 */
export function computed<T>(compute: () => T): ReadonlySignal<T> {
  let seen = -1;
  let cached: T;
  return {
    get value() {
      if (seen !== version) {
        cached = compute();
        seen = version;
      }
      return cached;
    },
  };
}

/**
 * Re-renders the calling component (the popup's root) whenever a signal
 * changes: subscribed while it renders, so no write is missed, and
 * unsubscribed when it unmounts (the renderer runs a slot's cleanup).
 */
export function useSignals(): void {
  const [at, owner] = nextSlot<{ cleanup?: () => void }>();
  if (!at.cleanup) {
    const listener = (): void => schedule(owner);
    listeners.add(listener);
    at.cleanup = () => listeners.delete(listener);
  }
}
