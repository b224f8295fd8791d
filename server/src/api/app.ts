/**
 * `createApp(services)`: the Hono app, with its middleware and every route
 * group. Each API surface is a sub-app with its own `onError` (http/errors.ts):
 * the server API v5 and the legacy API answer errors with HTTP 200, as
 * SendOTP does; the others with the status of the error's code.
 */
import { basename, dirname } from 'node:path';
import { ERRORS } from '@otpkit/protocol';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { OtpkitError } from '../platform/errors.ts';
import { adminApiRoutes } from './admin-v1/routes.ts';
import type { AppEnv, Services } from './app-types.ts';
import { devOutboxRoutes } from './dev/outbox-routes.ts';
import { MAX_BODY_BYTES, nulRefused } from './http/context.ts';
import { jsonErrors } from './http/errors.ts';
import { observabilityRoutes, observeRequests } from './http/observability.ts';
import {
  currentEntryFor,
  ENTRY_SCRIPT,
  IMMUTABLE,
  isHashedName,
  serveBuilt,
  withEtag,
} from './http/static-files.ts';
import { legacyApiRoutes } from './legacy/index.ts';
import { auditErrorCodes } from './openapi/error-audit.ts';
import { openApiRoutes } from './openapi/routes.ts';
import { magicLinkRoutes } from './pages/magic-link.ts';
import { hookRoutes } from './provider-reports/routes.ts';
import { serverApiRoutes } from './server-v5/index.ts';
import { widgetApiRoutes } from './widget-v5/routes.ts';

export interface AppOptions {
  /**
   * Serve the admin API for this account without an authkey. Only the local
   * CLI, which holds the database itself, uses it; never a listening server.
   */
  trustedAccountId?: string;
  /**
   * Answer a 500 for an error code the route's operation does not declare
   * (openapi/error-audit.ts). The test harness only.
   */
  auditErrorCodes?: boolean;
}

/** The widget's script routes (`/otp-provider.js`, its chunks, and SendOTP's path for them). */
const WIDGET_SCRIPT_PATH = /^\/(?:app\/assets\/otp-provider\/)?[A-Za-z0-9_.-]+\.js$/;

