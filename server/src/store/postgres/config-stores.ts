/**
 * The PostgreSQL store's configuration: settings, the account, authkeys, widgets, widget tokens
 * and templates (the cached ones: see read-cache.ts), signing keys.
 */
import { type AuthkeyRow, toAuthkey } from '../rows.ts';
import { deepFreeze } from '../sqlite/read-cache.ts';
import type { Store } from '../types.ts';
import type { PgContext } from './context.ts';
import { transaction } from './db.ts';
import {
  type SigningKeyRow,
  type TemplateRow,
  toSigningKey,
  toTemplate,
  toWidget,
  type WidgetRow,
} from './rows.ts';

export function pgConfigStores(
  c: PgContext,
): Pick<
  Store,
  'settings' | 'accounts' | 'authkeys' | 'widgets' | 'widgetTokens' | 'templates' | 'signingKeys'
> {
  const { pool, reads, one, all, run, changing, touch } = c;
  return {
    settings: {
      async get(key) {
        return (await one<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))
          ?.value;
      },
      async setIfAbsent(key, value) {
        await run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
          key,
          value,
        ]);
        // A second statement sees a value another instance committed meanwhile.
        return (await one<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))!
          .value;
      },
    },
    accounts: {
      async ensureDefault(id, now) {
        await run(
          'INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
          [id, 'Default', now],
        );
        const row = (await one<{ id: string; name: string; created_at: number }>(
          'SELECT * FROM accounts WHERE id = ?',
          [id],
        ))!;
        return { id: row.id, name: row.name, createdAt: row.created_at };
      },
    },
    authkeys: {
      async countForAccount(accountId) {
        return (await one<{ n: number }>(
          'SELECT count(*) AS n FROM authkeys WHERE account_id = ? AND revoked_at IS NULL',
          [accountId],
        ))!.n;
      },
      async insert(key) {
        await changing(() =>
          run(
            `INSERT INTO authkeys (id, hash, account_id, label, prefix, created_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
            [key.id, key.hash, key.accountId, key.label, key.prefix, key.createdAt],
          ),
        );
      },
      async use(hash, now) {
        const row = await reads.get(`authkey:${hash}`, () =>
          one<AuthkeyRow>('SELECT * FROM authkeys WHERE hash = ? AND revoked_at IS NULL', [hash]),
        );
        if (!row) return undefined;
        // The key as it was before this use (as an uncached read would return it).
        const key = toAuthkey(row);
        await touch('authkeys', row, now);
        return key;
      },
      async list(accountId) {
        return (
          await all<AuthkeyRow>(
            'SELECT * FROM authkeys WHERE account_id = ? AND revoked_at IS NULL ORDER BY created_at, seq',
            [accountId],
          )
        ).map(toAuthkey);
      },
      async revoke(accountId, id, now) {
        const outcome = await changing(() =>
          transaction(pool, async (c) => {
            // Locking the account's live keys serialises revocations: two at once cannot leave none.
            const live = await all<{ id: string }>(
              'SELECT id FROM authkeys WHERE account_id = ? AND revoked_at IS NULL FOR UPDATE',
              [accountId],
              c,
            );
            if (!live.some((k) => k.id === id)) return 'not_found' as const;
            if (live.length < 2) return 'last' as const;
            await run('UPDATE authkeys SET revoked_at = ? WHERE id = ?', [now, id], c);
            return 'revoked' as const;
          }),
        );
        return outcome!;
      },
    },
    widgets: {
      async insert(w) {
        await changing(() =>
          run(
            'INSERT INTO widgets (id, account_id, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
            [w.id, w.accountId, JSON.stringify(w.settings), w.createdAt, w.updatedAt],
          ),
        );
      },
      async get(id) {
        return reads.get(`widget:${id}`, async () => {
          const row = await one<WidgetRow>(
            'SELECT * FROM widgets WHERE id = ? AND deleted_at IS NULL',
            [id],
          );
          return row && deepFreeze(toWidget(row));
        });
      },
      async list(accountId) {
        return (
          await all<WidgetRow>(
            'SELECT * FROM widgets WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id',
            [accountId],
          )
        ).map(toWidget);
      },
      async update(id, settings, now) {
        const row = await changing(() =>
          one<WidgetRow>(
            'UPDATE widgets SET settings = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL RETURNING *',
            [JSON.stringify(settings), now, id],
          ),
        );
        return row && toWidget(row);
      },
      async delete(id, now) {
        return (
          (await changing(() =>
            run('UPDATE widgets SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL', [now, id]),
          )) === 1
        );
      },
    },
    widgetTokens: {
      async insert(t) {
        await changing(() =>
          run(
            `INSERT INTO widget_tokens (id, token_hash, prefix, widget_id, label, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
            [t.id, t.tokenHash, t.prefix, t.widgetId, t.label, t.createdAt],
          ),
        );
      },
      async use(widgetId, tokenHash, now) {
        const row = await reads.get(`token:${widgetId}:${tokenHash}`, () =>
          one<{ id: string; last_used_at: number | null }>(
            'SELECT id, last_used_at FROM widget_tokens WHERE token_hash = ? AND widget_id = ? AND revoked_at IS NULL',
            [tokenHash, widgetId],
          ),
        );
        if (!row) return false;
        await touch('widget_tokens', row, now);
        return true;
      },
      async list(widgetId) {
        const rows = await all<{
          id: string;
          token_hash: string;
          prefix: string;
          widget_id: string;
          label: string | null;
          created_at: number;
          last_used_at: number | null;
        }>(
          'SELECT * FROM widget_tokens WHERE widget_id = ? AND revoked_at IS NULL ORDER BY created_at, seq',
          [widgetId],
        );
        return rows.map((r) => ({
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
            run(
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
          run(
            `INSERT INTO templates (id, account_id, widget_id, name, channel, subject, body, unicode, sender_id,
           dlt_template_id, translations, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              t.id,
              t.accountId,
              t.widgetId,
              t.name,
              t.channel,
              t.subject,
              t.body,
              t.unicode,
              t.senderId,
              t.dltTemplateId,
              JSON.stringify(t.translations),
              t.createdAt,
              t.updatedAt,
            ],
          ),
        );
      },
      async get(id) {
        const row = await one<TemplateRow>('SELECT * FROM templates WHERE id = ?', [id]);
        return row && toTemplate(row);
      },
      async list(accountId, filter = {}) {
        const rows =
          filter.widgetId === undefined
            ? await all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? ORDER BY updated_at DESC, id',
                [accountId],
              )
            : await all<TemplateRow>(
                'SELECT * FROM templates WHERE account_id = ? AND widget_id = ? ORDER BY updated_at DESC, id',
                [accountId, filter.widgetId],
              );
        return rows.map(toTemplate);
      },
      async update(t) {
        await changing(() =>
          run(
            `UPDATE templates SET widget_id = ?, name = ?, channel = ?, subject = ?, body = ?, unicode = ?,
           sender_id = ?, dlt_template_id = ?, translations = ?, updated_at = ? WHERE id = ?`,
            [
              t.widgetId,
              t.name,
              t.channel,
              t.subject,
              t.body,
              t.unicode,
              t.senderId,
              t.dltTemplateId,
              JSON.stringify(t.translations),
              t.updatedAt,
              t.id,
            ],
          ),
        );
      },
      async delete(id) {
        return (await changing(() => run('DELETE FROM templates WHERE id = ?', [id]))) === 1;
      },
      async findFor(accountId, widgetId, channel) {
        // Most widgets have no template of their own: "none" (null) is kept too.
        const found = await reads.get(`template:${accountId}:${widgetId}:${channel}`, async () => {
          const row = await one<TemplateRow>(
            `SELECT * FROM templates WHERE account_id = ? AND channel = ? AND (widget_id = ? OR widget_id IS NULL)
           ORDER BY widget_id IS NULL, updated_at DESC, id LIMIT 1`,
            [accountId, channel, widgetId],
          );
          return row ? deepFreeze(toTemplate(row)) : null;
        });
        return found ?? undefined;
      },
    },
    signingKeys: {
      async list() {
        return (
          await all<SigningKeyRow>('SELECT * FROM signing_keys ORDER BY created_at DESC, seq DESC')
        ).map(toSigningKey);
      },
      async insert(k) {
        await run(
          'INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
          [k.kid, k.alg, k.publicJwk, k.privateJwk, k.createdAt, k.retiredAt],
        );
      },
      async retireAllBut(keepKid, now) {
        await run('UPDATE signing_keys SET retired_at = ? WHERE kid <> ? AND retired_at IS NULL', [
          now,
          keepKid,
        ]);
      },
    },
  };
}
