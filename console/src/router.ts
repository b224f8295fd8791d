/**
 * History routing under the console's base path (`/console/`): the server
 * answers every unknown `/console/*` path with index.html.
 */
import { signal } from '@preact/signals';

/** The base path the console is served under, with a trailing slash. */
export const BASE = import.meta.env.BASE_URL;

function currentRoute(): { path: string; query: URLSearchParams } {
  let path = location.pathname;
  if (path.startsWith(BASE)) path = `/${path.slice(BASE.length)}`;
  else if (`${path}/` === BASE) path = '/';
  return { path: path.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search) };
}

/** The route inside the console: `/widgets/abc` and its query. */
export const route = signal(currentRoute());

/** The full URL path of a console route: `href('/widgets')` → `/console/widgets`. */
export function href(path: string): string {
  return BASE + path.replace(/^\//, '');
}

/** Goes to a console route without reloading. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = href(path);
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route.value = currentRoute();
  window.scrollTo(0, 0);
  // Screen readers start reading the new page, as after a full load.
  requestAnimationFrame(() => document.getElementById('main')?.focus({ preventScroll: true }));
}

addEventListener('popstate', () => {
  route.value = currentRoute();
});

/**
 * Matches a route against a pattern with `:name` segments.
 *
 * @example match('/widgets/:id', '/widgets/abc') // { id: 'abc' }
 */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}
