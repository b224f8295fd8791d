/**
 * The verification stores outside the hot combined writes, written once for
 * both engines: the requests' reads, magic links, access tokens (but their
 * redemption), passkeys and their challenges, captcha uses, send counters,
 * events, the development outbox. The request writes (a send, a
 * verification, a request's creation, a resend, a token's redemption) stay
 * each engine's own, their rows built once (request-writes.ts):
 * sqlite/request-stores.ts and postgres/operations.ts.
 */
import type { Channel, EventKind, EventOutcome } from '@otpkit/protocol';
import {
  type AccessTokenRow,
  type MagicLinkRow,
  type OtpRequestRow,
  PASSKEY_SQL,
  type PasskeyChallengeRow,
  type PasskeyRow,
  passkeyValues,
  type RowMappers,
  toMagicLink,
  toPasskey,
  toPasskeyChallenge,
} from '../rows.ts';
import type { OutboxMessage, RequestEvent, Store } from '../types.ts';
import { Rollback, type SqlDriver, sql } from './driver.ts';
import { accessTokenRow, eventRow } from './request-writes.ts';

/**
 * The request stores each engine writes itself (see request-writes.ts for
 * the rows they share): the request writes, and a token's redemption.
 */
export interface EngineRequestStores {
  otpRequests: Omit<Store['otpRequests'], 'get' | 'latestFor'>;
  accessTokens: Pick<Store['accessTokens'], 'redeem'>;
}

