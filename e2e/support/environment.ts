/** What global-setup.ts started, handed to the test workers through the environment. */
export interface E2eEnvironment {
  /** The otpkit server, e.g. `http://localhost:41234`. */
  serverUrl: string;
  /** The demo site. */
  demoUrl: string;
  /** The account authkey the server was started with. */
  authkey: string;
  /** The development widget the server created (both contact points, 6 digits, 30 s resend). */
  demoWidget: { widgetId: string; tokenAuth: string };
  /** Temporary folder holding the database. */
  dataDir: string;
}

export const ENV_KEYS = { environment: 'OTPKIT_E2E_ENVIRONMENT' } as const;

/** The running system; throws when the suite was started without global-setup. */
export function e2eEnvironment(): E2eEnvironment {
  const raw = process.env[ENV_KEYS.environment];
  if (!raw) {
    throw new Error('OTPKIT_E2E_ENVIRONMENT is not set: run the tests with `playwright test`.');
  }
  return JSON.parse(raw) as E2eEnvironment;
}
