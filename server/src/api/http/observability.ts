/**
 * The HTTP side of observability: the request id (taken from a trusted-looking
 * `X-Request-Id` or made up), the access log line and the request metrics of
 * every request, and the `/healthz`, `/readyz` and `/metrics` routes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { OtpkitError } from '../../platform/errors.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { isLoopbackClient } from './context.ts';
import { checkReadiness } from './health.ts';

/** An id a proxy in front may pass on, so one id follows a request through both logs. */
const INCOMING_REQUEST_ID = /^[\w.:-]{8,64}$/;

/** Routes probed every few seconds: their successful access lines are debug, not info. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** Methods kept as metric labels; anything else a client invents counts as `OTHER`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route pattern that answered (`/verify/:token`), never the raw path, which may hold a secret. */
export function routeOf(c: Context): string {
  const route = matchedRoutes(c)[c.req.routeIndex];
  // Only middleware ran (`use` routes match every method): nothing handled this path.
  if (!route || route.method === 'ALL') return 'unmatched';
  return route.path;
}

/**
 * Gives each request an id (header `X-Request-Id`, every log line, every
 * error body), then logs one access line and counts it in the metrics.
 */
export function observeRequests(services: Services): MiddlewareHandler<AppEnv> {
  const { log, metrics, random } = services;
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_REQUEST_ID.test(incoming) ? incoming : random.hex(8);
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routeOf(c);
    const status = c.res.status;
    const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
    metrics.httpRequest({ route, method, status }, seconds);
    const line = {
      requestId,
      method,
      route,
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
    };
    // A probe that fails (a wrong metrics token, not ready) is worth seeing at info.
    if (PROBES.has(route) && status < 400) log.debug('request', line);
    else log.info('request', line);
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `/healthz` (the process is up), `/readyz` (it should get traffic) and
 * `/metrics` (Prometheus text, behind `OTPKIT_METRICS_TOKEN`).
 */
export function observabilityRoutes(services: Services): Hono<AppEnv> {
  const { config, metrics } = services;
  const app = new Hono<AppEnv>();
  const expected = config.metricsToken ? sha256(config.metricsToken) : undefined;

  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });

  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    const { ready, checks } = await checkReadiness(services);
    if (ready) return c.json({ status: 'ready', checks });
    return c.json(
      {
        status: 'not_ready',
        type: 'error',
        code: 'NOT_READY',
        message: `Not ready: ${Object.entries(checks)
          .filter(([, check]) => !check.ok)
          .map(([name]) => name)
          .join(', ')}.`,
        checks,
        requestId: c.var.requestId,
      },
      503,
    );
  });

  app.get('/metrics', async (c) => {
    if (expected) {
      const header = c.req.header('authorization') ?? '';
      const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
      // Hashing first gives equal lengths, so the comparison is constant time whatever was sent.
      if (!timingSafeEqual(sha256(given), expected)) {
        c.header('WWW-Authenticate', 'Bearer realm="otpkit metrics"');
        throw new OtpkitError('INVALID_METRICS_TOKEN');
      }
    } else if (!isLoopbackClient(c, config)) {
      throw new OtpkitError(
        'INVALID_METRICS_TOKEN',
        'Set OTPKIT_METRICS_TOKEN to scrape /metrics from another host; without it only this machine may.',
      );
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
  });

  return app;
}
