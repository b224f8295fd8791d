#!/usr/bin/env node
// The widget's size budget: fails when a built script grows past its limit,
// or when server-only code leaks into the browser bundle. Prints the numbers.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const budgets = [
  // What every page with the widget loads: the headless core (exposeMethods pages load nothing else).
  { file: 'widget/dist/otp-provider.js', gzipLimit: 8 * 1024 },
  // The popup, loaded only when it opens.
  { file: 'widget/dist/otp-popup.js', gzipLimit: 20 * 1024 },
  // Phone formatting as you type (libphonenumber-js), loaded when the phone field shows.
  { file: 'widget/dist/otp-phone.js', gzipLimit: 40 * 1024 },
  { file: 'console/dist/index.html', gzipLimit: 2 * 1024 },
];
// Strings that only server code contains: none may appear in a browser bundle.
const serverOnly = [
  'better-sqlite3',
  'node:crypto',
  'node:fs',
  'OTPKIT_SECRET',
  'createHmac',
  'SignJWT',
];

let failed = false;
for (const { file, gzipLimit } of budgets) {
  const path = join(root, file);
  if (!existsSync(path)) {
    console.error(`size: ${file} is missing; run \`pnpm build\` first`);
    process.exit(1);
  }
  const source = readFileSync(path);
  const gzip = gzipSync(source, { level: 9 }).length;
  const brotli = brotliCompressSync(source).length;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const ok = gzip <= gzipLimit;
  failed ||= !ok;
  console.log(
    `size: ${file}: ${kb(source.length)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli (limit ${kb(gzipLimit)} gzip) ${ok ? 'ok' : 'OVER BUDGET'}`,
  );
  const text = source.toString('utf8');
  for (const marker of serverOnly) {
    if (text.includes(marker)) {
      console.error(`size: ${file} contains server-only code (${marker})`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
