/**
 * The PostgreSQL side of logs and analytics. As with SQLite, a log entry is
 * an `otp_requests` row whose log columns are kept by the triggers of
 * migration 006 (PL/pgSQL here), and analytics read the hourly `log_rollup`.
 */
import type { Channel, ContactPoint } from '@otpkit/protocol';
import type pg from 'pg';
import { logStatus } from '../sqlite/logs.ts';
import type {
  AnalyticsRow,
  LogEntry,
  LogFilter,
  MessageStatus,
  OtpRequestStatus,
  Store,
} from '../types.ts';
import { query, transaction } from './db.ts';

/** Bit of each channel in `otp_requests.log_channels`. */
const CHANNEL_BITS: Record<Channel, number> = { sms: 1, whatsapp: 2, voice: 4, email: 8 };
const BIT_ORDER: Channel[] = ['sms', 'whatsapp', 'voice', 'email'];
const LATENCY_BINS = 15;

interface LogRow {
  seq: number;
  id: string;
  widget_id: string;
  widget_name: string | null;
  identifier: string;
  contact_point: string;
  country: string | null;
  channel: string;
  log_channels: number;
  status: string;
  delivery_status: string | null;
  resend_count: number;
  fallback_count: number;
  attempts: number;
  verified_at: number | null;
  token_verified_at: number | null;
  demo: boolean;
  ip: string | null;
  host: string | null;
  user_agent: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

function toEntry(row: LogRow): LogEntry {
  return {
    reqId: row.id,
    widgetId: row.widget_id,
    widgetName: row.widget_name,
    identifier: row.identifier,
    contactPoint: row.contact_point as ContactPoint,
    country: row.country,
    channels: BIT_ORDER.filter((c) => (row.log_channels & CHANNEL_BITS[c]) !== 0),
    channel: row.channel as Channel,
    status: logStatus(row),
    requestStatus: row.status as OtpRequestStatus,
    deliveryStatus: row.delivery_status as MessageStatus | null,
    resendCount: row.resend_count,
    fallbackCount: row.fallback_count,
    attempts: row.attempts,
    otpVerifiedAt: row.verified_at,
    tokenVerifiedAt: row.token_verified_at,
    demo: row.demo,
    ip: row.ip,
    host: row.host,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
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
function whereOf(filter: LogFilter): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (filter.reqId !== undefined) {
    sql.push('r.id = ?');
    params.push(filter.reqId);
  }
  if (filter.identifiers !== undefined) {
    sql.push('r.identifier = ANY(?::text[])');
    params.push(filter.identifiers);
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
    sql.push('(r.log_channels & ?::integer) <> 0');
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

interface RollupRow {
  bucket: number;
  channel: string | null;
  country: string | null;
  requests: number;
  sent: number;
  delivered: number;
  failed: number;
  verified: number;
  [lat: `lat_${number}`]: number;
}

const LATENCY_COLUMNS = Array.from({ length: LATENCY_BINS }, (_, i) => `lat_${i}` as const);
const LATENCY_SUMS = LATENCY_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ');

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
      const { sql, params } = whereOf(filter);
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
      return { entries: page.map(toEntry), nextCursor: more && last ? encodeCursor(last) : null };
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
      return rows[0] && toEntry(rows[0]);
    },

    async analytics({ accountId, from, to, widgetId, bucketMs }) {
      const widgetSql =
        widgetId === undefined
          ? 'widget_id IN (SELECT id FROM widgets WHERE account_id = ?)'
          : 'widget_id = ? AND widget_id IN (SELECT id FROM widgets WHERE account_id = ?)';
      const scope = widgetId === undefined ? [accountId] : [widgetId, accountId];
      const sums = `sum(requests) AS requests, sum(sent) AS sent, sum(delivered) AS delivered,
        sum(failed) AS failed, sum(verified) AS verified, ${LATENCY_SUMS}`;
      const toRow = (r: RollupRow): AnalyticsRow => ({
        bucket: r.bucket,
        channel: (r.channel as Channel | null) ?? null,
        country: r.country === null || r.country === '' ? null : r.country,
        requests: r.requests,
        sent: r.sent,
        delivered: r.delivered,
        failed: r.failed,
        verified: r.verified,
        latency: LATENCY_COLUMNS.map((c) => r[c] ?? 0),
      });
      const buckets = await query<RollupRow>(
        pool,
        `SELECT hour - hour % ?::bigint AS bucket, channel, NULL::text AS country, ${sums}
         FROM log_rollup WHERE ${widgetSql} AND hour >= ? AND hour < ?
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [bucketMs, ...scope, from, to],
      );
      const countries = await query<RollupRow>(
        pool,
        `SELECT ?::bigint AS bucket, NULL::text AS channel, country, ${sums}
         FROM log_rollup WHERE ${widgetSql} AND hour >= ? AND hour < ?
         GROUP BY country ORDER BY country`,
        [from, ...scope, from, to],
      );
      return { buckets: buckets.rows.map(toRow), countries: countries.rows.map(toRow) };
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
