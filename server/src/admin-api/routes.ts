/**
 * `/api/v1/*`: the admin API, authenticated by the account authkey
 * (`authkey` header). Widgets and their tokens.
 */
import { Hono } from 'hono';
import { accountForAuthkey } from '../accounts/authkeys.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { readBody } from '../http/context.ts';
import { createWidget, createWidgetToken, getOwnedWidget, viewWidget } from '../widgets/service.ts';

/** The admin API routes. */
export function adminApiRoutes(services: Services): Hono<AppEnv> {
  const { store } = services;
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('accountId', await accountForAuthkey(store, c.req.header('authkey')));
    await next();
  });

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
    return c.json({ ...viewWidget(widget), tokens: await store.widgetTokens.list(widget.id) });
  });

  app.post('/widgets/:widgetId/tokens', async (c) => {
    const widget = await getOwnedWidget(store, c.var.accountId, c.req.param('widgetId'));
    return c.json({ tokenAuth: await createWidgetToken(services.widgets, widget.id) }, 201);
  });

  return app;
}
