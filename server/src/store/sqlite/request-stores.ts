/**
 * The SQLite store's request writes and their combined writes (send, verify, create, redeem: one
 * write of the group commit each, made of the single statements below). The rows they insert are
 * built once for both engines (../sql/request-writes.ts); the reads and the other verification
 * stores are written once for both engines: ../sql/request-stores.ts.
 */
import { CHANNEL_BITS, channelBit } from '../log-sql.ts';
import type { EngineRequestStores } from '../sql/request-stores.ts';
import {
  accessTokenRow,
  codeUpdates,
  eventRow,
  fallbackValues,
  linkRow,
  messageRow,
  requestRow,
  resendValues,
  verifyCreated,
} from '../sql/request-writes.ts';
import type {
  AccessTokenRecord,
  NewMagicLink,
  NewMessage,
  NewOtpRequest,
  RequestEvent,
  SendWriteResult,
  VerifyWriteResult,
} from '../types.ts';
import { type SqliteContext, Undo } from './context.ts';
import { type AccessTokenRow, type OtpRequestRow, toAccessToken, toOtpRequest } from './rows.ts';
import { sqliteDialect } from './sql-driver.ts';

// A code appended to the request's JSON list.
const CODE_UPDATES = codeUpdates("json_insert(code_hashes, '$[#]', ?)");

export function sqliteRequestStores(c: SqliteContext): EngineRequestStores {
  const { db, get, run, write, counters, undoable, spendAll } = c;

  const insertMessage = (m: NewMessage) =>
    run(
      `INSERT INTO messages (${messageRow.columns}, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
      ...messageRow.values(m),
    );
  const insertLink = (l: NewMagicLink) =>
    run(
      `INSERT INTO magic_links (${linkRow.columns}) VALUES (?, ?, ?, ?, ?)`,
      ...linkRow.values(l),
    );
  const claimAttemptRow = (id: string, widgetId: string, now: number) =>
    get<OtpRequestRow>(
      `UPDATE otp_requests SET attempts = attempts + 1, updated_at = ?
       WHERE id = ? AND widget_id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
       RETURNING *`,
      now,
      id,
      widgetId,
      now,
    );
  const completeVerificationRow = (id: string, now: number) =>
    get<OtpRequestRow>(
      `UPDATE otp_requests SET status = 'verified', verified_at = ?, attempts = attempts - 1, updated_at = ?
       WHERE id = ? AND status = 'pending' RETURNING *`,
      now,
      now,
      id,
    );
  const insertAccessToken = (t: Omit<AccessTokenRecord, 'verifiedAt'>) =>
    run(accessTokenRow.insert, ...accessTokenRow.values(t, sqliteDialect));
  const markVerifiedRow = (jti: string, now: number) =>
    get<AccessTokenRow>(
      'UPDATE access_tokens SET verified_at = ? WHERE jti = ? AND verified_at IS NULL RETURNING *',
      now,
      jti,
    );
  // An event row describes a call and never undoes it: a refused row is reported (`eventError`), and
  // the statement's failure rolls back that statement only.
  const insertEvent = (e: RequestEvent): string | undefined => {
    try {
      run(eventRow.insert, ...eventRow.values(e));
      return undefined;
    } catch (error) {
      return String(error);
    }
  };
  const createRequest = db.transaction(
    (r: NewOtpRequest, message?: NewMessage, link?: NewMagicLink) => {
      run(
        `UPDATE otp_requests SET status = 'superseded', updated_at = ?
         WHERE widget_id = ? AND identifier = ? AND status = 'pending'`,
        r.createdAt,
        r.widgetId,
        r.identifier,
      );
      const row = get<OtpRequestRow>(
        // The log's columns (006) for the request and its first message, written here rather than by triggers (010).
        `INSERT INTO otp_requests (${requestRow.columns}, status, first_channel, log_channels)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
         RETURNING *`,
        ...requestRow.values(r, message, sqliteDialect),
        r.channel,
        channelBit(r.channel) | (message ? CHANNEL_BITS[message.channel] : 0),
      );
      if (message) insertMessage(message);
      if (link) insertLink(link);
      return row;
    },
  );

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
            const row = get<OtpRequestRow>(verifyCreated.update, ...verifyCreated.values(request))!;
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
      recordResend(id, widgetId, change, message, link) {
        return write(() => {
          const row = db.transaction(() => {
            const updated = get<OtpRequestRow>(
              CODE_UPDATES.resend,
              ...resendValues(id, widgetId, change),
            );
            if (updated && message) insertMessage(message);
            if (updated && link) insertLink(link);
            return updated;
          })();
          return row && toOtpRequest(row);
        });
      },
      addFallback(id, change, message) {
        return write(() => {
          const row = db.transaction(() => {
            const updated = get<OtpRequestRow>(
              CODE_UPDATES.fallback,
              ...fallbackValues(id, change),
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
