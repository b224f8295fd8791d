/**
 * The `otpkit` command line. `serve` starts the server; every other command
 * is the admin API run locally against the database (no authkey needed: the
 * CLI holds the database itself) and prints the API's JSON answer.
 *
 * Configuration comes from the environment (see README).
 */
import { readFileSync } from 'node:fs';
import { parseArgs, parseEnv } from 'node:util';
import { createApp } from './api/app.ts';
import { createServices } from './compose.ts';
import { DEFAULT_ACCOUNT_ID } from './core/accounts/authkeys.ts';
import { checkEnvironment, formatReport } from './platform/config/check.ts';
import { ConfigError, loadConfig } from './platform/config/index.ts';
import { OtpkitError } from './platform/errors.ts';
import { createLogger } from './platform/observability/index.ts';
import { cryptoRandom, systemClock } from './platform/runtime.ts';
import { OTPKIT_VERSION } from './platform/version.ts';
import { bootstrap, startServer } from './server.ts';
import { openStore } from './store/index.ts';

const USAGE = `Usage:
  otpkit serve [--dev]                               start the server (production unless NODE_ENV=development or --dev)
  otpkit migrate                                     create or upgrade the database schema
  otpkit --version                                   print the version
  otpkit config check [--env-file FILE] [--dev]      validate the environment (FILE's values win) and print it

  otpkit widget create --name NAME [--settings JSON]
  otpkit widget list
  otpkit widget get WIDGET_ID
  otpkit widget update WIDGET_ID --settings JSON
  otpkit widget delete WIDGET_ID

  otpkit token create --widget WIDGET_ID [--label LABEL]
  otpkit token list --widget WIDGET_ID
  otpkit token revoke --widget WIDGET_ID --token TOKEN_ID

  otpkit authkey create [--label LABEL]              prints the new key once
  otpkit authkey list
  otpkit authkey revoke AUTHKEY_ID

  otpkit keys rotate                                 new signing key; old ones verify until their tokens expire
  otpkit keys list

  otpkit template create --settings JSON             {name, channel, body, subject?, unicode?, senderId?, dltTemplateId?, widgetId?}
  otpkit template list [--widget WIDGET_ID]
  otpkit template get TEMPLATE_ID
  otpkit template update TEMPLATE_ID --settings JSON
  otpkit template delete TEMPLATE_ID
  otpkit template preview TEMPLATE_ID [--variables JSON]

Configuration is read from the environment: PORT, HOST, DATABASE_URL, OTPKIT_PUBLIC_URL,
OTPKIT_SECRET, OTPKIT_AUTHKEY, NODE_ENV… (every variable: docs/configuration.md).
Every command runs in production mode unless NODE_ENV=development (--dev for serve
and config check): production refuses a missing OTPKIT_PUBLIC_URL and guessable secrets.`;

class UsageError extends Error {}

interface ApiCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
}

type Flags = Record<string, string | undefined>;

function json(flag: string, value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {}
  throw new UsageError(`--${flag} must be a JSON object, e.g. --${flag} '{"otpLength":4}'`);
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`${what} is required.`);
  return encodeURIComponent(value);
}

type Command = { flags: string[]; call(id: string | undefined, f: Flags): ApiCall };

/** `<noun> get|update|delete ID` of an admin API resource at `path/ID` (update: `--settings`). */
function byIdCommands(noun: string, path: string, idName: string): Record<string, Command> {
  const at = (id: string | undefined) => `${path}/${need(id, idName)}`;
  return {
    [`${noun} get`]: { flags: [], call: (id) => ({ method: 'GET', path: at(id) }) },
    [`${noun} update`]: {
      flags: ['settings'],
      call: (id, f) => ({ method: 'PATCH', path: at(id), body: json('settings', f.settings) }),
    },
    [`${noun} delete`]: { flags: [], call: (id) => ({ method: 'DELETE', path: at(id) }) },
  };
}

