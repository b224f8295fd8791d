/**
 * The SendOTP SDKs ship TypeScript sources (and the React Native one imports
 * `react-native`): esbuild bundles each, unmodified, into a Node module,
 * with `react-native` aliased to a small stub (stubs/react-native).
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const stub = fileURLToPath(new URL('../stubs/react-native/index.cjs', import.meta.url));

/** Bundles a package's entry point and imports the result. */
export async function importBundled<T>(packageName: string): Promise<T> {
  const entry = require.resolve(`${packageName}/index.ts`);
  const outfile = join(mkdtempSync(join(tmpdir(), 'otpkit-compat-bundle-')), 'sdk.cjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    jsx: 'automatic',
    alias: { 'react-native': stub },
    logLevel: 'error',
  });
  return (await import(pathToFileURL(outfile).href)) as T;
}
