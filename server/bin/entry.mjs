// Which code `bin/otpkit.mjs` runs: the bundle or the TypeScript sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time of the files under a directory (0 if it is missing). */
function newestIn(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

/**
 * `'bundle'` when `<serverDir>/dist/main.mjs` exists and is at least as new as
 * every file under `<serverDir>/src` and `<serverDir>/../protocol/src` (the
 * code it was built from) and under `../widget/dist` and `../console/dist`
 * (the builds it copied), unless `OTPKIT_FROM_SOURCE=1`; else `'source'`.
 * The npm package has no `src`: there it is always the bundle.
 *
 * @param {string} serverDir the server package's directory
 * @param {Record<string, string | undefined>} env
 * @returns {'bundle' | 'source'}
 */
export function chooseEntry(serverDir, env) {
  if (env.OTPKIT_FROM_SOURCE === '1') return 'source';
  let built;
  try {
    built = statSync(join(serverDir, 'dist', 'main.mjs')).mtimeMs;
  } catch {
    return 'source';
  }
  if (!existsSync(join(serverDir, 'src'))) return 'bundle';
  const sources = [
    join(serverDir, 'src'),
    join(serverDir, '..', 'protocol', 'src'),
    join(serverDir, '..', 'widget', 'dist'),
    join(serverDir, '..', 'console', 'dist'),
  ];
  return sources.every((dir) => newestIn(dir) <= built) ? 'bundle' : 'source';
}