/** What the request stores run on. */
export interface RequestContext {
  driver: SqlDriver;
  rows: RowMappers;
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

interface OutboxRow {
  id: string;
  request_id: string | null;
  recipient: string;
  channel: string;
  subject: string | null;
  text: string;
  created_at: number;
}

// A link is used only with its request: the link stays unused when the request can no longer be
// verified (or ended).
const USE_LINK = `UPDATE magic_links SET used_at = ?
  WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING request_id`;

export function sqlRequestStores(c: RequestContext): Pick<
  Store,
  'magicLinks' | 'passkeys' | 'passkeyChallenges' | 'captcha' | 'sendCounters' | 'events' | 'outbox'
> & {
  otpRequests: Pick<Store['otpRequests'], 'get' | 'latestFor'>;
  accessTokens: Omit<Store['accessTokens'], 'redeem'>;
} {
  const { driver: db, rows } = c;
  const { dialect } = db;
  const order = dialect.insertionOrder;

  /** Uses a link and changes its request by `update` (its parameters: `params`), or neither. */
  const useLink = (
    tokenHash: string,
    now: number,
    update: string,
    params: (requestId: string) => unknown[],
  ) =>
    db.transaction(function* () {
      const used = yield* sql.one<{ request_id: string }>(USE_LINK, [now, tokenHash, now]);
      if (!used) return undefined;
      const row = yield* sql.one<OtpRequestRow>(update, params(used.request_id));
      if (!row) throw new Rollback(undefined);
      return rows.toOtpRequest(row);
    });

  return {
    otpRequests: {
      async get(id) {
        const row = await db.one<OtpRequestRow>('SELECT * FROM otp_requests WHERE id = ?', [id]);
        return row && rows.toOtpRequest(row);
      },
      async latestFor(widgetId, identifier) {
        const row = await db.one<OtpRequestRow>(
          `SELECT * FROM otp_requests WHERE widget_id = ? AND identifier = ?
           ORDER BY created_at DESC, ${order} DESC LIMIT 1`,
          [widgetId, identifier],
        );
        return row && rows.toOtpRequest(row);
      },
    },
    magicLinks: {
      async get(tokenHash) {
        const row = await db.one<MagicLinkRow>('SELECT * FROM magic_links WHERE token_hash = ?', [
          tokenHash,
        ]);
        return row && toMagicLink(row);
      },
      async markOpened(tokenHash, now) {
        await db.write(() =>
          sql.run(
            'UPDATE magic_links SET opened_at = ? WHERE token_hash = ? AND opened_at IS NULL',
            [now, tokenHash],
          ),
        );
      },
      confirm: (tokenHash, now) =>
        useLink(
          tokenHash,
          now,
          `UPDATE otp_requests SET status = 'verified', verified_at = ?, updated_at = ?
           WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
           RETURNING *`,
          (requestId) => [now, now, requestId, now],
        ),
      // A wrong match number: the link is used and its request's attempts are spent (it is ended).
      refuse: (tokenHash, now) =>
        useLink(
          tokenHash,
          now,
          `UPDATE otp_requests SET attempts = max_attempts, updated_at = ?
           WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts
           RETURNING *`,
          (requestId) => [now, requestId, now],
        ),
      async attachAccessToken(requestId, { sealed, jti }) {
        const changed = await db.write(() =>
          sql.run(
            `UPDATE otp_requests SET access_token = ?, access_token_jti = ?
             WHERE id = ? AND status = 'verified' AND access_token IS NULL`,
            [sealed, jti, requestId],
          ),
        );
        return changed === 1;
      },
    },
    accessTokens: {
      async insert(t) {
        await db.write(() => sql.run(accessTokenRow.insert, accessTokenRow.values(t, dialect)));
      },
      async get(jti) {
        const row = await db.one<AccessTokenRow>('SELECT * FROM access_tokens WHERE jti = ?', [
          jti,
        ]);
        return row && rows.toAccessToken(row);
      },
      async markVerified(jti, now) {
        const row = await db.write(() =>
          sql.one<AccessTokenRow>(
            'UPDATE access_tokens SET verified_at = ? WHERE jti = ? AND verified_at IS NULL RETURNING *',
            [now, jti],
          ),
        );
        return row && rows.toAccessToken(row);
      },
    },
    passkeys: {
      async insert(p) {
        const changed = await db.write(() =>
          sql.run(PASSKEY_SQL.insert, passkeyValues(p, dialect.bool)),
        );
        return changed === 1;
      },
      async byCredentialId(credentialId) {
        const row = await db.one<PasskeyRow>(PASSKEY_SQL.byCredentialId, [credentialId]);
        return row && toPasskey(row);
      },
      async listFor(accountId, identifier) {
        return (await db.all<PasskeyRow>(PASSKEY_SQL.listFor, [accountId, identifier])).map(
          toPasskey,
        );
      },
      async recordUse(id, counter, now) {
        const changed = await db.write(() =>
          sql.run(PASSKEY_SQL.recordUse, [counter, now, id, counter, counter]),
        );
        return changed === 1;
      },
      async revoke(accountId, id, now) {
        const row = await db.write(() =>
          sql.one<PasskeyRow>(PASSKEY_SQL.revoke, [now, accountId, id]),
        );
        return row && toPasskey(row);
      },
    },
    passkeyChallenges: {
      async insert(ch) {
        await db.write(() =>
          sql.run(PASSKEY_SQL.insertChallenge, [
            ch.id,
            ch.kind,
            ch.widgetId,
            ch.identifier,
            ch.origin,
            ch.requestId,
            ch.expiresAt,
            ch.createdAt,
          ]),
        );
      },
      async peek(id, kind, now) {
        const row = await db.one<PasskeyChallengeRow>(PASSKEY_SQL.peekChallenge, [id, kind, now]);
        return row && toPasskeyChallenge(row);
      },
      async take(id, kind, now) {
        const row = await db.write(() =>
          sql.one<PasskeyChallengeRow>(PASSKEY_SQL.takeChallenge, [id, kind]),
        );
        return row && row.expires_at > now ? toPasskeyChallenge(row) : undefined;
      },
      purgeExpired: (now) => db.write(() => sql.run(PASSKEY_SQL.purgeChallenges, [now])),
    },
    captcha: {
      async markUsed(challenge, expiresAt, now) {
        const inserted = await db.write(function* () {
          yield* sql.run('DELETE FROM captcha_uses WHERE expires_at <= ?', [now]);
          return yield* sql.run(
            'INSERT INTO captcha_uses (challenge, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
            [challenge, expiresAt],
          );
        });
        return inserted === 1;
      },
    },
    sendCounters: {
      async bump(widgetId, country, hour) {
        const row = await db.write(() =>
          sql.one<{ count: number }>(
            `INSERT INTO send_counters (widget_id, country, hour, count) VALUES (?, ?, ?, 1)
             ON CONFLICT (widget_id, country, hour) DO UPDATE SET count = send_counters.count + 1
             RETURNING count`,
            [widgetId, country, hour],
          ),
        );
        return row!.count;
      },
      async total(widgetId, country, fromHour, toHour) {
        const row = await db.one<{ n: number | null }>(
          'SELECT sum(count) AS n FROM send_counters WHERE widget_id = ? AND country = ? AND hour >= ? AND hour < ?',
          [widgetId, country, fromHour, toHour],
        );
        return row?.n ?? 0;
      },
    },
    events: {
      async insert(e) {
        await db.write(() => sql.run(eventRow.insert, eventRow.values(e)));
      },
      async listRefused(accountId, f) {
        // CAST: PostgreSQL infers no type for a parameter that is only tested for NULL.
        const found = await db.all<EventRow & { id: number; identifier: string | null }>(
          `SELECT e.* FROM request_events e JOIN widgets w ON w.id = e.widget_id
           WHERE w.account_id = ? AND e.request_id IS NULL AND e.outcome <> 'ok'
             AND e.created_at >= ? AND e.created_at <= ? AND (CAST(? AS TEXT) IS NULL OR e.widget_id = ?)
             AND e.id < ?
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
        return found.map((r) => ({ id: r.id, ...toEvent(r), identifier: r.identifier }));
      },
      async listForRequest(requestId) {
        return (
          await db.all<EventRow>('SELECT * FROM request_events WHERE request_id = ? ORDER BY id', [
            requestId,
          ])
        ).map(toEvent);
      },
    },
    outbox: {
      async insert(m) {
        await db.write(() =>
          sql.run(
            `INSERT INTO dev_outbox (id, request_id, recipient, channel, subject, text, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
            [m.id, m.requestId, m.to, m.channel, m.subject, m.text, m.createdAt],
          ),
        );
      },
      async list({ to, limit }) {
        const found =
          to === undefined
            ? await db.all<OutboxRow>(
                `SELECT * FROM dev_outbox ORDER BY created_at DESC, ${order} DESC LIMIT ?`,
                [limit],
              )
            : await db.all<OutboxRow>(
                `SELECT * FROM dev_outbox WHERE recipient = ? ORDER BY created_at DESC, ${order} DESC LIMIT ?`,
                [to, limit],
              );
        return found.map(
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
