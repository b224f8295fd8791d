// @vitest-environment happy-dom
/**
 * The popup renderer (`render.ts`) against Preact, behaviour by behaviour.
 * Each case draws the same JSX with both renderers into a fresh element,
 * observes what the DOM did, and states what each renderer must do: `same`
 * where the popup's renderer follows Preact, `popup` and `preact` where it
 * deliberately does less. A change in either renderer fails its case, so a
 * difference can neither appear unnoticed nor silently go away.
 */
import {
  type ComponentChild,
  type JSX,
  Fragment as PreactFragment,
  h as preactH,
  render as preactRender,
} from 'preact';
import { describe, expect, it, vi } from 'vitest';
import { Fragment, render } from './render.ts';

type Draw = (tree: JSX.Element | null) => void;
/** Draws with one renderer into `mount`; returns what the case observed. */
type Case = (draw: Draw, mount: HTMLElement) => unknown;
type Expected = { same: unknown } | { popup: unknown; preact: unknown };

/** Preact's version of a component, one per component so Preact sees the same type each time. */
const components = new WeakMap<object, (props: object) => unknown>();

/**
 * The popup renderer's elements (what the test's JSX compiles to) as Preact's:
 * `key` and `ref` stay in the props, where Preact's `h` takes them from.
 */
function toPreact(node: unknown): ComponentChild {
  if (Array.isArray(node)) return node.map(toPreact) as ComponentChild;
  if (node === null || typeof node !== 'object') return node as ComponentChild;
  if ((node as { constructor?: unknown }).constructor === undefined) return node as ComponentChild; // Preact's already.
  const { type, props } = node as { type: unknown; props: { children?: unknown[] } };
  const { children = [], ...rest } = props;
  let preactType = type;
  if (type === Fragment) preactType = PreactFragment;
  else if (typeof type === 'function') {
    if (!components.has(type)) {
      components.set(type, (p: object) => toPreact((type as (p: object) => unknown)(p)));
    }
    preactType = components.get(type);
  }
  return preactH(preactType as 'div', rest, ...children.map(toPreact));
}

const renderers: Record<'popup' | 'preact', (mount: HTMLElement) => Draw> = {
  popup: (mount) => (tree) => render(tree, mount),
  preact: (mount) => (tree) => preactRender(toPreact(tree), mount),
};

/** Runs `observe` with each renderer and checks what each must do. */
function spec(name: string, observe: Case, expected: Expected): void {
  for (const renderer of ['popup', 'preact'] as const) {
    const want = 'same' in expected ? expected.same : expected[renderer];
    const how = 'same' in expected ? 'as Preact' : `(${renderer})`;
    it(`${name} ${how}`, () => {
      const mount = document.createElement('div');
      document.body.append(mount);
      const draw = renderers[renderer](mount);
      try {
        expect(observe(draw, mount)).toEqual(want);
      } finally {
        draw(null);
        mount.remove();
      }
    });
  }
}

/** Which of the `before` nodes sit where in `after` (`new` for a node made since). */
const identities = (before: Element[], after: Iterable<Element>, names: string[]): string[] =>
  [...after].map((node) => names[before.indexOf(node)] ?? 'new');

