/**
 * `/api/v1/*`: the admin API, authenticated by an account authkey
 * (`authkey` header): widgets, their tokens, authkeys, templates, logs and analytics.
 */
import { Hono } from 'hono';
import { authenticate, createAuthkey } from '../../core/accounts/authkeys.ts';
import {
  createTemplate,
  getOwnedTemplate,
  inLanguage,
  previewTemplate,
  updateTemplate,
  viewTemplate,
} from '../../core/templates/service.ts';
import {
  createWidget,
  createWidgetToken,
  getOwnedWidget,
  updateWidget,
  viewToken,
  viewWidget,
} from '../../core/widgets/service.ts';
import { OtpkitError } from '../../platform/errors.ts';
import { OTPKIT_VERSION } from '../../platform/version.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { readBody, readBodyAs, readQueryAs, requestContext } from '../http/context.ts';
import { jsonErrors } from '../http/errors.ts';
import { passkeyAdminRoutes } from '../passkeys/routes.ts';
import { logRoutes } from './logs/routes.ts';
import { labelBody, previewBody, templateListQuery, unsavedPreviewBody } from './schemas.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A label as stored: trimmed, and null when empty. */
const labelOf = (label: string | null | undefined): string | null => label?.trim() || null;

/**
 * The admin API routes.
 *
 * @param trustedAccountId serve this account without an authkey (the local CLI only).
 */
