/**
 * `docs/configuration.md`, generated from the configuration's slices (each
 * variable's schema and the metadata registered with it) and the widget
 * settings schema, so the reference cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { SETTING_DOCS, widgetSettingFields } from '../model/widget-settings.ts';
import { ENV_VARIABLES, type EnvVarMeta, SLICES } from '../platform/config/index.ts';
import { MIN_SECRET_BITS } from '../platform/config/secret-strength.ts';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  format?: string;
  default?: unknown;
};

const code = (v: unknown): string => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** What a JSON schema (input side) accepts, in words. */
function allowedOf(schema: JsonSchema): string | undefined {
  if (schema.anyOf) {
    const nonNull = schema.anyOf.filter((s) => s.type !== 'null');
    const nullable = nonNull.length < schema.anyOf.length;
    const parts = nonNull.map(allowedOf).filter(Boolean);
    if (parts.length === 0) return undefined;
    return `${parts.join(' or ')}${nullable ? ', or null' : ''}`;
  }
  if (schema.enum) return schema.enum.map(code).join(', ');
  if (schema.type === 'boolean') return '`true`, `false`';
  if (schema.type === 'integer' || schema.type === 'number') {
    const whole = schema.type === 'integer' ? 'whole number' : 'number';
    const max = schema.maximum !== undefined && schema.maximum < 2 ** 31 ? schema.maximum : null;
    if (schema.minimum !== undefined && max !== null) return `${schema.minimum}–${max}`;
    if (schema.minimum !== undefined) return `${whole} ≥ ${schema.minimum}`;
    return whole;
  }
  if (schema.type === 'array' && schema.items) {
    const items = allowedOf(schema.items) ?? 'values';
    const max = schema.maxItems !== undefined ? ` (at most ${schema.maxItems})` : '';
    return `list of ${items}${max}`;
  }
  if (schema.type === 'string') {
    if (schema.format === 'uri') return 'URL';
    if (schema.minLength !== undefined && schema.maxLength !== undefined) {
      return `${schema.minLength}–${schema.maxLength} characters`;
    }
    if (schema.minLength !== undefined && schema.minLength > 1) {
      return `at least ${schema.minLength} characters`;
    }
  }
  return undefined;
}

/**
 * What a field accepts, in words: its documentation's override, else what its
 * JSON schema says, else the schema's own message for a value it refuses.
 */
function allowedFor(schema: z.ZodType, override: string | undefined): string {
  if (override) return override;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const fromSchema = allowedOf(json);
  if (fromSchema) return fromSchema;
  const refused = schema.safeParse('\u0001');
  const message = refused.success ? undefined : refused.error.issues[0]?.message;
  if (message?.startsWith('must ')) {
    const words = message.replace(/^must (be |look )?/, '');
    return json.anyOf?.some((s) => s.type === 'null') ? `${words}, or null` : words;
  }
  return json.type === 'string' ? 'text' : '—';
}

/** The default a field takes when unset, as its input form where the schema knows it. */
function defaultFor(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  if (json.default !== undefined) return code(json.default);
  const parsed = schema.safeParse(undefined);
  if (parsed.success && parsed.data !== undefined) return code(parsed.data);
  return '—';
}

/** What production demands of a variable, in a sentence, from its metadata. */
function productionText(meta: EnvVarMeta): string {
  const demand = meta.production;
  if (!demand) return '';
  const entropy = `at least ${MIN_SECRET_BITS} bits of entropy (\`openssl rand -base64 32\`)`;
  if (demand.required && demand.strong) return ` Required in production, with ${entropy}.`;
  if (demand.required) return ' Required in production.';
  return demand.strong ? ` In production it needs ${entropy}.` : '';
}

/** The environment variables, a section (heading, note, table) per slice. */
export function environmentSections(): string {
  return SLICES.map((slice) => {
    const rows = ENV_VARIABLES.filter((v) => v.slice === slice).map(({ name, schema, meta }) => {
      const def = meta.defaultText ?? defaultFor(schema);
      const allowed = allowedFor(schema, meta.allowed);
      const secret = meta.secret ? ' *Secret: masked by `otpkit config check`.*' : '';
      const example = meta.example ? ` Example: ${code(meta.example)}.` : '';
      const description = meta.description + productionText(meta) + example + secret;
      return `| \`${name}\` | ${cell(def)} | ${cell(allowed)} | ${cell(description)} |`;
    });
    return [
      `### ${slice.title}`,
      '',
      ...('intro' in slice ? [slice.intro, ''] : []),
      '| variable | default | allowed values | description |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
  }).join('\n\n');
}

/** The widget settings' table. */
export function widgetSettingsTable(): string {
  const rows = Object.entries(widgetSettingFields).map(([name, schema]) => {
    const doc = SETTING_DOCS[name as keyof typeof SETTING_DOCS];
    const def = (schema as z.ZodType).safeParse(undefined).success
      ? defaultFor(schema as z.ZodType)
      : 'required';
    const allowed = allowedFor(schema as z.ZodType, doc.allowed);
    return `| \`${name}\` | ${cell(def)} | ${cell(allowed)} | ${cell(doc.description)} |`;
  });
  return [
    '| setting | default | allowed values | description |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/**
 * The whole `docs/configuration.md`.
 *
 * @example writeFileSync('docs/configuration.md', configurationMarkdown())
 */
export function configurationMarkdown(): string {
  return `<!-- Generated by \`pnpm docs:config\` from server/src/platform/config/ and server/src/model/widget-settings.ts. Do not edit by hand. -->

# Configuration reference

## Environment variables

otpkit reads its configuration once, at start, from the environment. An empty
variable counts as unset. A bad value stops the start with a message naming
the variable; \`otpkit config check [--env-file FILE]\` checks an environment
without starting the server and prints every problem.

${environmentSections()}

## Widget settings

Each widget's settings, set through \`POST\`/\`PATCH /api/v1/widgets[/:widgetId]\`,
the CLI (\`otpkit widget create --name N --settings JSON\`) or the console. Every
change applies to the next request; unknown settings are ignored.

${widgetSettingsTable()}
`;
}
