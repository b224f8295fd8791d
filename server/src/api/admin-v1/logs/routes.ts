/**
 * `/api/v1/logs` and `/api/v1/analytics`: the OTP log with its filters,
 * one request's delivery attempts, streaming exports, and the analytics
 * report. Mounted inside the admin API, after its authkey check: every
 * query is scoped to the caller's account.
 */
import { Hono } from 'hono';
import { analyticsReport, DAY_MS, reportCsv } from '../../../core/logs/analytics.ts';
import { exportLogs } from '../../../core/logs/export.ts';
import {
  invalidParam,
  parseLimit,
  parseLogFilter,
  parseTime,
  type QueryValues,
  refuseUnknown,
  single,
} from '../../../core/logs/query.ts';
import { LOG_FIELDS, type LogField, viewLogEntry } from '../../../core/logs/view.ts';
import { OtpkitError } from '../../../platform/errors.ts';
import type { AppEnv, Services } from '../../app-types.ts';
import {
  analyticsExportQuery,
  analyticsQuery,
  logsExportQuery,
  logsQuery,
  paramsOf,
  refusedQuery,
} from './schemas.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Longest analytics range, per grouping. */
const MAX_RANGE_DAYS = { day: 400, hour: 31 } as const;

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

function parseFormat(values: QueryValues, allowed: readonly string[]): string {
  const format = (single(values, 'format') ?? allowed[0]!).toLowerCase();
  if (!allowed.includes(format)) throw invalidParam('format', `must be ${allowed.join(' or ')}`);
  return format;
}

function parseFields(value: string | undefined): LogField[] {
  if (value === undefined) return [...LOG_FIELDS];
  const fields = value
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = fields.find((f) => !(LOG_FIELDS as readonly string[]).includes(f));
  if (unknown !== undefined || fields.length === 0) {
    throw invalidParam('fields', `must list fields among ${LOG_FIELDS.join(', ')}`);
  }
  return [...new Set(fields)] as LogField[];
}

