/**
 * The PostgreSQL store's request writes and their combined writes (operations.ts: a send, a
 * verification, a creation, a redemption). The rows they insert are built once for both engines
 * (../sql/request-writes.ts); the reads and the other verification stores are written once for
 * both engines: ../sql/request-stores.ts.
 */
import type { EngineRequestStores } from '../sql/request-stores.ts';
import {
  accessTokenRow,
  codeUpdates,
  fallbackValues,
  resendValues,
  verifyCreated,
} from '../sql/request-writes.ts';
import type { PgContext } from './context.ts';
import { transaction } from './db.ts';
import { postgresDialect } from './driver.ts';
import * as combined from './operations.ts';
import { linkCte, messageCte } from './operations.ts';
import { type OtpRequestRow, toOtpRequest } from './rows.ts';

// A code appended to the request's jsonb list (the cast: jsonb_build_array takes any type).
const CODE_UPDATES = codeUpdates('code_hashes || jsonb_build_array(CAST(? AS TEXT))');

export function pgRequestStores(c: PgContext): EngineRequestStores {
  const { pool, one } = c;
  // A resend and a fallback are sends: they commit as one does (`?commit=`, operations.ts).
  const { relaxedCommit } = c.driver.dialect;
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
        let sql = `WITH updated AS (${CODE_UPDATES.resend})`;
        if (message) sql += messageCte('updated', message, params);
        if (link) sql += linkCte('updated', link, params);
        const row = await one<OtpRequestRow>(
          `${sql} SELECT *${relaxedCommit} FROM updated`,
          params,
        );
        return row && toOtpRequest(row);
      },
      async addFallback(id, change, message) {
        const params = fallbackValues(id, change);
        const sql = `WITH updated AS (${CODE_UPDATES.fallback})${messageCte('updated', message, params)}`;
        const row = await one<OtpRequestRow>(
          `${sql} SELECT *${relaxedCommit} FROM updated`,
          params,
        );
        return row && toOtpRequest(row);
      },
    },
    accessTokens: {
      redeem: (jti, now, event) => combined.redeem(pool, jti, now, event),
    },
  };
}
