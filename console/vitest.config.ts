import { defineConfig } from 'vitest/config';

/** Unit tests of the console's pure parts: `pnpm exec vitest run --project console` from the root. */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'console',
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