/** Builds the HTTP app over the services. */
export function createApp(services: Services, options: AppOptions = {}): Hono<AppEnv> {
  const { config, log } = services;
  const app = new Hono<AppEnv>();

  app.use('*', observeRequests(services));
  if (options.auditErrorCodes) app.use('*', auditErrorCodes({ devOutbox: config.devOutbox }));

  // The widget script and API are used from customers' sites: resources must be cross-origin readable.
  const secure = secureHeaders({
    crossOriginResourcePolicy: 'cross-origin',
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    // A route that sets one of these headers itself (the console, the magic-link pages) keeps its own.
    overwrite: false,
  });
  // The widget's scripts carry only the headers a script uses (CORP, nosniff: set with the
  // files below): the document-level ones would add about 250 B to every page's download.
  app.use('*', (c, next) => (WIDGET_SCRIPT_PATH.test(c.req.path) ? next() : secure(c, next)));

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new OtpkitError('PAYLOAD_TOO_LARGE');
    },
  });
  app.use('/api/*', (c, next) => {
    // bodyLimit reads c.req.raw.body, which makes @hono/node-server build a full WHATWG Request
    // (an AbortController, a web stream) for every call, GETs included. What needs no stream is
    // decided here from the headers, as bodyLimit would; a chunked body still goes through it.
    // A NUL in a path or query parameter reaches no stored value (and PostgreSQL answers it with an error).
    if (c.req.url.includes('%00')) throw nulRefused();
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > MAX_BODY_BYTES) throw new OtpkitError('PAYLOAD_TOO_LARGE');
      return next();
    }
    return limitBody(c, next);
  });

  app.route('/', observabilityRoutes(services));
  // The API description and its reference page (document new routes in openapi/groups.ts).
  app.route('/', openApiRoutes(services));

  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(await services.keys.jwks());
  });

  // The widget's scripts: the entry customers include, at a stable URL with an ETag, and the
  // content-hashed chunks of its build beside it, immutable.
  const widgetEntry = basename(config.widgetFile);
  const serveWidget = serveBuilt({
    root: dirname(config.widgetFile),
    file: (c) => {
      const name = c.req.param('file') ?? '';
      return name === 'otp-provider.js' ? widgetEntry : name;
    },
    headers: (file) => ({
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control':
        file === widgetEntry
          ? ENTRY_SCRIPT
          : isHashedName(file)
            ? IMMUTABLE
            : 'public, max-age=300',
      'Access-Control-Allow-Origin': '*',
    }),
  });
  const widgetEtag: MiddlewareHandler<AppEnv> = (c, next) =>
    c.req.param('file') === 'otp-provider.js' ? withEtag(c, next) : next();
  const widgetMissing = (c: Context<AppEnv>): Response => {
    const name = c.req.param('file') ?? '';
    if (name === 'otp-provider.js') {
      throw new OtpkitError('NOT_FOUND', 'The widget script is not built: run `pnpm build`.');
    }
    // An entry chunk of the previous build (a page still running its otp-provider.js).
    const current = currentEntryFor(dirname(config.widgetFile), name);
    if (!current) throw new OtpkitError('NOT_FOUND');
    c.header('Cache-Control', 'no-cache');
    c.header('Access-Control-Allow-Origin', '*');
    return c.redirect(current, 302);
  };
  app.get('/:file{[A-Za-z0-9_.-]+\\.js}', widgetEtag, serveWidget, widgetMissing);
  // SendOTP's script path, so a migrating page changes only the host of its script tag.
  app.get(
    '/app/assets/otp-provider/:file{[A-Za-z0-9_.-]+\\.js}',
    widgetEtag,
    serveWidget,
    widgetMissing,
  );

  // The console: hashed assets immutable; any other path is the app's page (history routing).
  const consoleHeaders = (file: string): Record<string, string> => ({
    'Cache-Control': file.startsWith('assets/') && isHashedName(file) ? IMMUTABLE : 'no-cache',
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
    'X-Frame-Options': 'DENY',
  });
  const consoleAsset = serveBuilt({
    root: config.consoleDir,
    file: (c) => {
      const path = c.req.path.replace(/^\/console\/?/, '');
      return path && !path.endsWith('/') ? path : undefined;
    },
    headers: consoleHeaders,
  });
  const consoleIndex = serveBuilt({
    root: config.consoleDir,
    file: () => 'index.html',
    headers: consoleHeaders,
  });
  const consoleEtag: MiddlewareHandler<AppEnv> = (c, next) =>
    c.req.path.startsWith('/console/assets/') ? next() : withEtag(c, next);
  const consoleMissing = (): never => {
    throw new OtpkitError('NOT_FOUND', 'The console is not built: run `pnpm build`.');
  };
  app.get('/console', consoleEtag, consoleAsset, consoleIndex, consoleMissing);
  app.get('/console/*', consoleEtag, consoleAsset, consoleIndex, consoleMissing);

  app.route('/api/v5/widget', widgetApiRoutes(services));
  app.route('/api/v5/otp', serverApiRoutes(services));
  app.route('/api', legacyApiRoutes(services));
  app.route('/api/v1', adminApiRoutes(services, options.trustedAccountId));
  app.route('/api/hooks', hookRoutes(services));
  app.route('/verify', magicLinkRoutes(services));
  if (config.devOutbox) app.route('/dev/outbox', devOutboxRoutes(services));

  // Every error body carries the request id, so a report from a user finds its log lines.
  app.notFound((c) =>
    c.json(
      {
        type: 'error',
        code: 'NOT_FOUND',
        message: ERRORS.NOT_FOUND.message,
        requestId: c.var.requestId,
      },
      404,
    ),
  );

  // The routes of this app itself (service routes, static files); each API surface has its own.
  app.onError(jsonErrors(log));

  return app;
}
