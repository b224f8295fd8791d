/**
 * The `otpkit` command line:
 *
 *   otpkit serve                                   start the server
 *   otpkit migrate                                 create or upgrade the database schema
 *   otpkit widget create --name N [--settings JSON]   create a widget, print it as JSON
 *   otpkit token create --widget ID                create another widget token, print it as JSON
 *
 * Configuration comes from the environment (see README).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ACCOUNT_ID } from './accounts/authkeys.ts';
import { ConfigError, loadConfig } from './config.ts';
import { cryptoRandom, jsonLogger, systemClock } from './deps.ts';
import { OtpkitError } from './errors.ts';
import { bootstrap, startServer } from './server.ts';
import { openStore, type Store } from './store/index.ts';
import { createWidget, createWidgetToken, getOwnedWidget, viewWidget } from './widgets/service.ts';

const USAGE = `Usage:
  otpkit serve
  otpkit migrate
  otpkit widget create --name NAME [--settings JSON]
  otpkit token create --widget WIDGET_ID

Configuration is read from the environment: PORT, HOST, DATABASE_URL, OTPKIT_PUBLIC_URL,
OTPKIT_SECRET, OTPKIT_AUTHKEY, NODE_ENV (see the README).`;

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve();
      case 'migrate':
        return await withStore(async () => {
          console.log('Database is up to date.');
        });
      case 'widget':
        if (sub !== 'create') break;
        return await widgetCreate(rest);
      case 'token':
        if (sub !== 'create') break;
        return await tokenCreate(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
    }
    console.error(`Unknown command: ${argv.join(' ')}\n\n${USAGE}`);
    return 2;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof OtpkitError) {
      console.error(error.message);
      return 1;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

async function withStore(run: (store: Store) => Promise<void>): Promise<number> {
  const config = loadConfig();
  const store = openStore(config.databaseUrl);
  try {
    await bootstrap(config, store, { clock: systemClock, random: cryptoRandom });
    await run(store);
    return 0;
  } finally {
    await store.close();
  }
}

async function widgetCreate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, settings: { type: 'string' } },
    strict: true,
  });
  let settings: Record<string, unknown> = {};
  if (values.settings !== undefined) {
    try {
      settings = JSON.parse(values.settings) as Record<string, unknown>;
    } catch {
      console.error('--settings must be a JSON object, e.g. --settings \'{"otpLength":4}\'');
      return 2;
    }
  }
  if (values.name === undefined && settings.name === undefined) {
    console.error(`--name is required.\n\n${USAGE}`);
    return 2;
  }
  return withStore(async (store) => {
    const { widget, tokenAuth } = await createWidget(
      { store, clock: systemClock, random: cryptoRandom },
      DEFAULT_ACCOUNT_ID,
      { ...settings, ...(values.name === undefined ? {} : { name: values.name }) },
    );
    console.log(JSON.stringify({ ...viewWidget(widget), tokenAuth }, null, 2));
  });
}

async function tokenCreate(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { widget: { type: 'string' } }, strict: true });
  if (!values.widget) {
    console.error(`--widget is required.\n\n${USAGE}`);
    return 2;
  }
  const widgetId = values.widget;
  return withStore(async (store) => {
    const widget = await getOwnedWidget(store, DEFAULT_ACCOUNT_ID, widgetId);
    const tokenAuth = await createWidgetToken(
      { store, clock: systemClock, random: cryptoRandom },
      widget.id,
    );
    console.log(JSON.stringify({ widgetId: widget.id, tokenAuth }, null, 2));
  });
}

async function serve(): Promise<number> {
  const server = await startServer({ log: jsonLogger() });
  const { url, config, report } = server;
  const lines = [
    `otpkit (${config.env}) listening on ${url}`,
    `  Widget script:  ${config.publicUrl}/otp-provider.js`,
    `  JWKS:           ${config.publicUrl}/.well-known/jwks.json`,
  ];
  if (config.devOutbox) lines.push(`  Dev outbox:     ${config.publicUrl}/dev/outbox/view`);
  if (report.newAuthkey) {
    lines.push('', `  Your authkey (shown once; it is stored hashed): ${report.newAuthkey}`);
  }
  if (report.authkeyWarning) lines.push('', `  Warning: ${report.authkeyWarning}`);
  if (report.demo) {
    lines.push(
      '',
      `  Demo widget${report.demo.created ? ' (created)' : ''}: widgetId=${report.demo.widgetId} tokenAuth=${report.demo.tokenAuth}`,
    );
  }
  console.log(lines.join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
