/**
 * The PostgreSQL store's request writes and their combined writes (operations.ts: a send, a
 * verification, a creation, a redemption). The rows they insert are built once for both engines
 * (../sql/request-writes.ts); the reads and the other verification stores are written once for
 * both engines: ../sql/request-stores.ts.
 */
import { accessTokenRow, resendValues, verifyCreated } from '../sql/request-writes.ts';
import type { Store } from '../types.ts';
import type { PgContext } from './context.ts';
import { transaction } from './db.ts';
import { postgresDialect } from './driver.ts';
import * as combined from './operations.ts';
import { linkCte, messageCte } from './operations.ts';
import { type OtpRequestRow, toOtpRequest } from './rows.ts';

export function pgRequestStores(c: PgContext): {
  otpRequests: Omit<Store['otpRequests'], 'get' | 'latestFor'>;
  accessTokens: Pick<Store['accessTokens'], 'redeem'>;
} {
  const { pool, one } = c;
  return {
    otpRequests: {
      send: (w) => combined.send(pool, w),
      verify: (w) => combined.verify(pool, w),
      create: (r, message, link) => combined.createRequest(pool, r, message, link),
      async createVerified(r, t) {
        const verified = await transaction(pool, async (client) => {
          await combined.createRequest(client, r);
          const row = await one<OtpRequestRow>(
            verifyCreated.update,
            verifyCreated.values(r),
            client,
          );
          await one(accessTokenRow.insert, accessTokenRow.values(t, postgresDialect), client);
          return toOtpRequest(row!);
        });
        return verified!;
      },
      async recordResend(id, widgetId, change, message, link) {
        // One statement: the message and link are inserted only if the resend was allowed.
        const params = resendValues(id, widgetId, change);
        let sql = `WITH updated AS (
        UPDATE otp_requests
        SET resend_count = resend_count + 1, channel = ?,
            code_hashes = CASE WHEN ?::text IS NULL THEN code_hashes ELSE code_hashes || jsonb_build_array(?::text) END,
            last_sent_at = ?, expires_at = ?::bigint + ttl_ms, updated_at = ?
        WHERE id = ? AND widget_id = ? AND status = 'pending' AND expires_at > ?
          AND attempts < max_attempts AND resend_count < max_resends
          AND last_sent_at + resend_interval_ms <= ?
        RETURNING *)`;
        if (message) sql += messageCte('updated', message, params);
        if (link) sql += linkCte('updated', link, params);
        const row = await one<OtpRequestRow>(`${sql} SELECT * FROM updated`, params);
        return row && toOtpRequest(row);
      },
      async addFallback(id, { channel, codeHash, now }, message) {
        const params: unknown[] = [channel, codeHash, now, id, now];
        const sql = `WITH updated AS (
        UPDATE otp_requests
        SET fallback_count = fallback_count + 1, channel = ?,
            code_hashes = code_hashes || jsonb_build_array(?::text), updated_at = ?
        WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
        RETURNING *)${messageCte('updated', message, params)}`;
        const row = await one<OtpRequestRow>(`${sql} SELECT * FROM updated`, params);
        return row && toOtpRequest(row);
      },
    },
    accessTokens: {
      redeem: (jti, now, event) => combined.redeem(pool, jti, now, event),
    },
  };
}
