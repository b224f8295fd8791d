/** The sign-in page: an account authkey, checked against the server. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { adminApi } from '../api/admin.ts';
import { createApiClient } from '../api/client.ts';
import { Notice } from '../ui/components.tsx';
import { SubmitButton, TextField } from '../ui/fields.tsx';
import { signIn, signOutReason } from './session.ts';

/** Checks a key by listing widgets with it, then starts the session. */
export function SignIn(): JSX.Element {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reason = signOutReason.value;

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const value = key.trim();
    if (!value) {
      setError('Enter an authkey.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await adminApi(createApiClient({ authkey: () => value })).listWidgets();
      signIn(value);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="signin">
      <div class="signin__card">
        <p class="brand brand--large" aria-hidden="true">
          <span class="brand__mark" />
          otpkit
        </p>
        <h1>Sign in to the console</h1>
        <p class="muted">
          Use an account authkey. The server printed one when it first started;{' '}
          <code>otpkit keys</code> creates more.
        </p>
        {reason && <Notice tone="info">{reason}</Notice>}
        <form onSubmit={submit} noValidate>
          <TextField
            name="authkey"
            label="Authkey"
            error={error ?? undefined}
            hint="Kept in this browser tab only, until you sign out or close it."
            type="password"
            autoComplete="current-password"
            spellcheck={false}
            value={key}
            onValue={setKey}
          />
          <SubmitButton busy={busy} class="button--block">
            Sign in
          </SubmitButton>
        </form>
        <p class="muted">
          Integrating? Read the <a href="/docs/api">API reference</a>.
        </p>
      </div>
    </main>
  );
}
