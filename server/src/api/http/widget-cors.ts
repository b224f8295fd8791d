/**
 * CORS for the widget API. A preflight cannot say which widget it is for,
 * so it is answered for any page (it only lets the real call be sent); the
 * real answer names the calling page only when the widget allows it, and
 * otherwise names the widget's first allowed origin, so a browser on
 * another site cannot read it.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-types.ts';

export function widgetCors(options: { ownOrigin: string }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      const headers: Record<string, string> = { Vary: 'Origin' };
      if (origin) {
        headers['Access-Control-Allow-Origin'] = origin;
        headers['Access-Control-Allow-Methods'] = 'GET, POST, OPTIONS';
        headers['Access-Control-Allow-Headers'] = 'Content-Type, authkey, tokenauth';
        headers['Access-Control-Max-Age'] = '600';
      }
      return c.body(null, 204, headers);
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (!origin) return;
    const allowed = c.get('allowedOrigins') ?? [];
    const open = allowed.length === 0 || allowed.includes(origin) || origin === options.ownOrigin;
    c.res.headers.set('Access-Control-Allow-Origin', open ? origin : allowed[0]!);
    c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After, X-Request-Id');
  };
}
