import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

/**
 * The widget on the wire (`pnpm bench:widget`, and `pnpm size`'s budgets):
 * what Chromium downloads, encoded, for each embed mode, under network and
 * CPU emulation. One worker, so runs never compete for the 2 cores.
 */
export default defineConfig({
  ...base,
  testDir: './wire',
  workers: 1,
  timeout: 600_000,
  use: { ...base.use, actionTimeout: 30_000, navigationTimeout: 60_000, trace: 'off' },
});
