/**
 * The SQLite store's verifications: requests and their combined writes (send, verify: one write
 * of the group commit each), magic links, access tokens, passkeys, captcha uses, send counters,
 * events, the development outbox.
 */
import type { Channel, EventKind, EventOutcome } from '@otpkit/protocol';
import {
  type MagicLinkRow,
  PASSKEY_SQL,
  type PasskeyChallengeRow,
  type PasskeyRow,
  passkeyValues,
  toMagicLink,
  toPasskey,
  toPasskeyChallenge,
} from '../rows.ts';
import type { OutboxMessage, SendWriteResult, Store, VerifyWriteResult } from '../types.ts';
import { LinkRefused, type SqliteContext, sqliteValue, Undo } from './context.ts';
import { type AccessTokenRow, type OtpRequestRow, toAccessToken, toOtpRequest } from './rows.ts';

export function sqliteRequestStores(
  c: SqliteContext,
): Pick<
  Store,
  | 'otpRequests'
  | 'magicLinks'
  | 'accessTokens'
  | 'passkeys'
  | 'passkeyChallenges'
  | 'captcha'
  | 'sendCounters'
  | 'events'
  | 'outbox'
> {
  const {
    db,
    get,
    all,
    run,
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
    bumpSendCounter,
    insertEvent,
    insertEventRow,
    createRequest,
    confirmLink,
    refuseLink,
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
    magicLinks: {
      async get(tokenHash) {
        const row = get<MagicLinkRow>('SELECT * FROM magic_links WHERE token_hash = ?', tokenHash);
        return row && toMagicLink(row);
      },
      markOpened(tokenHash, now) {
        return write(() => {
          run(
            'UPDATE magic_links SET opened_at = ? WHERE token_hash = ? AND opened_at IS NULL',
            now,
            tokenHash,
          );
        });
      },
      confirm(tokenHash, now) {
        return write(() => {
          try {
            const row = confirmLink(tokenHash, now);
            return row && toOtpRequest(row);
          } catch (error) {
            if (error instanceof LinkRefused) return undefined;
            throw error;
          }
        });
      },
      refuse(tokenHash, now) {
        return write(() => {
          try {
            const row = refuseLink(tokenHash, now);
            return row && toOtpRequest(row);
          } catch (error) {
            if (error instanceof LinkRefused) return undefined;
            throw error;
          }
        });
      },
      attachAccessToken(requestId, { sealed, jti }) {
        return write(() => {
          return (
            run(
              `UPDATE otp_requests SET access_token = ?, access_token_jti = ?
             WHERE id = ? AND status = 'verified' AND access_token IS NULL`,
              sealed,
              jti,
              requestId,
            ).changes === 1
          );
        });
      },
    },
    accessTokens: {
      insert(t) {
        return write(() => {
          insertAccessToken(t);
        });
      },
      async get(jti) {
        const row = get<AccessTokenRow>('SELECT * FROM access_tokens WHERE jti = ?', jti);
        return row && toAccessToken(row);
      },
      markVerified(jti, now) {
        return write(() => {
          const row = markVerifiedRow(jti, now);
          return row && toAccessToken(row);
        });
      },
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
    passkeys: {
      insert(p) {
        return write(
          () => run(PASSKEY_SQL.insert, ...passkeyValues(p).map(sqliteValue)).changes === 1,
        );
      },
      async byCredentialId(credentialId) {
        const row = get<PasskeyRow>(PASSKEY_SQL.byCredentialId, credentialId);
        return row && toPasskey(row);
      },
      async listFor(accountId, identifier) {
        return all<PasskeyRow>(PASSKEY_SQL.listFor, accountId, identifier).map(toPasskey);
      },
      recordUse(id, counter, now) {
        return write(
          () => run(PASSKEY_SQL.recordUse, counter, now, id, counter, counter).changes === 1,
        );
      },
      revoke(accountId, id, now) {
        return write(() => {
          const row = get<PasskeyRow>(PASSKEY_SQL.revoke, now, accountId, id);
          return row && toPasskey(row);
        });
      },
    },
    passkeyChallenges: {
      insert(c) {
        return write(() => {
          run(
            PASSKEY_SQL.insertChallenge,
            c.id,
            c.kind,
            c.widgetId,
            c.identifier,
            c.origin,
            c.requestId,
            c.expiresAt,
            c.createdAt,
          );
        });
      },
      async peek(id, kind, now) {
        const row = get<PasskeyChallengeRow>(PASSKEY_SQL.peekChallenge, id, kind, now);
        return row && toPasskeyChallenge(row);
      },
      take(id, kind, now) {
        return write(() => {
          const row = get<PasskeyChallengeRow>(PASSKEY_SQL.takeChallenge, id, kind);
          return row && row.expires_at > now ? toPasskeyChallenge(row) : undefined;
        });
      },
      purgeExpired(now) {
        return write(() => run(PASSKEY_SQL.purgeChallenges, now).changes);
      },
    },
    captcha: {
      markUsed(challenge, expiresAt, now) {
        return write(() => {
          run('DELETE FROM captcha_uses WHERE expires_at <= ?', now);
          return (
            run(
              'INSERT INTO captcha_uses (challenge, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
              challenge,
              expiresAt,
            ).changes === 1
          );
        });
      },
    },
    sendCounters: {
      bump(widgetId, country, hour) {
        return write(() => bumpSendCounter(widgetId, country, hour));
      },
      async total(widgetId, country, fromHour, toHour) {
        return (
          get<{ n: number | null }>(
            'SELECT sum(count) AS n FROM send_counters WHERE widget_id = ? AND country = ? AND hour >= ? AND hour < ?',
            widgetId,
            country,
            fromHour,
            toHour,
          )!.n ?? 0
        );
      },
    },
    events: {
      insert(e) {
        return write(() => {
          insertEventRow(e);
        });
      },
      async listRefused(accountId, f) {
        return all<{
          id: number;
          request_id: string | null;
          widget_id: string | null;
          kind: EventKind;
          outcome: EventOutcome;
          ip: string | null;
          host: string | null;
          user_agent: string | null;
          created_at: number;
          identifier: string | null;
        }>(
          `SELECT e.* FROM request_events e JOIN widgets w ON w.id = e.widget_id
         WHERE w.account_id = ? AND e.request_id IS NULL AND e.outcome != 'ok'
           AND e.created_at >= ? AND e.created_at <= ? AND (? IS NULL OR e.widget_id = ?) AND e.id < ?
         ORDER BY e.id DESC LIMIT ?`,
          accountId,
          f.from,
          f.to,
          f.widgetId ?? null,
          f.widgetId ?? null,
          f.beforeId ?? Number.MAX_SAFE_INTEGER,
          f.limit,
        ).map((r) => ({
          id: r.id,
          requestId: r.request_id,
          widgetId: r.widget_id,
          kind: r.kind,
          outcome: r.outcome,
          ip: r.ip,
          host: r.host,
          userAgent: r.user_agent,
          createdAt: r.created_at,
          identifier: r.identifier,
        }));
      },
      async listForRequest(requestId) {
        return all<{
          request_id: string | null;
          widget_id: string | null;
          kind: EventKind;
          outcome: EventOutcome;
          ip: string | null;
          host: string | null;
          user_agent: string | null;
          created_at: number;
        }>('SELECT * FROM request_events WHERE request_id = ? ORDER BY id', requestId).map((r) => ({
          requestId: r.request_id,
          widgetId: r.widget_id,
          kind: r.kind,
          outcome: r.outcome,
          ip: r.ip,
          host: r.host,
          userAgent: r.user_agent,
          createdAt: r.created_at,
        }));
      },
    },
    outbox: {
      insert(m) {
        return write(() => {
          run(
            `INSERT INTO dev_outbox (id, request_id, recipient, channel, subject, text, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
            m.id,
            m.requestId,
            m.to,
            m.channel,
            m.subject,
            m.text,
            m.createdAt,
          );
        });
      },
      async list({ to, limit }) {
        type Row = {
          id: string;
          request_id: string | null;
          recipient: string;
          channel: string;
          subject: string | null;
          text: string;
          created_at: number;
        };
        const rows =
          to === undefined
            ? all<Row>(
                'SELECT * FROM dev_outbox ORDER BY created_at DESC, rowid DESC LIMIT ?',
                limit,
              )
            : all<Row>(
                'SELECT * FROM dev_outbox WHERE recipient = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
                to,
                limit,
              );
        return rows.map(
          (r): OutboxMessage => ({
            id: r.id,
            requestId: r.request_id,
            to: r.recipient,
            channel: r.channel as Channel,
            subject: r.subject,
            text: r.text,
            createdAt: r.created_at,
          }),
        );
      },
    },
  };
}
