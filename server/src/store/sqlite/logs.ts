/**
 * The SQLite side of logs and analytics. A log entry is an `otp_requests`
 * row whose log columns (channels used, latest message status, token
 * redemption) are kept by the triggers of migration 006; analytics read the
 * hourly `log_rollup` those triggers maintain.
 */
import type Database from 'better-sqlite3';
import {
  logFilterSql,
  type ProviderStatsSqlRow,
  ROLLUP_SUMS,
  type RollupRow,
  type LogRow as SharedLogRow,
  toAnalyticsRow,
  toLogEntry,
  toProviderStats,
} from '../log-rows.ts';
import type { Store } from '../types.ts';

interface LogRow extends SharedLogRow {
  rowid: number;
}

const COLUMNS = `r.rowid AS rowid, r.id, r.widget_id, NULL AS widget_name, r.identifier, r.contact_point, r.country, r.channel, r.log_channels, r.status, r.delivery_status,
  r.resend_count, r.fallback_count, r.attempts, r.verified_at, r.token_verified_at, r.demo, r.ip,
  r.host, r.user_agent, r.created_at, r.updated_at, r.expires_at`;

/** A cursor is the last entry's creation time and rowid: `<created_at>.<rowid>` in base64url. */
function encodeCursor(row: { created_at: number; rowid: number }): string {
  return Buffer.from(`${row.created_at}.${row.rowid}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; rowid: number } | undefined {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) return undefined;
  return { createdAt: Number(match[1]), rowid: Number(match[2]) };
}

/** The conditions and parameters of a filter, except its account and widget scope. */

/** The `logs` part of the SQLite store. */
export function sqliteLogs(
  db: Database.Database,
  stmt: (sql: string) => Database.Statement,
): Store['logs'] {
  const purgeBatch = db.transaction((before: number, limit: number): number => {
    const ids = stmt(
      'SELECT id FROM otp_requests WHERE created_at < ? ORDER BY created_at LIMIT ?',
    ).pluck();
    const doomed = ids.all(before, limit) as string[];
    if (doomed.length === 0) return 0;
    const list = JSON.stringify(doomed);
    // Messages and deliveries go with their request (ON DELETE CASCADE).
    stmt('DELETE FROM access_tokens WHERE request_id IN (SELECT value FROM json_each(?))').run(
      list,
    );
    stmt('DELETE FROM request_events WHERE request_id IN (SELECT value FROM json_each(?))').run(
      list,
    );
    stmt('DELETE FROM otp_requests WHERE id IN (SELECT value FROM json_each(?))').run(list);
    return doomed.length;
  });

  return {
    async list(filter, { cursor, limit }) {
      const widgets = new Map(
        (
          stmt(
            "SELECT id, json_extract(settings, '$.name') AS name FROM widgets WHERE account_id = ?",
          ).all(filter.accountId) as { id: string; name: string | null }[]
        ).map((w) => [w.id, w.name]),
      );
      const scope =
        filter.widgetId === undefined
          ? [...widgets.keys()]
          : widgets.has(filter.widgetId)
            ? [filter.widgetId]
            : [];
      if (scope.length === 0) return { entries: [], nextCursor: null };
      const { sql, params } = logFilterSql(filter, 'sqlite');
      if (cursor !== undefined) {
        const at = decodeCursor(cursor);
        if (!at) throw new TypeError('invalid log cursor');
        sql.push('r.created_at <= ?', '(r.created_at < ? OR r.rowid < ?)');
        params.push(at.createdAt, at.createdAt, at.rowid);
      }
      const where = sql.map((c) => ` AND ${c}`).join('');
      let rows: LogRow[];
      if (filter.reqId !== undefined || filter.identifiers !== undefined) {
        // Few rows match: find them by key, then keep the account's (the unary
        // + keeps SQLite on the id or identifier index).
        rows = stmt(
          `SELECT ${COLUMNS} FROM otp_requests r
           WHERE +r.widget_id IN (${scope.map(() => '?').join(', ')})${where}
           ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`,
        ).all(...scope, ...params, limit + 1) as LogRow[];
      } else {
        // Newest first per widget, each through its own (widget, created_at)
        // index with the filter columns in it, then merged: never a sort of
        // the whole log, and an account without rows costs nothing.
        const arm = `SELECT * FROM (SELECT ${COLUMNS} FROM otp_requests r
           WHERE r.widget_id = ?${where} ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?)`;
        rows = stmt(
          `${scope.map(() => arm).join(' UNION ALL ')} ORDER BY created_at DESC, rowid DESC LIMIT ?`,
        ).all(...scope.flatMap((w) => [w, ...params, limit + 1]), limit + 1) as LogRow[];
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
      const row = stmt(
        `SELECT ${COLUMNS.replace('NULL AS widget_name', "json_extract(w.settings, '$.name') AS widget_name")}
         FROM otp_requests r JOIN widgets w ON w.id = r.widget_id WHERE r.id = ? AND w.account_id = ?`,
      ).get(reqId, accountId) as LogRow | undefined;
      return row && toLogEntry(row);
    },

    async analytics({ accountId, from, to, widgetId, bucketMs }) {
      const widgetSql =
        widgetId === undefined
          ? 'widget_id IN (SELECT id FROM widgets WHERE account_id = ?)'
          : 'widget_id = ? AND widget_id IN (SELECT id FROM widgets WHERE account_id = ?)';
      const scope = widgetId === undefined ? [accountId] : [widgetId, accountId];
      const buckets = stmt(
        `SELECT hour - hour % ? AS bucket, channel, NULL AS country, ${ROLLUP_SUMS}
         FROM log_rollup WHERE ${widgetSql} AND hour >= ? AND hour < ?
         GROUP BY 1, 2 ORDER BY 1, 2`,
      ).all(bucketMs, ...scope, from, to) as RollupRow[];
      const countries = stmt(
        `SELECT ? AS bucket, NULL AS channel, country, ${ROLLUP_SUMS}
         FROM log_rollup WHERE ${widgetSql} AND hour >= ? AND hour < ?
         GROUP BY country ORDER BY country`,
      ).all(from, ...scope, from, to) as RollupRow[];
      return { buckets: buckets.map(toAnalyticsRow), countries: countries.map(toAnalyticsRow) };
    },

    async providerStats({ accountId, from, to, widgetId }) {
      const widgetSql =
        widgetId === undefined
          ? 'widget_id IN (SELECT id FROM widgets WHERE account_id = ?)'
          : 'widget_id = ? AND widget_id IN (SELECT id FROM widgets WHERE account_id = ?)';
      const scope = widgetId === undefined ? [accountId] : [widgetId, accountId];
      const rows = stmt(
        `SELECT d.provider, d.channel,
           SUM(CASE WHEN d.status = 'sent' THEN 1 ELSE 0 END) AS sent,
           SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END) AS failed,
           SUM(CASE WHEN d.status = 'failed' AND d.error LIKE '%(failed over to %' THEN 1 ELSE 0 END) AS failovers,
           SUM(CASE WHEN d.status = 'sent' AND m.status = 'delivered' AND m.provider = d.provider THEN 1 ELSE 0 END) AS delivered,
           AVG(CASE WHEN d.status = 'sent' THEN d.created_at - m.created_at END) AS mean_latency_ms
         FROM otp_requests r
         JOIN deliveries d ON d.request_id = r.id
         LEFT JOIN messages m ON m.id = d.message_id
         WHERE ${widgetSql.replaceAll('widget_id', 'r.widget_id')} AND r.created_at >= ? AND r.created_at < ?
         GROUP BY d.provider, d.channel
         ORDER BY sent DESC, d.provider, d.channel`,
      ).all(...scope, from, to) as ProviderStatsSqlRow[];
      return rows.map(toProviderStats);
    },

    async purge(before, limit) {
      const removed = purgeBatch(before, limit);
      // Widget API calls that never made a request (refused sends) age out too.
      stmt(
        'DELETE FROM request_events WHERE rowid IN (SELECT rowid FROM request_events WHERE created_at < ? LIMIT ?)',
      ).run(before, limit);
      return removed;
    },
  };
}
