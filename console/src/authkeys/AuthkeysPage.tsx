/**
 * Account authkeys (`/authkeys`): create (shown once), list with last use,
 * revoke with confirmation. Revoking this session's key signs out.
 */

import type { CreatedAuthkey } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { isApiError } from '../api/client.ts';
import { api, signOut } from '../auth/session.ts';
import { Badge, Notice, PageHeader, SecretBox } from '../ui/components.tsx';
import { SecretsSections } from '../ui/secrets-table.tsx';
import { useLoad } from '../ui/use-load.ts';

/** `/authkeys`. */
export function AuthkeysPage(): JSX.Element {
  const keys = useLoad(() => api.listAuthkeys(), []);
  const [created, setCreated] = useState<CreatedAuthkey | null>(null);

  return (
    <>
      <PageHeader
        title="Authkeys"
        description="Account keys for the admin API, this console and your backend’s verifyAccessToken calls. Keep them secret: never put one in a web page."
      />
      <SecretsSections
        noun="authkey"
        ids={['new-key-title', 'keys-title']}
        hint="Optional: who or what uses it, e.g. “Backend (production)”."
        create={async (label) => setCreated(await api.createAuthkey(label))}
        title="Active authkeys"
        prefixColumn="Key"
        secrets={keys}
        keyOf={(k) => k.authkeyId}
        badge={(k) => k.current && <Badge tone="info">This session</Badge>}
        revoke={async (k) => {
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
          }
        }}
        endsSession={(k) => k.current}
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
      >
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
      </SecretsSections>
    </>
  );
}
