/**
 * The admin operations on an account's widgets and their tokens: typed
 * input in, records out, each with the codes it can throw declared beside
 * it (the OpenAPI document lists them). No HTTP here.
 */

import { ownedBy } from '../../model/owned.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { WidgetRecord, WidgetToken } from '../../store/index.ts';
import { APP_HASH_FIT_ERRORS } from '../templates/app-hash-fit.ts';
import { createWidgetToken, updateWidget, type WidgetDeps } from './service.ts';

/** Which widget of which account an operation is on. */
export interface WidgetRef {
  accountId: string;
  widgetId: string;
}

/** `getWidget` and every operation on one widget: another account's widget is missing too. */
export const GET_WIDGET_ERRORS = errorCodes('WIDGET_NOT_FOUND');

/** `createWidget`: a bad setting (each named), or an SMS too long for the app hash. */
export const CREATE_WIDGET_ERRORS = errorCodes('INVALID_REQUEST', ...APP_HASH_FIT_ERRORS);

/** `changeWidget`. */
export const CHANGE_WIDGET_ERRORS = errorCodes(...GET_WIDGET_ERRORS, ...CREATE_WIDGET_ERRORS);

/** `issueWidgetToken`: an unknown widget, or a label over 100 characters. */
export const ISSUE_WIDGET_TOKEN_ERRORS = errorCodes(...GET_WIDGET_ERRORS, 'INVALID_REQUEST');

/** `revokeWidgetToken`. */
export const REVOKE_WIDGET_TOKEN_ERRORS = errorCodes(...GET_WIDGET_ERRORS, 'TOKEN_NOT_FOUND');

/** The account's widgets. */
export async function listWidgets(
  deps: Pick<WidgetDeps, 'store'>,
  input: { accountId: string },
): Promise<WidgetRecord[]> {
  return deps.store.widgets.list(input.accountId);
}

/**
 * One widget of the account; another account's is missing too, so ids
 * cannot be probed across accounts. Throws {@link GET_WIDGET_ERRORS}.
 */
export async function getWidget(
  deps: Pick<WidgetDeps, 'store'>,
  input: WidgetRef,
): Promise<WidgetRecord> {
  return ownedBy(await deps.store.widgets.get(input.widgetId), input.accountId, 'WIDGET_NOT_FOUND');
}

/**
 * Applies a partial change to a widget's settings (nested objects merge one
 * level); the result is validated whole. Throws {@link CHANGE_WIDGET_ERRORS}.
 */
export async function changeWidget(
  deps: WidgetDeps,
  input: WidgetRef & { patch: Record<string, unknown> },
): Promise<WidgetRecord> {
  return updateWidget(deps, await getWidget(deps, input), input.patch);
}

/** Deletes a widget (its history stays; its tokens stop working). Throws {@link GET_WIDGET_ERRORS}. */
export async function deleteWidget(deps: WidgetDeps, input: WidgetRef): Promise<void> {
  const widget = await getWidget(deps, input);
  await deps.store.widgets.delete(widget.id, deps.clock.now());
}

/** A widget's live tokens, oldest first. Throws {@link GET_WIDGET_ERRORS}. */
export async function listWidgetTokens(
  deps: Pick<WidgetDeps, 'store'>,
  input: WidgetRef,
): Promise<WidgetToken[]> {
  const widget = await getWidget(deps, input);
  return deps.store.widgetTokens.list(widget.id);
}

/**
 * Another token for a widget; the token itself is in this answer only.
 * Throws {@link ISSUE_WIDGET_TOKEN_ERRORS}.
 */
export async function issueWidgetToken(
  deps: WidgetDeps,
  input: WidgetRef & { label: string | null },
): Promise<WidgetToken & { tokenAuth: string }> {
  const widget = await getWidget(deps, input);
  return createWidgetToken(deps, widget.id, input.label);
}

/** Revokes a widget's token: the next call with it is refused. Throws {@link REVOKE_WIDGET_TOKEN_ERRORS}. */
export async function revokeWidgetToken(
  deps: WidgetDeps,
  input: WidgetRef & { tokenId: string },
): Promise<void> {
  const widget = await getWidget(deps, input);
  if (!(await deps.store.widgetTokens.revoke(widget.id, input.tokenId, deps.clock.now()))) {
    throw new OtpkitError('TOKEN_NOT_FOUND');
  }
}
