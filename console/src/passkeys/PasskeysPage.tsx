/**
 * Passkeys (`/passkeys`): the passkeys a person made through the account's
 * widgets, found by their phone number or email, each revocable (its next
 * sign-in fails at once).
 */

import type { Passkey } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../auth/session.ts';
import { Badge, ConfirmButton, Field, Notice, PageHeader } from '../ui/components.tsx';
import { formatAgo, formatDate } from '../ui/format.ts';

/** `/passkeys`. */
export function PasskeysPage(): JSX.Element {
  const [identifier, setIdentifier] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revoked, setRevoked] = useState<string | null>(null);

  async function load(value: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      setPasskeys(await api.listPasskeys(value));
      setSearched(value);
    } catch (e) {
      setPasskeys(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  function search(event: Event): void {
    event.preventDefault();
    setRevoked(null);
    const value = identifier.trim();
    if (!value) {
      setError('Enter a mobile number with its country code, or an email address.');
      return;
    }
    void load(value);
  }

  return (
    <>
      <PageHeader
        title="Passkeys"
        description="Passkeys people made after verifying a code on a widget with passkeys on. A passkey sign-in sends no message; revoke one and its next sign-in fails at once."
      />
      <section class="card" aria-labelledby="passkey-search-title">
        <h2 id="passkey-search-title">Find a person’s passkeys</h2>
        <form class="inline-form" onSubmit={search} noValidate>
          <Field
            name="passkeyIdentifier"
            label="Mobile number or email"
            error={error ?? undefined}
            hint="A mobile number with its country code (919876543210), or an email address."
            class="inline-form__grow"
          >
            {(a) => (
              <input
                {...a}
                type="text"
                autoComplete="off"
                value={identifier}
                onInput={(e) => setIdentifier(e.currentTarget.value)}
              />
            )}
          </Field>
          <button
            type="submit"
            class="button button--primary"
            disabled={busy}
            aria-busy={busy || undefined}
          >
            Find passkeys
          </button>
        </form>
      </section>
      {revoked && <Notice tone="success">{revoked}</Notice>}
      {passkeys && searched !== null && (
        <section aria-labelledby="passkeys-title">
          <h2 id="passkeys-title" class="section-title">
            Passkeys of {searched}
          </h2>
          {passkeys.length === 0 ? (
            <p>No passkeys for {searched}.</p>
          ) : (
            <div class="card card--flush">
              <table class="table">
                <caption class="visually-hidden">Passkeys of {searched}</caption>
                <thead>
                  <tr>
                    <th scope="col">Site</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {passkeys.map((p) => (
                    <tr key={p.passkeyId}>
                      <td data-label="Site">
                        <code class="mono">{p.rpId}</code>
                      </td>
                      <td data-label="Kind">
                        {p.deviceType === 'multiDevice' ? 'Synced' : 'This device only'}
                        {p.revokedAt && (
                          <>
                            {' '}
                            <Badge tone="danger">Revoked</Badge>
                          </>
                        )}
                      </td>
                      <td data-label="Created">{formatDate(p.createdAt)}</td>
                      <td data-label="Last used">{formatAgo(p.lastUsedAt)}</td>
                      <td class="table__actions">
                        {!p.revokedAt && (
                          <ConfirmButton
                            label={`Revoke the passkey made ${formatDate(p.createdAt)}`}
                            text="Revoke"
                            title="Revoke this passkey?"
                            confirmLabel="Revoke passkey"
                            tone="danger"
                            onConfirm={async () => {
                              await api.revokePasskey(p.passkeyId);
                              setRevoked(
                                `Passkey revoked: ${searched} signs in with a code next time.`,
                              );
                              await load(searched);
                            }}
                          >
                            <p>Its next sign-in fails, on every instance. This cannot be undone.</p>
                          </ConfirmButton>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}
