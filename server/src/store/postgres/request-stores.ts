/**
 * The PostgreSQL store's verifications: requests (their combined writes: operations.ts), magic
 * links, access tokens, passkeys, captcha uses, send counters, events, the development outbox.
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
import type { AccessTokenRecord, OutboxMessage, RequestEvent, Store } from '../types.ts';
import type { PgContext } from './context.ts';
import { Rollback, transaction } from './db.ts';
import * as combined from './operations.ts';
import { linkCte, messageCte } from './operations.ts';
import { type AccessTokenRow, type OtpRequestRow, toAccessToken, toOtpRequest } from './rows.ts';

export function pgRequestStores(
  c: PgContext,
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
  const { pool, one, all, run } = c;
  const insertAccessToken = async (
    t: Omit<AccessTokenRecord, 'verifiedAt'>,
    db?: Parameters<typeof run>[2],
  ) => {
    await run(
      `INSERT INTO access_tokens (jti, request_id, widget_id, identifier, channel, issued_at, expires_at, demo)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [t.jti, t.requestId, t.widgetId, t.identifier, t.channel, t.issuedAt, t.expiresAt, t.demo],
      db,
    );
  };
  return {
    otpRequests: {
      send: (w) => combined.send(pool, w),
      verify: (w) => combined.verify(pool, w),
      create: (r, message, link) => combined.createRequest(pool, r, message, link),
      async createVerified(r, token) {
        const verified = await transaction(pool, async (client) => {
          await combined.createRequest(client, r);
          const row = await one<OtpRequestRow>(
            `UPDATE otp_requests SET status = 'verified', verified_at = ?, updated_at = ?
             WHERE id = ? RETURNING *`,
            [r.createdAt, r.createdAt, r.id],
            client,
          );
          await insertAccessToken(token, client);
          return toOtpRequest(row!);
        });
        return verified!;
      },
      async get(id) {
        const row = await one<OtpRequestRow>('SELECT * FROM otp_requests WHERE id = ?', [id]);
        return row && toOtpRequest(row);
      },
      async latestFor(widgetId, identifier) {
        const row = await one<OtpRequestRow>(
          `SELECT * FROM otp_requests WHERE widget_id = ? AND identifier = ?
         ORDER BY created_at DESC, seq DESC LIMIT 1`,
          [widgetId, identifier],
        );
        return row && toOtpRequest(row);
      },
      async recordResend(id, widgetId, { channel, codeHash, now }, message, link) {
        // One statement: the message and link are inserted only if the resend was allowed.
        const params: unknown[] = [
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
        ];
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
    magicLinks: {
      async get(tokenHash) {
        const row = await one<MagicLinkRow>('SELECT * FROM magic_links WHERE token_hash = ?', [
          tokenHash,
        ]);
        return row && toMagicLink(row);
      },
      async markOpened(tokenHash, now) {
        await run(
          'UPDATE magic_links SET opened_at = ? WHERE token_hash = ? AND opened_at IS NULL',
          [now, tokenHash],
        );
      },
      async confirm(tokenHash, now) {
        const row = await transaction(pool, async (c) => {
          const used = await one<{ request_id: string }>(
            `UPDATE magic_links SET used_at = ?
           WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING request_id`,
            [now, tokenHash, now],
            c,
          );
          if (!used) return undefined;
          const verified = await one<OtpRequestRow>(
            `UPDATE otp_requests SET status = 'verified', verified_at = ?, updated_at = ?
           WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
           RETURNING *`,
            [now, now, used.request_id, now],
            c,
          );
          // The link stays unused when its request can no longer be verified.
          if (!verified) throw new Rollback();
          return verified;
        });
        return row && toOtpRequest(row);
      },
      async refuse(tokenHash, now) {
        // A wrong match number: the link is used and its request's attempts are spent (it is ended).
        const row = await transaction(pool, async (c) => {
          const used = await one<{ request_id: string }>(
            `UPDATE magic_links SET used_at = ?
           WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING request_id`,
            [now, tokenHash, now],
            c,
          );
          if (!used) return undefined;
          const ended = await one<OtpRequestRow>(
            `UPDATE otp_requests SET attempts = max_attempts, updated_at = ?
           WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
           RETURNING *`,
            [now, used.request_id, now],
            c,
          );
          if (!ended) throw new Rollback();
          return ended;
        });
        return row && toOtpRequest(row);
      },
      async attachAccessToken(requestId, { sealed, jti }) {
        return (
          (await run(
            `UPDATE otp_requests SET access_token = ?, access_token_jti = ?
           WHERE id = ? AND status = 'verified' AND access_token IS NULL`,
            [sealed, jti, requestId],
          )) === 1
        );
      },
    },
    accessTokens: {
      redeem: (jti, now, event) => combined.redeem(pool, jti, now, event),
      insert: (t) => insertAccessToken(t),
      async get(jti) {
        const row = await one<AccessTokenRow>('SELECT * FROM access_tokens WHERE jti = ?', [jti]);
        return row && toAccessToken(row);
      },
      async markVerified(jti, now) {
        const row = await one<AccessTokenRow>(
          'UPDATE access_tokens SET verified_at = ? WHERE jti = ? AND verified_at IS NULL RETURNING *',
          [now, jti],
        );
        return row && toAccessToken(row);
      },
    },
    passkeys: {
      async insert(p) {
        return (await run(PASSKEY_SQL.insert, passkeyValues(p))) === 1;
      },
      async byCredentialId(credentialId) {
        const row = await one<PasskeyRow>(PASSKEY_SQL.byCredentialId, [credentialId]);
        return row && toPasskey(row);
      },
      async listFor(accountId, identifier) {
        return (await all<PasskeyRow>(PASSKEY_SQL.listFor, [accountId, identifier])).map(toPasskey);
      },
      async recordUse(id, counter, now) {
        return (await run(PASSKEY_SQL.recordUse, [counter, now, id, counter, counter])) === 1;
      },
      async revoke(accountId, id, now) {
        const row = await one<PasskeyRow>(PASSKEY_SQL.revoke, [now, accountId, id]);
        return row && toPasskey(row);
      },
    },
    passkeyChallenges: {
      async insert(c) {
        await run(PASSKEY_SQL.insertChallenge, [
          c.id,
          c.kind,
          c.widgetId,
          c.identifier,
          c.origin,
          c.requestId,
          c.expiresAt,
          c.createdAt,
        ]);
      },
      async peek(id, kind, now) {
        const row = await one<PasskeyChallengeRow>(PASSKEY_SQL.peekChallenge, [id, kind, now]);
        return row && toPasskeyChallenge(row);
      },
      async take(id, kind, now) {
        const row = await one<PasskeyChallengeRow>(PASSKEY_SQL.takeChallenge, [id, kind]);
        return row && row.expires_at > now ? toPasskeyChallenge(row) : undefined;
      },
      async purgeExpired(now) {
        return run(PASSKEY_SQL.purgeChallenges, [now]);
      },
    },
    captcha: {
      async markUsed(challenge, expiresAt, now) {
        await run('DELETE FROM captcha_uses WHERE expires_at <= ?', [now]);
        return (
          (await run(
            'INSERT INTO captcha_uses (challenge, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
            [challenge, expiresAt],
          )) === 1
        );
      },
    },
    sendCounters: {
      async bump(widgetId, country, hour) {
        return (await one<{ count: number }>(
          `INSERT INTO send_counters (widget_id, country, hour, count) VALUES (?, ?, ?, 1)
         ON CONFLICT (widget_id, country, hour) DO UPDATE SET count = send_counters.count + 1
         RETURNING count`,
          [widgetId, country, hour],
        ))!.count;
      },
      async total(widgetId, country, fromHour, toHour) {
        return (
          (await one<{ n: number | null }>(
            'SELECT sum(count) AS n FROM send_counters WHERE widget_id = ? AND country = ? AND hour >= ? AND hour < ?',
            [widgetId, country, fromHour, toHour],
          ))!.n ?? 0
        );
      },
    },
    events: {
      async insert(e) {
        await run(
          `INSERT INTO request_events (request_id, widget_id, kind, outcome, ip, host, user_agent, created_at, identifier)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            e.requestId,
            e.widgetId,
            e.kind,
            e.outcome,
            e.ip,
            e.host,
            e.userAgent,
            e.createdAt,
            e.identifier ?? null,
          ],
        );
      },
      async listRefused(accountId, f) {
        const rows = await all<EventRow & { id: number; identifier: string | null }>(
          `SELECT e.* FROM request_events e JOIN widgets w ON w.id = e.widget_id
         WHERE w.account_id = ? AND e.request_id IS NULL AND e.outcome <> 'ok'
           AND e.created_at >= ? AND e.created_at <= ? AND (?::text IS NULL OR e.widget_id = ?) AND e.id < ?
         ORDER BY e.id DESC LIMIT ?`,
          [
            accountId,
            f.from,
            f.to,
            f.widgetId ?? null,
            f.widgetId ?? null,
            f.beforeId ?? Number.MAX_SAFE_INTEGER,
            f.limit,
          ],
        );
        return rows.map((r) => ({ id: r.id, ...toEvent(r), identifier: r.identifier }));
      },
      async listForRequest(requestId) {
        return (
          await all<EventRow>('SELECT * FROM request_events WHERE request_id = ? ORDER BY id', [
            requestId,
          ])
        ).map(toEvent);
      },
    },
    outbox: {
      async insert(m) {
        await run(
          `INSERT INTO dev_outbox (id, request_id, recipient, channel, subject, text, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [m.id, m.requestId, m.to, m.channel, m.subject, m.text, m.createdAt],
        );
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
            ? await all<Row>(
                'SELECT * FROM dev_outbox ORDER BY created_at DESC, seq DESC LIMIT ?',
                [limit],
              )
            : await all<Row>(
                'SELECT * FROM dev_outbox WHERE recipient = ? ORDER BY created_at DESC, seq DESC LIMIT ?',
                [to, limit],
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

interface EventRow {
  request_id: string | null;
  widget_id: string | null;
  kind: EventKind;
  outcome: EventOutcome;
  ip: string | null;
  host: string | null;
  user_agent: string | null;
  created_at: number;
}

function toEvent(r: EventRow): RequestEvent {
  return {
    requestId: r.request_id,
    widgetId: r.widget_id,
    kind: r.kind,
    outcome: r.outcome,
    ip: r.ip,
    host: r.host,
    userAgent: r.user_agent,
    createdAt: r.created_at,
  };
}