describe('keys', () => {
  const list = (ids: string[]) => (
    <ul>
      {ids.map((id) => (
        <li key={id}>{id}</li>
      ))}
    </ul>
  );

  spec(
    'a keyed reorder keeps the DOM nodes by position and rewrites their text, where Preact moves them',
    (draw, mount) => {
      draw(list(['a', 'b', 'c']));
      const before = [...mount.querySelectorAll('li')];
      draw(list(['c', 'a', 'b']));
      return {
        text: mount.textContent,
        nodes: identities(before, mount.querySelectorAll('li'), ['a', 'b', 'c']),
      };
    },
    {
      popup: { text: 'cab', nodes: ['a', 'b', 'c'] },
      preact: { text: 'cab', nodes: ['c', 'a', 'b'] },
    },
  );

  spec(
    'taking a keyed item out of the middle drops the last node, where Preact drops that item’s',
    (draw, mount) => {
      draw(list(['a', 'b', 'c']));
      const before = [...mount.querySelectorAll('li')];
      draw(list(['a', 'c']));
      return {
        text: mount.textContent,
        nodes: identities(before, mount.querySelectorAll('li'), ['a', 'b', 'c']),
      };
    },
    { popup: { text: 'ac', nodes: ['a', 'b'] }, preact: { text: 'ac', nodes: ['a', 'c'] } },
  );

  spec(
    'an element of the same type in the same place is kept and updated, so a field keeps what was typed',
    (draw, mount) => {
      draw(
        <form>
          <input id="a" />
        </form>,
      );
      const input = mount.querySelector('input')!;
      input.value = 'typed';
      draw(
        <form>
          <input id="b" />
        </form>,
      );
      return { kept: mount.querySelector('input') === input, id: input.id, value: input.value };
    },
    { same: { kept: true, id: 'b', value: 'typed' } },
  );

  spec(
    'an element whose type changed is replaced',
    (draw, mount) => {
      draw(
        <div>
          <p>1</p>
        </div>,
      );
      const p = mount.querySelector('p');
      draw(
        <div>
          <span>1</span>
        </div>,
      );
      return { html: mount.innerHTML, gone: !p?.isConnected };
    },
    { same: { html: '<div><span>1</span></div>', gone: true } },
  );
});

describe('event props', () => {
  spec(
    'onClick is the element’s onclick property, where Preact adds a listener',
    (draw, mount) => {
      const targets: unknown[] = [];
      draw(<button type="button" onClick={(event) => targets.push(event.currentTarget)} />);
      const button = mount.querySelector('button')!;
      button.click();
      return { heard: targets.map((t) => t === button), property: typeof button.onclick };
    },
    {
      popup: { heard: [true], property: 'function' },
      preact: { heard: [true], property: 'object' },
    },
  );

  spec(
    'onInput and onKeyDown hear input and keydown; the latest handler runs; a removed one stops',
    (draw, mount) => {
      const first = vi.fn();
      const second = vi.fn();
      const key = vi.fn();
      draw(<input onInput={first} onKeyDown={key} />);
      const input = mount.querySelector('input')!;
      draw(<input onInput={second} onKeyDown={key} />);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      draw(<input />);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      return [first.mock.calls.length, second.mock.calls.length, key.mock.calls.length];
    },
    { same: [0, 1, 1] },
  );

  spec(
    'an event the element has no on… property for (a custom event) is not heard, where Preact listens',
    (draw, mount) => {
      const heard = vi.fn();
      draw(<div {...({ onOtpkitDone: heard } as object)} />);
      mount.firstElementChild!.dispatchEvent(new Event('OtpkitDone'));
      return heard.mock.calls.length;
    },
    { popup: 0, preact: 1 },
  );
});

describe('SVG', () => {
  const SVG = 'http://www.w3.org/2000/svg';
  spec(
    'an svg and everything in it are made in the SVG namespace, attributes as written',
    (draw, mount) => {
      draw(
        <svg class="ok" viewBox="0 0 12 12" aria-hidden="true">
          <g>
            <path d="M3 4.5l3 3 3-3" />
          </g>
        </svg>,
      );
      const svg = mount.querySelector('svg')!;
      return {
        namespaces: [svg, ...svg.querySelectorAll('*')].map((e) => e.namespaceURI === SVG),
        viewBox: svg.getAttribute('viewBox'),
        class: svg.getAttribute('class'),
      };
    },
    { same: { namespaces: [true, true, true], viewBox: '0 0 12 12', class: 'ok' } },
  );

  spec(
    'HTML inside a foreignObject stays in the SVG namespace, where Preact goes back to HTML',
    (draw, mount) => {
      draw(
        <svg aria-hidden="true">
          <foreignObject>
            <p />
          </foreignObject>
        </svg>,
      );
      return mount.querySelector('p')!.namespaceURI === SVG;
    },
    { popup: true, preact: false },
  );
});

