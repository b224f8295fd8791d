/**
 * The popup's renderer: JSX elements (`h`, `Fragment`) drawn into the DOM by
 * `render`, in about 0.9 KB gzip instead of Preact's 3.8 KB (a quarter of the
 * popup path). It does what the popup needs and no more, which is little:
 * the popup is one small tree that re-renders from its root whenever state
 * changes (`signals.ts`), so there is no per-component update, no context,
 * no class component and no error boundary. Function components keep their
 * hooks (`hooks.ts`) in an instance per position in the tree.
 *
 * Children are matched by position, as Preact matches children without keys:
 * same type, same place: the DOM node is kept and its props updated (so an
 * input keeps its focus and caret); anything else is replaced. `null`,
 * `undefined` and booleans hold their place without drawing anything, so a
 * `{cond && <p/>}` that appears doesn't shift its siblings. `key` is
 * accepted and ignored (the popup's lists are short, and re-used rows just
 * get new text). Props follow Preact's rules, but for `on*`, which set the
 * element's handler property (`onKeyDown` → `onkeydown`: one handler per
 * event, which the popup's elements all have): a
 * name the element has as a property is set as one (`value`, `disabled`,
 * `spellcheck`…), anything else is an attribute (`false`/`null` remove it,
 * but an `aria-*` attribute keeps `"false"`); `style` takes an object;
 * `ref` takes a `{ current }` box.
 *
 * `render.test.tsx` draws the same JSX with this renderer and with Preact and
 * pins, case by case, where the two agree and where this one does less
 * (keys, custom events, function refs, `checked`, camelCase styles…).
 *
 * The types of JSX stay Preact's (`jsxImportSource` in tsconfig.json, a
 * devDependency); the builds and the unit tests compile JSX to {@link h}.
 */
import type { JSX } from 'preact';

/** A function component. */
export type Component<P = Record<string, unknown>> = (props: P) => JSX.Element | null;

type Props = Record<string, unknown> & { children?: unknown; ref?: { current: unknown } };

interface VNode {
  type: string | Component<never>;
  /** The props (the text, for a text node). */
  props: Props | string;
}

/** What a vnode became: one per position in the tree, kept from render to render. */
export interface Instance {
  type: VNode['type'];
  /** The props last drawn (the text, for a text node). */
  props: Props | string;
  /** The element or text node (none for a component, a fragment or a hole). */
  dom?: Element | Text;
  /** Instances of the children (of a component or fragment: what it returned). */
  kids: Instance[];
  /** A component's hook slots (see hooks.ts). */
  slots?: unknown[];
  /** A component's effects to run once the tree is in the DOM. */
  effects?: (() => void)[];
  /** The root that re-renders when a component's state changes. */
  root?: Root;
}

interface Root {
  container: Element;
  vnode: unknown;
  kids: Instance[];
  queued?: boolean;
}

const TEXT = '#text';
/** The type of `null`, `undefined`, `true` and `false` children: a place that draws nothing. */
const HOLE = '';
const SVG = 'http://www.w3.org/2000/svg';

const roots = new WeakMap<Element, Root>();
/** The root being rendered, and the components whose effects wait for the end of that render. */
let rendering: Root;
let withEffects: Instance[] = [];
/** The component whose function is running, and the index of its next hook slot. */
let current: Instance;
let index = 0;

/** Makes an element (the JSX factory). */
export function h(type: VNode['type'], props: Props | null, ...children: unknown[]): JSX.Element {
  const all: Props = { ...props };
  if (children.length > 0) all.children = children;
  return { type, props: all } as unknown as JSX.Element;
}

/** `<>…</>`: its children, without an element around them. */
export function Fragment(props: { children?: unknown }): JSX.Element {
  return props.children as JSX.Element;
}

/** Children as a list: an array as it is, anything else alone (`undefined`: one empty place). */
const list = (children: unknown): unknown[] => [children].flat();

function toVNode(child: unknown): VNode {
  if (child == null || typeof child === 'boolean') return { type: HOLE, props: {} };
  if (Array.isArray(child)) return { type: Fragment, props: { children: child } };
  if (typeof child === 'object') return child as VNode;
  return { type: TEXT, props: String(child) };
}

/** Draws `vnode` into `container`, updating what an earlier call drew there; `null` clears it. */
export function render(vnode: JSX.Element | null, container: Element): void {
  const root = roots.get(container) ?? { container, vnode, kids: [] };
  roots.set(container, root);
  root.vnode = vnode;
  commit(root);
}

function commit(root: Root): void {
  rendering = root;
  withEffects = [];
  const effects = withEffects;
  root.kids = diffChildren(root.kids, [root.vnode], false);
  place(root.container, root.kids);
  // Children's effects before their parents', like componentDidMount.
  for (const instance of effects) {
    for (const effect of instance.effects?.splice(0) ?? []) effect();
  }
}

