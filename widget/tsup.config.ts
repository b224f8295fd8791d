import { defineConfig } from 'tsup';

/**
 * The npm package's declarations only (`dist/npm/index.d.ts`, `client.d.ts`);
 * the JavaScript comes from vite.lib.config.ts. The types of the private
 * `@otpkit/protocol` are inlined, so the package needs nothing unpublished.
 */
export default defineConfig({
  entry: { index: 'src/bundler.ts', client: 'src/headless.ts' },
  format: ['esm'],
  outDir: 'dist/npm',
  clean: false,
  dts: {
    only: true,
    resolve: ['@otpkit/protocol'],
    compilerOptions: { paths: { '@otpkit/protocol': ['../protocol/src/index.ts'] } },
  },
});
