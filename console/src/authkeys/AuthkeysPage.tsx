/**
 * Account authkeys (`/authkeys`): create (shown once), list with last use,
 * revoke with confirmation. Revoking this session's key signs out.
 */

import type { CreatedAuthkey } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { isApiError } from '../api/client.ts';
import { api, signOut } from '../auth/session.ts';
import { Badge, LoadStatus, Notice, PageHeader, SecretBox, Section } from '../ui/components.tsx';
import { CreateForm } from '../ui/create-form.tsx';
import { SecretsTable } from '../ui/secrets-table.tsx';
import { useLoad } from '../ui/use-load.ts';

/** `/authkeys`. */
export function AuthkeysPage(): JSX.Element {
  const keys = useLoad(() => api.listAuthkeys(), []);
  const [created, setCreated] = useState<CreatedAuthkey | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);

  return (
    <>
      <PageHeader
        title="Authkeys"
        description="Account keys for the admin API, this console and your backend’s verifyAccessToken calls. Keep them secret: never put one in a web page."
      />
      <Section id="new-key-title" title="New authkey" card>
        <CreateForm
          noun="authkey"
          hint="Optional: who or what uses it, e.g. “Backend (production)”."
          onStart={() => setRevoked(null)}
          onCreate={async (label) => {
            setCreated(await api.createAuthkey(label));
            await keys.reload();
          }}
        />
        {created && (
          <Notice
            tone="warning"
            title="Copy this authkey now: it will not be shown again"
            id="new-authkey"
          >
            <p>Only a hash is stored. If you lose it, create another and revoke this one.</p>
            <SecretBox value={created.authkey} copyLabel="Copy authkey" testId="new-authkey" />
            <button type="button" class="button button--small" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </Notice>
        )}
      </Section>
      {revoked && <Notice tone="success">{revoked}</Notice>}
      <Section id="keys-title" title="Active authkeys">
        <LoadStatus loaded={keys} label="Loading authkeys…" />
        {keys.data && keys.data.length > 0 && (
          <SecretsTable
            noun="authkey"
            caption="Active authkeys"
            prefixColumn="Key"
            secrets={keys.data}
            keyOf={(k) => k.authkeyId}
            badge={(k) => k.current && <Badge tone="info">This session</Badge>}
            onRevoke={async (k, name) => {
              try {
                await api.revokeAuthkey(k.authkeyId);
              } catch (e) {
                if (isApiError(e, 'LAST_AUTHKEY')) {
                  throw new Error(`${e.message} Create another above first.`);
                }
                throw e;
              }
              if (k.current) {
                signOut('You revoked the authkey this session used. Sign in with another.');
                return;
              }
              setRevoked(`Authkey “${name}” revoked.`);
              await keys.reload();
            }}
            consequence={(k) => (
              <>
                <p>Anything using it fails from its next request. This cannot be undone.</p>
                {k.current && (
                  <p>
                    <strong>This console session uses this key: you will be signed out.</strong>
                  </p>
                )}
              </>
            )}
          />
        )}
      </Section>
    </>
  );
}