/** The logs and analytics routes (the caller authenticates). */
export function logRoutes(services: Services): Hono<AppEnv> {
  const { store, clock } = services;
  const app = new Hono<AppEnv>();

  app.get('/logs', async (c) => {
    const values: QueryValues = (name) => c.req.queries(name) ?? [];
    refuseUnknown(Object.keys(c.req.queries()), paramsOf(logsQuery));
    const filter = { ...parseLogFilter(values), accountId: c.var.accountId };
    const limit = parseLimit(single(values, 'limit'));
    const cursor = single(values, 'cursor');
    if (cursor !== undefined && !store.logs.validCursor(cursor)) {
      throw invalidParam('cursor', 'is not a cursor from a previous page');
    }
    const page = await store.logs.list(filter, {
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    });
    return c.json({
      entries: page.entries.map((e) => viewLogEntry(e)),
      nextCursor: page.nextCursor,
    });
  });

  // Refused calls that created no request: rate limits, captcha, the pumping brake, bad numbers…
  app.get('/logs/refused', async (c) => {
    const values: QueryValues = (name) => c.req.queries(name) ?? [];
    refuseUnknown(Object.keys(c.req.queries()), paramsOf(refusedQuery));
    const now = clock.now();
    const from = parseTime('from', single(values, 'from'), 'start') ?? now - 30 * DAY_MS;
    const to = parseTime('to', single(values, 'to'), 'end') ?? now;
    const limit = parseLimit(single(values, 'limit'));
    const cursor = single(values, 'cursor');
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) {
      throw invalidParam('cursor', 'is not a cursor from a previous page');
    }
    const widgetId = single(values, 'widgetId');
    const rows = await store.events.listRefused(c.var.accountId, {
      from,
      to,
      limit: limit + 1,
      ...(widgetId ? { widgetId } : {}),
      ...(cursor ? { beforeId: Number(cursor) } : {}),
    });
    const page = rows.slice(0, limit);
    return c.json({
      entries: page.map((r) => ({
        at: iso(r.createdAt),
        widgetId: r.widgetId,
        kind: r.kind,
        code: r.outcome,
        identifier: r.identifier ?? null,
        ip: r.ip,
        host: r.host,
        userAgent: r.userAgent,
      })),
      nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null,
    });
  });

  app.get('/logs/export', (c) => {
    const values: QueryValues = (name) => c.req.queries(name) ?? [];
    refuseUnknown(Object.keys(c.req.queries()), paramsOf(logsExportQuery));
    const filter = { ...parseLogFilter(values), accountId: c.var.accountId };
    const format = parseFormat(values, ['csv', 'json']) as 'csv' | 'json';
    const fields = parseFields(single(values, 'fields'));
    const mask = single(values, 'maskIdentifiers');
    if (mask !== undefined && mask !== 'true' && mask !== 'false') {
      throw invalidParam('maskIdentifiers', 'must be true or false');
    }
    const stream = exportLogs(store, filter, { format, fields, maskIdentifiers: mask === 'true' });
    return c.body(stream, 200, {
      'Content-Type':
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="otpkit-logs-${stamp(clock.now())}.${format}"`,
      'Cache-Control': 'no-store',
    });
  });

  app.get('/logs/:reqId', async (c) => {
    const entry = await store.logs.get(c.var.accountId, c.req.param('reqId'));
    if (!entry) throw new OtpkitError('REQUEST_NOT_FOUND');
    const [messages, deliveries, events] = await Promise.all([
      store.messages.listForRequest(entry.reqId),
      store.deliveries.listForRequest(entry.reqId),
      store.events.listForRequest(entry.reqId),
    ]);
    return c.json({
      ...viewLogEntry(entry),
      messages: messages.map((m) => ({
        messageId: m.id,
        channel: m.channel,
        purpose: m.purpose,
        status: m.status,
        attempts: m.attempts,
        provider: m.provider,
        error: m.error,
        createdAt: iso(m.createdAt),
        sentAt: iso(m.sentAt),
        deliveredAt: iso(m.deliveredAt),
        deliveries: deliveries
          .filter((d) => d.messageId === m.id)
          .map((d) => ({
            attempt: d.attempt,
            status: d.status,
            provider: d.provider,
            error: d.error,
            createdAt: iso(d.createdAt),
          })),
      })),
      events: events.map((e) => ({
        kind: e.kind,
        outcome: e.outcome,
        ip: e.ip,
        host: e.host,
        userAgent: e.userAgent,
        createdAt: iso(e.createdAt),
      })),
    });
  });

  const readAnalyticsQuery = (values: QueryValues) => {
    const raw = single(values, 'groupBy') ?? 'day';
    if (raw !== 'day' && raw !== 'hour') throw invalidParam('groupBy', 'must be day or hour');
    const groupBy: 'day' | 'hour' = raw;
    const now = clock.now();
    const to = parseTime('to', single(values, 'to'), 'end') ?? now;
    const from = parseTime('from', single(values, 'from'), 'start') ?? to - 30 * DAY_MS;
    if (from > to) throw invalidParam('to', 'must not be before from');
    if (to - from > MAX_RANGE_DAYS[groupBy] * DAY_MS) {
      throw invalidParam(
        'from',
        `must be at most ${MAX_RANGE_DAYS[groupBy]} days before to when grouping by ${groupBy}`,
      );
    }
    const widget = single(values, 'widget') ?? single(values, 'widgetId');
    return { from, to: to + 1, groupBy, ...(widget === undefined ? {} : { widgetId: widget }) };
  };

  app.get('/analytics', async (c) => {
    const values: QueryValues = (name) => c.req.queries(name) ?? [];
    refuseUnknown(Object.keys(c.req.queries()), paramsOf(analyticsQuery));
    const query = readAnalyticsQuery(values);
    return c.json(await analyticsReport(store, { ...query, accountId: c.var.accountId }));
  });

  app.get('/analytics/export', async (c) => {
    const values: QueryValues = (name) => c.req.queries(name) ?? [];
    refuseUnknown(Object.keys(c.req.queries()), paramsOf(analyticsExportQuery));
    parseFormat(values, ['csv']);
    const query = readAnalyticsQuery(values);
    const report = await analyticsReport(store, { ...query, accountId: c.var.accountId });
    return c.body(reportCsv(report), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="otpkit-analytics-${stamp(clock.now())}.csv"`,
      'Cache-Control': 'no-store',
    });
  });

  return app;
}
