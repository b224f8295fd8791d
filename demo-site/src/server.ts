/**
 * The demo site: a sample customer site that logs users in with the otpkit
 * widget and checks the resulting access token with `@otpkit/sdk`.
 */
import { readFile } from 'node:fs/promises';
import { serve } from '@hono/node-server';
import { isOtpkitError, type OtpkitError, verifyAccessToken } from '@otpkit/sdk';
import { Hono } from 'hono';
import {
  createWidgetSettingsSource,
  DEFAULT_OTPKIT_URL,
  DEFAULT_PORT,
  type DemoSiteOptions,
} from './config.ts';
import { renderCustomPage, renderPopupPage } from './pages.ts';

export type { DemoSiteOptions } from './config.ts';
export { demoSiteOptionsFromEnv } from './config.ts';

/** A running demo site. */
export interface DemoSite {
  /** `http://localhost:PORT`, with the real port. */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** `POST /api/login` answers. */
export type LoginResponse =
  | { ok: true; identifier: string; channel: string; verifiedAt: string }
  | { ok: false; code: string; message: string };

/** Token problems are the caller's (4xx); anything else is this site's upstream failing. */
const CLIENT_ERROR_CODES = new Set([
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_ALREADY_VERIFIED',
  'INVALID_REQUEST',
]);

/**
 * Builds the demo site's Hono app: `/`, `/custom` and `POST /api/login`.
 * Tests call `app.request()` on it without a port.
 *
 * @example
 * ```ts
 * const app = createDemoApp({ otpkitUrl: 'http://localhost:8787', widgetId, tokenAuth, authkey });
 * const response = await app.request('/');
 * ```
 */
export function createDemoApp(options: DemoSiteOptions = {}): Hono {
  const otpkitUrl = (options.otpkitUrl ?? DEFAULT_OTPKIT_URL).replace(/\/+$/, '');
  const widgetSettings = createWidgetSettingsSource(options);
  const app = new Hono();

  // No inline scripts or styles anywhere: the widget and its API come from the otpkit server.
  const otpkitOrigin = new URL(otpkitUrl).origin;
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${otpkitOrigin}`,
    `connect-src 'self' ${otpkitOrigin}`,
    `worker-src 'self' blob: ${otpkitOrigin}`,
    "style-src 'self'",
    `img-src 'self' data: ${otpkitOrigin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (c.res.headers.get('content-type')?.startsWith('text/html'))
      c.header('Content-Security-Policy', csp);
  });

  app.get('/', async (c) =>
    c.html(renderPopupPage({ otpkitUrl, settings: await widgetSettings() })),
  );
  app.get('/custom', async (c) =>
    c.html(renderCustomPage({ otpkitUrl, settings: await widgetSettings() })),
  );
  app.get('/assets/:file{(popup|custom|shared)\\.js|demo\\.css}', async (c) => {
    const file = c.req.param('file');
    const body = await readFile(new URL(`../public/${file}`, import.meta.url), 'utf8');
    return c.body(body, 200, {
      'Content-Type': file.endsWith('.css')
        ? 'text/css; charset=utf-8'
        : 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
    });
  });

  app.post('/api/login', async (c) => {
    const fail = (status: 400 | 401 | 415 | 500 | 502, code: string, message: string) =>
      c.json<LoginResponse>({ ok: false, code, message }, status);

    // A JSON body cannot be sent by a plain cross-site form, which keeps this endpoint CSRF-safe.
    if (!c.req.header('content-type')?.toLowerCase().startsWith('application/json')) {
      return fail(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send {"accessToken": "…"} as JSON.');
    }
    const body: unknown = await c.req.json().catch(() => undefined);
    const accessToken = (body as { accessToken?: unknown } | undefined)?.accessToken;
    if (typeof accessToken !== 'string' || accessToken === '') {
      return fail(400, 'INVALID_REQUEST', 'Send {"accessToken": "…"} as JSON.');
    }

    const settings = await widgetSettings();
    if (!settings.authkey) {
      return fail(500, 'INVALID_AUTHKEY', 'The demo site has no authkey: set OTPKIT_AUTHKEY.');
    }
    try {
      // The authkey covers every widget of the account: the server accepts only this site's
      // widget's tokens (and leaves another widget's unused); the check after it covers older servers.
      const verified = await verifyAccessToken(accessToken, {
        serverUrl: otpkitUrl,
        authkey: settings.authkey,
        ...(settings.widgetId && { widgetId: settings.widgetId }),
        ...(options.fetch && { fetch: options.fetch }),
      });
      if (settings.widgetId && verified.widgetId !== settings.widgetId) {
        return fail(401, 'TOKEN_INVALID', 'This access token was issued for another widget.');
      }
      return c.json<LoginResponse>({
        ok: true,
        identifier: verified.identifier,
        channel: verified.channel,
        verifiedAt: verified.verifiedAt,
      });
    } catch (error) {
      if (!isOtpkitError(error)) throw error;
      return c.json<LoginResponse>(
        { ok: false, code: error.code, message: error.message },
        loginStatus(error),
      );
    }
  });

  app.onError((error, c) => {
    console.error('demo-site:', error);
    return c.json<LoginResponse>(
      { ok: false, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' },
      500,
    );
  });

  return app;
}

function loginStatus(error: OtpkitError): 400 | 401 | 409 | 502 {
  if (CLIENT_ERROR_CODES.has(error.code)) {
    return error.status === 400 || error.status === 409 ? error.status : 401;
  }
  return 502;
}

/**
 * Starts the demo site on a port (0 picks a free one).
 *
 * @example
 * ```ts
 * const site = await startDemoSite({ port: 0, otpkitUrl: server.url, widgetId, tokenAuth, authkey });
 * console.log(site.url); // http://localhost:54321
 * await site.close();
 * ```
 */
export function startDemoSite(options: DemoSiteOptions = {}): Promise<DemoSite> {
  const app = createDemoApp(options);
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port ?? DEFAULT_PORT,
        ...(options.hostname !== undefined && { hostname: options.hostname }),
      },
      (info) => {
        server.off('error', reject);
        resolve({
          url: `http://localhost:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error ? fail(error) : done()));
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
