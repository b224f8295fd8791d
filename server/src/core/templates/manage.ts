/**
 * The admin operations on an account's templates: typed input in, records
 * out, each with the codes it can throw declared beside it (the OpenAPI
 * document lists them). No HTTP here.
 */

import { ownedBy } from '../../model/owned.ts';
import { errorCodes } from '../../platform/errors.ts';
import type { TemplateRecord } from '../../store/index.ts';
import { APP_HASH_FIT_ERRORS } from './app-hash-fit.ts';
import { inLanguage } from './compose.ts';
import { createTemplate, previewTemplate, type TemplateDeps, updateTemplate } from './service.ts';

/** Which template of which account an operation is on. */
export interface TemplateRef {
  accountId: string;
  templateId: string;
}

/** `getTemplate` and every operation on one template: another account's is missing too. */
export const GET_TEMPLATE_ERRORS = errorCodes('TEMPLATE_NOT_FOUND');

/**
 * `addTemplate`: a bad field (each named; a `widgetId` of no widget of the
 * account is one), or an SMS too long for a widget's app hash.
 */
export const ADD_TEMPLATE_ERRORS = errorCodes('INVALID_REQUEST', ...APP_HASH_FIT_ERRORS);

/** `changeTemplate`. */
export const CHANGE_TEMPLATE_ERRORS = errorCodes(...GET_TEMPLATE_ERRORS, ...ADD_TEMPLATE_ERRORS);

/** `previewSavedTemplate`. */
export const PREVIEW_TEMPLATE_ERRORS = GET_TEMPLATE_ERRORS;

/** The account's templates, newest first; `widgetId` narrows to one widget's. */
export async function listTemplates(
  deps: Pick<TemplateDeps, 'store'>,
  input: { accountId: string; widgetId?: string | undefined },
): Promise<TemplateRecord[]> {
  const { accountId, widgetId } = input;
  return deps.store.templates.list(accountId, widgetId ? { widgetId } : {});
}

/** Validates and stores a template. Throws {@link ADD_TEMPLATE_ERRORS}. */
export async function addTemplate(
  deps: TemplateDeps,
  input: { accountId: string; template: Record<string, unknown> },
): Promise<TemplateRecord> {
  return createTemplate(deps, input.accountId, input.template);
}

/**
 * One template of the account; another account's is missing too, so ids
 * cannot be probed across accounts. Throws {@link GET_TEMPLATE_ERRORS}.
 */
export async function getTemplate(
  deps: Pick<TemplateDeps, 'store'>,
  input: TemplateRef,
): Promise<TemplateRecord> {
  return ownedBy(
    await deps.store.templates.get(input.templateId),
    input.accountId,
    'TEMPLATE_NOT_FOUND',
  );
}

/** Applies a partial change; the result is validated whole. Throws {@link CHANGE_TEMPLATE_ERRORS}. */
export async function changeTemplate(
  deps: TemplateDeps,
  input: TemplateRef & { patch: Record<string, unknown> },
): Promise<TemplateRecord> {
  return updateTemplate(deps, await getTemplate(deps, input), input.patch);
}

/** Deletes a template. Throws {@link GET_TEMPLATE_ERRORS}. */
export async function deleteTemplate(deps: TemplateDeps, input: TemplateRef): Promise<void> {
  const template = await getTemplate(deps, input);
  await deps.store.templates.delete(template.id);
}

/**
 * A saved template rendered with sample values (in `language` when it has
 * that translation). Throws {@link PREVIEW_TEMPLATE_ERRORS}.
 */
export async function previewSavedTemplate(
  deps: Pick<TemplateDeps, 'store'>,
  input: TemplateRef & { language?: string | undefined; variables?: unknown },
): Promise<ReturnType<typeof previewTemplate>> {
  const template = await getTemplate(deps, input);
  const words = input.language ? inLanguage(template, input.language) : template;
  return previewTemplate({ ...template, ...words }, input.variables);
}
