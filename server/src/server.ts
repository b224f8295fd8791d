/**
 * Starting otpkit: open the store, bootstrap what a first start needs
 * (secret, account, authkey, signing key, demo widget), and listen.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { createServer as createHttpServer, ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from './api/app.ts';
import type { AppEnv, Services } from './api/app-types.ts';
import { createOriginFormServer } from './api/http/request-target.ts';
import { createServices, type ServiceOverrides } from './compose.ts';
import { createAuthkey, DEFAULT_ACCOUNT_ID, hashAuthkey } from './core/accounts/authkeys.ts';
import { startRetentionJob } from './core/logs/retention.ts';
import { createWidget } from './core/widgets/service.ts';
import {
  type Config,
  ConfigError,
  DELIVERY_PROVIDER_HINT,
  type HttpLimits,
  hasDeliveryProvider,
  loadConfig,
} from './platform/config/index.ts';
import { type Clock, type Logger, type Random, runtimeOf } from './platform/runtime.ts';
import { openStore, type Store } from './store/index.ts';

/** What a first start created and must show once. */
export interface BootstrapReport {
  /** A newly generated authkey (never shown again), if one was created. */
  newAuthkey?: string;
  /** A warning about OTPKIT_AUTHKEY, if it was ignored. */
  authkeyWarning?: string;
  /** The demo widget (development only). */
  demo?: { widgetId: string; tokenAuth: string; created: boolean };
}

const DEMO_WIDGET_KEY = 'demo_widget';

/** How long a start waits for Redis (`REDIS_URL`) to answer before it gives up. */
const REDIS_READY_TIMEOUT_MS = 15_000;

/**
 * Prepares a store for serving: schema, secret, default account and its
 * authkey, and in development a demo widget. Idempotent.
 */
export async function bootstrap(
  config: Config,
  store: Store,
  deps: { clock: Clock; random: Random },
): Promise<{ secret: string; report: BootstrapReport }> {
  await store.migrate();
  const report: BootstrapReport = {};
  const secret =
    config.secret ?? (await store.settings.setIfAbsent('dev_secret', deps.random.token(48)));
  const account = await store.accounts.ensureDefault(DEFAULT_ACCOUNT_ID, deps.clock.now());

  if ((await store.authkeys.countForAccount(account.id)) === 0) {
    const { authkey } = await createAuthkey({ store, ...deps }, account.id, {
      label: config.authkey ? 'OTPKIT_AUTHKEY' : 'First start',
      ...(config.authkey ? { authkey: config.authkey } : {}),
    });
    if (!config.authkey) report.newAuthkey = authkey;
  } else if (
    config.authkey &&
    (await store.authkeys.use(hashAuthkey(config.authkey), deps.clock.now()))?.accountId !==
      account.id
  ) {
    report.authkeyWarning =
      'OTPKIT_AUTHKEY is ignored: the account already has an authkey, and this is not it.';
  }

  if (config.env !== 'production') {
    const existing = await store.settings.get(DEMO_WIDGET_KEY);
    if (existing) {
      const demo = JSON.parse(existing) as { widgetId: string; tokenAuth: string };
      report.demo = { ...demo, created: false };
    } else {
      const { widget, tokenAuth } = await createWidget({ store, ...deps, secret }, account.id, {
        name: 'otpkit demo',
        contactPoints: ['mobile', 'email'],
        retryChannels: { mobile: ['sms', 'voice', 'whatsapp'], email: ['email'] },
      });
      const stored = await store.settings.setIfAbsent(
        DEMO_WIDGET_KEY,
        JSON.stringify({ widgetId: widget.id, tokenAuth }),
      );
      report.demo = {
        ...(JSON.parse(stored) as { widgetId: string; tokenAuth: string }),
        created: true,
      };
    }
  }
  return { secret, report };
}

