import { defineConfig, devices } from '@playwright/test';

/**
 * Browser end-to-end tests: real otpkit server and demo site processes
 * (started in global-setup.ts), the built widget, Debian's Chromium.
 */
export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: 'list',
  timeout: 60_000,
  // Sends wait for the proof-of-work captcha, solved in the browser: seconds on a loaded 2-core machine.
  expect: { timeout: 15_000 },
  outputDir: './test-results',
  use: {
    ...devices['Desktop Chrome'],
    browserName: 'chromium',
    headless: true,
    actionTimeout: 5_000,
    navigationTimeout: 10_000,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
