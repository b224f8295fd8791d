import { defineConfig } from 'tsup';

/**
 * The npm build of `@otpkit/sdk`: ESM (`dist/index.js`) and CommonJS
 * (`dist/index.cjs`), each with its own declarations. `@otpkit/protocol`
 * is private to this repository, so its code and types are bundled in;
 * `jose` stays a dependency.
 */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'neutral',
  outDir: 'dist',
  clean: true,
  sourcemap: false,
  noExternal: ['@otpkit/protocol'],
  dts: {
    resolve: ['@otpkit/protocol'],
    // Read the protocol's types from source, so they are inlined rather than imported.
    compilerOptions: { paths: { '@otpkit/protocol': ['../protocol/src/index.ts'] } },
  },
});
