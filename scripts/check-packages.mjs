#!/usr/bin/env node
// The npm packages as a customer would install them: packs @otpkit/widget and
// @otpkit/sdk with `pnpm pack` (which applies each package.json's
// publishConfig: the dist/ exports instead of the workspace's src/ ones) and
// runs publint and @arethetypeswrong/cli (attw) on the tarballs, offline.
// attw gets the tarball rather than `--pack`, because `--pack` runs
// `npm pack`, which ignores publishConfig. Then checks that the headless
// client (`@otpkit/widget/client`, for React Native and Node) mentions no
// DOM global, and that both builds of the SDK load (import and require).
//
// The server package (scripts/check-server-package.mjs): `npm pack` of
// server/, publint, then installed into an empty folder and run there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkServerPackage } from './check-server-package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const packages = [
  // ESM only (browsers, bundlers, React Native, Node's import): no CommonJS resolutions to check.
  { dir: 'widget', built: 'dist/npm/index.js', attw: ['--profile', 'esm-only'] },
  // ESM and CommonJS: every resolution mode must work.
  { dir: 'sdk', built: 'dist/index.cjs', attw: [] },
];

let failed = false;
const run = (label, command, args, cwd = root) => {
  try {
    const out = execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
    console.log(`packages: ${label}: ok`);
    return out;
  } catch (error) {
    failed = true;
    console.error(`packages: ${label}: FAILED\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    return '';
  }
};

const out = mkdtempSync(join(tmpdir(), 'otpkit-packs-'));
try {
  for (const { dir, built, attw } of packages) {
    if (!existsSync(join(root, dir, built))) {
      console.error(`packages: ${dir}/${built} is missing; run \`pnpm build\` first`);
      process.exit(1);
    }
    const packed = run(
      `pnpm pack ${dir}`,
      'pnpm',
      ['pack', '--pack-destination', out],
      join(root, dir),
    );
    const tarball = packed
      .trim()
      .split('\n')
      .findLast((line) => line.endsWith('.tgz'));
    if (!tarball) continue;
    run(`publint ${dir}`, bin('publint'), ['--strict', tarball]);
    run(`attw ${dir}`, bin('attw'), [...attw, '--no-color', tarball]);
  }

  // React Native and Node have no DOM: the headless entry and what it imports must not touch one.
  const npmDir = join(root, 'widget/dist/npm');
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
    for (const global of ['document', 'window', 'navigator', 'location', 'HTMLElement']) {
      if (new RegExp(`\\b${global}\\b`).test(code)) {
        failed = true;
        console.error(`packages: ${file} (reached from @otpkit/widget/client) uses ${global}`);
      }
    }
    for (const [, spec] of code.matchAll(/\bfrom\s*["'](\.[^"']+)["']/g)) {
      visit(join(dirname(file), spec));
    }
  };
  visit(join(npmDir, 'client.js'));
  console.log(`packages: @otpkit/widget/client uses no DOM global (${seen.size} files)`);

  // Both builds of the SDK load and export the same API.
  const esm = Object.keys(await import(pathToFileURL(join(root, 'sdk/dist/index.js')).href)).sort();
  const cjs = Object.keys(createRequire(import.meta.url)(join(root, 'sdk/dist/index.cjs'))).sort();
  if (esm.join() !== cjs.join() || !esm.includes('createOtpkit')) {
    failed = true;
    console.error(`packages: sdk ESM exports ${esm} but CommonJS exports ${cjs}`);
  } else {
    console.log(`packages: sdk loads as ESM and CommonJS (${esm.join(', ')})`);
  }

  if (!(await checkServerPackage({ root, out, bin }))) failed = true;
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
