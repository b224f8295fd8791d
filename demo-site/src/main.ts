/**
 * CLI: `tsx src/main.ts` starts the demo site with options from the
 * environment and prints `Demo site: http://localhost:PORT`.
 */
import { createWidgetSettingsSource, DEFAULT_OTPKIT_URL } from './config.ts';
import { enableDemoPasskeys } from './passkeys.ts';
import { demoSiteOptionsFromEnv, startDemoSite } from './server.ts';

let options: ReturnType<typeof demoSiteOptionsFromEnv>;
try {
  options = demoSiteOptionsFromEnv();
} catch (error) {
  console.error(`demo-site: ${(error as Error).message}`);
  process.exit(1);
}

const site = await startDemoSite(options);
console.log(`Demo site: ${site.url}`);

const settings = await createWidgetSettingsSource(options)();
if (!settings.widgetId || !settings.tokenAuth) {
  console.log(
    'No widget configured yet: start the otpkit server (`pnpm start` in the repository root) or set OTPKIT_WIDGET_ID and OTPKIT_TOKEN_AUTH.',
  );
} else if (!settings.authkey) {
  console.log('OTPKIT_AUTHKEY is not set: /api/login cannot check access tokens.');
} else if (process.env.DEMO_PASSKEYS?.trim().toLowerCase() !== 'false') {
  try {
    const setup = await enableDemoPasskeys(
      options.otpkitUrl ?? DEFAULT_OTPKIT_URL,
      site.url,
      settings,
    );
    if (setup === 'enabled') console.log(`Passkeys turned on for the demo widget (${site.url}).`);
  } catch (error) {
    console.log(`Passkeys could not be turned on for the demo widget: ${(error as Error).message}`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    site.close().finally(() => process.exit(0));
  });
}
