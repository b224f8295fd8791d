/**
 * The log read models (logs and analytics), written once for both engines on
 * the shared driver. A log entry is an `otp_requests` row whose log columns
 * (channels used, latest message status, token redemption) are kept by the
 * log triggers and the encodings of ../log-sql.ts; analytics read the hourly
 * `log_rollup` they maintain. What the two SQLs spell differently is named
 * in `LogDialect`.
 */

import {
  type ProviderStatsSqlRow,
  ROLLUP_SUMS,
  type RollupRow,
  type LogRow as SharedLogRow,
  toAnalyticsRow,
  toLogEntry,
  toProviderStats,
} from '../log-rows.ts';
import { CHANNEL_BITS } from '../log-sql.ts';
import type { LogFilter, Store } from '../types.ts';
import { type SqlDriver, sql } from './driver.ts';

/** The log queries' own dialect hooks, beside the driver's. */
interface LogDialect {
  /** A field of a JSON column, as text. */
  jsonText(column: string, field: string): string;
  /** `column` is one of the strings of one parameter, bound as `list(values)`. */
  inList(column: string): string;
  list(values: readonly string[]): unknown;
  /**
   * The column as an expression no index serves: SQLite would otherwise
   * walk the (widget, created_at) index where the id or identifier index
   * finds the few rows at once.
   */
  noIndex(column: string): string;
}

const LOG_DIALECTS: Record<SqlDriver['dialect']['engine'], LogDialect> = {
  sqlite: {
    jsonText: (column, field) => `json_extract(${column}, '$.${field}')`,
    inList: (column) => `${column} IN (SELECT value FROM json_each(?))`,
    list: (values) => JSON.stringify(values),
    noIndex: (column) => `+${column}`,
  },
  postgres: {
    jsonText: (column, field) => `${column}->>'${field}'`,
    inList: (column) => `${column} = ANY(?::text[])`,
    list: (values) => values,
    noIndex: (column) => column,
  },
};

/** A log row with its position among rows created in the same millisecond. */
interface LogRow extends SharedLogRow {
  pos: number;
}

