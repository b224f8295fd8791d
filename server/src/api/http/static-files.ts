/**
 * Serving built front-end files with @hono/node-server's `serveStatic`: the
 * widget's scripts at the root (`/otp-provider.js` and the content-hashed
 * chunks beside it) and the console's single-page app under `/console`.
 * Both builds precompress their files (`scripts/precompress.mjs`: `.br`,
 * `.gz`), so a response is the variant the browser accepts, with
 * `Vary: Accept-Encoding` on every one of them.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv } from '../app-types.ts';

/** A file whose name carries its content's hash: it never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The widget's entry script keeps its URL across releases: browsers may use
 * it for five minutes, then use it once more while they revalidate it in
 * the background (a day long), which costs a 304 when it has not changed.
 */
export const ENTRY_SCRIPT = 'public, max-age=300, stale-while-revalidate=86400';

/**
 * `otp-popup-DOnAhpCE.js`, `index-BScRAKkO.js`: Vite's content-hashed names (8 base64url
 * characters, not all lower case, so `otp-provider.js` is not one).
 */
const HASHED = /-(?=[\w-]{0,7}[A-Z0-9_-])[\w-]{8}\.(?:m?js|css)$/;

/** Whether a built file is named by its content hash (served as {@link IMMUTABLE}). */
export function isHashedName(file: string): boolean {
  return HASHED.test(basename(file));
}

interface ServeOptions {
  /** The folder served (absolute). */
  root: string;
  /** The path of the file under `root` for a request (`undefined`: none; falls through). */
  file: (c: Context<AppEnv>) => string | undefined;
  /** Headers of a found file, by its path under `root`. */
  headers: (file: string) => Record<string, string>;
}

/**
 * Serves one file of a folder, precompressed when the browser accepts it,
 * and calls `next()` when there is none (a missing file or a path that
 * leaves the folder, which `serveStatic` refuses).
 */
export function serveBuilt({ root, file, headers }: ServeOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = file(c);
    // Belt and braces: serveStatic refuses dot segments and encoded slashes in the request path.
    if (
      path === undefined ||
      path.includes('\\') ||
      path.split('/').some((s) => !s || /^\.\.?$/.test(s))
    ) {
      return next();
    }
    const serve = serveStatic<AppEnv>({
      root,
      precompressed: true,
      rewriteRequestPath: () => `/${path}`,
    });
    const response: unknown = await serve(c, next);
    // Without the file, serveStatic has run the next handler and returned what it returned.
    if (!(response instanceof Response)) return undefined;
    // serveStatic names Accept-Encoding only when it picked a compressed file; a cache must
    // know that the plain answer depends on it too.
    response.headers.set('Vary', 'Accept-Encoding');
    for (const [name, value] of Object.entries(headers(path))) response.headers.set(name, value);
    return response;
  };
}

/** ETags (a digest of the body sent, so one per encoding) and 304s on `If-None-Match`. */
export const withEtag: MiddlewareHandler<AppEnv> = etag();

/** The widget build's entry chunks by name, from its `otp-entries.json`, re-read when it changes. */
const entryLists = new Map<string, { mtimeMs: number; entries: Record<string, string> }>();

/**
 * The current build's file for an entry chunk of an earlier build
 * (`otp-popup-OLDHASH.js` → `otp-popup-NEWHASH.js`), or `undefined`. A page
 * may still run the previous `otp-provider.js` (served stale while it is
 * revalidated), which names the previous build's chunks; entries keep their
 * exports from build to build, so the current one serves it.
 */
export function currentEntryFor(dir: string, requested: string): string | undefined {
  const name = /^otp-(.+)-[\w-]{8}\.js$/.exec(requested)?.[1];
  if (!name) return undefined;
  const file = join(dir, 'otp-entries.json');
  let list = entryLists.get(file);
  try {
    const { mtimeMs } = statSync(file);
    if (list?.mtimeMs !== mtimeMs) {
      list = { mtimeMs, entries: JSON.parse(readFileSync(file, 'utf8')) as Record<string, string> };
      entryLists.set(file, list);
    }
  } catch {
    return undefined; // No list (an older build), or unreadable: a plain 404.
  }
  const current = list.entries[name];
  return typeof current === 'string' && current !== requested && HASHED.test(current)
    ? current
    : undefined;
}
