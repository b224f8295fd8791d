import { defineConfig } from 'vite';

/**
 * The console: a single-page app built to console/dist, served by the otpkit
 * server at /console (history routing; unknown /console/* paths fall back to
 * index.html). `pnpm dev` proxies the API to a running server:
 * `OTPKIT_URL=http://127.0.0.1:PORT pnpm --filter @otpkit/console dev`.
 */
const target = process.env.OTPKIT_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/console/',
  // Vite 8 transforms with Oxc; the automatic JSX runtime, no Babel.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  publicDir: false,
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': target,
      '/dev': target,
      '/otp-provider.js': target,
    },
  },
});
