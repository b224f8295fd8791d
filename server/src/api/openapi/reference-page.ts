/**
 * The API reference page (`/docs/api`): the OpenAPI document rendered as
 * plain HTML on the server, grouped by tag, with each operation's
 * authentication, parameters, body, answer and error codes. No script, no
 * CDN: it works under a CSP that allows only its own inline style (by hash).
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../../platform/html.ts';
import type { OpenApiDocument } from './document.ts';

type Json = Record<string, unknown>;

/** Escapes, then turns the descriptions' `code` spans and blank lines into HTML. */
const prose = (text: string): string =>
  escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\n\n/g, '<br>');

const anchor = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** A short type for a JSON schema: `string`, `integer 4–9`, `"sms" | "voice"`, `array of object`. */
function typeOf(schema: Json): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const variants = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (variants) return variants.map(typeOf).join(' | ');
  if (schema.type === 'array') return `array of ${typeOf((schema.items as Json) ?? {})}`;
  if (schema.$ref) return String(schema.$ref).split('/').at(-1)!;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  const range: string[] = [];
  // zod's int() bounds are the safe-integer range: not worth showing.
  const min =
    typeof schema.minimum === 'number' && schema.minimum > -(2 ** 31) ? schema.minimum : null;
  const max =
    typeof schema.maximum === 'number' && schema.maximum < 2 ** 31 ? schema.maximum : null;
  if (min !== null && max !== null) range.push(`${min}–${max}`);
  else if (min !== null) range.push(`≥ ${min}`);
  else if (max !== null) range.push(`≤ ${max}`);
  if (schema.maxLength !== undefined) range.push(`≤ ${schema.maxLength} chars`);
  if (schema.format) range.push(String(schema.format));
  return range.length ? `${type} (${range.join(', ')})` : type;
}

/** The object schema a schema's fields live in (through arrays, nullables, and allOf). */
function fieldsOf(schema: Json): Json | undefined {
  if (schema.properties) return schema;
  if (schema.type === 'array' && schema.items) return fieldsOf(schema.items as Json);
  const variants = (schema.anyOf ?? schema.oneOf ?? schema.allOf) as Json[] | undefined;
  if (variants) {
    const objects = variants.map(fieldsOf).filter(Boolean) as Json[];
    if (objects.length === 1) return objects[0];
    if (objects.length > 1) {
      return { properties: Object.assign({}, ...objects.map((o) => o.properties)), required: [] };
    }
  }
  return undefined;
}

function fieldList(schema: Json, depth = 0): string {
  const object = fieldsOf(schema);
  if (!object || depth > 3) return '';
  const required = new Set((object.required as string[] | undefined) ?? []);
  const items = Object.entries(object.properties as Record<string, Json>).map(([name, field]) => {
    const description = field.description ? ` — ${prose(String(field.description))}` : '';
    const fallback =
      field.default !== undefined
        ? ` <span class="def">default ${escapeHtml(JSON.stringify(field.default))}</span>`
        : '';
    return `<li><code class="name">${escapeHtml(name)}</code> <span class="type">${escapeHtml(typeOf(field))}</span>${
      required.has(name) ? ' <span class="req">required</span>' : ''
    }${fallback}${description}${fieldList(field, depth + 1)}</li>`;
  });
  return items.length ? `<ul class="fields">${items.join('')}</ul>` : '';
}

function schemaBlock(schema: Json | undefined): string {
  if (!schema) return '';
  const fields = fieldList(schema);
  return fields || `<p><span class="type">${escapeHtml(typeOf(schema))}</span></p>`;
}