export function adminApiRoutes(services: Services, trustedAccountId?: string): Hono<AppEnv> {
  const { store, clock } = services;
  const app = new Hono<AppEnv>();

  app.get('/meta', (c) =>
    c.json({
      env: services.config.env,
      devOutbox: services.config.devOutbox,
      allowAnyOrigin: services.config.allowAnyOrigin,
      publicUrl: services.config.publicUrl,
      version: OTPKIT_VERSION,
    }),
  );

  app.use('*', async (c, next) => {
    if (trustedAccountId !== undefined) {
      c.set('accountId', trustedAccountId);
      c.set('authkeyId', '');
    } else {
      const key = await authenticate(store, c.req.header('authkey'), clock.now(), {
        limits: services.otp.limits,
        ip: requestContext(c, services.config).ip,
      });
      c.set('accountId', key.accountId);
      c.set('authkeyId', key.id);
    }
    await next();
  });

  // Logs and analytics (their own folder; scoped by the account set above)
  app.route('/', logRoutes(services));
  app.route('/passkeys', passkeyAdminRoutes(services));

  // Widgets
  app.post('/widgets', async (c) => {
    const { widget, tokenAuth } = await createWidget(
      services.widgets,
      c.var.accountId,
      await readBody(c),
    );
    return c.json({ ...viewWidget(widget), tokenAuth }, 201);
  });
  app.get('/widgets', async (c) => {
    const widgets = await store.widgets.list(c.var.accountId);
    return c.json({ widgets: widgets.map(viewWidget) });
  });
  app.get('/widgets/:widgetId', async (c) => {
    const widget = await getOwnedWidget(store, c.var.accountId, c.req.param('widgetId'));
    return c.json(viewWidget(widget));
  });
  app.patch('/widgets/:widgetId', async (c) => {
    const widget = await getOwnedWidget(store, c.var.accountId, c.req.param('widgetId'));
    return c.json(viewWidget(await updateWidget(services.widgets, widget, await readBody(c))));
  });
  app.delete('/widgets/:widgetId', async (c) => {
    const widget = await getOwnedWidget(store, c.var.accountId, c.req.param('widgetId'));
    await store.widgets.delete(widget.id, clock.now());
    return c.body(null, 204);
  });

  // Widget tokens
  app.get('/widgets/:widgetId/tokens', async (c) => {
    const widget = await getOwnedWidget(store, c.var.accountId, c.req.param('widgetId'));
    return c.json({ tokens: (await store.widgetTokens.list(widget.id)).map(viewToken) });
  });
  app.post('/widgets/:widgetId/tokens', async (c) => {
    const widget = await getOwnedWidget(store, c.var.accountId, c.req.param('widgetId'));
    const { label } = await readBodyAs(c, labelBody);
    return c.json(
      viewToken(await createWidgetToken(services.widgets, widget.id, labelOf(label))),
      201,
    );
  });
  app.delete('/widgets/:widgetId/tokens/:tokenId', async (c) => {
    const widget = await getOwnedWidget(store, c.var.accountId, c.req.param('widgetId'));
    if (!(await store.widgetTokens.revoke(widget.id, c.req.param('tokenId'), clock.now()))) {
      throw new OtpkitError('TOKEN_NOT_FOUND');
    }
    return c.body(null, 204);
  });

  // Authkeys
  app.get('/authkeys', async (c) => {
    const keys = await store.authkeys.list(c.var.accountId);
    return c.json({
      authkeys: keys.map((k) => ({
        authkeyId: k.id,
        label: k.label,
        prefix: k.prefix,
        createdAt: iso(k.createdAt),
        lastUsedAt: iso(k.lastUsedAt),
        current: k.id === c.var.authkeyId,
      })),
    });
  });
  app.post('/authkeys', async (c) => {
    const { label } = await readBodyAs(c, labelBody);
    const { record, authkey } = await createAuthkey(services.widgets, c.var.accountId, {
      label: labelOf(label),
    });
    return c.json(
      {
        authkeyId: record.id,
        authkey,
        label: record.label,
        prefix: record.prefix,
        createdAt: iso(record.createdAt),
      },
      201,
    );
  });
  app.delete('/authkeys/:authkeyId', async (c) => {
    const outcome = await store.authkeys.revoke(
      c.var.accountId,
      c.req.param('authkeyId'),
      clock.now(),
    );
    if (outcome === 'not_found') throw new OtpkitError('AUTHKEY_NOT_FOUND');
    if (outcome === 'last') throw new OtpkitError('LAST_AUTHKEY');
    return c.body(null, 204);
  });

  // Access-token signing keys (deployment-wide)
  app.get('/keys', async (c) => {
    const keys = await services.keys.list();
    return c.json({
      keys: keys.map((k) => ({
        kid: k.kid,
        createdAt: iso(k.createdAt),
        retiredAt: iso(k.retiredAt),
        published: k.published,
      })),
    });
  });
  app.post('/keys/rotate', async (c) => {
    const kid = await services.keys.rotate();
    services.log.info('signing key rotated', { kid });
    return c.json({ kid }, 201);
  });

  // Templates
  app.get('/templates', async (c) => {
    const { widgetId } = readQueryAs(c, templateListQuery);
    const templates = await store.templates.list(c.var.accountId, widgetId ? { widgetId } : {});
    return c.json({ templates: templates.map(viewTemplate) });
  });
  app.post('/templates', async (c) => {
    const template = await createTemplate(services.widgets, c.var.accountId, await readBody(c));
    return c.json(viewTemplate(template), 201);
  });
  app.post('/templates/preview', async (c) => {
    const body = await readBodyAs(c, unsavedPreviewBody);
    const template = {
      channel: body.channel,
      body: body.body,
      subject: body.subject ?? null,
      unicode: body.unicode === true,
    };
    return c.json(previewTemplate(template, body.variables));
  });
  app.get('/templates/:templateId', async (c) => {
    return c.json(
      viewTemplate(await getOwnedTemplate(store, c.var.accountId, c.req.param('templateId'))),
    );
  });
  app.patch('/templates/:templateId', async (c) => {
    const template = await getOwnedTemplate(store, c.var.accountId, c.req.param('templateId'));
    return c.json(
      viewTemplate(await updateTemplate(services.widgets, template, await readBody(c))),
    );
  });
  app.delete('/templates/:templateId', async (c) => {
    const template = await getOwnedTemplate(store, c.var.accountId, c.req.param('templateId'));
    await store.templates.delete(template.id);
    return c.body(null, 204);
  });
  app.post('/templates/:templateId/preview', async (c) => {
    const template = await getOwnedTemplate(store, c.var.accountId, c.req.param('templateId'));
    const body = await readBodyAs(c, previewBody);
    const words = body.language ? inLanguage(template, body.language) : template;
    return c.json(previewTemplate({ ...template, ...words }, body.variables));
  });

  app.onError(jsonErrors(services.log));
  return app;
}