/** Each command: its flags and the admin API call it makes. */
const COMMANDS: Record<string, Command> = {
  'widget create': {
    flags: ['name', 'settings'],
    call: (_, f) => {
      const body = {
        ...json('settings', f.settings),
        ...(f.name === undefined ? {} : { name: f.name }),
      };
      if (body.name === undefined) throw new UsageError('--name is required.');
      return { method: 'POST', path: '/widgets', body };
    },
  },
  'widget list': { flags: [], call: () => ({ method: 'GET', path: '/widgets' }) },
  ...byIdCommands('widget', '/widgets', 'WIDGET_ID'),
  'token create': {
    flags: ['widget', 'label'],
    call: (_, f) => ({
      method: 'POST',
      path: `/widgets/${need(f.widget, '--widget')}/tokens`,
      body: f.label === undefined ? {} : { label: f.label },
    }),
  },
  'token list': {
    flags: ['widget'],
    call: (_, f) => ({ method: 'GET', path: `/widgets/${need(f.widget, '--widget')}/tokens` }),
  },
  'token revoke': {
    flags: ['widget', 'token'],
    call: (_, f) => ({
      method: 'DELETE',
      path: `/widgets/${need(f.widget, '--widget')}/tokens/${need(f.token, '--token')}`,
    }),
  },
  'authkey create': {
    flags: ['label'],
    call: (_, f) => ({
      method: 'POST',
      path: '/authkeys',
      body: f.label === undefined ? {} : { label: f.label },
    }),
  },
  'authkey list': { flags: [], call: () => ({ method: 'GET', path: '/authkeys' }) },
  'authkey revoke': {
    flags: [],
    call: (id) => ({ method: 'DELETE', path: `/authkeys/${need(id, 'AUTHKEY_ID')}` }),
  },
  'keys rotate': { flags: [], call: () => ({ method: 'POST', path: '/keys/rotate' }) },
  'keys list': { flags: [], call: () => ({ method: 'GET', path: '/keys' }) },
  'template create': {
    flags: ['settings'],
    call: (_, f) => ({ method: 'POST', path: '/templates', body: json('settings', f.settings) }),
  },
  'template list': {
    flags: ['widget'],
    call: (_, f) => ({
      method: 'GET',
      path: `/templates${f.widget ? `?widgetId=${encodeURIComponent(f.widget)}` : ''}`,
    }),
  },
  ...byIdCommands('template', '/templates', 'TEMPLATE_ID'),
  'template preview': {
    flags: ['variables'],
    call: (id, f) => ({
      method: 'POST',
      path: `/templates/${need(id, 'TEMPLATE_ID')}/preview`,
      body: { variables: json('variables', f.variables) },
    }),
  },
};

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    if (command === 'serve') return await serve(devFlag([sub, ...rest].filter(isDefined)));
    if (command === 'migrate') {
      await runAdmin(undefined);
      console.log('Database is up to date.');
      return 0;
    }
    if (command === 'config' && sub === 'check') return configCheck(rest);
    if (command === '--version' || command === '-v' || command === 'version') {
      console.log(`otpkit ${OTPKIT_VERSION}`);
      return 0;
    }
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    }
    const spec = COMMANDS[`${command} ${sub}`];
    if (!spec) throw new UsageError(`Unknown command: ${argv.join(' ')}`);
    const { values, positionals } = parseArgs({
      args: rest,
      options: Object.fromEntries(spec.flags.map((f) => [f, { type: 'string' as const }])),
      allowPositionals: true,
      strict: true,
    });
    return await runAdmin(spec.call(positionals[0], values as Flags));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof OtpkitError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

const isDefined = <T>(value: T | undefined): value is T => value !== undefined;

/** `--dev` (the only flag `serve` takes): whether development mode was asked for. */
function devFlag(args: string[]): boolean {
  const { values } = parseArgs({
    args,
    options: { dev: { type: 'boolean' } },
    allowPositionals: false,
    strict: true,
  });
  return values.dev === true;
}

