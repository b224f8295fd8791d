/**
 * The SQLite store's configuration: settings, the account, authkeys, widgets, widget tokens and
 * templates (cached in process: read-cache.ts), signing keys.
 */
import { type AuthkeyRow, toAuthkey } from '../rows.ts';
import type { SigningKey, Store } from '../types.ts';
import type { SqliteContext } from './context.ts';
import { deepFreeze } from './read-cache.ts';
import { type TemplateRow, toTemplate, toWidget, type WidgetRow } from './rows.ts';

export function sqliteConfigStores(
  c: SqliteContext,
): Pick<
  Store,
  'settings' | 'accounts' | 'authkeys' | 'widgets' | 'widgetTokens' | 'templates' | 'signingKeys'
> {
  const { get, all, run, touch, reads } = c;
  return {
    settings: {
      async get(key) {
        return get<{ value: string }>('SELECT value FROM settings WHERE key = ?', key)?.value;
      },
      async setIfAbsent(key, value) {
        run(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
          key,
          value,
        );
        return get<{ value: string }>('SELECT value FROM settings WHERE key = ?', key)!.value;
      },
    },
    accounts: {
      async ensureDefault(id, now) {
        run(
          'INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
          id,
          'Default',
          now,
        );
        const row = get<{ id: string; name: string; created_at: number }>(
          'SELECT * FROM accounts WHERE id = ?',
          id,
        )!;
        return { id: row.id, name: row.name, createdAt: row.created_at };
      },
    },
    authkeys: {
      async countForAccount(accountId) {
        return get<{ n: number }>(
          'SELECT count(*) AS n FROM authkeys WHERE account_id = ? AND revoked_at IS NULL',
          accountId,
        )!.n;
      },
      async insert(key) {
        reads.clear();
        run(
          `INSERT INTO authkeys (id, hash, account_id, label, prefix, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
          key.id,
          key.hash,
          key.accountId,
          key.label,
          key.prefix,
          key.createdAt,
        );
      },
      async use(hash, now) {
        const row = reads.get(`authkey:${hash}`, () =>
          get<AuthkeyRow>('SELECT * FROM authkeys WHERE hash = ? AND revoked_at IS NULL', hash),
        );
        if (!row) return undefined;
        // The key as it was before this use (as an uncached read would return it).
        const key = toAuthkey(row);
        row.last_used_at = touch('authkeys', row.id, row.last_used_at, now);
        return key;
      },
      async list(accountId) {
        return all<AuthkeyRow>(
          'SELECT * FROM authkeys WHERE account_id = ? AND revoked_at IS NULL ORDER BY created_at, rowid',
          accountId,
        ).map(toAuthkey);
      },
      async revoke(accountId, id, now) {
        reads.clear();
        const revoked = get(
          `UPDATE authkeys SET revoked_at = ?
         WHERE id = ? AND account_id = ? AND revoked_at IS NULL
           AND (SELECT count(*) FROM authkeys WHERE account_id = ? AND revoked_at IS NULL) > 1
         RETURNING id`,
          now,
          id,
          accountId,
          accountId,
        );
        if (revoked) return 'revoked';
        const live = get(
          'SELECT 1 FROM authkeys WHERE id = ? AND account_id = ? AND revoked_at IS NULL',
          id,
          accountId,
        );
        return live ? 'last' : 'not_found';
      },
    },
    widgets: {
      async insert(w) {
        reads.clear();
        run(
          'INSERT INTO widgets (id, account_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
          w.id,
          w.accountId,
          JSON.stringify(w.settings),
          w.createdAt,
          w.updatedAt,
        );
      },
      async get(id) {
        return reads.get(`widget:${id}`, () => {
          const row = get<WidgetRow>(
            'SELECT * FROM widgets WHERE id = ? AND deleted_at IS NULL',
            id,
          );
          return row && deepFreeze(toWidget(row));
        });
      },
      async list(accountId) {
        return all<WidgetRow>(
          'SELECT * FROM widgets WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id',
          accountId,
        ).map(toWidget);
      },
      async update(id, settings, now) {
        reads.clear();
        const row = get<WidgetRow>(
          'UPDATE widgets SET settings = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL RETURNING *',
          JSON.stringify(settings),
          now,
          id,
        );
        return row && toWidget(row);
      },
      async delete(id, now) {
        reads.clear();
        return (
          run('UPDATE widgets SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL', now, id)
            .changes === 1
        );
      },
    },
    widgetTokens: {
      async insert(t) {
        reads.clear();
        run(
          `INSERT INTO widget_tokens (id, token, token_hash, prefix, widget_id, label, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
          t.id,
          `hashed:${t.id}`,
          t.tokenHash,
          t.prefix,
          t.widgetId,
          t.label,
          t.createdAt,
        );
      },
      async use(widgetId, tokenHash, now) {
        const row = reads.get(`token:${widgetId}:${tokenHash}`, () =>
          get<{ id: string; last_used_at: number | null }>(
            'SELECT id, last_used_at FROM widget_tokens WHERE token_hash = ? AND widget_id = ? AND revoked_at IS NULL',
            tokenHash,
            widgetId,
          ),
        );
        if (!row) return false;
        row.last_used_at = touch('widget_tokens', row.id, row.last_used_at, now);
        return true;
      },
      async list(widgetId) {
        return all<{
          id: string;
          token_hash: string;
          prefix: string;
          widget_id: string;
          label: string | null;
          created_at: number;
          last_used_at: number | null;
        }>(
          'SELECT * FROM widget_tokens WHERE widget_id = ? AND revoked_at IS NULL ORDER BY created_at, rowid',
          widgetId,
        ).map((r) => ({
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
        reads.clear();
        return (
          run(
            'UPDATE widget_tokens SET revoked_at = ? WHERE id = ? AND widget_id = ? AND revoked_at IS NULL',
            now,
            id,
            widgetId,
          ).changes === 1
        );
      },
    },
    templates: {
      async insert(t) {
        reads.clear();
        run(
          `INSERT INTO templates (id, account_id, widget_id, name, channel, subject, body, unicode, sender_id,
           dlt_template_id, translations, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          t.id,
          t.accountId,
          t.widgetId,
          t.name,
          t.channel,
          t.subject,
          t.body,
          t.unicode ? 1 : 0,
          t.senderId,
          t.dltTemplateId,
          JSON.stringify(t.translations),
          t.createdAt,
          t.updatedAt,
        );
      },
      async get(id) {
        const row = get<TemplateRow>('SELECT * FROM templates WHERE id = ?', id);
        return row && toTemplate(row);
      },
      async list(accountId, filter = {}) {
        const rows =
          filter.widgetId === undefined
            ? all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? ORDER BY updated_at DESC, id',
                accountId,
              )
            : all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? AND widget_id = ? ORDER BY updated_at DESC, id',
                accountId,
                filter.widgetId,
              );
        return rows.map(toTemplate);
      },
      async update(t) {
        reads.clear();
        run(
          `UPDATE templates SET widget_id = ?, name = ?, channel = ?, subject = ?, body = ?, unicode = ?,
           sender_id = ?, dlt_template_id = ?, translations = ?, updated_at = ? WHERE id = ?`,
          t.widgetId,
          t.name,
          t.channel,
          t.subject,
          t.body,
          t.unicode ? 1 : 0,
          t.senderId,
          t.dltTemplateId,
          JSON.stringify(t.translations),
          t.updatedAt,
          t.id,
        );
      },
      async delete(id) {
        reads.clear();
        return run('DELETE FROM templates WHERE id = ?', id).changes === 1;
      },
      async findFor(accountId, widgetId, channel) {
        // Read for every message composed: cached like widgets (see read-cache.ts), the answer
        // "none" included (most widgets use the built-in wording).
        return reads.get(`template:${accountId}:${widgetId}:${channel}`, () => {
          const row = get<TemplateRow>(
            `SELECT * FROM templates WHERE account_id = ? AND channel = ? AND (widget_id = ? OR widget_id IS NULL)
           ORDER BY widget_id IS NULL, updated_at DESC, id LIMIT 1`,
            accountId,
            channel,
            widgetId,
          );
          return { template: row && deepFreeze(toTemplate(row)) };
        })?.template;
      },
    },
    signingKeys: {
      async list() {
        return all<{
          kid: string;
          alg: string;
          public_jwk: string;
          private_jwk: string;
          created_at: number;
          retired_at: number | null;
        }>('SELECT * FROM signing_keys ORDER BY created_at DESC, rowid DESC').map(
          (r): SigningKey => ({
            kid: r.kid,
            alg: r.alg as 'EdDSA',
            publicJwk: r.public_jwk,
            privateJwk: r.private_jwk,
            createdAt: r.created_at,
            retiredAt: r.retired_at,
          }),
        );
      },
      async insert(k) {
        run(
          'INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
          k.kid,
          k.alg,
          k.publicJwk,
          k.privateJwk,
          k.createdAt,
          k.retiredAt,
        );
      },
      async retireAllBut(keepKid, now) {
        run(
          'UPDATE signing_keys SET retired_at = ? WHERE kid != ? AND retired_at IS NULL',
          now,
          keepKid,
        );
      },
    },
  };
}
