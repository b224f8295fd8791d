/**
 * The PostgreSQL side of logs and analytics. As with SQLite, a log entry is
 * an `otp_requests` row whose log columns are kept by the triggers of
 * migration 006 (PL/pgSQL here), and analytics read the hourly `log_rollup`.
 */
import type pg from 'pg';
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
import { query, transaction } from './db.ts';

interface LogRow extends SharedLogRow {
  seq: number;
}

const COLUMNS = `r.seq, r.id, r.widget_id, r.identifier, r.contact_point, r.country, r.channel, r.log_channels,
  r.status, r.delivery_status, r.resend_count, r.fallback_count, r.attempts, r.verified_at,
  r.token_verified_at, r.demo, r.ip, r.host, r.user_agent, r.created_at, r.updated_at, r.expires_at`;

/** A cursor is the last entry's creation time and sequence number: `<created_at>.<seq>` in base64url. */
function encodeCursor(row: { created_at: number; seq: number }): string {
  return Buffer.from(`${row.created_at}.${row.seq}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; seq: number } | undefined {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) return undefined;
  return { createdAt: Number(match[1]), seq: Number(match[2]) };
}

/** The conditions and parameters of a filter, except its account and widget scope. */

/** The `logs` part of the PostgreSQL store. */
export function postgresLogs(pool: pg.Pool): Store['logs'] {
  return {
    async list(filter, { cursor, limit }) {
      const { rows: widgetRows } = await query<{ id: string; name: string | null }>(
        pool,
        "SELECT id, settings->>'name' AS name FROM widgets WHERE account_id = ?",
        [filter.accountId],
      );
      const widgets = new Map(widgetRows.map((w) => [w.id, w.name]));
      const scope =
        filter.widgetId === undefined
          ? [...widgets.keys()]
          : widgets.has(filter.widgetId)
            ? [filter.widgetId]
            : [];
      if (scope.length === 0) return { entries: [], nextCursor: null };
      const { sql, params } = logFilterSql(filter, 'postgres');
      if (cursor !== undefined) {
        const at = decodeCursor(cursor);
        if (!at) throw new TypeError('invalid log cursor');
        sql.push('(r.created_at, r.seq) < (?::bigint, ?::bigint)');
        params.push(at.createdAt, at.seq);
      }
      const where = sql.map((c) => ` AND ${c}`).join('');
      // Newest first through the (widget_id, created_at DESC, seq DESC) index.
      const { rows } = await query<LogRow>(
        pool,
        `SELECT ${COLUMNS} FROM otp_requests r
         WHERE r.widget_id = ANY(?::text[])${where}
         ORDER BY r.created_at DESC, r.seq DESC LIMIT ?`,
        [scope, ...params, limit + 1],
      );
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
      const { rows } = await query<LogRow>(
        pool,
        `SELECT ${COLUMNS}, w.settings->>'name' AS widget_name
         FROM otp_requests r JOIN widgets w ON w.id = r.widget_id WHERE r.id = ? AND w.account_id = ?`,
        [reqId, accountId],
      );
      return rows[0] && toLogEntry(rows[0]);
    },

    async analytics({ accountId, from, to, widgetId, bucketMs }) {
      const widgetSql =
        widgetId === undefined
          ? 'widget_id IN (SELECT id FROM widgets WHERE account_id = ?)'
          : 'widget_id = ? AND widget_id IN (SELECT id FROM widgets WHERE account_id = ?)';
      const scope = widgetId === undefined ? [accountId] : [widgetId, accountId];
      const buckets = await query<RollupRow>(
        pool,
        `SELECT hour - hour % ?::bigint AS bucket, channel, NULL::text AS country, ${ROLLUP_SUMS}
         FROM log_rollup WHERE ${widgetSql} AND hour >= ? AND hour < ?
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [bucketMs, ...scope, from, to],
      );
      const countries = await query<RollupRow>(
        pool,
        `SELECT ?::bigint AS bucket, NULL::text AS channel, country, ${ROLLUP_SUMS}
         FROM log_rollup WHERE ${widgetSql} AND hour >= ? AND hour < ?
         GROUP BY country ORDER BY country`,
        [from, ...scope, from, to],
      );
      return {
        buckets: buckets.rows.map(toAnalyticsRow),
        countries: countries.rows.map(toAnalyticsRow),
      };
    },

    async providerStats({ accountId, from, to, widgetId }) {
      const widgetSql =
        widgetId === undefined
          ? 'widget_id IN (SELECT id FROM widgets WHERE account_id = ?)'
          : 'widget_id = ? AND widget_id IN (SELECT id FROM widgets WHERE account_id = ?)';
      const scope = widgetId === undefined ? [accountId] : [widgetId, accountId];
      const { rows } = await query<ProviderStatsSqlRow>(
        pool,
        `SELECT d.provider, d.channel,
           SUM(CASE WHEN d.status = 'sent' THEN 1 ELSE 0 END)::int AS sent,
           SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END)::int AS failed,
           SUM(CASE WHEN d.status = 'failed' AND d.error LIKE '%(failed over to %' THEN 1 ELSE 0 END)::int AS failovers,
           SUM(CASE WHEN d.status = 'sent' AND m.status = 'delivered' AND m.provider = d.provider THEN 1 ELSE 0 END)::int AS delivered,
           AVG(CASE WHEN d.status = 'sent' THEN d.created_at - m.created_at END)::float8 AS mean_latency_ms
         FROM otp_requests r
         JOIN deliveries d ON d.request_id = r.id
         LEFT JOIN messages m ON m.id = d.message_id
         WHERE ${widgetSql.replaceAll('widget_id', 'r.widget_id')} AND r.created_at >= ? AND r.created_at < ?
         GROUP BY d.provider, d.channel
         ORDER BY sent DESC, d.provider, d.channel`,
        [...scope, from, to],
      );
      return rows.map(toProviderStats);
    },

    async purge(before, limit) {
      const removed = await transaction(pool, async (c) => {
        const { rows } = await query<{ id: string }>(
          c,
          'SELECT id FROM otp_requests WHERE created_at < ? ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED',
          [before, limit],
        );
        const doomed = rows.map((r) => r.id);
        if (doomed.length === 0) return 0;
        // Messages, deliveries and links go with their request (ON DELETE CASCADE).
        await query(c, 'DELETE FROM access_tokens WHERE request_id = ANY(?::text[])', [doomed]);
        await query(c, 'DELETE FROM request_events WHERE request_id = ANY(?::text[])', [doomed]);
        await query(c, 'DELETE FROM otp_requests WHERE id = ANY(?::text[])', [doomed]);
        return doomed.length;
      });
      // Widget API calls that never made a request (refused sends) age out too.
      await query(
        pool,
        'DELETE FROM request_events WHERE id IN (SELECT id FROM request_events WHERE created_at < ? LIMIT ?)',
        [before, limit],
      );
      return removed ?? 0;
    },
  };
}
