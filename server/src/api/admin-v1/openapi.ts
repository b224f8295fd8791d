/** The admin API's operations for the OpenAPI document (`/openapi.json`). */
import { z } from 'zod';
import { REVOKE_AUTHKEY_ERRORS } from '../../core/accounts/manage.ts';
import {
  ADD_TEMPLATE_ERRORS,
  CHANGE_TEMPLATE_ERRORS,
  GET_TEMPLATE_ERRORS,
  PREVIEW_TEMPLATE_ERRORS,
} from '../../core/templates/manage.ts';
import { templateSchema } from '../../core/templates/service.ts';
import {
  CHANGE_WIDGET_ERRORS,
  CREATE_WIDGET_ERRORS,
  GET_WIDGET_ERRORS,
  ISSUE_WIDGET_TOKEN_ERRORS,
  REVOKE_WIDGET_TOKEN_ERRORS,
} from '../../core/widgets/manage.ts';
import { widgetSettingsSchema } from '../../model/widget-settings.ts';
import {
  admin,
  created,
  deleted,
  errorsOf,
  ok,
  type RouteGroup,
} from '../http/openapi-registry.ts';
import {
  authkeyView,
  createdAuthkey,
  labelBody,
  metaView,
  previewBody,
  previewView,
  providerView,
  signingKeyView,
  templateListQuery,
  templatePatchBody,
  templateView,
  tokenView,
  unsavedPreviewBody,
  widgetPatchBody,
  widgetView,
} from './schemas.ts';

/** A body or query the route's schema refuses (each bad field named). */
const READ_BODY = ['INVALID_REQUEST'] as const;
const READ_QUERY = READ_BODY;

const WIDGET_ID = { widgetId: 'The widget id.' };
const TEMPLATE_ID = { templateId: 'The template id.' };