describe('properties and attributes', () => {
  spec(
    'value is the property, and a re-render puts it back over what was typed (a controlled field)',
    (draw, mount) => {
      draw(<input value="1" />);
      const input = mount.querySelector('input')!;
      input.value = 'typed';
      draw(<input value="1" />);
      return { value: input.value, attribute: input.getAttribute('value') };
    },
    { same: { value: '1', attribute: null } },
  );

  spec(
    'checked is set only when the prop changes, where Preact puts it back over a click',
    (draw, mount) => {
      draw(<input type="checkbox" checked={false} />);
      const box = mount.querySelector('input')!;
      box.click();
      draw(<input type="checkbox" checked={false} />);
      return box.checked;
    },
    { popup: true, preact: false },
  );

  spec(
    'disabled and maxLength are properties; a prop that went unsets its property',
    (draw, mount) => {
      draw(<button type="button" disabled />);
      const button = mount.querySelector('button')!;
      const on = [button.disabled, button.hasAttribute('disabled')];
      draw(<button type="button" />);
      draw(<input maxLength={6} />);
      return {
        on,
        off: [button.disabled, button.hasAttribute('disabled')],
        max: mount.querySelector('input')!.maxLength,
      };
    },
    { same: { on: [true, true], off: [false, false], max: 6 } },
  );

  spec(
    'aria-* keeps false as "false" and goes with null; true and strings are attributes',
    (draw, mount) => {
      draw(<p aria-hidden={false} aria-live="polite" aria-busy={true} />);
      const p = mount.querySelector('p')!;
      const first = ['aria-hidden', 'aria-live', 'aria-busy'].map((a) => p.getAttribute(a));
      draw(<p aria-hidden={undefined} aria-live="polite" />);
      return { first, after: [p.hasAttribute('aria-hidden'), p.hasAttribute('aria-busy')] };
    },
    { same: { first: ['false', 'polite', 'true'], after: [false, false] } },
  );

  spec(
    'data-* with false is removed, where Preact writes "false"',
    (draw, mount) => {
      draw(<p data-open={false} data-w="" />);
      const p = mount.querySelector('p')!;
      return [p.getAttribute('data-open'), p.getAttribute('data-w')];
    },
    { popup: [null, ''], preact: ['false', ''] },
  );

  spec(
    'a removed href is emptied through its property, where Preact removes the attribute',
    (draw, mount) => {
      draw(<a href="/terms">t</a>);
      const a = mount.querySelector('a')!;
      const before = a.getAttribute('href');
      // biome-ignore lint/a11y/useValidAnchor: the case is an href taken away.
      draw(<a>t</a>);
      return [before, a.getAttribute('href')];
    },
    { popup: ['/terms', ''], preact: ['/terms', null] },
  );

  spec(
    'dangerouslySetInnerHTML parses no HTML, where Preact sets innerHTML',
    (draw, mount) => {
      draw(<div {...{ dangerouslySetInnerHTML: { __html: '<b>x</b>' } }} />);
      return mount.querySelector('b') !== null;
    },
    { popup: false, preact: true },
  );
});

