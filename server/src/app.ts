/**
 * `createApp(services)`: the Hono app, with its middleware and every route
 * group. The one `onError` maps errors to HTTP.
 */
import { readFile, stat } from 'node:fs/promises';
import { ERRORS } from '@otpkit/protocol';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { adminApiRoutes } from './admin-api/routes.ts';
import type { AppEnv, Services } from './app-types.ts';
import { devOutboxRoutes } from './dev/outbox-routes.ts';
import { OtpkitError } from './errors.ts';
import { widgetApiRoutes } from './widget-api/routes.ts';

const MAX_BODY_BYTES = 16 * 1024;

/** Builds the HTTP app over the services. */
export function createApp(services: Services): Hono<AppEnv> {
  const { config, log, random } = services;
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const requestId = random.hex(8);
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    await next();
  });

  // The widget script and API are used from customers' sites: resources must be cross-origin readable.
  app.use(
    '*',
    secureHeaders({
      crossOriginResourcePolicy: 'cross-origin',
      crossOriginOpenerPolicy: false,
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.use(
    '/api/v5/*',
    cors({
      origin: (origin) => origin,
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'authkey', 'tokenauth'],
      exposeHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    }),
  );

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new OtpkitError('PAYLOAD_TOO_LARGE');
      },
    }),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(await services.keys.jwks());
  });

  let script: { body: string; etag: string; mtimeMs: number } | undefined;
  app.get('/otp-provider.js', async (c) => {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(config.widgetFile);
    } catch {
      throw new OtpkitError('NOT_FOUND', 'The widget script is not built: run `pnpm build`.');
    }
    if (!script || script.mtimeMs !== info.mtimeMs) {
      script = {
        body: await readFile(config.widgetFile, 'utf8'),
        etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
        mtimeMs: info.mtimeMs,
      };
    }
    c.header('ETag', script.etag);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    if (c.req.header('if-none-match') === script.etag) return c.body(null, 304);
    return c.body(script.body, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  app.route('/api/v5/widget', widgetApiRoutes(services));
  app.route('/api/v1', adminApiRoutes(services));
  if (config.devOutbox) app.route('/dev/outbox', devOutboxRoutes(services));

  app.notFound((c) =>
    c.json({ type: 'error', code: 'NOT_FOUND', message: ERRORS.NOT_FOUND.message }, 404),
  );

  app.onError((error, c) => {
    if (error instanceof OtpkitError) {
      if (error.details.retryAfter !== undefined) {
        c.header('Retry-After', String(error.details.retryAfter));
      }
      return c.json(error.toBody(), error.status as 400);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 405 ? 'METHOD_NOT_ALLOWED' : 'INVALID_REQUEST';
      return c.json({ type: 'error', code, message: ERRORS[code].message }, error.status);
    }
    const requestId = c.var.requestId;
    log.error('unexpected error', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return c.json(
      { type: 'error', code: 'INTERNAL_ERROR', message: ERRORS.INTERNAL_ERROR.message, requestId },
      500,
    );
  });

  return app;
}
