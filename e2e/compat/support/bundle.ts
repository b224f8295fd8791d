/**
 * The SendOTP SDKs ship TypeScript sources (and the React Native one imports
 * `react-native`): esbuild bundles each, unmodified, into a Node module,
 * with `react-native` aliased to a small stub (stubs/react-native).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** The compat package's folder: bundles resolve the SDKs from its node_modules. */
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const stub = fileURLToPath(new URL('../stubs/react-native/index.cjs', import.meta.url));

/** Bundles a package's entry point and imports the result. */
export async function importBundled<T>(packageName: string): Promise<T> {
  return importBundledSource<T>(`export * from '${packageName}/index.ts';`);
}

/**
 * Bundles a small entry module (re-exports from the packages) and imports
 * the result: one bundle, so modules the entry names share their state.
 */
export async function importBundledSource<T>(contents: string): Promise<T> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'otpkit-compat-bundle-')), 'sdk.cjs');
  await build({
    stdin: { contents, resolveDir: packageDir, loader: 'ts', sourcefile: 'entry.ts' },
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
