/**
 * The admin API endpoints the console calls, one function each.
 */

import type {
  Authkey,
  ConfiguredProvider,
  CreatedAuthkey,
  CreatedWidget,
  Meta,
  Passkey,
  Template,
  TemplateInput,
  TemplatePreview,
  Widget,
  WidgetSettings,
  WidgetToken,
} from '@otpkit/protocol';
import type { ApiRequest } from './client.ts';

const id = encodeURIComponent;

/** The admin API, bound to one request function. */
export interface AdminApi {
  meta(): Promise<Meta>;
  /** The delivery providers the deployment has configured, in its order. */
  listProviders(): Promise<ConfiguredProvider[]>;
  listWidgets(): Promise<Widget[]>;
  getWidget(widgetId: string): Promise<Widget>;
  createWidget(settings: Partial<WidgetSettings>): Promise<CreatedWidget>;
  updateWidget(widgetId: string, settings: Partial<WidgetSettings>): Promise<Widget>;
  deleteWidget(widgetId: string): Promise<void>;
  listTokens(widgetId: string): Promise<WidgetToken[]>;
  createToken(widgetId: string, label: string): Promise<WidgetToken>;
  revokeToken(widgetId: string, tokenId: string): Promise<void>;
  listAuthkeys(): Promise<Authkey[]>;
  createAuthkey(label: string): Promise<CreatedAuthkey>;
  revokeAuthkey(authkeyId: string): Promise<void>;
  listPasskeys(identifier: string): Promise<Passkey[]>;
  revokePasskey(passkeyId: string): Promise<Passkey>;
  listTemplates(widgetId?: string): Promise<Template[]>;
  getTemplate(templateId: string): Promise<Template>;
  createTemplate(input: TemplateInput): Promise<Template>;
  updateTemplate(templateId: string, input: Partial<TemplateInput>): Promise<Template>;
  deleteTemplate(templateId: string): Promise<void>;
  previewTemplate(
    input: Pick<TemplateInput, 'channel' | 'body' | 'subject' | 'unicode'>,
    variables?: Record<string, string>,
  ): Promise<TemplatePreview>;
}

/** Binds every endpoint to `request`. */
export function adminApi(request: ApiRequest): AdminApi {
  return {
    meta: () => request('GET', '/meta'),
    listProviders: async () =>
      (await request<{ providers: ConfiguredProvider[] }>('GET', '/providers')).providers,
    listWidgets: async () => (await request<{ widgets: Widget[] }>('GET', '/widgets')).widgets,
    getWidget: (widgetId) => request('GET', `/widgets/${id(widgetId)}`),
    createWidget: (settings) => request('POST', '/widgets', settings),
    updateWidget: (widgetId, settings) => request('PATCH', `/widgets/${id(widgetId)}`, settings),
    deleteWidget: (widgetId) => request('DELETE', `/widgets/${id(widgetId)}`),
    listTokens: async (widgetId) =>
      (await request<{ tokens: WidgetToken[] }>('GET', `/widgets/${id(widgetId)}/tokens`)).tokens,
    createToken: (widgetId, label) =>
      request('POST', `/widgets/${id(widgetId)}/tokens`, label ? { label } : {}),
    revokeToken: (widgetId, tokenId) =>
      request('DELETE', `/widgets/${id(widgetId)}/tokens/${id(tokenId)}`),
    listAuthkeys: async () => (await request<{ authkeys: Authkey[] }>('GET', '/authkeys')).authkeys,
    createAuthkey: (label) => request('POST', '/authkeys', label ? { label } : {}),
    revokeAuthkey: (authkeyId) => request('DELETE', `/authkeys/${id(authkeyId)}`),
    listPasskeys: async (identifier) =>
      (
        await request<{ passkeys: Passkey[] }>(
          'GET',
          `/passkeys?identifier=${encodeURIComponent(identifier)}`,
        )
      ).passkeys,
    revokePasskey: (passkeyId) => request('DELETE', `/passkeys/${id(passkeyId)}`),
    listTemplates: async (widgetId) =>
      (
        await request<{ templates: Template[] }>(
          'GET',
          widgetId ? `/templates?widgetId=${id(widgetId)}` : '/templates',
        )
      ).templates,
    getTemplate: (templateId) => request('GET', `/templates/${id(templateId)}`),
    createTemplate: (input) => request('POST', '/templates', input),
    updateTemplate: (templateId, input) => request('PATCH', `/templates/${id(templateId)}`, input),
    deleteTemplate: (templateId) => request('DELETE', `/templates/${id(templateId)}`),
    previewTemplate: (input, variables) =>
      request('POST', '/templates/preview', variables ? { ...input, variables } : input),
  };
}
