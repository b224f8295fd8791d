import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { OtpkitError } from '../../platform/errors.ts';
import { silentLogger } from '../../platform/runtime.ts';
import type { AppEnv } from '../app-types.ts';
import { jsonErrors } from '../http/errors.ts';
import { auditErrorCodes } from './error-audit.ts';

/** `GET /api/v1/widgets/:widgetId` (its services declare `WIDGET_NOT_FOUND`), throwing `code`. */
function appThrowing(code: 'WIDGET_NOT_FOUND' | 'LAST_AUTHKEY'): Hono<AppEnv> {
  const admin = new Hono<AppEnv>();
  admin.get('/widgets/:widgetId', () => {
    throw new OtpkitError(code);
  });
  admin.onError(jsonErrors(silentLogger));
  const app = new Hono<AppEnv>();
  app.use('*', auditErrorCodes({ devOutbox: false }));
  app.route('/api/v1', admin);
  return app;
}

describe('auditErrorCodes', () => {
  it('lets a code the operation declares through unchanged', async () => {
    const res = await appThrowing('WIDGET_NOT_FOUND').request('/api/v1/widgets/w1');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'WIDGET_NOT_FOUND' });
  });

  it('turns a code no service of the operation declares into a 500 naming it', async () => {
    const res = await appThrowing('LAST_AUTHKEY').request('/api/v1/widgets/w1');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('INTERNAL_ERROR');
    expect(body.message).toContain('get /api/v1/widgets/{widgetId} answered LAST_AUTHKEY');
  });
});
