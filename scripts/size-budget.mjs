#!/usr/bin/env node
// The widget's size budgets (issue 9), in `pnpm test` as `pnpm size`: what a
// page downloads for each way of using the widget, gzipped (level 9), with
// the files of each path listed; fails when a path grows past its limit, or
// when a server module reaches a browser bundle. Needs `pnpm build` first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'widget/dist');
const KB = 1024;

/**
 * Download paths: every file a page fetches before that use of the widget
 * works. The popup's chunks otp-phone.js (formatting as you type),
 * otp-CountryPicker.js (the searchable list) and each language's catalogue
 * (otp-hi.js, otp-ta.js…: see the languages block below) are
 * progressive enhancements the popup works without, so they are budgeted
 * on their own below; so is otp-en-more.js (English beyond the everyday
 * flow: explanations of server errors, the magic-link wording), fetched in
 * the background once the popup is open (until it arrives, such a message
 * reads "Something went wrong"); so is otp-explain.js (which sentence explains
 * a rarer server error: rate limits, expiry, captcha…), fetched with the
 * language in the background (until then such an error reads "Something
 * went wrong" too); and otp-captcha.js, fetched only for a
 * widget with a captcha (the pow default included).
 */
const paths = [
  {
    name: 'exposeMethods (custom UI, no captcha)',
    files: ['otp-provider.js'],
    limit: 5 * KB, // Issue 9: at most 5 KB; the smallest headless peer client is about 11 KB.
  },
  {
    name: 'popup (script + popup chunk)',
    files: ['otp-provider.js', 'otp-popup.js'],
    // Issue 9: at most 15 KB. The path measures 15.0 KB (15,358 B with the magic link's match
    // number; 15,313 B before; it was 26 KB, then 21.6 KB, 19.7 KB, 19.1 KB): the popup's own
    // renderer instead of Preact, the brand theme and the resend channels worked out by the
    // server, and smaller pieces (widget/README.md).
    // 22 languages then cost 0.4 KB: measured 15,875 B before them (already past 15 KB once
    // passkeys reached otp-provider.js), 16,308 B with them (otp-popup.js +393 B: choosing a
    // language with the pt-BR → pt → en fallback chain, one lazy chunk per language;
    // otp-provider.js +40 B: Accept-Language). The limit sits just above.
    limit: 16 * KB,
    target: 15 * KB,
  },
  {
    name: 'popup chunk alone (otp-popup.js)',
    files: ['otp-popup.js'],
    // The popup's own share: 11.4 KB today (11,634 B with 22 languages; 11,241 B before; it was
    // 17.3 KB, then 15.5 KB, 14.9 KB). The limit sits just above it to stop regressions; the path
    // above holds issue 9's target.
    limit: 11.5 * KB,
  },
  { name: 'captcha chunk (widgets with a captcha)', files: ['otp-captcha.js'], limit: 4 * KB },
  { name: 'phone formatting (enhancement)', files: ['otp-phone.js'], limit: 40 * KB },
  { name: 'country list (enhancement)', files: ['otp-CountryPicker.js'], limit: 2 * KB },
  { name: 'rest of English (background)', files: ['otp-en-more.js'], limit: 1 * KB },
  { name: 'rarer error explanations (background)', files: ['otp-explain.js'], limit: 1 * KB },
  // Only widgets with passkeys on fetch these, and only in browsers that can keep one: the
  // WebAuthn calls (@simplewebauthn/browser) and the popup's passkey screens.
  { name: 'passkeys (widgets with passkeys)', files: ['otp-passkeys.js'], limit: 5 * KB },
  { name: 'passkey screens (popup, passkeys)', files: ['otp-PasskeyUi.js'], limit: 2.5 * KB },
];

// Languages: each catalogue is its own chunk (otp-hi.js, otp-ta.js, otp-pt-BR.js…), an enhancement
// like Hindi was (English until it arrives), and a page fetches only its own language: the budget
// is the largest of them. The others are covered by it.
const languageChunks = readdirSync(dist).filter((f) => /^otp-[a-z]{2}(?:-[A-Z]{2})?\.js$/.test(f));
const largestLanguage = languageChunks
  .map((file) => ({ file, size: gzipSync(readFileSync(join(dist, file)), { level: 9 }).length }))
  .sort((a, b) => b.size - a.size)[0]?.file;
if (!largestLanguage) {
  console.error('size: no language chunk (otp-hi.js…) in widget/dist; run `pnpm build` first');
  process.exit(1);
}
// The passkey screens' words in each language but English and Hindi (built in): a small chunk
// each, fetched only by a passkey popup in that language. Budgeted by the largest, like above.
const passkeyWordChunks = readdirSync(dist).filter((f) =>
  /^otp-passkey-[a-z]{2}(?:-[A-Z]{2})?\.js$/.test(f),
);
const largestPasskeyWords = passkeyWordChunks
  .map((file) => ({ file, size: gzipSync(readFileSync(join(dist, file)), { level: 9 }).length }))
  .sort((a, b) => b.size - a.size)[0]?.file;
