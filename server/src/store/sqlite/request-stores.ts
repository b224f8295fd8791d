/**
 * The SQLite store's requests and their combined writes (send, verify, create, redeem: one write
 * of the group commit each). The other verification stores are written once for both engines:
 * ../sql/request-stores.ts.
 */
import type { SendWriteResult, Store, VerifyWriteResult } from '../types.ts';
import { type SqliteContext, Undo } from './context.ts';
import { type OtpRequestRow, toAccessToken, toOtpRequest } from './rows.ts';

export function sqliteRequestStores(
  c: SqliteContext,
): Pick<Store, 'otpRequests'> & { accessTokens: Pick<Store['accessTokens'], 'redeem'> } {
  const {
    db,
    get,
    write,
    counters,
    undoable,
    spendAll,
    insertMessage,
    insertLink,
    claimAttemptRow,
    completeVerificationRow,
    insertAccessToken,
    markVerifiedRow,
    insertEvent,
    createRequest,
  } = c;
  return {
    otpRequests: {
      create(request, message, link) {
        return write(() => {
          return toOtpRequest(createRequest(request, message, link)!);
        });
      },
      createVerified(request, token) {
        return write(() =>
          db.transaction(() => {
            createRequest(request);
            const row = get<OtpRequestRow>(
              `UPDATE otp_requests SET status = 'verified', verified_at = ?, updated_at = ?
               WHERE id = ? RETURNING *`,
              request.createdAt,
              request.createdAt,
              request.id,
            )!;
            insertAccessToken(token);
            return toOtpRequest(row);
          })(),
        );
      },
      send(w) {
        return write(() =>
          undoable((): SendWriteResult => {
            spendAll(w.limits, w.limitsNow, w.pumping);
            const request = toOtpRequest(createRequest(w.request, w.message, w.link)!);
            const eventError = insertEvent({ ...w.event, requestId: request.id, outcome: 'ok' });
            return { kind: 'created', request, ...(eventError ? { eventError } : {}) };
          }),
        );
      },
      verify(w) {
        return write(() =>
          undoable((): VerifyWriteResult => {
            spendAll(w.limits, w.limitsNow, null);
            const claimedRow = claimAttemptRow(w.id, w.widgetId, w.now);
            if (!claimedRow) return { kind: 'unclaimed' };
            const claimed = toOtpRequest(claimedRow);
            const right = claimed.codeHashes.some((h) => w.candidates.includes(h));
            const guess =
              w.guess && claimedRow.guess_owner !== null
                ? {
                    key: w.guess.keyPrefix + claimedRow.guess_owner,
                    points: w.guess.points,
                    seconds: w.guess.seconds,
                  }
                : undefined;
            if (guess) {
              // A wrong code spends a point of the identifier's guess budget; once it is spent,
              // every code is refused, and the attempt and the limits are undone with the refusal.
              const refused = right
                ? (() => {
                    const spent = counters.peek(guess.key, w.limitsNow);
                    return spent.points >= guess.points ? spent : undefined;
                  })()
                : counters.spend([guess], w.limitsNow);
              if (refused) {
                throw new Undo({
                  kind: 'limited',
                  index: w.limits.length,
                  msBeforeNext: refused.msBeforeNext,
                } satisfies VerifyWriteResult);
              }
            }
            if (!right) return { kind: 'mismatch', claimed };
            const verifiedRow = completeVerificationRow(w.id, w.now);
            if (!verifiedRow) return { kind: 'lost' };
            const verified = toOtpRequest(verifiedRow);
            if (w.token) {
              insertAccessToken({
                ...w.token,
                requestId: verified.id,
                widgetId: verified.widgetId,
                identifier: verified.identifier,
                channel: verified.channel,
                demo: verified.demo,
              });
            }
            const eventError = insertEvent({ ...w.event, requestId: verified.id, outcome: 'ok' });
            return { kind: 'verified', request: verified, ...(eventError ? { eventError } : {}) };
          }),
        );
      },
      async get(id) {
        const row = get<OtpRequestRow>('SELECT * FROM otp_requests WHERE id = ?', id);
        return row && toOtpRequest(row);
      },
      async latestFor(widgetId, identifier) {
        const row = get<OtpRequestRow>(
          `SELECT * FROM otp_requests WHERE widget_id = ? AND identifier = ?
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
          widgetId,
          identifier,
        );
        return row && toOtpRequest(row);
      },
      recordResend(id, widgetId, { channel, codeHash, now }, message, link) {
        return write(() => {
          const row = db.transaction(() => {
            const updated = get<OtpRequestRow>(
              `UPDATE otp_requests
             SET resend_count = resend_count + 1, channel = ?,
                 code_hashes = CASE WHEN ? IS NULL THEN code_hashes ELSE json_insert(code_hashes, '$[#]', ?) END,
                 last_sent_at = ?, expires_at = ? + ttl_ms, updated_at = ?
             WHERE id = ? AND widget_id = ? AND status = 'pending' AND expires_at > ?
               AND attempts < max_attempts AND resend_count < max_resends
               AND last_sent_at + resend_interval_ms <= ?
             RETURNING *`,
              channel,
              codeHash,
              codeHash,
              now,
              now,
              now,
              id,
              widgetId,
              now,
              now,
            );
            if (updated && message) insertMessage(message);
            if (updated && link) insertLink(link);
            return updated;
          })();
          return row && toOtpRequest(row);
        });
      },
      addFallback(id, { channel, codeHash, now }, message) {
        return write(() => {
          const row = db.transaction(() => {
            const updated = get<OtpRequestRow>(
              `UPDATE otp_requests
             SET fallback_count = fallback_count + 1, channel = ?,
                 code_hashes = json_insert(code_hashes, '$[#]', ?), updated_at = ?
             WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
             RETURNING *`,
              channel,
              codeHash,
              now,
              id,
              now,
            );
            if (updated) insertMessage(message);
            return updated;
          })();
          return row && toOtpRequest(row);
        });
      },
    },
    accessTokens: {
      redeem(jti, now, event) {
        return write(() => {
          const row = markVerifiedRow(jti, now);
          if (!row) return undefined;
          const request = get<{ verified_at: number | null }>(
            'SELECT verified_at FROM otp_requests WHERE id = ?',
            row.request_id,
          );
          const eventError = insertEvent({ ...event, outcome: 'ok' });
          return {
            record: toAccessToken(row),
            requestVerifiedAt: request?.verified_at ?? null,
            ...(eventError ? { eventError } : {}),
          };
        });
      },
    },
  };
}
