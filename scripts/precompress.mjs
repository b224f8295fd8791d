#!/usr/bin/env node
// Precompresses built front-end files for the server's content negotiation:
// beside every text asset of the given folders (not their subfolders named in
// --skip), `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9),
// each kept only when smaller than the file. Stale .br/.gz files (their
// source gone) are removed. Run by the widget's and the console's builds:
//   node ../scripts/precompress.mjs dist [--skip npm]
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(?:m?js|css|html|json|svg|txt|map)$/;
const args = process.argv.slice(2);
const skip = new Set();
const roots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--skip') skip.add(args[++i]);
  else roots.push(args[i]);
}
if (roots.length === 0) {
  console.error('usage: precompress.mjs <folder>… [--skip <subfolder>]');
  process.exit(2);
}

let files = 0;
let before = 0;
let after = 0;
const walk = (dir, root) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(relative(root, path))) walk(path, root);
      continue;
    }
    if (/\.(?:br|gz)$/.test(entry.name)) {
      const source = path.replace(/\.(?:br|gz)$/, '');
      try {
        statSync(source);
      } catch {
        rmSync(path); // Its source is gone (an older build's chunk).
      }
      continue;
    }
    if (!TEXT.test(entry.name)) continue;
    const source = readFileSync(path);
    const variants = {
      br: brotliCompressSync(source, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
        },
      }),
      gz: gzipSync(source, { level: 9 }),
    };
    files++;
    before += source.length;
    after += variants.br.length;
    for (const [ext, body] of Object.entries(variants)) {
      if (body.length < source.length) writeFileSync(`${path}.${ext}`, body);
      else rmSync(`${path}.${ext}`, { force: true });
    }
  }
};
for (const root of roots) walk(root, root);
console.log(
  `precompress: ${files} files in ${roots.join(', ')}: ${before} B, ${after} B brotli (+ gzip)`,
);
