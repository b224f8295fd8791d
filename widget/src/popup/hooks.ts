/**
 * The five hooks the popup uses, on its renderer (`render.ts`). Each keeps
 * its value in a slot of the rendering component's instance, in call order
 * (the usual rule: hooks are called unconditionally). Effects run once the
 * tree is in the DOM, children before parents, like Preact's layout effects;
 * their cleanups run before the effect runs again and on unmount.
 */
import { nextSlot, schedule } from './render.ts';

/** A callback run after a render; what it returns (if a function) cleans up. */
export type EffectCallback = () => unknown;

/** One hook's storage. */
interface Slot {
  value?: unknown;
  deps?: readonly unknown[] | undefined;
  cleanup?: (() => void) | undefined;
  set?: (next: never) => void;
}

/** Whether an effect or memo with `deps` must run again (no deps: after every render). */
function changed(at: Slot, deps: readonly unknown[] | undefined): boolean {
  const before = at.deps;
  at.deps = deps;
  return !before || !deps || deps.some((dep, i) => !Object.is(dep, before[i]));
}

/** State that re-renders the component when set to a different value. */
export function useState<T>(initial: T | (() => T)): [T, (next: T | ((previous: T) => T)) => void] {
  const [at, owner] = nextSlot<Slot>();
  if (!at.set) {
    at.value = typeof initial === 'function' ? (initial as () => T)() : initial;
    at.set = (next: T | ((previous: T) => T)): void => {
      const value = typeof next === 'function' ? (next as (previous: T) => T)(at.value as T) : next;
      if (Object.is(value, at.value)) return;
      at.value = value;
      schedule(owner); // Batched with the task's other changes; harmless once unmounted.
    };
  }
  return [at.value as T, at.set as (next: T | ((previous: T) => T)) => void];
}

/** Runs `effect` after a render in which one of `deps` changed (every render without deps). */
export function useEffect(effect: EffectCallback, deps?: readonly unknown[]): void {
  const [at, owner] = nextSlot<Slot>();
  if (changed(at, deps)) {
    owner.effects?.push(() => {
      at.cleanup?.();
      const cleanup = effect();
      at.cleanup = typeof cleanup === 'function' ? (cleanup as () => void) : undefined;
    });
  }
}

/** A `{ current }` box that lives as long as the component. */
export function useRef<T>(initial: T | null): { current: T | null } {
  const [at] = nextSlot<Slot>();
  at.value ??= { current: initial };
  return at.value as { current: T | null };
}

/** `compute()`, recomputed only when one of `deps` changed. */
export function useMemo<T>(compute: () => T, deps: readonly unknown[]): T {
  const [at] = nextSlot<Slot>();
  if (changed(at, deps)) at.value = compute();
  return at.value as T;
}
