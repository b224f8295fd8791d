#!/usr/bin/env node
// Bundles the server (src/main.ts and the workspace's TypeScript packages) into
// dist/main.mjs with esbuild, so `bin/otpkit.mjs` runs plain JavaScript instead
// of loading TypeScript through tsx: tsx's loader thread and its transform
// cache cost about 46 MB of RSS and a slower start. npm dependencies stay
// external (better-sqlite3 is native; the others load from node_modules as usual).
//
// dist/ holds everything the bundle reads beside it, so it runs from the npm
// package without the workspace: the SQL migrations, the widget's scripts
// (widget/dist) and the console (console/dist), copied in. `--package` (the
// `prepack` script) refuses to build without the widget and the console.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.find((a) => a.startsWith('--outfile='));
/** `--outfile=<path>` builds elsewhere (tests); the default is what `bin/otpkit.mjs` runs. */
const outfile = outArg
  ? resolve(outArg.slice('--outfile='.length))
  : resolve(root, 'dist/main.mjs');

const forPackage = process.argv.includes('--package');
const outDir = dirname(outfile);
const workspace = resolve(root, '..');

/**
 * Where a file the sources name beside themselves goes in dist/: the server's
 * own files (migrations) keep their path under src/, the widget's and the
 * console's builds go to dist/widget and dist/console. `undefined`: not copied
 * (a workspace file, such as the docs the config reference generator writes).
 */
function copiedTo(target) {
  const inside = (dir) => target === dir || target.startsWith(dir + sep);
  const src = resolve(root, 'src');
  const widget = resolve(workspace, 'widget/dist');
  const consoleDist = resolve(workspace, 'console/dist');
  if (inside(src)) return resolve(outDir, relative(src, target));
  if (inside(widget)) return resolve(outDir, 'widget', relative(widget, target));
  if (inside(consoleDist)) return resolve(outDir, 'console', relative(consoleDist, target));
  return undefined;
}

/** Directories to copy into dist/: source → destination. */
const copies = new Map();

/**
 * `new URL('./migrations/', import.meta.url)` and the like name files beside
 * their source module; in one bundle `import.meta.url` is dist/main.mjs, so
 * each such path is rewritten to the copy in dist/ (or, for a workspace file,
 * relative to dist/).
 */
const sourceRelativeUrls = {
  name: 'source-relative-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const contents = text.replace(
        /new URL\((['"])(\.{1,2}\/[^'"]*)\1, import\.meta\.url\)/g,
        (_match, quote, rel) => {
          const source = resolve(dirname(args.path), rel);
          const copy = copiedTo(source);
          // A file is copied with the directory it is in (the widget's chunks sit beside its entry).
          if (copy) {
            const isDir = rel.endsWith('/');
            copies.set(isDir ? source : dirname(source), isDir ? copy : dirname(copy));
          }
          const target = copy ?? source;
          let fromDist = relative(dirname(outfile), target).split('\\').join('/');
          if (!fromDist.startsWith('.')) fromDist = `./${fromDist}`;
          if (rel.endsWith('/') && !fromDist.endsWith('/')) fromDist += '/';
          return `new URL(${quote}${fromDist}${quote}, import.meta.url)`;
        },
      );
      return { contents, loader: 'ts' };
    });
  },
};

await build({
  entryPoints: [resolve(root, 'src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [
    {
      // npm packages load from node_modules; the workspace's own packages (TypeScript sources) are bundled.
      name: 'external-npm-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@otpkit/') ? undefined : { path: args.path, external: true },
        );
      },
    },
    sourceRelativeUrls,
  ],
  logLevel: 'warning',
});

// The files the bundle reads: each directory's own files (the widget's npm build in
// widget/dist/npm is not served, so subdirectories are copied only for the console).
for (const [source, destination] of copies) {
  if (!existsSync(source)) {
    const message = `${relative(workspace, source)} is missing: build the widget and the console first (\`pnpm build\` at the workspace root)`;
    if (forPackage) {
      console.error(`build: ${message}`);
      process.exit(1);
    }
    console.warn(`build: ${message}; the bundle will answer 404 for it`);
    continue;
  }
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  const whole = source.startsWith(resolve(workspace, 'console/dist'));
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    if (!whole && statSync(from).isDirectory()) continue;
    cpSync(from, join(destination, name), { recursive: true });
  }
}
console.log(`built ${relative(process.cwd(), outfile)}`);
