import { defineConfig } from 'vitest/config';

/** Unit tests of the widget: `pnpm exec vitest run --project widget` from the root, or `vitest run` here. */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'widget',
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
