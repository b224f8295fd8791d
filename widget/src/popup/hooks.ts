/**
 * The five hooks the popup uses, in a few lines on Preact's public class
 * API instead of `preact/hooks` (about 1.2 KB gzip, a tenth of the popup).
 * A function component wrapped in {@link withHooks} becomes a class whose
 * `render` calls it; each hook keeps its value in a slot of that instance,
 * in call order (the usual rule: hooks are called unconditionally). Effects
 * run in `componentDidMount` / `componentDidUpdate`, i.e. once the tree is
 * in the DOM, children before parents, like Preact's layout effects; their
 * cleanups run before the effect runs again and on unmount.
 */
import { Component, type ComponentType, type JSX } from 'preact';
// Types only: the callback shape matches Preact's own hooks.
import type { EffectCallback } from 'preact/hooks';

/** One hook's storage. */
interface Slot {
  value?: unknown;
  deps?: readonly unknown[] | undefined;
  effect?: EffectCallback;
  cleanup?: (() => void) | undefined;
  set?: (next: never) => void;
}

/** The instance whose render is running, and the index of its next hook. */
let host: HookHost | undefined;
let index = 0;

abstract class HookHost extends Component {
  // Assigned, not class fields: ES2020 output would need defineProperty helpers for those.
  declare slots: Slot[];
  /** Effects whose dependencies changed in the last render. */
  declare pending: Slot[];
  constructor(props?: object, context?: unknown) {
    super(props, context);
    this.slots = [];
    this.pending = [];
  }
  override componentDidMount(): void {
    for (const slot of this.pending.splice(0)) {
      slot.cleanup?.();
      const cleanup = slot.effect?.();
      slot.cleanup = typeof cleanup === 'function' ? cleanup : undefined;
    }
  }
  override componentDidUpdate(): void {
    this.componentDidMount();
  }
  override componentWillUnmount(): void {
    for (const slot of this.slots) slot.cleanup?.();
  }
}

/**
 * Makes a function component that calls the hooks below.
 *
 * @example export const Countdown = withHooks((props: CountdownProps) => { const [now] = useState(0); … });
 */
export function withHooks<P>(render: (props: P) => JSX.Element | null): ComponentType<P> {
  return class extends HookHost {
    override render(): JSX.Element | null {
      host = this;
      index = 0;
      return render(this.props as unknown as P);
    }
  } as unknown as ComponentType<P>;
}

/** The next slot of the rendering component (hooks are only called from withHooks renders). */
function slot(): Slot {
  const slots = (host as HookHost).slots;
  slots[index] ??= {};
  return slots[index++] as Slot;
}

/** Whether an effect or memo with `deps` must run again (no deps: after every render). */
function changed(at: Slot, deps: readonly unknown[] | undefined): boolean {
  const before = at.deps;
  at.deps = deps;
  return !before || !deps || deps.some((dep, i) => !Object.is(dep, before[i]));
}

/** State that re-renders the component when set to a different value. */
export function useState<T>(initial: T | (() => T)): [T, (next: T | ((previous: T) => T)) => void] {
  const owner = host as HookHost;
  const at = slot();
  if (!at.set) {
    at.value = typeof initial === 'function' ? (initial as () => T)() : initial;
    at.set = (next: T | ((previous: T) => T)): void => {
      const value = typeof next === 'function' ? (next as (previous: T) => T)(at.value as T) : next;
      if (Object.is(value, at.value)) return;
      at.value = value;
      owner.forceUpdate(); // Queued and batched by Preact; ignored once unmounted.
    };
  }
  return [at.value as T, at.set as (next: T | ((previous: T) => T)) => void];
}

/** Runs `effect` after a render in which one of `deps` changed (every render without deps). */
export function useEffect(effect: EffectCallback, deps?: readonly unknown[]): void {
  const at = slot();
  if (changed(at, deps)) {
    at.effect = effect;
    (host as HookHost).pending.push(at);
  }
}

/** A `{ current }` box that lives as long as the component. */
export function useRef<T>(initial: T | null): { current: T | null } {
  const at = slot();
  at.value ??= { current: initial };
  return at.value as { current: T | null };
}

/** `compute()`, recomputed only when one of `deps` changed. */
export function useMemo<T>(compute: () => T, deps: readonly unknown[]): T {
  const at = slot();
  if (changed(at, deps)) at.value = compute();
  return at.value as T;
}
