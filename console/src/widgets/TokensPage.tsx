/**
 * A widget's browser tokens (`/widgets/:widgetId/tokens`): create with a
 * label, list with last use, revoke with confirmation.
 */

import type { WidgetToken } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../auth/session.ts';
import {
  ConfirmButton,
  CopyButton,
  EmptyState,
  Field,
  Loading,
  Notice,
  PageHeader,
} from '../ui/components.tsx';
import { formatAgo, formatDate } from '../ui/format.ts';
import { useLoad } from '../ui/use-load.ts';

/** `/widgets/:widgetId/tokens`. */
export function TokensPage(props: { widgetId: string }): JSX.Element {
  const { widgetId } = props;
  const widget = useLoad(() => api.getWidget(widgetId), [widgetId]);
  const tokens = useLoad(() => api.listTokens(widgetId), [widgetId]);
  const [label, setLabel] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, setCreated] = useState<WidgetToken | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);

  async function create(event: Event): Promise<void> {
    event.preventDefault();
    setCreating(true);
    setCreateError(null);
    setRevoked(null);
    try {
      const token = await api.createToken(widgetId, label.trim());
      setCreated(token);
      setLabel('');
      await tokens.reload();
    } catch (e) {
      setCreateError(e instanceof Error ? e.message : String(e));
    } finally {
      setCreating(false);
    }
  }

  const name = widget.data?.name ?? 'Widget';
  const widgetPath = `/widgets/${encodeURIComponent(widgetId)}`;
  return (
    <>
      <PageHeader
        title="Tokens"
        back={{ to: widgetPath, label: name }}
        description={
          <>
            Browser tokens of <strong>{name}</strong>. A token goes in your site’s page with the
            widget id; it can only start verifications for this widget. Revoke one and the next
            request with it fails.
          </>
        }
      />
      {widget.error && <Notice tone="error">{widget.error.message}</Notice>}
      <section class="card" aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <form class="inline-form" onSubmit={create} noValidate>
          <Field
            name="tokenLabel"
            label="Token label"
            error={createError ?? undefined}
            hint="Optional: where it is used, e.g. “Production site”."
            class="inline-form__grow"
          >
            {(a) => (
              <input
                {...a}
                type="text"
                autoComplete="off"
                maxLength={100}
                value={label}
                onInput={(e) => setLabel(e.currentTarget.value)}
              />
            )}
          </Field>
          <button
            type="submit"
            class="button button--primary"
            disabled={creating}
            aria-busy={creating || undefined}
          >
            Create token
          </button>
        </form>
        {created && (
          <Notice tone="success" title="Token created">
            <div class="token-box">
              <code class="mono break">{created.tokenAuth}</code>
              <CopyButton value={created.tokenAuth ?? ''} label="Copy token" />
            </div>
          </Notice>
        )}
      </section>
      {revoked && <Notice tone="success">{revoked}</Notice>}
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title" class="section-title">
          Live tokens
        </h2>
        {tokens.error && <Notice tone="error">{tokens.error.message}</Notice>}
        {tokens.loading && !tokens.data && <Loading label="Loading tokens…" />}
        {tokens.data?.length === 0 && (
          <EmptyState title="No live tokens">
            <p class="muted">The widget cannot run on a site until it has one.</p>
          </EmptyState>
        )}
        {tokens.data && tokens.data.length > 0 && (
          <div class="card card--flush">
            <table class="table">
              <caption class="visually-hidden">Live tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Token</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.map((t) => {
                  const named = t.label || 'Untitled token';
                  return (
                    <tr key={t.tokenId}>
                      <td data-label="Label">{named}</td>
                      <td data-label="Token">
                        <span class="token-cell">
                          <code class="mono break">{t.prefix}…</code>
                        </span>
                      </td>
                      <td data-label="Created">{formatDate(t.createdAt)}</td>
                      <td data-label="Last used">{formatAgo(t.lastUsedAt)}</td>
                      <td class="table__actions">
                        <ConfirmButton
                          label={`Revoke token ${named}`}
                          text="Revoke"
                          title={`Revoke “${named}”?`}
                          confirmLabel="Revoke token"
                          tone="danger"
                          onConfirm={async () => {
                            await api.revokeToken(widgetId, t.tokenId);
                            setCreated(null);
                            setRevoked(`Token “${named}” revoked.`);
                            await tokens.reload();
                          }}
                        >
                          <p>
                            Pages using it stop working at their next request (
                            <code>INVALID_TOKEN_AUTH</code>). This cannot be undone.
                          </p>
                        </ConfirmButton>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
