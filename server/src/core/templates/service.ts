/**
 * Templates: create, change, list, preview; and the message a widget sends
 * on a channel (its own template, else the account's, else the built-in).
 */
import { type Channel, SUPPORTED_LANGUAGES, TEMPLATE_CHANNELS } from '@otpkit/protocol';
import { z } from 'zod';
import { refuse } from '../../model/issues.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { Clock, Random } from '../../platform/runtime.ts';
import { fieldErrors } from '../../platform/validation.ts';
import type { Store, TemplateRecord, WidgetRecord } from '../../store/index.ts';
import { checkTemplateFitsAppHashes } from './app-hash-fit.ts';
import {
  isGsm7,
  type RenderedMessage,
  renderTemplate,
  requiredVariables,
  smsSegments,
} from './render.ts';
import { MAX_SMS_SEGMENTS, smsLength } from './sms-length.ts';

export {
  type CallerText,
  type ComposedMessage,
  composeMessage,
  inLanguage,
} from './compose.ts';

export interface TemplateDeps {
  store: Store;
  clock: Clock;
  random: Random;
}

export const templateSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    channel: z.enum(TEMPLATE_CHANNELS, {
      error: 'must be sms, whatsapp, voice or email',
    }),
    body: z.string().min(1, 'is required').max(20_000, 'must be at most 20000 characters'),
    subject: z.string().trim().max(200, 'must be at most 200 characters').nullable().default(null),
    unicode: z.boolean().default(false),
    senderId: z
      .string()
      .regex(
        /^([A-Za-z0-9 ]{3,11}|\+?\d{3,15})$/,
        'must be 3 to 11 letters or digits, or a phone number',
      )
      .nullable()
      .default(null),
    dltTemplateId: z
      .string()
      .regex(/^\d{1,30}$/, 'must be digits')
      .nullable()
      .default(null),
    widgetId: z.string().min(1).max(100).nullable().default(null),
    translations: z
      .partialRecord(
        z.enum(SUPPORTED_LANGUAGES, {
          error: `must be keyed by a language otpkit speaks: ${SUPPORTED_LANGUAGES.join(', ')}`,
        }),
        z.object({
          body: z.string().min(1, 'is required').max(20_000, 'must be at most 20000 characters'),
          subject: z
            .string()
            .trim()
            .max(200, 'must be at most 200 characters')
            .nullable()
            .default(null),
        }),
      )
      .default({}),
  })
  .superRefine((t, ctx) => {
    // A body per language says what the main body says: the same code or link placeholder.
    const mark = (body: string) => (body.includes('##LINK##') ? 'LINK' : 'OTP');
    for (const [language, words] of Object.entries(t.translations)) {
      if (!words) continue;
      if (!words.body.includes(`##${mark(t.body)}##`)) {
        refuse(
          ctx,
          ['translations', language, 'body'],
          `must contain ##${mark(t.body)}## like the main body`,
        );
      }
      if (t.channel === 'sms' && words.body.length > 1000) {
        refuse(ctx, ['translations', language, 'body'], 'must be at most 1000 characters for SMS');
      }
    }
    if (!/##(OTP|LINK)##/.test(t.body)) {
      refuse(ctx, ['body'], 'must contain ##OTP## (or ##LINK## for magic links)');
    }
    if (t.channel === 'email' && !t.subject) {
      refuse(ctx, ['subject'], 'is required for email');
    }
    if (t.channel === 'sms' && t.body.length > 1000) {
      refuse(ctx, ['body'], 'must be at most 1000 characters for SMS');
    }
    // Its fixed text alone (placeholders out) already over the limit: no send could ever go out.
    if (
      t.channel === 'sms' &&
      t.body.length <= 1000 &&
      smsLength(t.body.replace(/##[\w-]+##/g, ''), { unicode: t.unicode }).segments >
        MAX_SMS_SEGMENTS
    ) {
      refuse(
        ctx,
        ['body'],
        `must fit in ${MAX_SMS_SEGMENTS} SMS segments with its variables (459 GSM-7 or 201 UCS-2 characters): its fixed text alone is longer`,
      );
    }
    if (t.channel === 'sms' && !t.unicode && !isGsm7(t.body.replace(/##[\w-]+##/g, ''))) {
      refuse(ctx, ['unicode'], 'must be true: the body has characters outside the GSM-7 alphabet');
    }
    if (t.channel !== 'sms' && (t.senderId || t.dltTemplateId || t.unicode)) {
      refuse(ctx, ['channel'], 'senderId, dltTemplateId and unicode apply to SMS only');
    }
  });

/** A template as the admin API shows it. */
export function viewTemplate(t: TemplateRecord) {
  return {
    templateId: t.id,
    name: t.name,
    channel: t.channel,
    body: t.body,
    subject: t.subject,
    unicode: t.unicode,
    senderId: t.senderId,
    dltTemplateId: t.dltTemplateId,
    widgetId: t.widgetId,
    translations: t.translations,
    variables: requiredVariables(t.body, t.subject),
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}

async function checkWidget(
  deps: TemplateDeps,
  accountId: string,
  widgetId: string | null,
): Promise<void> {
  if (widgetId === null) return;
  const widget = await deps.store.widgets.get(widgetId);
  if (!widget || widget.accountId !== accountId) {
    throw new OtpkitError(
      'INVALID_REQUEST',
      'Invalid request: widgetId names no widget of this account.',
      {
        fields: [{ path: 'widgetId', message: 'names no widget of this account' }],
      },
    );
  }
}

/** Validates and stores a template (see `ADD_TEMPLATE_ERRORS` in manage.ts). */
export async function createTemplate(
  deps: TemplateDeps,
  accountId: string,
  input: unknown,
): Promise<TemplateRecord> {
  const parsed = templateSchema.safeParse(input ?? {});
  if (!parsed.success) throw fieldErrors(parsed.error);
  await checkWidget(deps, accountId, parsed.data.widgetId);
  const now = deps.clock.now();
  const record: TemplateRecord = {
    id: deps.random.hex(12),
    accountId,
    ...parsed.data,
    createdAt: now,
    updatedAt: now,
  };
  await checkTemplateFitsAppHashes(deps.store, record);
  await deps.store.templates.insert(record);
  return record;
}

/** Applies a partial change; the result is validated whole. */
export async function updateTemplate(
  deps: TemplateDeps,
  template: TemplateRecord,
  patch: Record<string, unknown>,
): Promise<TemplateRecord> {
  const { id, accountId, createdAt, updatedAt, ...current } = template;
  const parsed = templateSchema.safeParse({ ...current, ...patch });
  if (!parsed.success) throw fieldErrors(parsed.error);
  await checkWidget(deps, accountId, parsed.data.widgetId);
  const record: TemplateRecord = { ...template, ...parsed.data, updatedAt: deps.clock.now() };
  await checkTemplateFitsAppHashes(deps.store, record);
  await deps.store.templates.update(record);
  return record;
}

const SAMPLE_VALUES = {
  OTP: '482913',
  LINK: 'https://otpkit.example/verify/sample',
  EXPIRY: '10',
  WIDGET: 'Your app',
};

/** Renders a template with sample values; unknown variables come from `variables` or show as `[name]`. */
export function previewTemplate(
  template: Pick<TemplateRecord, 'channel' | 'body' | 'subject' | 'unicode'>,
  variables: unknown,
): RenderedMessage & { variables: string[]; segments?: number; encoding?: 'GSM-7' | 'UCS-2' } {
  const values: Record<string, string> = { ...SAMPLE_VALUES };
  if (variables && typeof variables === 'object' && !Array.isArray(variables)) {
    for (const [k, v] of Object.entries(variables))
      if (typeof v === 'string' || typeof v === 'number') values[k] = String(v);
  }
  const rendered = renderTemplate({ ...template, values, onMissing: 'placeholder' });
  const result = { ...rendered, variables: requiredVariables(template.body, template.subject) };
  if (template.channel !== 'sms') return result;
  const unicode = template.unicode || !isGsm7(rendered.text);
  return {
    ...result,
    segments: smsSegments(rendered.text, unicode),
    encoding: unicode ? 'UCS-2' : 'GSM-7',
  };
}

/** The template each channel of a widget uses (`null`: the built-in one), for `WidgetData`. */
export async function templateIdsFor(
  store: Store,
  widget: WidgetRecord,
): Promise<Partial<Record<Channel, string | null>>> {
  const ids: Partial<Record<Channel, string | null>> = {};
  for (const channel of TEMPLATE_CHANNELS) {
    ids[channel] =
      (await store.templates.findFor(widget.accountId, widget.id, channel))?.id ?? null;
  }
  return ids;
}