/** The environment with development mode asked for on the command line. */
const withDev = (env: Record<string, string | undefined>, dev: boolean) =>
  dev ? { ...env, NODE_ENV: 'development' } : env;

/** `otpkit config check [--env-file FILE] [--dev]`: prints every problem, or the effective configuration. */
function configCheck(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: { 'env-file': { type: 'string' }, dev: { type: 'boolean' } },
    allowPositionals: false,
    strict: true,
  });
  let env: Record<string, string | undefined> = process.env;
  const file = values['env-file'];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read --env-file ${file}: ${(error as Error).message}`);
    }
    env = { ...process.env, ...parseEnv(text) };
  }
  const report = checkEnvironment(withDev(env, values.dev === true));
  const text = formatReport(report);
  if (report.problems.length > 0) {
    console.error(text);
    return 1;
  }
  console.log(text);
  return 0;
}

/** Opens the store (bootstrapping it), makes one admin API call in process, prints the answer. */
async function runAdmin(call: ApiCall | undefined): Promise<number> {
  const config = loadConfig();
  const store = openStore(config.databaseUrl);
  try {
    const { secret } = await bootstrap(config, store, { clock: systemClock, random: cryptoRandom });
    if (!call) {
      // `migrate` also makes the first signing key, so instances started after it sign with one key.
      const services = createServices(config, store, secret);
      try {
        await services.keys.current();
      } finally {
        services.close();
      }
      return 0;
    }
    const app = createApp(createServices(config, store, secret), {
      trustedAccountId: DEFAULT_ACCOUNT_ID,
    });
    const response = await app.request(`/api/v1${call.path}`, {
      method: call.method,
      ...(call.body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      const error = JSON.parse(text) as {
        message: string;
        fields?: { path: string; message: string }[];
      };
      console.error(error.message);
      return 1;
    }
    console.log(text ? JSON.stringify(JSON.parse(text), null, 2) : 'Done.');
    return 0;
  } finally {
    await store.close();
  }
}

async function serve(dev: boolean): Promise<number> {
  const env = withDev(process.env, dev);
  const log = createLogger({ level: loadConfig(env).logLevel });
  // A crash still leaves a structured line saying why.
  process.on('uncaughtException', (error) => {
    log.error('uncaught exception', { error });
    log.flush();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    log.error('unhandled rejection', { error });
  });
  const server = await startServer({ log, env });
  const { url, config, report } = server;
  log.info('listening', { url, env: config.env, worker: config.delivery.worker });
  const lines = [
    `otpkit (${config.env}) listening on ${url}`,
    `  Console:        ${config.publicUrl}/console`,
    `  Widget script:  ${config.publicUrl}/otp-provider.js`,
    `  JWKS:           ${config.publicUrl}/.well-known/jwks.json`,
  ];
  if (config.devOutbox) lines.push(`  Dev outbox:     ${config.publicUrl}/dev/outbox/view`);
  if (report.newAuthkey) {
    lines.push('', `  Your authkey (shown once; it is stored hashed): ${report.newAuthkey}`);
  }
  if (report.authkeyWarning) lines.push('', `  Warning: ${report.authkeyWarning}`);
  if (config.env === 'production' && config.allowAnyOrigin) {
    const warning =
      'OTPKIT_ALLOW_ANY_ORIGIN=true: any site may use a widget that lists no allowedOrigins';
    log.warn(warning);
    lines.push('', `  Warning: ${warning}.`);
  }
  if (report.demo) {
    lines.push(
      '',
      `  Demo widget${report.demo.created ? ' (created)' : ''}: widgetId=${report.demo.widgetId} tokenAuth=${report.demo.tokenAuth}`,
    );
  }
  console.log(lines.join('\n'));
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('signal received: draining', { signal });
  // A second signal means "now": no more waiting for requests in flight.
  const now = (second: NodeJS.Signals) => {
    log.error('second signal: exiting without draining', { signal: second });
    log.flush();
    process.exit(1);
  };
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  const { forced } = await server.close();
  log.flush();
  if (forced) process.exit(1);
  return 0;
}
