import { defineConfig } from 'vitest/config';

// The compatibility suite: SendOTP's own client packages against a real otpkit server.
export default defineConfig({
  test: {
    name: 'compat',
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    // Each file starts its own server and patches process-wide state (fetch, HTTPS_PROXY).
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
