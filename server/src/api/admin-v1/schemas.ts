/**
 * The admin API's request bodies and answers as zod schemas: the routes
 * validate with the request schemas, and the OpenAPI document shows them.
 * Widget settings and templates use their own validating schemas.
 */
import type * as Admin from '@otpkit/protocol';
import { CHANNELS, TEMPLATE_CHANNELS } from '@otpkit/protocol';
import { z } from 'zod';
import { templateSchema } from '../../core/templates/service.ts';
import { PROVIDER_NAMES } from '../../model/provider-names.ts';
import { widgetSettingFields } from '../../model/widget-settings.ts';
import type { passkeyView } from '../passkeys/schemas.ts';
import type { analyticsView, logDetailView, logEntryView } from './logs/schemas.ts';

const time = z.string().describe('ISO 8601 time.');
const nullableTime = time.nullable();

/** `{label?}` for a new widget token or authkey. */
export const labelBody = z.looseObject({
  label: z
    .string({ error: 'must be a string of at most 100 characters' })
    .max(100, 'must be a string of at most 100 characters')
    .nullable()
    .optional()
    .describe('A name to recognise it by (at most 100 characters).'),
});

/** A widget's settings for `PATCH`: any subset; nested objects merge one level. */
export const widgetPatchBody = z.object(widgetSettingFields).partial();

/** A widget as the API shows it (the captcha secret masked). */
export const widgetView = z.object({
  widgetId: z.string(),
  ...widgetSettingFields,
  createdAt: time,
  updatedAt: time,
});

/** A widget token; `tokenAuth` only in the answer that created it. */
export const tokenView = z.object({
  tokenId: z.string(),
  tokenAuth: z.string().optional().describe('The token itself: shown once, when created.'),
  prefix: z.string(),
  label: z.string().nullable(),
  createdAt: time,
  lastUsedAt: nullableTime,
});

/** An authkey as listed. */
export const authkeyView = z.object({
  authkeyId: z.string(),
  label: z.string().nullable(),
  prefix: z.string(),
  createdAt: time,
  lastUsedAt: nullableTime,
  current: z.boolean().describe('Whether this call was made with it.'),
});

/** A new authkey: the key is shown once. */
export const createdAuthkey = z.object({
  authkeyId: z.string(),
  authkey: z.string(),
  label: z.string().nullable(),
  prefix: z.string(),
  createdAt: time,
});

/** A signing key of access tokens. */
export const signingKeyView = z.object({
  kid: z.string(),
  createdAt: time,
  retiredAt: nullableTime,
  published: z.boolean().describe('Whether it is still in the JWKS.'),
});

/** A delivery provider the deployment has configured. */
export const providerView = z.object({
  name: z.enum(PROVIDER_NAMES).describe('What `channelProviders` and `countryProviders` name it.'),
  channels: z.array(z.enum(CHANNELS)).describe('The channels a widget may choose it for.'),
});

/** A template's fields for `PATCH`: any subset. */
export const templatePatchBody = z.object(templateSchema.shape).partial();

/** A template as the API shows it. */
export const templateView = z.object({
  templateId: z.string(),
  ...templateSchema.shape,
  variables: z.array(z.string()).describe('The variables its body and subject use.'),
  createdAt: time,
  updatedAt: time,
});

const variables = z
  .record(z.string(), z.unknown())
  .optional()
  .describe('Values for its variables; the others render with samples or as `[name]`.');

/** `POST /templates/:templateId/preview`. */
export const previewBody = z.looseObject({
  variables,
  language: z
    .string()
    .optional()
    .describe(
      'Preview the body in this language (the main body when the template has none for it).',
    ),
});

/** `POST /templates/preview`: an unsaved template. */
export const unsavedPreviewBody = z.looseObject({
  channel: z.enum(TEMPLATE_CHANNELS, {
    error: 'must be sms, whatsapp, voice or email',
  }),
  body: z.string({ error: 'is required' }).max(20_000, 'must be at most 20000 characters'),
  subject: z.string().optional().describe('Email only.'),
  unicode: z.boolean().optional(),
  variables,
});

/** A rendered preview. */
export const previewView = z.object({
  subject: z.string().optional(),
  text: z.string(),
  html: z.string().optional(),
  missing: z.array(z.string()).describe('Variables that had no value.'),
  variables: z.array(z.string()),
  segments: z.number().int().optional().describe('SMS only.'),
  encoding: z.enum(['GSM-7', 'UCS-2']).optional().describe('SMS only.'),
});

/** `GET /templates` query. */
export const templateListQuery = z.object({
  widgetId: z.string().optional().describe('Only this widget’s templates.'),
});

/** `GET /meta`. */
export const metaView = z.object({
  env: z.enum(['development', 'production', 'test']),
  devOutbox: z.boolean(),
  allowAnyOrigin: z
    .boolean()
    .describe(
      'Whether browsers may use a widget that lists no allowedOrigins (always outside production; in production only with OTPKIT_ALLOW_ANY_ORIGIN=true). When false, such widgets answer browser calls with ORIGIN_NOT_ALLOWED.',
    ),
  publicUrl: z.string(),
  version: z.string(),
});

// Each answer, as its schema describes it, is the type the console reads from
// `@otpkit/protocol`: a change on one side that the other does not follow fails
// `pnpm typecheck` here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Both ways assignable, and the same keys (so an optional field added on one side counts too). */
type Agrees<Schema extends z.ZodType, T> =
  Same<z.output<Schema>, T> extends true ? Same<keyof z.output<Schema>, keyof T> : false;
type Check<T extends true> = T;
export type AdminSchemasAgree = [
  Check<Agrees<typeof widgetView, Admin.Widget>>,
  Check<Agrees<typeof widgetPatchBody, Partial<Admin.WidgetSettings>>>,
  Check<Agrees<typeof tokenView, Admin.WidgetToken>>,
  Check<Agrees<typeof authkeyView, Admin.Authkey>>,
  Check<Agrees<typeof createdAuthkey, Admin.CreatedAuthkey>>,
  Check<Agrees<typeof signingKeyView, Admin.SigningKey>>,
  Check<Agrees<typeof templateView, Admin.Template>>,
  Check<Agrees<typeof previewView, Admin.TemplatePreview>>,
  Check<Agrees<typeof providerView, Admin.ConfiguredProvider>>,
  Check<Agrees<typeof metaView, Admin.Meta>>,
  Check<Agrees<typeof passkeyView, Admin.Passkey>>,
  Check<Agrees<typeof logEntryView, Admin.LogEntry>>,
  Check<Agrees<typeof logDetailView.shape.messages.element, Admin.LogMessage>>,
  Check<Agrees<typeof analyticsView, Admin.AnalyticsReport>>,
];
