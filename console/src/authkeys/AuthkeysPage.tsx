/**
 * Account authkeys (`/authkeys`): create (shown once), list with last use,
 * revoke with confirmation. Revoking this session's key signs out.
 */

import type { CreatedAuthkey } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { isApiError } from '../api/client.ts';
import { api, signOut } from '../auth/session.ts';
import {
  Badge,
  ConfirmButton,
  CopyButton,
  Field,
  Loading,
  Notice,
  PageHeader,
} from '../ui/components.tsx';
import { formatAgo, formatDate } from '../ui/format.ts';
import { useLoad } from '../ui/use-load.ts';

/** `/authkeys`. */
export function AuthkeysPage(): JSX.Element {
  const keys = useLoad(() => api.listAuthkeys(), []);
  const [label, setLabel] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedAuthkey | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);

  async function create(event: Event): Promise<void> {
    event.preventDefault();
    setCreating(true);
    setCreateError(null);
    setRevoked(null);
    try {
      setCreated(await api.createAuthkey(label.trim()));
      setLabel('');
      await keys.reload();
    } catch (e) {
      setCreateError(e instanceof Error ? e.message : String(e));
    } finally {
      setCreating(false);
    }
  }

  return (
    <>
      <PageHeader
        title="Authkeys"
        description="Account keys for the admin API, this console and your backend’s verifyAccessToken calls. Keep them secret: never put one in a web page."
      />
      <section class="card" aria-labelledby="new-key-title">
        <h2 id="new-key-title">New authkey</h2>
        <form class="inline-form" onSubmit={create} noValidate>
          <Field
            name="authkeyLabel"
            label="Authkey label"
            error={createError ?? undefined}
            hint="Optional: who or what uses it, e.g. “Backend (production)”."
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
            Create authkey
          </button>
        </form>
        {created && (
          <Notice
            tone="warning"
            title="Copy this authkey now: it will not be shown again"
            id="new-authkey"
          >
            <p>Only a hash is stored. If you lose it, create another and revoke this one.</p>
            <div class="token-box">
              <code class="mono break" data-testid="new-authkey">
                {created.authkey}
              </code>
              <CopyButton value={created.authkey} label="Copy authkey" />
            </div>
            <button type="button" class="button button--small" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </Notice>
        )}
      </section>
      {revoked && <Notice tone="success">{revoked}</Notice>}
      <section aria-labelledby="keys-title">
        <h2 id="keys-title" class="section-title">
          Active authkeys
        </h2>
        {keys.error && <Notice tone="error">{keys.error.message}</Notice>}
        {keys.loading && !keys.data && <Loading label="Loading authkeys…" />}
        {keys.data && keys.data.length > 0 && (
          <div class="card card--flush">
            <table class="table">
              <caption class="visually-hidden">Active authkeys</caption>
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Key</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((k) => {
                  const named = k.label || 'Untitled authkey';
                  return (
                    <tr key={k.authkeyId}>
                      <td data-label="Label">
                        {named} {k.current && <Badge tone="info">This session</Badge>}
                      </td>
                      <td data-label="Key">
                        <code class="mono">{k.prefix}…</code>
                      </td>
                      <td data-label="Created">{formatDate(k.createdAt)}</td>
                      <td data-label="Last used">{formatAgo(k.lastUsedAt)}</td>
                      <td class="table__actions">
                        <ConfirmButton
                          label={`Revoke authkey ${named}`}
                          text="Revoke"
                          title={`Revoke “${named}”?`}
                          confirmLabel="Revoke authkey"
                          tone="danger"
                          onConfirm={async () => {
                            try {
                              await api.revokeAuthkey(k.authkeyId);
                            } catch (e) {
                              if (isApiError(e, 'LAST_AUTHKEY')) {
                                throw new Error(`${e.message} Create another above first.`);
                              }
                              throw e;
                            }
                            if (k.current) {
                              signOut(
                                'You revoked the authkey this session used. Sign in with another.',
                              );
                              return;
                            }
                            setRevoked(`Authkey “${named}” revoked.`);
                            await keys.reload();
                          }}
                        >
                          <p>
                            Anything using it fails from its next request. This cannot be undone.
                          </p>
                          {k.current && (
                            <p>
                              <strong>
                                This console session uses this key: you will be signed out.
                              </strong>
                            </p>
                          )}
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