if (largestPasskeyWords) {
  paths.push({
    name: `largest passkey words (passkeys, of ${passkeyWordChunks.length})`,
    files: [largestPasskeyWords],
    limit: 1 * KB,
  });
}
paths.push({
  name: `largest language (enhancement, of ${languageChunks.length})`,
  files: [largestLanguage],
  limit: 3 * KB,
});

const kb = (n) => `${(n / KB).toFixed(1)} KB`;
let failed = false;
const fail = (message) => {
  failed = true;
  console.error(`size: ${message}`);
};

const read = (file) => {
  const path = join(dist, file);
  if (!existsSync(path)) {
    console.error(`size: widget/dist/${file} is missing; run \`pnpm build\` first`);
    process.exit(1);
  }
  return readFileSync(path);
};

// Every chunk of the script build must be on some path: a new chunk is a new download to budget.
const scripts = readdirSync(dist).filter((f) => f.endsWith('.js'));
for (const file of scripts) {
  if (
    !paths.some((p) => p.files.includes(file)) &&
    !languageChunks.includes(file) &&
    !passkeyWordChunks.includes(file)
  )
    fail(`widget/dist/${file} is in no budget`);
}

for (const { name, files, limit, target } of paths) {
  let gzip = 0;
  let brotli = 0;
  const parts = files.map((file) => {
    const source = read(file);
    const size = gzipSync(source, { level: 9 }).length;
    gzip += size;
    brotli += brotliCompressSync(source).length;
    return `${file} ${kb(size)}`;
  });
  const ok = gzip <= limit;
  if (!ok) failed = true;
  console.log(
    `size: ${name}: ${kb(gzip)} gzip, ${kb(brotli)} brotli (limit ${kb(limit)}) ${ok ? 'ok' : 'OVER BUDGET'}` +
      (files.length > 1 ? `\n        = ${parts.join(' + ')}` : ''),
  );
  if (target) {
    console.log(
      gzip > target
        ? `        issue 9 target ${kb(target)}: NOT reached, ${kb(gzip - target)} over (the limit above guards regressions only)`
        : `        issue 9 target ${kb(target)}: reached`,
    );
  }
}

const consoleHtml = join(root, 'console/dist/index.html');
if (existsSync(consoleHtml)) {
  const gzip = gzipSync(readFileSync(consoleHtml), { level: 9 }).length;
  const ok = gzip <= 2 * KB;
  if (!ok) failed = true;
  console.log(
    `size: console/dist/index.html: ${kb(gzip)} gzip (limit 2.0 KB) ${ok ? 'ok' : 'OVER BUDGET'}`,
  );
} else {
  fail('console/dist/index.html is missing; run `pnpm build` first');
}

// No server module in a browser bundle, checked two ways. First the module graph
// Vite recorded for each widget build (script, popup, npm package)...
const serverModule =
  /[\\/]node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?(better-sqlite3|bindings|jose|hono|@hono[\\/][^\\/]+|zod|nodemailer)[\\/]|[\\/]server[\\/]src[\\/]|^node:/;
const graphs = join(root, 'widget/node_modules/.cache/otpkit-widget');
let modules = 0;
for (const build of ['script', 'popup', 'npm']) {
  const file = join(graphs, `modules-${build}.json`);
  if (!existsSync(file)) fail(`${relative(root, file)} is missing; run \`pnpm build\` first`);
  else {
    for (const [chunk, ids] of Object.entries(JSON.parse(readFileSync(file, 'utf8')))) {
      for (const id of ids) {
        modules++;
        const hit = id.match(serverModule);
        if (hit) fail(`${build} build: ${chunk} bundles server module ${hit[1] ?? hit[0]} (${id})`);
      }
    }
  }
}
// ...then the shipped files themselves, for strings only those modules contain
// (they survive minification), which also covers the console's bundle.
const markers = {
  'better-sqlite3': ['better-sqlite3', 'better_sqlite3.node'],
  jose: [
    'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    'ERR_JWKS_NO_MATCHING_KEY',
    'ERR_JOSE_NOT_SUPPORTED',
  ],
  hono: ['Context is not finalized', '@hono/node-server', 'HTTPException'],
  'server code': ['OTPKIT_SECRET', 'createHmac', 'node:crypto', 'node:fs'],
};
const browserFiles = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.(m?js|html)$/.test(entry.name)) browserFiles.push(path);
  }
};
walk(dist);
walk(join(root, 'console/dist'));
for (const file of browserFiles) {
  const text = readFileSync(file, 'utf8');
  for (const [module, strings] of Object.entries(markers)) {
    const found = strings.find((s) => text.includes(s));
    if (found) fail(`${relative(root, file)} contains ${module} code ("${found}")`);
  }
}
console.log(
  `size: no server module (better-sqlite3, jose, hono, server/src) in ${modules} bundled modules or ${browserFiles.length} browser files`,
);
process.exit(failed ? 1 : 0);