describe('style', () => {
  spec(
    'a style object sets custom properties and CSS names, and a key that went is removed',
    (draw, mount) => {
      draw(<p style={{ '--len': 6, color: 'red', 'margin-top': '2px' }} />);
      const style = mount.querySelector('p')!.style;
      const first = [style.getPropertyValue('--len'), style.color, style.marginTop];
      draw(<p style={{ color: 'blue' }} />);
      return { first, after: [style.getPropertyValue('--len'), style.color, style.marginTop] };
    },
    // Preact takes `margin-top` only through setProperty: it sets `style['margin-top']`, which
    // happy-dom's CSSStyleDeclaration also maps; both agree on the popup's use.
    { same: { first: ['6', 'red', '2px'], after: ['', 'blue', ''] } },
  );

  spec(
    'camelCase names and bare numbers are not translated, where Preact sets marginTop: 4 as 4px',
    (draw, mount) => {
      draw(<p style={{ marginTop: 4 }} />);
      return mount.querySelector('p')!.style.marginTop;
    },
    { popup: '', preact: '4px' },
  );
});

describe('refs', () => {
  spec(
    'a { current } ref holds the element while it is drawn, and null after',
    (draw, mount) => {
      const ref: { current: HTMLInputElement | null } = { current: null };
      draw(
        <div>
          <input ref={ref} />
        </div>,
      );
      const filled = ref.current === mount.querySelector('input');
      draw(<div />);
      return { filled, after: ref.current };
    },
    { same: { filled: true, after: null } },
  );

  spec(
    'a function ref is never called, where Preact calls it with the element',
    (draw) => {
      const ref = vi.fn();
      draw(<input ref={ref as never} />);
      return ref.mock.calls.length;
    },
    { popup: 0, preact: 1 },
  );
});

describe('fragments, arrays and empty children', () => {
  const Pair = ({ first }: { first: string }) => (
    <>
      <b>{first}</b>
      <i>2</i>
    </>
  );

  spec(
    'fragments, components returning fragments and arrays draw their children in order, with no wrapper',
    (draw, mount) => {
      const nested = (
        <>
          <s>x</s>
          {[[<em key="n">n</em>]]}
        </>
      );
      draw(
        <p>
          <Pair first="1" />
          {['a', 'b'].map((x) => (
            <u key={x}>{x}</u>
          ))}
          {nested}
          end
        </p>,
      );
      const first = mount.innerHTML;
      draw(
        <p>
          <Pair first="3" />
          {['c'].map((x) => (
            <u key={x}>{x}</u>
          ))}
          end
        </p>,
      );
      return [first, mount.innerHTML];
    },
    {
      same: [
        '<p><b>1</b><i>2</i><u>a</u><u>b</u><s>x</s><em>n</em>end</p>',
        '<p><b>3</b><i>2</i><u>c</u>end</p>',
      ],
    },
  );

  spec(
    'null, undefined, true and false draw nothing and hold their place; 0 draws "0"',
    (draw, mount) => {
      const view = (busy: boolean) => (
        <div>
          {null}
          {undefined}
          {true}
          {busy && <span class="sp" />}
          {0}
          <input />
        </div>
      );
      draw(view(false));
      const input = mount.querySelector('input');
      const idle = mount.innerHTML;
      draw(view(true));
      return { idle, busy: mount.innerHTML, kept: mount.querySelector('input') === input };
    },
    {
      same: {
        idle: '<div>0<input></div>',
        busy: '<div><span class="sp"></span>0<input></div>',
        kept: true,
      },
    },
  );
});

describe('text', () => {
  spec(
    'a changed text keeps its text node and changes its data; numbers are text',
    (draw, mount) => {
      draw(<p>{'one'}</p>);
      const node = mount.querySelector('p')!.firstChild;
      draw(<p>{2}</p>);
      const p = mount.querySelector('p')!;
      return { kept: p.firstChild === node, html: p.innerHTML, nodes: p.childNodes.length };
    },
    { same: { kept: true, html: '2', nodes: 1 } },
  );

  spec(
    'neighbouring strings stay separate text nodes',
    (draw, mount) => {
      const name = 'Ana';
      draw(<p>Hello {name}!</p>);
      const p = mount.querySelector('p')!;
      return { text: p.textContent, nodes: p.childNodes.length };
    },
    { same: { text: 'Hello Ana!', nodes: 3 } },
  );
});
