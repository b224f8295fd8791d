/**
 * The configuration stores, written once for both engines: settings, the
 * account, authkeys, widgets, widget tokens and templates (the rows every
 * call reads are served from the engine's read cache), signing keys.
 */
import {
  type AuthkeyRow,
  type RowMappers,
  type SigningKeyRow,
  type TemplateRow,
  toAuthkey,
  toSigningKey,
  type WidgetRow,
} from '../rows.ts';
import type { Store, TemplateRecord, WidgetRecord } from '../types.ts';
import type { SqlDriver } from './driver.ts';

/**
 * The engine's cache of the rows every call reads: exact, each engine in its
 * own way (sqlite/read-cache.ts, postgres/read-cache.ts). A value `load`
 * answers is kept unless the cache was cleared while it ran.
 */
export interface SqlReadCache {
  get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Forgets everything: called on a write to a cached table. */
  clear(): void;
}

/** What the configuration stores run on. */
export interface ConfigContext {
  driver: SqlDriver;
  reads: SqlReadCache;
  rows: RowMappers;
  /**
   * The widget tokens table still has the `token` column SQLite keyed tokens
   * by before they were hashed (filled with a placeholder); PostgreSQL's never had it.
   */
  legacyWidgetTokenColumn: boolean;
}

/** Last-use times are kept to the minute: no write on every request. */
export const TOUCH_EVERY_MS = 60_000;