/** A cursor is the last entry's creation time and position: `<created_at>.<pos>` in base64url. */
function encodeCursor(row: { created_at: number; pos: number }): string {
  return Buffer.from(`${row.created_at}.${row.pos}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; pos: number } | undefined {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) return undefined;
  return { createdAt: Number(match[1]), pos: Number(match[2]) };
}

/** The conditions and parameters of a filter, except its account and widget scope. */
function filterSql(filter: LogFilter, d: LogDialect): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (filter.reqId !== undefined) {
    sql.push('r.id = ?');
    params.push(filter.reqId);
  }
  if (filter.identifiers !== undefined) {
    sql.push(d.inList('r.identifier'));
    params.push(d.list(filter.identifiers));
  }
  if (filter.from !== undefined) {
    sql.push('r.created_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    sql.push('r.created_at <= ?');
    params.push(filter.to);
  }
  if (filter.channels !== undefined) {
    sql.push('(r.log_channels & CAST(? AS INTEGER)) <> 0');
    params.push(filter.channels.reduce((mask, c) => mask | CHANNEL_BITS[c], 0));
  }
  if (filter.resendCount !== undefined) {
    const op = { gt: '>', lt: '<', eq: '=' }[filter.resendCount.op];
    sql.push(`r.resend_count ${op} ?`);
    params.push(filter.resendCount.value);
  }
  if (filter.otpVerified !== undefined) {
    sql.push(filter.otpVerified ? "r.status = 'verified'" : "r.status <> 'verified'");
  }
  if (filter.tokenVerified !== undefined) {
    sql.push(
      filter.tokenVerified ? 'r.token_verified_at IS NOT NULL' : 'r.token_verified_at IS NULL',
    );
  }
  return { sql, params };
}

/** An account's widgets, or one of them (`?` parameters: [widgetId,] accountId). */
function widgetScope(widgetId: string | undefined, accountId: string, column = 'widget_id') {
  const inAccount = `${column} IN (SELECT id FROM widgets WHERE account_id = ?)`;
  return widgetId === undefined
    ? { sql: inAccount, params: [accountId] }
    : { sql: `${column} = ? AND ${inAccount}`, params: [widgetId, accountId] };
}

/** The `logs` part of a store, on its engine's driver. */
export function sqlLogs(db: SqlDriver): Store['logs'] {
  const d = LOG_DIALECTS[db.dialect.engine];
  const pos = db.dialect.insertionOrder;
  const columns = `r.${pos} AS pos, r.id, r.widget_id, r.identifier, r.contact_point, r.country,
  r.channel, r.log_channels, r.status, r.delivery_status, r.resend_count, r.fallback_count,
  r.attempts, r.verified_at, r.token_verified_at, r.demo, r.ip, r.host, r.user_agent,
  r.created_at, r.updated_at, r.expires_at`;

  return {
    async list(filter, { cursor, limit }) {
      const widgets = new Map(
        (
          await db.all<{ id: string; name: string | null }>(
            `SELECT id, ${d.jsonText('settings', 'name')} AS name FROM widgets WHERE account_id = ?`,
            [filter.accountId],
          )
        ).map((w) => [w.id, w.name]),
      );
      const scope =
        filter.widgetId === undefined
          ? [...widgets.keys()]
          : widgets.has(filter.widgetId)
            ? [filter.widgetId]
            : [];
      if (scope.length === 0) return { entries: [], nextCursor: null };
      const { sql: conditions, params } = filterSql(filter, d);
      if (cursor !== undefined) {
        const at = decodeCursor(cursor);
        if (!at) throw new TypeError('invalid log cursor');
        conditions.push('r.created_at <= ?', `(r.created_at < ? OR r.${pos} < ?)`);
        params.push(at.createdAt, at.createdAt, at.pos);
      }
      const where = conditions.map((c) => ` AND ${c}`).join('');
      const order = `ORDER BY created_at DESC, pos DESC LIMIT ?`;
      let rows: LogRow[];
      if (filter.reqId !== undefined || filter.identifiers !== undefined) {
        // Few rows match: find them by key, then keep the account's.
        rows = await db.all<LogRow>(
          `SELECT ${columns} FROM otp_requests r
           WHERE ${d.inList(d.noIndex('r.widget_id'))}${where} ${order}`,
          [d.list(scope), ...params, limit + 1],
        );
      } else {
        // Newest first per widget, each through its own (widget, created_at)
        // index, then merged: never a sort of the whole log, and an account
        // without rows costs nothing.
        const arm = `SELECT * FROM (SELECT ${columns} FROM otp_requests r
           WHERE r.widget_id = ?${where} ORDER BY r.created_at DESC, r.${pos} DESC LIMIT ?) AS arm`;
        rows = await db.all<LogRow>(`${scope.map(() => arm).join(' UNION ALL ')} ${order}`, [
          ...scope.flatMap((w) => [w, ...params, limit + 1]),
          limit + 1,
        ]);
      }
      for (const row of rows) row.widget_name = widgets.get(row.widget_id) ?? null;
      const more = rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      const last = page[page.length - 1];
      return {
        entries: page.map(toLogEntry),
        nextCursor: more && last ? encodeCursor(last) : null,
      };
    },

    validCursor(cursor) {
      return decodeCursor(cursor) !== undefined;
    },

    async get(accountId, reqId) {
      const row = await db.one<LogRow>(
        `SELECT ${columns}, ${d.jsonText('w.settings', 'name')} AS widget_name
         FROM otp_requests r JOIN widgets w ON w.id = r.widget_id WHERE r.id = ? AND w.account_id = ?`,
        [reqId, accountId],
      );
      return row && toLogEntry(row);
    },

    async analytics({ accountId, from, to, widgetId, bucketMs }) {
      const scope = widgetScope(widgetId, accountId);
      const buckets = await db.all<RollupRow>(
        `SELECT hour - hour % CAST(? AS BIGINT) AS bucket, channel, CAST(NULL AS TEXT) AS country,
           ${ROLLUP_SUMS}
         FROM log_rollup WHERE ${scope.sql} AND hour >= ? AND hour < ?
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [bucketMs, ...scope.params, from, to],
      );
      const countries = await db.all<RollupRow>(
        `SELECT CAST(? AS BIGINT) AS bucket, CAST(NULL AS TEXT) AS channel, country, ${ROLLUP_SUMS}
         FROM log_rollup WHERE ${scope.sql} AND hour >= ? AND hour < ?
         GROUP BY country ORDER BY country`,
        [from, ...scope.params, from, to],
      );
      return { buckets: buckets.map(toAnalyticsRow), countries: countries.map(toAnalyticsRow) };
    },

    async providerStats({ accountId, from, to, widgetId }) {
      const scope = widgetScope(widgetId, accountId, 'r.widget_id');
      const rows = await db.all<ProviderStatsSqlRow>(
        `SELECT d.provider, d.channel,
           CAST(SUM(CASE WHEN d.status = 'sent' THEN 1 ELSE 0 END) AS INTEGER) AS sent,
           CAST(SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END) AS INTEGER) AS failed,
           CAST(SUM(CASE WHEN d.status = 'failed' AND d.error LIKE '%(failed over to %' THEN 1 ELSE 0 END) AS INTEGER) AS failovers,
           CAST(SUM(CASE WHEN d.status = 'sent' AND m.status = 'delivered' AND m.provider = d.provider THEN 1 ELSE 0 END) AS INTEGER) AS delivered,
           CAST(AVG(CASE WHEN d.status = 'sent' THEN d.created_at - m.created_at END) AS DOUBLE PRECISION) AS mean_latency_ms
         FROM otp_requests r
         JOIN deliveries d ON d.request_id = r.id
         LEFT JOIN messages m ON m.id = d.message_id
         WHERE ${scope.sql} AND r.created_at >= ? AND r.created_at < ?
         GROUP BY d.provider, d.channel
         ORDER BY sent DESC, d.provider, d.channel`,
        [...scope.params, from, to],
      );
      return rows.map(toProviderStats);
    },

    async purge(before, limit) {
      const removed = await db.transaction(function* () {
        const rows = yield* sql.all<{ id: string }>(
          `SELECT id FROM otp_requests WHERE created_at < ? ORDER BY created_at LIMIT ?${db.dialect.forUpdateSkipLocked}`,
          [before, limit],
        );
        if (rows.length === 0) return 0;
        const doomed = d.list(rows.map((r) => r.id));
        // Messages, deliveries and links go with their request (ON DELETE CASCADE).
        yield* sql.run(`DELETE FROM access_tokens WHERE ${d.inList('request_id')}`, [doomed]);
        yield* sql.run(`DELETE FROM request_events WHERE ${d.inList('request_id')}`, [doomed]);
        yield* sql.run(`DELETE FROM otp_requests WHERE ${d.inList('id')}`, [doomed]);
        return rows.length;
      });
      // Widget API calls that never made a request (refused sends) age out too.
      await db.run(
        'DELETE FROM request_events WHERE id IN (SELECT id FROM request_events WHERE created_at < ? LIMIT ?)',
        [before, limit],
      );
      return removed;
    },
  };
}
