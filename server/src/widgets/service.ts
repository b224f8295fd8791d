/**
 * Widgets: creation, lookup, tokens, and the check that a caller may use a
 * widget (by its public token, or by the owning account's authkey).
 */
import type { Clock, Random } from '../deps.ts';
import { OtpkitError } from '../errors.ts';
import type { Store, WidgetRecord } from '../store/index.ts';
import { type WidgetSettings, widgetSettingsSchema } from './settings.ts';
import { fieldErrors } from './validation.ts';

export interface WidgetDeps {
  store: Store;
  clock: Clock;
  random: Random;
}

/** A widget as the admin API shows it. */
export type WidgetView = { widgetId: string } & WidgetSettings & {
    createdAt: string;
    updatedAt: string;
  };

/** The admin view of a widget record. */
export function viewWidget(widget: WidgetRecord): WidgetView {
  return {
    widgetId: widget.id,
    ...widget.settings,
    createdAt: new Date(widget.createdAt).toISOString(),
    updatedAt: new Date(widget.updatedAt).toISOString(),
  };
}

/**
 * Validates settings and creates a widget with its first token.
 *
 * @throws OtpkitError `INVALID_REQUEST` naming each bad field.
 */
export async function createWidget(
  deps: WidgetDeps,
  accountId: string,
  input: unknown,
): Promise<{ widget: WidgetRecord; tokenAuth: string }> {
  const parsed = widgetSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) throw fieldErrors(parsed.error);
  const now = deps.clock.now();
  const widget: WidgetRecord = {
    id: deps.random.hex(12),
    accountId,
    settings: parsed.data,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.widgets.insert(widget);
  const tokenAuth = await createWidgetToken(deps, widget.id);
  return { widget, tokenAuth };
}

/** Issues another token for a widget (tokens are public: they go in web pages). */
export async function createWidgetToken(deps: WidgetDeps, widgetId: string): Promise<string> {
  const token = `${deps.random.hex(3)}T${deps.random.token(18)}`;
  await deps.store.widgetTokens.insert({ token, widgetId, createdAt: deps.clock.now() });
  return token;
}

/**
 * A widget of the given account. Another account's widget is reported as
 * missing, so ids cannot be probed across accounts.
 *
 * @throws OtpkitError `WIDGET_NOT_FOUND`
 */
export async function getOwnedWidget(
  store: Store,
  accountId: string,
  widgetId: string,
): Promise<WidgetRecord> {
  const widget = await store.widgets.get(widgetId);
  if (!widget || widget.accountId !== accountId) throw new OtpkitError('WIDGET_NOT_FOUND');
  return widget;
}

/**
 * Resolves the widget a widget-API call names and checks its credential:
 * the widget's token, or else an authkey of the owning account.
 *
 * @throws OtpkitError `INVALID_REQUEST`, `WIDGET_NOT_FOUND`, `INVALID_TOKEN_AUTH`, `INVALID_AUTHKEY`
 */
export async function authorizeWidget(
  store: Store,
  credentials: { widgetId: unknown; tokenAuth?: unknown; accountId?: string | undefined },
): Promise<WidgetRecord> {
  const { widgetId, tokenAuth, accountId } = credentials;
  if (typeof widgetId !== 'string' || widgetId.length === 0 || widgetId.length > 100) {
    throw new OtpkitError('INVALID_REQUEST', 'widgetId is required.', {
      fields: [{ path: 'widgetId', message: 'is required' }],
    });
  }
  const widget = await store.widgets.get(widgetId);
  if (!widget) throw new OtpkitError('WIDGET_NOT_FOUND');
  if (accountId !== undefined) {
    if (widget.accountId !== accountId) throw new OtpkitError('WIDGET_NOT_FOUND');
    return widget;
  }
  if (typeof tokenAuth !== 'string' || tokenAuth.length === 0 || tokenAuth.length > 200) {
    throw new OtpkitError('INVALID_TOKEN_AUTH', 'tokenAuth is required.');
  }
  if (!(await store.widgetTokens.isValid(widget.id, tokenAuth))) {
    throw new OtpkitError('INVALID_TOKEN_AUTH');
  }
  return widget;
}
