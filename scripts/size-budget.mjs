#!/usr/bin/env node
// The widget's size budgets, in `pnpm test` as `pnpm size`: the encoded bytes
// Chromium receives on the wire (compressed bodies and response headers, API
// calls and CORS preflights included) for each way of using the widget,
// measured by e2e/wire/widget-wire.spec.ts against a running server, not
// file sizes. The budgets (BUDGETS in that spec):
//   popup: <= 20 KB from page load until the identifier field is focused,
//          <= 45 KB until the code field is shown;
//   exposeMethods (custom UI, no captcha): <= 6 KB until the methods work;
//   a repeat visit downloads no chunk again;
//   the console's first load: <= 70 KB.
// Also checks that no server module reaches a browser bundle. Needs `pnpm build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'widget/dist');

let failed = false;
const fail = (message) => {
  failed = true;
  console.error(`size: ${message}`);
};

for (const built of ['widget/dist/otp-provider.js', 'console/dist/index.html']) {
  if (!existsSync(join(root, built))) {
    console.error(`size: ${built} is missing; run \`pnpm build\` first`);
    process.exit(1);
  }
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

// Chunks the wire check does not fetch, as the server sends them (the brotli file beside each):
// each popup language but English (a page fetches only its own: the largest is budgeted), and
// the passkey chunks, which only widgets with passkeys load in browsers that can keep one.
const encoded = (file) => readFileSync(join(dist, `${file}.br`)).length;
const chunks = readdirSync(dist).filter((f) => f.endsWith('.js'));
const HASHED = '-[\\w-]{8}\\.js$';
const chunkBudgets = [
  { name: 'largest popup language', pattern: `^otp-[a-z]{2}(?:-[A-Z]{2})?${HASHED}`, limit: 3072 },
  {
    name: 'largest passkey words',
    pattern: `^otp-passkey-[a-z]{2}(?:-[A-Z]{2})?${HASHED}`,
    limit: 1024,
  },
  { name: 'passkeys (WebAuthn)', pattern: `^otp-passkeys${HASHED}`, limit: 5120 },
  { name: 'passkey screens', pattern: `^otp-PasskeyUi${HASHED}`, limit: 2560 },
];
for (const budget of chunkBudgets) {
  const files = chunks.filter((f) => new RegExp(budget.pattern).test(f));
  if (files.length === 0) {
    fail(`${budget.name}: no chunk matches ${budget.pattern}; run \`pnpm build\` first`);
    continue;
  }
  const [largest] = files.map((f) => ({ f, bytes: encoded(f) })).sort((a, b) => b.bytes - a.bytes);
  const line = `${budget.name} (${largest.f}, of ${files.length}): ${largest.bytes} B brotli (limit ${budget.limit} B)`;
  if (largest.bytes > budget.limit) fail(`${line} OVER BUDGET`);
  else console.log(`size: ${line} ok`);
}

// The budgets on the wire, in Chromium.
const wire = spawnSync('npx', ['playwright', 'test', '-c', 'playwright.wire.config.ts'], {
  cwd: join(root, 'e2e'),
  stdio: 'inherit',
  env: { ...process.env, OTPKIT_WIRE: 'budget' },
});
if (wire.status !== 0) fail('a budget on the wire is exceeded (see above)');
process.exit(failed ? 1 : 0);
