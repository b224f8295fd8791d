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
import { listLogs, listRefusedCalls, logDetail } from '../../../core/logs/read.ts';
import { LOG_FIELDS, type LogField } from '../../../core/logs/view.ts';
import type { AppEnv, Services } from '../../app-types.ts';
import {
  analyticsExportQuery,
  analyticsQuery,
  logsExportQuery,
  logsQuery,
  paramsOf,
  refusedQuery,
} from './schemas.ts';

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
    return c.json(
      await listLogs(services, {
        filter: { ...parseLogFilter(values), accountId: c.var.accountId },
        limit: parseLimit(single(values, 'limit')),
        cursor: single(values, 'cursor'),
      }),
    );
  });

  // Refused calls that created no request: rate limits, captcha, the pumping brake, bad numbers…
  app.get('/logs/refused', async (c) => {
    const values: QueryValues = (name) => c.req.queries(name) ?? [];
    refuseUnknown(Object.keys(c.req.queries()), paramsOf(refusedQuery));
    const now = clock.now();
    return c.json(
      await listRefusedCalls(services, {
        accountId: c.var.accountId,
        from: parseTime('from', single(values, 'from'), 'start') ?? now - 30 * DAY_MS,
        to: parseTime('to', single(values, 'to'), 'end') ?? now,
        limit: parseLimit(single(values, 'limit')),
        cursor: single(values, 'cursor'),
        widgetId: single(values, 'widgetId'),
      }),
    );
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

  app.get('/logs/:reqId', async (c) =>
    c.json(await logDetail(services, { accountId: c.var.accountId, reqId: c.req.param('reqId') })),
  );

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