/** `/api/v1/*` without logs and analytics (see logs/openapi.ts). */
export const ADMIN_API_DOCS: RouteGroup = {
  tag: 'Admin API',
  description:
    'Widgets, their tokens, authkeys, signing keys and templates, for the account whose `authkey` header the call carries. The console and the CLI use it.',
  prefix: '/api/v1',
  routes: [
    {
      method: 'get',
      path: '/meta',
      operationId: 'getMeta',
      summary: 'Describe the server (no authkey)',
      response: ok('What the console needs to know.', metaView),
      errors: [],
    },
    admin({
      method: 'post',
      path: '/widgets',
      operationId: 'createWidget',
      summary: 'Create a widget',
      description:
        'Creates a widget with its first token (`tokenAuth`, shown once). Every setting but `name` has a default; see docs/configuration.md.',
      body: widgetSettingsSchema,
      response: created(
        'The widget, with its first token.',
        widgetView.extend({ tokenAuth: z.string().describe('Shown once.') }),
      ),
      errors: CREATE_WIDGET_ERRORS,
    }),
    admin({
      method: 'get',
      path: '/widgets',
      operationId: 'listWidgets',
      summary: 'List widgets',
      response: ok('The account’s widgets.', z.object({ widgets: z.array(widgetView) })),
      errors: [],
    }),
    admin({
      method: 'get',
      path: '/widgets/:widgetId',
      operationId: 'getWidget',
      summary: 'Read a widget',
      params: WIDGET_ID,
      response: ok('The widget.', widgetView),
      errors: GET_WIDGET_ERRORS,
    }),
    admin({
      method: 'patch',
      path: '/widgets/:widgetId',
      operationId: 'updateWidget',
      summary: 'Change a widget',
      description:
        'Any subset of the settings; nested objects (`primaryChannel`, `retryChannels`, `captcha`) merge one level, the maps keyed by country or channel (`countryChannels`, `channelProviders`, `countryProviders`) are replaced whole. The result is validated as a whole.',
      params: WIDGET_ID,
      body: widgetPatchBody,
      response: ok('The changed widget.', widgetView),
      errors: CHANGE_WIDGET_ERRORS,
    }),
    admin({
      method: 'delete',
      path: '/widgets/:widgetId',
      operationId: 'deleteWidget',
      summary: 'Delete a widget',
      params: WIDGET_ID,
      response: deleted,
      errors: GET_WIDGET_ERRORS,
    }),
    admin({
      method: 'get',
      path: '/widgets/:widgetId/tokens',
      operationId: 'listWidgetTokens',
      summary: 'List a widget’s tokens',
      params: WIDGET_ID,
      response: ok('The tokens (never the secrets).', z.object({ tokens: z.array(tokenView) })),
      errors: GET_WIDGET_ERRORS,
    }),
    admin({
      method: 'post',
      path: '/widgets/:widgetId/tokens',
      operationId: 'createWidgetToken',
      summary: 'Create a widget token',
      params: WIDGET_ID,
      body: labelBody,
      response: created('The token, shown once.', tokenView),
      errors: ISSUE_WIDGET_TOKEN_ERRORS,
    }),
    admin({
      method: 'delete',
      path: '/widgets/:widgetId/tokens/:tokenId',
      operationId: 'revokeWidgetToken',
      summary: 'Revoke a widget token',
      description: 'The next request with it gets `INVALID_TOKEN_AUTH`.',
      params: { ...WIDGET_ID, tokenId: 'The token id.' },
      response: deleted,
      errors: REVOKE_WIDGET_TOKEN_ERRORS,
    }),
    admin({
      method: 'get',
      path: '/authkeys',
      operationId: 'listAuthkeys',
      summary: 'List authkeys',
      response: ok(
        'The account’s authkeys (never the keys).',
        z.object({ authkeys: z.array(authkeyView) }),
      ),
      errors: [],
    }),
    admin({
      method: 'post',
      path: '/authkeys',
      operationId: 'createAuthkey',
      summary: 'Create an authkey',
      body: labelBody,
      response: created('The key, shown once (stored hashed).', createdAuthkey),
      errors: READ_BODY,
    }),
    admin({
      method: 'delete',
      path: '/authkeys/:authkeyId',
      operationId: 'revokeAuthkey',
      summary: 'Revoke an authkey',
      params: { authkeyId: 'The authkey id.' },
      response: deleted,
      errors: REVOKE_AUTHKEY_ERRORS,
    }),
    admin({
      method: 'get',
      path: '/providers',
      operationId: 'listProviders',
      summary: 'List the configured delivery providers',
      description:
        'The providers this deployment has configured, each with the channels a widget may choose it for in `channelProviders` and `countryProviders` (in the order the deployment tries them when a widget names none).',
      response: ok('The configured providers.', z.object({ providers: z.array(providerView) })),
      errors: [],
    }),
    admin({
      method: 'get',
      path: '/keys',
      operationId: 'listSigningKeys',
      summary: 'List access-token signing keys',
      response: ok('Deployment-wide signing keys.', z.object({ keys: z.array(signingKeyView) })),
      errors: [],
    }),
    admin({
      method: 'post',
      path: '/keys/rotate',
      operationId: 'rotateSigningKey',
      summary: 'Rotate the signing key',
      description:
        'New tokens are signed with a new key; the old one stays in the JWKS until its last token has expired.',
      response: created('The new key id.', z.object({ kid: z.string() })),
      errors: [],
    }),
    admin({
      method: 'get',
      path: '/templates',
      operationId: 'listTemplates',
      summary: 'List templates',
      query: templateListQuery,
      response: ok('The account’s templates.', z.object({ templates: z.array(templateView) })),
      errors: READ_QUERY,
    }),
    admin({
      method: 'post',
      path: '/templates',
      operationId: 'createTemplate',
      summary: 'Create a template',
      description:
        'A message for a channel with `##OTP##` (or `##LINK##`) and named `##variables##`; with `widgetId` it is that widget’s, else the account’s.',
      body: templateSchema,
      response: created('The template.', templateView),
      errors: ADD_TEMPLATE_ERRORS,
    }),
    admin({
      method: 'post',
      path: '/templates/preview',
      operationId: 'previewUnsavedTemplate',
      summary: 'Preview an unsaved template',
      body: unsavedPreviewBody,
      response: ok('The rendered message.', previewView),
      errors: READ_BODY,
    }),
    admin({
      method: 'get',
      path: '/templates/:templateId',
      operationId: 'getTemplate',
      summary: 'Read a template',
      params: TEMPLATE_ID,
      response: ok('The template.', templateView),
      errors: GET_TEMPLATE_ERRORS,
    }),
    admin({
      method: 'patch',
      path: '/templates/:templateId',
      operationId: 'updateTemplate',
      summary: 'Change a template',
      params: TEMPLATE_ID,
      body: templatePatchBody,
      response: ok('The changed template.', templateView),
      errors: CHANGE_TEMPLATE_ERRORS,
    }),
    admin({
      method: 'delete',
      path: '/templates/:templateId',
      operationId: 'deleteTemplate',
      summary: 'Delete a template',
      params: TEMPLATE_ID,
      response: deleted,
      errors: GET_TEMPLATE_ERRORS,
    }),
    admin({
      method: 'post',
      path: '/templates/:templateId/preview',
      operationId: 'previewTemplate',
      summary: 'Preview a template',
      params: TEMPLATE_ID,
      body: previewBody,
      response: ok('The rendered message.', previewView),
      errors: errorsOf(PREVIEW_TEMPLATE_ERRORS, READ_BODY),
    }),
  ],
};