export interface StartOptions extends ServiceOverrides {
  /** Environment to read the configuration from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** A running otpkit server. */
export interface RunningServer {
  /** Where it listens, e.g. `http://localhost:8787`. */
  url: string;
  config: Config;
  services: Services;
  app: Hono<AppEnv>;
  report: BootstrapReport;
  /**
   * Graceful shutdown: `/readyz` turns 503 (for `OTPKIT_SHUTDOWN_DELAY_SECONDS`
   * while still serving), then the listener closes (new connections are
   * refused), requests in flight finish and the worker completes the
   * message it is sending, all within `OTPKIT_SHUTDOWN_TIMEOUT_SECONDS`;
   * past it, connections are cut (`forced`). Then the store closes.
   * Calling it again returns the same shutdown.
   */
  close(): Promise<{ forced: boolean }>;
}

/**
 * Starts otpkit: the factory behind `otpkit serve`, also used by end-to-end
 * tests (with `PORT=0` for a free port).
 *
 * @throws ConfigError for invalid configuration or a production set-up that cannot deliver codes.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  let config = loadConfig(options.env ?? process.env);
  const providers = options.providers ?? [];
  if (config.env === 'production' && providers.length === 0 && !hasDeliveryProvider(config)) {
    throw new ConfigError(
      'No delivery provider is configured, and the development outbox is off in production: otpkit cannot send codes. ' +
        `Set ${DELIVERY_PROVIDER_HINT}, ` +
        'or run with NODE_ENV=development (or `otpkit serve --dev`) to use the outbox.',
    );
  }
  const { clock, random, log } = runtimeOf(options);
  const store = openStore(config.databaseUrl);
  try {
    const { secret, report } = await bootstrap(config, store, { clock, random });
    if (report.demo) writeDemoFile(config, report.demo, log);

    let app: Hono<AppEnv> | undefined;
    const server = serve({
      fetch: (request, env) =>
        app ? app.fetch(request, env) : new Response(null, { status: 503 }),
      port: config.port,
      hostname: config.host,
      // Clients reaching otpkit through HTTPS_PROXY send absolute-form targets.
      // @hono/node-server calls it as createServer(serverOptions, listener), the form it implements.
      createServer: createOriginFormServer as typeof createHttpServer,
      serverOptions: httpServerOptions(config.http),
    });
    // Past the cap Node closes a new connection as soon as it is accepted.
    (server as unknown as { maxConnections: number }).maxConnections = config.http.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://localhost:${port}`;
    if (!config.publicUrlSet) {
      config = Object.freeze({ ...config, port, publicUrl: url });
      // Each instance would then issue tokens under its own address, which the others refuse.
      if (/^postgres(ql)?:/.test(config.databaseUrl)) {
        log.warn(
          'OTPKIT_PUBLIC_URL is not set: instances sharing this database must all set it to the same public address (the reverse proxy)',
          { publicUrl: url },
        );
      }
    }
    const services = createServices(config, store, secret, {
      processMetrics: true,
      ...options,
      clock,
      random,
      log,
      providers,
    });
    try {
      // The rate limits queue no command while Redis is down: the first calls would fail.
      await services.redis?.ready(REDIS_READY_TIMEOUT_MS);
      await services.keys.current();
    } catch (error) {
      services.close();
      server.close();
      throw error;
    }
    app = createApp(services);
    if (config.delivery.worker) services.worker.start();
    const retention = startRetentionJob(services, config.logRetentionDays);
    const http = server as unknown as {
      closeIdleConnections(): void;
      closeAllConnections(): void;
    };

    const shutdown = async (): Promise<{ forced: boolean }> => {
      const { delaySeconds, timeoutSeconds } = config.shutdown;
      services.lifecycle.beginShutdown();
      log.info('shutting down', { delaySeconds, timeoutSeconds });
      // Load balancers see /readyz fail and stop routing here while requests are still served.
      if (delaySeconds > 0) await new Promise((r) => setTimeout(r, delaySeconds * 1000));
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection turns idle once its request is answered: close those as they go.
      http.closeIdleConnections();
      const reaper = setInterval(() => http.closeIdleConnections(), 100);
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        // The worker finishes the messages it holds; what is still queued waits in the store.
        Promise.all([httpClosed, services.worker.stop(), retention.stop()]).then(() => 'done'),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
        }),
      ]);
      clearTimeout(timer);
      clearInterval(reaper);
      const forced = outcome === 'timeout';
      if (forced) {
        log.error('shutdown timed out: cutting the connections still open', { timeoutSeconds });
        http.closeAllConnections();
      }
      services.delivery.close();
      services.close();
      await store.close();
      log.info('stopped', { forced });
      return { forced };
    };
    let closing: Promise<{ forced: boolean }> | undefined;

    return {
      url,
      config,
      services,
      app,
      report,
      close: () => {
        closing ??= shutdown();
        return closing;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The timeouts that keep a slow client (one that trickles its headers or
 * body, or idles on a keep-alive connection) from holding a socket. Node
 * enforces the header and request timeouts on a sweep every
 * `connectionsCheckingInterval` (30 s by default, which would let a 10 s
 * limit run to 40 s), so the sweep runs every second, or twice per
 * headers timeout when that is shorter.
 */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 2)),
  };
}

/** Writes the demo widget's credentials beside the database, for the demo site. */
function writeDemoFile(
  config: Config,
  demo: { widgetId: string; tokenAuth: string },
  log: Logger,
): void {
  try {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(
      join(config.dataDir, 'demo-widget.json'),
      `${JSON.stringify({ widgetId: demo.widgetId, tokenAuth: demo.tokenAuth }, null, 2)}\n`,
    );
  } catch (error) {
    log.warn('could not write demo-widget.json', { error: String(error) });
  }
}
