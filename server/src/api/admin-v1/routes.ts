/**
 * `/api/v1/*`: the admin API, authenticated by an account authkey
 * (`authkey` header): widgets, their tokens, authkeys, templates, logs and analytics.
 */
import { type Context, Hono } from 'hono';
import { authenticate } from '../../core/accounts/authkeys.ts';
import { issueAuthkey, listAuthkeys, revokeAuthkey } from '../../core/accounts/manage.ts';
import {
  addTemplate,
  changeTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  previewSavedTemplate,
} from '../../core/templates/manage.ts';
import { previewTemplate, viewTemplate } from '../../core/templates/service.ts';
import { rotateSigningKey } from '../../core/tokens/keys.ts';
import {
  changeWidget,
  deleteWidget,
  getWidget,
  issueWidgetToken,
  listWidgets,
  listWidgetTokens,
  revokeWidgetToken,
} from '../../core/widgets/manage.ts';
import { createWidget, viewToken, viewWidget } from '../../core/widgets/service.ts';
import {
  PROVIDER_CHANNELS,
  PROVIDER_NAMES,
  type ProviderName,
} from '../../model/provider-names.ts';
import { OTPKIT_VERSION } from '../../platform/version.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { readBody, readBodyAs, readQueryAs, requestContext } from '../http/context.ts';
import { jsonErrors } from '../http/errors.ts';
import { passkeyAdminRoutes } from '../passkeys/routes.ts';
import { logRoutes } from './logs/routes.ts';
import { labelBody, previewBody, templateListQuery, unsavedPreviewBody } from './schemas.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const widgetRef = (c: Context<AppEnv>) => ({
  accountId: c.var.accountId,
  widgetId: c.req.param('widgetId') ?? '',
});
const templateRef = (c: Context<AppEnv>) => ({
  accountId: c.var.accountId,
  templateId: c.req.param('templateId') ?? '',
});

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
    const widgets = await listWidgets(services.widgets, { accountId: c.var.accountId });
    return c.json({ widgets: widgets.map(viewWidget) });
  });
  app.get('/widgets/:widgetId', async (c) =>
    c.json(viewWidget(await getWidget(services.widgets, widgetRef(c)))),
  );
  app.patch('/widgets/:widgetId', async (c) => {
    const patch = await readBody(c);
    return c.json(viewWidget(await changeWidget(services.widgets, { ...widgetRef(c), patch })));
  });
  app.delete('/widgets/:widgetId', async (c) => {
    await deleteWidget(services.widgets, widgetRef(c));
    return c.body(null, 204);
  });

  // Widget tokens
  app.get('/widgets/:widgetId/tokens', async (c) => {
    const tokens = await listWidgetTokens(services.widgets, widgetRef(c));
    return c.json({ tokens: tokens.map(viewToken) });
  });
  app.post('/widgets/:widgetId/tokens', async (c) => {
    const { label } = await readBodyAs(c, labelBody);
    const token = await issueWidgetToken(services.widgets, {
      ...widgetRef(c),
      label: labelOf(label),
    });
    return c.json(viewToken(token), 201);
  });
  app.delete('/widgets/:widgetId/tokens/:tokenId', async (c) => {
    await revokeWidgetToken(services.widgets, {
      ...widgetRef(c),
      tokenId: c.req.param('tokenId'),
    });
    return c.body(null, 204);
  });

  // Authkeys
  app.get('/authkeys', async (c) => {
    const keys = await listAuthkeys(services, { accountId: c.var.accountId });
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
    const { record, authkey } = await issueAuthkey(services, {
      accountId: c.var.accountId,
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
    await revokeAuthkey(services, {
      accountId: c.var.accountId,
      authkeyId: c.req.param('authkeyId'),
    });
    return c.body(null, 204);
  });

  // Delivery providers configured for the deployment (what a widget's channelProviders may list)
  app.get('/providers', (c) => {
    const seen = new Set<string>();
    const providers = services.delivery.providers.flatMap((p) => {
      if (seen.has(p.name) || !(PROVIDER_NAMES as readonly string[]).includes(p.name)) return [];
      seen.add(p.name);
      const settable = PROVIDER_CHANNELS[p.name as ProviderName];
      return [{ name: p.name, channels: p.channels.filter((ch) => settable.includes(ch)) }];
    });
    return c.json({ providers });
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
    const kid = await rotateSigningKey(services);
    return c.json({ kid }, 201);
  });

  // Templates
  app.get('/templates', async (c) => {
    const { widgetId } = readQueryAs(c, templateListQuery);
    const templates = await listTemplates(services, { accountId: c.var.accountId, widgetId });
    return c.json({ templates: templates.map(viewTemplate) });
  });
  app.post('/templates', async (c) => {
    const template = await addTemplate(services.widgets, {
      accountId: c.var.accountId,
      template: await readBody(c),
    });
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
  app.get('/templates/:templateId', async (c) =>
    c.json(viewTemplate(await getTemplate(services, templateRef(c)))),
  );
  app.patch('/templates/:templateId', async (c) => {
    const patch = await readBody(c);
    return c.json(
      viewTemplate(await changeTemplate(services.widgets, { ...templateRef(c), patch })),
    );
  });
  app.delete('/templates/:templateId', async (c) => {
    await deleteTemplate(services.widgets, templateRef(c));
    return c.body(null, 204);
  });
  app.post('/templates/:templateId/preview', async (c) => {
    const body = await readBodyAs(c, previewBody);
    return c.json(
      await previewSavedTemplate(services, {
        ...templateRef(c),
        language: body.language,
        variables: body.variables,
      }),
    );
  });

  app.onError(jsonErrors(services.log));
  return app;
}
