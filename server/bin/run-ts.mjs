#!/usr/bin/env node
// Runs a TypeScript entry of this package under tsx, so the workspace needs no build step.
import { register } from 'tsx/esm/api';

register();
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...rest];
await import(new URL(`../${entry}`, import.meta.url).href);