function operationHtml(doc: OpenApiDocument, path: string, method: string, op: Json): string {
  const id = String(op.operationId);
  const parts: string[] = [
    `<section class="op" id="${escapeHtml(id)}" aria-labelledby="${escapeHtml(id)}-title">`,
    `<h3 id="${escapeHtml(id)}-title"><span class="method method--${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>`,
    `<p class="summary">${prose(String(op.summary ?? ''))}</p>`,
  ];
  if (op.description) parts.push(`<p>${prose(String(op.description))}</p>`);
  const security = (op.security as Json[]).flatMap((s) => Object.keys(s));
  parts.push(
    `<p><strong>Authentication:</strong> ${
      security.length
        ? security
            .map((s) => {
              const scheme =
                doc.components.securitySchemes[s as keyof typeof doc.components.securitySchemes];
              return `<code>${escapeHtml(String(scheme?.name ?? s))}</code> header`;
            })
            .join(' or ')
        : 'none'
    }</p>`,
  );
  const params = (op.parameters as Json[] | undefined) ?? [];
  if (params.length) {
    const rows = params
      .map(
        (p) =>
          `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${escapeHtml(typeOf(p.schema as Json))}${p.required ? ' <span class="req">required</span>' : ''}</td><td>${p.description ? prose(String(p.description)) : ''}</td></tr>`,
      )
      .join('');
    parts.push(
      `<h4>Parameters</h4><table><thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">type</th><th scope="col">description</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  }
  const body = op.requestBody as { content: Record<string, { schema: Json }> } | undefined;
  if (body) {
    const [, media] = Object.entries(body.content)[0]!;
    const types = Object.keys(body.content)
      .map((t) => `<code>${escapeHtml(t)}</code>`)
      .join(', ');
    parts.push(`<h4>Body <small>(${types})</small></h4>`, schemaBlock(media.schema));
  }
  const responses = op.responses as Record<
    string,
    { description: string; content?: Record<string, { schema?: Json }> }
  >;
  const [status, success] = Object.entries(responses).find(([s]) => s.startsWith('2'))!;
  const successMedia = success.content ? Object.entries(success.content)[0] : undefined;
  parts.push(
    `<h4>Answer <small>${escapeHtml(status)}${successMedia ? ` <code>${escapeHtml(successMedia[0])}</code>` : ''}</small></h4><p>${prose(success.description)}</p>`,
    schemaBlock(successMedia?.[1].schema),
  );
  const codes = (op['x-error-codes'] as string[]) ?? [];
  const errorRows = Object.entries(responses)
    .filter(([s]) => !s.startsWith('2'))
    .flatMap(([s, r]) =>
      r.description.split('\n\n').map((line) => {
        const match = /^`([A-Z_]+)`: (.*)$/.exec(line);
        return match
          ? `<tr><td><code>${escapeHtml(match[1]!)}</code></td><td>${escapeHtml(s)}</td><td>${escapeHtml(match[2]!)}</td></tr>`
          : '';
      }),
    )
    .join('');
  if (codes.length) {
    parts.push(
      `<h4>Errors</h4><table class="errors"><thead><tr><th scope="col">code</th><th scope="col">status</th><th scope="col">meaning</th></tr></thead><tbody>${errorRows}</tbody></table>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; }
.layout { display: grid; grid-template-columns: 16rem 1fr; max-width: 80rem; margin: 0 auto; }
nav { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; padding: 1rem; border-right: 1px solid #8884; }
nav ul { list-style: none; padding-left: .5rem; margin: .25rem 0 1rem; }
nav a { text-decoration: none; }
main { padding: 1rem 2rem 4rem; min-width: 0; }
code { font-family: ui-monospace, monospace; font-size: .9em; }
.op { border-top: 1px solid #8884; padding: 1rem 0; }
.op h3 { margin: 0 0 .25rem; font-size: 1.1rem; overflow-wrap: anywhere; }
.method { display: inline-block; min-width: 4rem; text-align: center; border-radius: .25rem; padding: 0 .4rem; color: #fff; font-size: .85rem; }
.method--get { background: #1a5fb4; } .method--post { background: #26734d; }
.method--patch { background: #8a5a00; } .method--delete { background: #a51d2d; } .method--put { background: #613583; }
.summary { font-weight: 600; margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #8884; padding: .3rem .5rem; }
.fields { padding-left: 1.25rem; margin: .25rem 0; }
.type { color: #5e5c64; } @media (prefers-color-scheme: dark) { .type { color: #c0bfbc; } }
.req { font-size: .8rem; font-weight: 600; color: #a51d2d; } @media (prefers-color-scheme: dark) { .req { color: #ff7b72; } }
.def { font-size: .85rem; }
@media (max-width: 50rem) { .layout { grid-template-columns: 1fr; } nav { position: static; max-height: none; border-right: 0; } }
`;

/** The inline style's CSP source (`'sha256-…'`). */
export const REFERENCE_STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/**
 * The whole page.
 *
 * @example c.html(referencePage(openApiDocument(groups, options)))
 */
export function referencePage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  const toc = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = (op.tags as string[])[0]!;
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(doc, path, method, op)]);
      toc.set(tag, [
        ...(toc.get(tag) ?? []),
        `<li><a href="#${escapeHtml(String(op.operationId))}">${escapeHtml(String(op.summary))}</a></li>`,
      ]);
    }
  }
  const sections = doc.tags
    .filter((t) => byTag.has(t.name))
    .map(
      (t) =>
        `<section aria-labelledby="tag-${anchor(t.name)}"><h2 id="tag-${anchor(t.name)}">${escapeHtml(t.name)}</h2><p>${prose(t.description)}</p>${byTag.get(t.name)!.join('\n')}</section>`,
    )
    .join('\n');
  const nav = doc.tags
    .filter((t) => toc.has(t.name))
    .map(
      (t) =>
        `<a href="#tag-${anchor(t.name)}"><strong>${escapeHtml(t.name)}</strong></a><ul>${toc.get(t.name)!.join('')}</ul>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} reference</title>
<style>${STYLE}</style>
</head>
<body>
<div class="layout">
<nav aria-label="Operations"><p><a href="/console">← Console</a></p>${nav}</nav>
<main>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${prose(doc.info.description)}</p>
<p>Base URL: <code>${escapeHtml(doc.servers[0]?.url ?? '')}</code>. Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1). Configuration: <code>docs/configuration.md</code>.</p>
${sections}
</main>
</div>
</body>
</html>`;
}
