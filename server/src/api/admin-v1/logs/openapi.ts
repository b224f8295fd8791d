/** The logs and analytics operations for the OpenAPI document (mounted in the admin API). */
import { z } from 'zod';
import { LIST_LOGS_ERRORS, LOG_DETAIL_ERRORS } from '../../../core/logs/read.ts';
import { admin, ok, type RouteGroup, text } from '../../http/openapi-registry.ts';
import {
  analyticsExportQuery,
  analyticsQuery,
  analyticsView,
  logDetailView,
  logEntryView,
  logsExportQuery,
  logsQuery,
  refusedQuery,
  refusedView,
} from './schemas.ts';

/** `/api/v1/logs*` and `/api/v1/analytics*`. */
export const LOG_DOCS: RouteGroup = {
  tag: 'Logs & analytics',
  description:
    'The OTP log with its filters, one request’s delivery attempts, refused calls, streaming exports, and the analytics report; scoped to the authkey’s account.',
  prefix: '/api/v1',
  routes: [
    admin({
      method: 'get',
      path: '/logs',
      operationId: 'listLogs',
      summary: 'List OTP requests',
      description: 'Newest first, a page at a time. Unknown parameters are refused.',
      query: logsQuery,
      response: ok(
        'A page of entries.',
        z.object({ entries: z.array(logEntryView), nextCursor: z.string().nullable() }),
      ),
      errors: LIST_LOGS_ERRORS,
    }),
    admin({
      method: 'get',
      path: '/logs/refused',
      operationId: 'listRefusedCalls',
      summary: 'List refused calls',
      description:
        'Calls that created no request: rate limits, captcha, the pumping brake, bad numbers…',
      query: refusedQuery,
      response: ok(
        'A page of refused calls.',
        z.object({ entries: z.array(refusedView), nextCursor: z.string().nullable() }),
      ),
      errors: LIST_LOGS_ERRORS,
    }),
    admin({
      method: 'get',
      path: '/logs/export',
      operationId: 'exportLogs',
      summary: 'Export the log',
      description: 'Streams every matching entry as CSV or JSON (a download).',
      query: logsExportQuery,
      response: text(
        'The entries (`text/csv` or `application/json`, as `format` asks).',
        'text/csv',
      ),
      errors: ['INVALID_REQUEST'],
    }),
    admin({
      method: 'get',
      path: '/logs/:reqId',
      operationId: 'getLog',
      summary: 'Read one request',
      description: 'With its messages, each delivery attempt, and the widget API calls made on it.',
      params: { reqId: 'The request id.' },
      response: ok('The request.', logDetailView),
      errors: LOG_DETAIL_ERRORS,
    }),
    admin({
      method: 'get',
      path: '/analytics',
      operationId: 'getAnalytics',
      summary: 'Analytics report',
      description: 'Deliveries, verifications and conversion per bucket, channel and country.',
      query: analyticsQuery,
      response: ok('The report.', analyticsView),
      errors: ['INVALID_REQUEST'],
    }),
    admin({
      method: 'get',
      path: '/analytics/export',
      operationId: 'exportAnalytics',
      summary: 'Export the analytics report',
      query: analyticsExportQuery,
      response: text('The report as CSV (a download).', 'text/csv'),
      errors: ['INVALID_REQUEST'],
    }),
  ],
};
