import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import { BUILD_CACHE, moduleList, shared, terserPass } from './vite.shared.ts';

/**
 * The second build (after vite.popup.config.ts): dist/otp-provider.js, the
 * classic script customers include, at a stable name. A minified IIFE
 * holding the headless core only; its entry exports nothing, so the only
 * globals are the ones it assigns (`initSendOTP`, and the exposed methods
 * when asked). The popup and the captcha are imported at run time by URL,
 * never bundled here: their content-hashed names, read from the popup
 * build's entry list, are baked in as `__OTPKIT_ENTRIES__`.
 */
export default defineConfig((): UserConfig => {
  const entriesFile = join(BUILD_CACHE, 'entries.json');
  let entries: Record<string, string>;
  try {
    entries = JSON.parse(readFileSync(entriesFile, 'utf8')) as Record<string, string>;
  } catch {
    throw new Error(`${entriesFile} is missing: build the popup first (vite.popup.config.ts)`);
  }
  return {
    ...shared,
    define: { ...shared.define, __OTPKIT_ENTRIES__: JSON.stringify(entries) },
    plugins: [...shared.plugins, terserPass({ module: false }), moduleList('script')],
    build: {
      ...shared.build,
      emptyOutDir: false, // The popup build's chunks are already there.
      lib: {
        entry: 'src/index.ts',
        formats: ['iife'],
        name: 'otpkit',
        fileName: () => 'otp-provider.js',
      },
    },
  };
});
