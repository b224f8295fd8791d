/**
 * A check for tests: every `OtpkitError` a route answers with must be one of
 * the codes the OpenAPI document lists for the operation, which come from
 * the lists its services declare (`errorCodes(…)` beside each service
 * function). A code nobody declared turns the answer into a 500 naming it,
 * so the test that drove the path fails. The test harness turns it on
 * (`createApp(services, { auditErrorCodes: true })`); a server never does.
 */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { OtpkitError } from '../../platform/errors.ts';
import type { AppEnv } from '../app-types.ts';
import { openApiDocument, openApiPath } from './document.ts';
import { apiGroups } from './groups.ts';

/** `get /api/v1/widgets/{widgetId}` → the codes the document lists for it. */
function declaredCodes(options: { devOutbox: boolean }): Map<string, ReadonlySet<string>> {
  const doc = openApiDocument(apiGroups(options), { serverUrl: 'http://audit', version: '0' });
  const declared = new Map<string, ReadonlySet<string>>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      declared.set(`${method} ${path}`, new Set(operation['x-error-codes'] as string[]));
    }
  }
  return declared;
}

/** Refuses answers with error codes the route's operation does not declare (tests only). */
export function auditErrorCodes(options: { devOutbox: boolean }): MiddlewareHandler<AppEnv> {
  let declared: Map<string, ReadonlySet<string>> | undefined;
  return async (c, next) => {
    await next();
    const error = c.error;
    if (!(error instanceof OtpkitError)) return;
    // The route that failed, or for a middleware's refusal, the handler it stood before.
    const route = matchedRoutes(c)
      .slice(c.req.routeIndex)
      .find((r) => r.method !== 'ALL');
    if (!route) return;
    const method = c.req.method === 'HEAD' ? 'get' : c.req.method.toLowerCase();
    const operation = `${method} ${openApiPath(route.path)}`;
    declared ??= declaredCodes(options);
    const codes = declared.get(operation);
    // Not an API operation (a page, a static file).
    if (!codes || codes.has(error.code)) return;
    c.res = c.json(
      {
        type: 'error',
        code: 'INTERNAL_ERROR',
        message: `${operation} answered ${error.code}, which none of its services declares (errorCodes beside the service function).`,
        requestId: c.var.requestId,
      },
      500,
    );
  };
}
