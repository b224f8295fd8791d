import { defineConfig } from 'vitest/config';
import { phoneFormats, popupJsx } from './vite.shared.ts';

/** Unit tests of the widget: `pnpm exec vitest run --project widget` from the root, or `vitest run` here. */
export default defineConfig({
  // JSX through the popup's renderer, as in the builds; here Oxc strips the types of .ts too.
  oxc: { ...popupJsx, include: /\.tsx?$/ },
  // The phone layouts made from libphonenumber-js's metadata, as in the builds.
  plugins: [phoneFormats()],
  test: {
    name: 'widget',
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
