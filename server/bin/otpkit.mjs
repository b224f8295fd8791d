#!/usr/bin/env node
// The `otpkit` command. Runs the bundled server (dist/main.mjs, built by
// `pnpm build`) when it is there and newer than every source file it was built
// from; otherwise loads the TypeScript sources through tsx, so a checkout works
// without a build and a stale bundle is never run. OTPKIT_FROM_SOURCE=1 forces
// the sources.
import { fileURLToPath } from 'node:url';
import { chooseEntry } from './entry.mjs';

const serverDir = fileURLToPath(new URL('../', import.meta.url));
let main;
if (chooseEntry(serverDir, process.env) === 'bundle') {
  // Stack traces in logs point at the TypeScript sources.
  process.setSourceMapsEnabled(true);
  ({ main } = await import('../dist/main.mjs'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
