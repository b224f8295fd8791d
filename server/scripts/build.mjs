#!/usr/bin/env node
// Bundles the server (src/main.ts and the workspace's TypeScript packages) into
// dist/main.mjs with esbuild, so `bin/otpkit.mjs` runs plain JavaScript instead
// of loading TypeScript through tsx: tsx's loader thread and its transform
// cache cost about 46 MB of RSS and a slower start. npm dependencies stay
// external (better-sqlite3 is native; the others load from node_modules as usual).
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.find((a) => a.startsWith('--outfile='));
/** `--outfile=<path>` builds elsewhere (tests); the default is what `bin/otpkit.mjs` runs. */
const outfile = outArg
  ? resolve(outArg.slice('--outfile='.length))
  : resolve(root, 'dist/main.mjs');

/**
 * `new URL('./migrations/', import.meta.url)` and the like name files beside
 * their source module; in one bundle `import.meta.url` is dist/main.mjs, so
 * each such path is rewritten relative to dist/ (the files stay where they are).
 */
const sourceRelativeUrls = {
  name: 'source-relative-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const contents = text.replace(
        /new URL\((['"])(\.{1,2}\/[^'"]*)\1, import\.meta\.url\)/g,
        (_match, quote, rel) => {
          const target = resolve(dirname(args.path), rel);
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
console.log(`built ${relative(process.cwd(), outfile)}`);
