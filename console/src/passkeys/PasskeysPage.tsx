/**
 * Passkeys (`/passkeys`): the passkeys a person made through the account's
 * widgets, found by their phone number or email, each revocable (its next
 * sign-in fails at once).
 */

import type { Passkey } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../auth/session.ts';
import { Badge, Notice, PageHeader, Section } from '../ui/components.tsx';
import { InlineForm } from '../ui/fields.tsx';
import { formatAgo, formatDate } from '../ui/format.ts';
import { DataTable, RevokeCell } from '../ui/table.tsx';
import { useBusy } from '../ui/use-busy.ts';

/** `/passkeys`. */
export function PasskeysPage(): JSX.Element {
  const [identifier, setIdentifier] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const searching = useBusy();
  const [revoked, setRevoked] = useState<string | null>(null);

  async function load(value: string): Promise<void> {
    await searching.run(async () => {
      try {
        setPasskeys(await api.listPasskeys(value));
        setSearched(value);
      } catch (e) {
        setPasskeys(null);
        throw e;
      }
    });
  }

  function search(event: Event): void {
    event.preventDefault();
    setRevoked(null);
    const value = identifier.trim();
    if (!value) {
      searching.setError('Enter a mobile number with its country code, or an email address.');
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
      <Section id="passkey-search-title" title="Find a person’s passkeys" card>
        <InlineForm
          name="passkeyIdentifier"
          label="Mobile number or email"
          error={searching.error ?? undefined}
          hint="A mobile number with its country code (919876543210), or an email address."
          value={identifier}
          onValue={setIdentifier}
          busy={searching.busy}
          submitLabel="Find passkeys"
          onSubmit={search}
        />
      </Section>
      {revoked && <Notice tone="success">{revoked}</Notice>}
      {passkeys && searched !== null && (
        <section aria-labelledby="passkeys-title">
          <h2 id="passkeys-title" class="section-title">
            Passkeys of {searched}
          </h2>
          {passkeys.length === 0 ? (
            <p>No passkeys for {searched}.</p>
          ) : (
            <DataTable
              caption={<>Passkeys of {searched}</>}
              columns={['Site', 'Kind', 'Created', 'Last used']}
              actions
            >
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
                  {p.revokedAt ? (
                    <td class="table__actions" />
                  ) : (
                    <RevokeCell
                      label={`Revoke the passkey made ${formatDate(p.createdAt)}`}
                      title="Revoke this passkey?"
                      confirmLabel="Revoke passkey"
                      onConfirm={async () => {
                        await api.revokePasskey(p.passkeyId);
                        setRevoked(`Passkey revoked: ${searched} signs in with a code next time.`);
                        await load(searched);
                      }}
                    >
                      <p>Its next sign-in fails, on every instance. This cannot be undone.</p>
                    </RevokeCell>
                  )}
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      )}
    </>
  );
}