/** Freezes a value and everything in it: a cached record is shared by every caller. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

interface WidgetTokenRow {
  id: string;
  token_hash: string;
  prefix: string;
  widget_id: string;
  label: string | null;
  created_at: number;
  last_used_at: number | null;
}

export function sqlConfigStores(
  c: ConfigContext,
): Pick<
  Store,
  'settings' | 'accounts' | 'authkeys' | 'widgets' | 'widgetTokens' | 'templates' | 'signingKeys'
> {
  const { driver: db, reads, rows } = c;
  const { dialect } = db;
  const order = dialect.insertionOrder;

  // A write to a cached table clears the cache before (no read starting now keeps the old row)
  // and after it (a read that ran meanwhile saw the old row); other connections see it their
  // engine's way (read-cache.ts).
  const changing = async <T>(write: () => Promise<T>): Promise<T> => {
    reads.clear();
    try {
      return await write();
    } finally {
      reads.clear();
    }
  };

  // The cached row's last use is moved before the write, so concurrent uses write once.
  const touch = async (
    table: 'authkeys' | 'widget_tokens',
    row: { id: string; last_used_at: number | null },
    now: number,
  ) => {
    const last = row.last_used_at;
    if (last === null || now - last >= TOUCH_EVERY_MS) {
      row.last_used_at = now;
      await db.run(`UPDATE ${table} SET last_used_at = ? WHERE id = ?`, [now, row.id]);
    }
  };

  const settingValue = async (key: string) =>
    (await db.one<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;

  const insertWidgetToken = c.legacyWidgetTokenColumn
    ? `INSERT INTO widget_tokens (id, token_hash, prefix, widget_id, label, created_at, token)
       VALUES (?, ?, ?, ?, ?, ?, 'hashed:' || ?)`
    : `INSERT INTO widget_tokens (id, token_hash, prefix, widget_id, label, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`;

  const templateValues = (t: TemplateRecord) => [
    t.widgetId,
    t.name,
    t.channel,
    t.subject,
    t.body,
    dialect.bool(t.unicode),
    t.senderId,
    t.dltTemplateId,
    JSON.stringify(t.translations),
  ];

  return {
    settings: {
      get: settingValue,
      async setIfAbsent(key, value) {
        await db.run(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
          [key, value],
        );
        // A second statement sees a value another instance committed meanwhile.
        return (await settingValue(key))!;
      },
    },
    accounts: {
      async ensureDefault(id, now) {
        await db.run(
          'INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
          [id, 'Default', now],
        );
        const row = (await db.one<{ id: string; name: string; created_at: number }>(
          'SELECT * FROM accounts WHERE id = ?',
          [id],
        ))!;
        return { id: row.id, name: row.name, createdAt: row.created_at };
      },
    },
    authkeys: {
      async countForAccount(accountId) {
        return (await db.one<{ n: number }>(
          'SELECT count(*) AS n FROM authkeys WHERE account_id = ? AND revoked_at IS NULL',
          [accountId],
        ))!.n;
      },
      async insert(key) {
        await changing(() =>
          db.run(
            `INSERT INTO authkeys (id, hash, account_id, label, prefix, created_at)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
            [key.id, key.hash, key.accountId, key.label, key.prefix, key.createdAt],
          ),
        );
      },
      async use(hash, now) {
        const row = await reads.get(`authkey:${hash}`, () =>
          db.one<AuthkeyRow>('SELECT * FROM authkeys WHERE hash = ? AND revoked_at IS NULL', [
            hash,
          ]),
        );
        if (!row) return undefined;
        // The key as it was before this use (as an uncached read would return it).
        const key = toAuthkey(row);
        await touch('authkeys', row, now);
        return key;
      },
      async list(accountId) {
        return (
          await db.all<AuthkeyRow>(
            `SELECT * FROM authkeys WHERE account_id = ? AND revoked_at IS NULL ORDER BY created_at, ${order}`,
            [accountId],
          )
        ).map(toAuthkey);
      },
      async revoke(accountId, id, now) {
        // One statement. Locking the account's live keys (PostgreSQL) serialises revocations:
        // the second of two at once sees the first's revocation, so they cannot leave none.
        const revoked = await changing(() =>
          db.one(
            `WITH live AS (
               SELECT id FROM authkeys WHERE account_id = ? AND revoked_at IS NULL${dialect.forUpdate})
             UPDATE authkeys SET revoked_at = ?
             WHERE id = ? AND id IN (SELECT id FROM live) AND (SELECT count(*) FROM live) > 1
             RETURNING id`,
            [accountId, now, id],
          ),
        );
        if (revoked) return 'revoked';
        const live = await db.one(
          'SELECT 1 AS live FROM authkeys WHERE id = ? AND account_id = ? AND revoked_at IS NULL',
          [id, accountId],
        );
        return live ? 'last' : 'not_found';
      },
    },
    widgets: {
      async insert(w) {
        await changing(() =>
          db.run(
            'INSERT INTO widgets (id, account_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
            [w.id, w.accountId, dialect.json(w.settings), w.createdAt, w.updatedAt],
          ),
        );
      },
      async get(id) {
        return reads.get(`widget:${id}`, async (): Promise<WidgetRecord | undefined> => {
          const row = await db.one<WidgetRow>(
            'SELECT * FROM widgets WHERE id = ? AND deleted_at IS NULL',
            [id],
          );
          return row && deepFreeze(rows.toWidget(row));
        });
      },
      async list(accountId) {
        return (
          await db.all<WidgetRow>(
            'SELECT * FROM widgets WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id',
            [accountId],
          )
        ).map(rows.toWidget);
      },
      async update(id, settings, now) {
        const row = await changing(() =>
          db.one<WidgetRow>(
            'UPDATE widgets SET settings = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL RETURNING *',
            [dialect.json(settings), now, id],
          ),
        );
        return row && rows.toWidget(row);
      },
      async delete(id, now) {
        return (
          (await changing(() =>
            db.run('UPDATE widgets SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL', [
              now,
              id,
            ]),
          )) === 1
        );
      },
    },
    widgetTokens: {
      async insert(t) {
        await changing(() =>
          db.run(insertWidgetToken, [
            t.id,
            t.tokenHash,
            t.prefix,
            t.widgetId,
            t.label,
            t.createdAt,
            ...(c.legacyWidgetTokenColumn ? [t.id] : []),
          ]),
        );
      },
      async use(widgetId, tokenHash, now) {
        const row = await reads.get(`token:${widgetId}:${tokenHash}`, () =>
          db.one<{ id: string; last_used_at: number | null }>(
            'SELECT id, last_used_at FROM widget_tokens WHERE token_hash = ? AND widget_id = ? AND revoked_at IS NULL',
            [tokenHash, widgetId],
          ),
        );
        if (!row) return false;
        await touch('widget_tokens', row, now);
        return true;
      },
      async list(widgetId) {
        const found = await db.all<WidgetTokenRow>(
          `SELECT * FROM widget_tokens WHERE widget_id = ? AND revoked_at IS NULL ORDER BY created_at, ${order}`,
          [widgetId],
        );
        return found.map((r) => ({
          id: r.id,
          tokenHash: r.token_hash,
          prefix: r.prefix,
          widgetId: r.widget_id,
          label: r.label,
          createdAt: r.created_at,
          lastUsedAt: r.last_used_at,
        }));
      },
      async revoke(widgetId, id, now) {
        return (
          (await changing(() =>
            db.run(
              'UPDATE widget_tokens SET revoked_at = ? WHERE id = ? AND widget_id = ? AND revoked_at IS NULL',
              [now, id, widgetId],
            ),
          )) === 1
        );
      },
    },
    templates: {
      async insert(t) {
        await changing(() =>
          db.run(
            `INSERT INTO templates (widget_id, name, channel, subject, body, unicode, sender_id,
             dlt_template_id, translations, id, account_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [...templateValues(t), t.id, t.accountId, t.createdAt, t.updatedAt],
          ),
        );
      },
      async get(id) {
        const row = await db.one<TemplateRow>('SELECT * FROM templates WHERE id = ?', [id]);
        return row && rows.toTemplate(row);
      },
      async list(accountId, filter = {}) {
        const found =
          filter.widgetId === undefined
            ? await db.all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? ORDER BY updated_at DESC, id',
                [accountId],
              )
            : await db.all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? AND widget_id = ? ORDER BY updated_at DESC, id',
                [accountId, filter.widgetId],
              );
        return found.map(rows.toTemplate);
      },
      async update(t) {
        await changing(() =>
          db.run(
            `UPDATE templates SET widget_id = ?, name = ?, channel = ?, subject = ?, body = ?, unicode = ?,
             sender_id = ?, dlt_template_id = ?, translations = ?, updated_at = ? WHERE id = ?`,
            [...templateValues(t), t.updatedAt, t.id],
          ),
        );
      },
      async delete(id) {
        return (await changing(() => db.run('DELETE FROM templates WHERE id = ?', [id]))) === 1;
      },
      async findFor(accountId, widgetId, channel) {
        // Read for every message composed; most widgets have no template of their own, so
        // "none" (null) is cached too.
        const found = await reads.get(`template:${accountId}:${widgetId}:${channel}`, async () => {
          const row = await db.one<TemplateRow>(
            `SELECT * FROM templates WHERE account_id = ? AND channel = ? AND (widget_id = ? OR widget_id IS NULL)
             ORDER BY widget_id IS NULL, updated_at DESC, id LIMIT 1`,
            [accountId, channel, widgetId],
          );
          return row ? deepFreeze(rows.toTemplate(row)) : null;
        });
        return found ?? undefined;
      },
    },
    signingKeys: {
      async list() {
        return (
          await db.all<SigningKeyRow>(
            `SELECT * FROM signing_keys ORDER BY created_at DESC, ${order} DESC`,
          )
        ).map(toSigningKey);
      },
      async insert(k) {
        await db.run(
          'INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
          [k.kid, k.alg, k.publicJwk, k.privateJwk, k.createdAt, k.retiredAt],
        );
      },
      async retireAllBut(keepKid, now) {
        await db.run(
          'UPDATE signing_keys SET retired_at = ? WHERE kid <> ? AND retired_at IS NULL',
          [now, keepKid],
        );
      },
    },
  };
}