/**
 * The rendering component and its next hook slot (hooks.ts): slots are kept
 * in call order, so hooks are called unconditionally.
 */
export function nextSlot<S extends object>(): [S, Instance] {
  const slots = current.slots as S[];
  slots[index] ??= {} as S;
  return [slots[index++] as S, current];
}

/** Re-renders a component's root once, after the current task's other state changes. */
export function schedule(instance: Instance): void {
  const root = instance.root;
  // An unmounted component's late change just re-renders its root, to the same result.
  if (!root || root.queued) return;
  root.queued = true;
  queueMicrotask(() => {
    root.queued = false;
    commit(root);
  });
}

function diffChildren(old: Instance[], children: unknown[], svg: boolean): Instance[] {
  const kids = children.map((child, i) => diff(old[i], toVNode(child), svg));
  for (const extra of old.slice(children.length)) unmount(extra, true);
  return kids;
}

function diff(old: Instance | undefined, vnode: VNode, inSvg: boolean): Instance {
  const { type, props } = vnode;
  if (old && old.type !== type) {
    unmount(old, true);
    old = undefined;
  }
  const instance: Instance = old ?? { type, props: {}, kids: [] };
  if (typeof type === 'function') {
    instance.slots ??= [];
    instance.effects ??= [];
    instance.root = rendering;
    current = instance;
    index = 0;
    const output = (type as Component<Props>)(props as Props);
    instance.kids = diffChildren(instance.kids, list(output), inSvg);
    if (instance.effects.length > 0) withEffects.push(instance);
  } else if (type === TEXT) {
    if (!instance.dom) instance.dom = document.createTextNode(props as string);
    else if (instance.props !== props) (instance.dom as Text).data = props as string;
  } else if (type !== HOLE) {
    const svg = inSvg || type === 'svg';
    instance.dom ??= svg ? document.createElementNS(SVG, type) : document.createElement(type);
    const dom = instance.dom as Element;
    const before = instance.props as Props;
    const now = props as Props;
    for (const name in before) if (!(name in now)) setProp(dom, name, undefined, before[name], svg);
    for (const name in now) setProp(dom, name, now[name], before[name], svg);
    instance.kids = diffChildren(instance.kids, list(now.children), svg);
    place(dom, instance.kids);
    if (now.ref) now.ref.current = dom;
  }
  instance.props = props;
  return instance;
}

/** The DOM nodes an instance draws, in order. */
function nodes(kids: Instance[], into: Node[] = []): Node[] {
  for (const kid of kids) {
    if (kid.dom) into.push(kid.dom);
    else nodes(kid.kids, into);
  }
  return into;
}

/** Puts `parent`'s drawn nodes in order; only those out of place move. */
function place(parent: Element, kids: Instance[]): void {
  nodes(kids).forEach((node, i) => {
    const there = parent.childNodes[i] ?? null;
    if (there !== node) parent.insertBefore(node, there);
  });
}

function setProp(dom: Element, name: string, value: unknown, before: unknown, svg: boolean): void {
  if (name === 'children' || name === 'key' || name === 'ref') return;
  if (name === 'style') {
    const style = (dom as HTMLElement).style;
    const next = (value ?? {}) as Record<string, string>;
    for (const key in before as Record<string, string>)
      if (!(key in next)) style.setProperty(key, '');
    for (const key in next) style.setProperty(key, next[key] ?? '');
    return;
  }
  // `onKeyDown` is the element's `onkeydown` handler property: one listener, the latest.
  const key = name.startsWith('on') ? name.toLowerCase() : name;
  if (key === 'value' ? (dom as HTMLInputElement).value !== value : value !== before) {
    // A property when the (HTML) element has one, as Preact does; Preact keeps a few names it
    // must remove or that read as strings (width, href, tabIndex…) as attributes, which the
    // popup never removes nor sets otherwise.
    if (!svg && key in dom) {
      (dom as unknown as Record<string, unknown>)[key] = value ?? ''; // '' also unsets a handler
    } else if (value != null && (value !== false || key.startsWith('aria-'))) {
      dom.setAttribute(key, String(value));
    } else {
      dom.removeAttribute(key);
    }
  }
}

/** Takes an instance out: hook cleanups, refs, and (`remove`) its DOM nodes. */
function unmount(instance: Instance, remove: boolean): void {
  for (const slot of (instance.slots ?? []) as { cleanup?: () => void }[]) slot.cleanup?.();
  const ref = (instance.props as Props).ref;
  if (ref && ref.current === instance.dom) ref.current = null;
  for (const kid of instance.kids) unmount(kid, remove && !instance.dom);
  if (remove) instance.dom?.remove();
}
