/**
 * Serving built front-end files: the widget's scripts at the root
 * (`/otp-provider.js`, `/otp-popup.js`, its chunks) and the console's single
 * page app under `/console`. Files are read once and kept until they change.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

interface CachedFile {
  body: Uint8Array;
  etag: string;
  mtimeMs: number;
}

/** A reader of files under one folder that refuses anything outside it. */
export function staticFolder(root: string) {
  const base = normalize(root + sep);
  const cache = new Map<string, CachedFile>();

  /** The file at a relative path, or `undefined` when there is none (or the path leaves the folder). */
  async function read(relative: string): Promise<(CachedFile & { type: string }) | undefined> {
    const path = normalize(join(base, relative));
    if (!path.startsWith(base)) return undefined;
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    let file = cache.get(path);
    if (!file || file.mtimeMs !== info.mtimeMs) {
      file = {
        body: new Uint8Array(await readFile(path)),
        etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
        mtimeMs: info.mtimeMs,
      };
      cache.set(path, file);
    }
    return { ...file, type: TYPES[extname(path)] ?? 'application/octet-stream' };
  }

  return { read };
}

/** Answers with a file, honouring `If-None-Match`. */
export function sendFile(
  c: Context,
  file: CachedFile & { type: string },
  headers: Record<string, string> = {},
): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header('ETag', file.etag);
  if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
  return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.type });
}
