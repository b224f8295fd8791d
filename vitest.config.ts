import { defineConfig } from 'vitest/config';

// One run over every package: Node projects here, the widget with its own config (happy-dom).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          // Integration tests start real servers, floods and proof-of-work: on a loaded 2-core CI
          // machine 5 s is too tight for them, though each takes well under a second alone.
          testTimeout: 20_000,
          hookTimeout: 30_000,
          // A deprecation on any supported Node version (20, 22, 24) fails the test that hit it.
          execArgv: ['--throw-deprecation'],
          include: [
            '{protocol,server,sdk,demo-site}/src/**/*.test.ts',
            'server/test/**/*.test.ts',
            // The widget's headless client where there is no DOM (Node, like React Native).
            'widget/test/**/*.test.ts',
          ],
        },
      },
      'widget/vitest.config.ts',
      'console/vitest.config.ts',
    ],
  },
});
