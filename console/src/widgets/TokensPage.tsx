/**
 * A widget's browser tokens (`/widgets/:widgetId/tokens`): create with a
 * label, list with last use, revoke with confirmation.
 */

import type { WidgetToken } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../auth/session.ts';
import { EmptyState, Notice, PageHeader, SecretBox } from '../ui/components.tsx';
import { SecretsSections } from '../ui/secrets-table.tsx';
import { useLoad } from '../ui/use-load.ts';

/** `/widgets/:widgetId/tokens`. */
export function TokensPage(props: { widgetId: string }): JSX.Element {
  const { widgetId } = props;
  const widget = useLoad(() => api.getWidget(widgetId), [widgetId]);
  const tokens = useLoad(() => api.listTokens(widgetId), [widgetId]);
  const [created, setCreated] = useState<WidgetToken | null>(null);

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
      <SecretsSections
        noun="token"
        ids={['new-token-title', 'tokens-title']}
        hint="Optional: where it is used, e.g. “Production site”."
        create={async (label) => setCreated(await api.createToken(widgetId, label))}
        title="Live tokens"
        prefixColumn="Token"
        secrets={tokens}
        keyOf={(t) => t.tokenId}
        revoke={async (t) => {
          await api.revokeToken(widgetId, t.tokenId);
          setCreated(null);
        }}
        consequence={() => (
          <p>
            Pages using it stop working at their next request (<code>INVALID_TOKEN_AUTH</code>).
            This cannot be undone.
          </p>
        )}
        empty={
          <EmptyState title="No live tokens">
            <p class="muted">The widget cannot run on a site until it has one.</p>
          </EmptyState>
        }
      >
        {created && (
          <Notice tone="success" title="Token created">
            <SecretBox value={created.tokenAuth ?? ''} copyLabel="Copy token" />
          </Notice>
        )}
      </SecretsSections>
    </>
  );
}
