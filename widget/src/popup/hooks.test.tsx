// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { useEffect, useMemo, useRef, useState } from './hooks.ts';
import { render } from './render.ts';

/** Lets the batched re-render (a microtask) run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

const mount = document.createElement('div');
afterEach(() => render(null, mount));

describe('popup hooks', () => {
  it('useState re-renders on a new value, batches a burst of sets and skips an equal one', async () => {
    let renders = 0;
    let set: (next: number | ((n: number) => number)) => void = () => {};
    const Counter = (_: { label: string }) => {
      renders++;
      const [count, setCount] = useState(() => 1);
      set = setCount;
      return <p>{count}</p>;
    };
    render(<Counter label="a" />, mount);
    expect(mount.textContent).toBe('1');
    set((n) => n + 1);
    set((n) => n + 1);
    await settle();
    expect(mount.textContent).toBe('3');
    expect(renders).toBe(2);
    set(3);
    await settle();
    expect(renders).toBe(2);
  });

  it('useEffect runs after mount, again (after its cleanup) when a dependency changes, and cleans up on unmount', async () => {
    const log: string[] = [];
    const Effect = ({ dep, other }: { dep: number; other: number }) => {
      useEffect(() => {
        log.push(`run ${dep} in DOM: ${mount.textContent}`);
        return () => log.push(`cleanup ${dep}`);
      }, [dep]);
      return <p>{`${dep}/${other}`}</p>;
    };
    render(<Effect dep={1} other={1} />, mount);
    expect(log).toEqual(['run 1 in DOM: 1/1']);
    render(<Effect dep={1} other={2} />, mount);
    expect(log).toEqual(['run 1 in DOM: 1/1']);
    render(<Effect dep={2} other={2} />, mount);
    expect(log).toEqual(['run 1 in DOM: 1/1', 'cleanup 1', 'run 2 in DOM: 2/2']);
    render(null, mount);
    expect(log).toEqual(['run 1 in DOM: 1/1', 'cleanup 1', 'run 2 in DOM: 2/2', 'cleanup 2']);
  });

  it('useMemo recomputes only when a dependency changes; useRef keeps one box', () => {
    let computed = 0;
    const refs = new Set<object>();
    const Memo = ({ dep, other }: { dep: number; other: number }) => {
      const doubled = useMemo(() => {
        computed++;
        return dep * 2;
      }, [dep]);
      refs.add(useRef<number>(null));
      return <p>{`${doubled}/${other}`}</p>;
    };
    render(<Memo dep={2} other={1} />, mount);
    render(<Memo dep={2} other={2} />, mount);
    expect(mount.textContent).toBe('4/2');
    expect(computed).toBe(1);
    render(<Memo dep={3} other={2} />, mount);
    expect(mount.textContent).toBe('6/2');
    expect(computed).toBe(2);
    expect(refs.size).toBe(1);
  });

  it('a state set after unmount is ignored', async () => {
    let set: (next: number) => void = () => {};
    const Late = () => {
      const [value, setValue] = useState(0);
      set = setValue;
      return <p>{value}</p>;
    };
    render(<Late />, mount);
    render(null, mount);
    set(5);
    await settle();
    expect(mount.textContent).toBe('');
  });
});
