/**
 * Streaming log exports (CSV or JSON). The store is read a page at a time
 * with its cursor, and each page is encoded and handed on before the next is
 * read, so a million rows never sit in memory and other requests run between
 * pages.
 */
import { stringify } from 'csv-stringify/sync';
import type { LogFilter, Store } from '../../store/index.ts';
import { type LogEntryView, type LogField, viewLogEntry } from './view.ts';

/** Rows read from the store per page of an export. */
export const EXPORT_PAGE_SIZE = 1000;

export interface ExportOptions {
  format: 'csv' | 'json';
  fields: readonly LogField[];
  maskIdentifiers: boolean;
  pageSize?: number;
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is
 * prefixed with `'`: user agents and hosts come from the public.
 */
export function csvCell(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return csvCell(value.join('|'));
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function pick(view: LogEntryView, fields: readonly LogField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = view[field];
  return out;
}

/**
 * The export of a filter's entries, newest first, as a byte stream.
 *
 * @example new Response(exportLogs(store, { accountId }, { format: 'csv', fields: LOG_FIELDS, maskIdentifiers: true }))
 */
export function exportLogs(
  store: Store,
  filter: LogFilter,
  options: ExportOptions,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  let cursor: string | undefined;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      const page = await store.logs.list(filter, {
        limit: pageSize,
        ...(cursor === undefined ? {} : { cursor }),
      });
      const views = page.entries.map((e) => viewLogEntry(e, { mask: options.maskIdentifiers }));
      let chunk: string;
      if (options.format === 'csv') {
        chunk = stringify(
          views.map((v) => options.fields.map((f) => csvCell(v[f]))),
          first ? { header: true, columns: [...options.fields] } : {},
        );
        // An empty export still has its header line.
        if (first && views.length === 0) chunk = `${options.fields.join(',')}\n`;
      } else {
        const rows = views.map((v) => JSON.stringify(pick(v, options.fields)));
        chunk =
          (first ? '[' : '') +
          rows.map((r, i) => (first && i === 0 ? '\n' : ',\n') + r).join('') +
          (page.nextCursor === null ? '\n]\n' : '');
      }
      first = false;
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (page.nextCursor === null) {
        done = true;
        controller.close();
      } else {
        cursor = page.nextCursor;
      }
    },
  });
}
