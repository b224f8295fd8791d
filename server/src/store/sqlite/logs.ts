/**
 * The SQLite side of logs and analytics. A log entry is an `otp_requests`
 * row whose log columns (channels used, latest message status, token
 * redemption) are kept by the triggers of migration 006; analytics read the
 * hourly `log_rollup` those triggers maintain.
 */
import type { Channel, ContactPoint } from '@otpkit/protocol';
import type Database from 'better-sqlite3';
import type {
  AnalyticsRow,
  LogEntry,
  LogFilter,
  LogStatus,
  MessageStatus,
  OtpRequestStatus,
  Store,
} from '../types.ts';

/** Bit of each channel in `otp_requests.log_channels`. */
export const CHANNEL_BITS: Record<Channel, number> = { sms: 1, whatsapp: 2, voice: 4, email: 8 };
const BIT_ORDER: Channel[] = ['sms', 'whatsapp', 'voice', 'email'];
const LATENCY_BINS = 15;

interface LogRow {
  rowid: number;
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
  demo: number;
  ip: string | null;
  host: string | null;
  user_agent: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

/** Verified; else Retry once a resend or fallback went out; else what the latest message did. */
export function logStatus(row: {
  status: string;
  resend_count: number;
  fallback_count: number;
  delivery_status: string | null;
}): LogStatus {
  if (row.status === 'verified') return 'verified';
  if (row.resend_count + row.fallback_count > 0) return 'retry';
  if (row.delivery_status === 'delivered') return 'delivered';
  if (row.delivery_status === 'failed') return 'failed';
  return 'pending';
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
    demo: row.demo === 1,
    ip: row.ip,
    host: row.host,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
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
function whereOf(filter: LogFilter): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (filter.reqId !== undefined) {
    sql.push('r.id = ?');
    params.push(filter.reqId);
  }
  if (filter.identifiers !== undefined) {
    sql.push(`r.identifier IN (${filter.identifiers.map(() => '?').join(', ')})`);
    params.push(...filter.identifiers);
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
    sql.push('(r.log_channels & ?) != 0');
    params.push(filter.channels.reduce((mask, c) => mask | CHANNEL_BITS[c], 0));
  }
  if (filter.resendCount !== undefined) {
    const op = { gt: '>', lt: '<', eq: '=' }[filter.resendCount.op];
    sql.push(`r.resend_count ${op} ?`);
    params.push(filter.resendCount.value);
  }
  if (filter.otpVerified !== undefined) {
    sql.push(filter.otpVerified ? "r.status = 'verified'" : "r.status != 'verified'");
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
      const { sql, params } = whereOf(filter);
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
      return { entries: page.map(toEntry), nextCursor: more && last ? encodeCursor(last) : null };
    },

    validCursor(cursor) {
      return decodeCursor(cursor) !== undefined;
    },

    async get(accountId, reqId) {
      const row = stmt(
        `SELECT ${COLUMNS.replace('NULL AS widget_name', "json_extract(w.settings, '$.name') AS widget_name")}
         FROM otp_requests r JOIN widgets w ON w.id = r.widget_id WHERE r.id = ? AND w.account_id = ?`,
      ).get(reqId, accountId) as LogRow | undefined;
      return row && toEntry(row);
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
      const buckets = stmt(
        `SELECT hour - hour % ? AS bucket, channel, NULL AS country, ${sums}
         FROM log_rollup WHERE ${widgetSql} AND hour >= ? AND hour < ?
         GROUP BY 1, 2 ORDER BY 1, 2`,
      ).all(bucketMs, ...scope, from, to) as RollupRow[];
      const countries = stmt(
        `SELECT ? AS bucket, NULL AS channel, country, ${sums}
         FROM log_rollup WHERE ${widgetSql} AND hour >= ? AND hour < ?
         GROUP BY country ORDER BY country`,
      ).all(from, ...scope, from, to) as RollupRow[];
      return { buckets: buckets.map(toRow), countries: countries.map(toRow) };
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
