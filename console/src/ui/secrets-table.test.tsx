import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { SecretsSections } from './secrets-table.tsx';
import { testRoot } from './testing.ts';
import type { Loaded } from './use-load.ts';

interface Secret {
  id: string;
  label: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const root = testRoot();
const settle = () => act(async () => {});
const untitled: Secret = {
  id: 't1',
  label: '',
  prefix: 'abc',
  createdAt: '2026-01-01',
  lastUsedAt: null,
};
const mine: Secret = { ...untitled, id: 'mine', label: 'This one' };

function loaded(data: Secret[]): Loaded<Secret[]> {
  return { data, error: null, loading: false, reload: vi.fn(async () => {}), setData: vi.fn() };
}

function show(secrets: Loaded<Secret[]>, revoke = vi.fn(async (_: Secret) => {})): void {
  render(
    <SecretsSections
      noun="token"
      ids={['new-title', 'list-title']}
      hint="Where it is used."
      create={async () => {}}
      title="Live tokens"
      prefixColumn="Token"
      secrets={secrets}
      keyOf={(s) => s.id}
      revoke={revoke}
      endsSession={(s) => s.id === 'mine'}
      consequence={() => <p>Gone for good.</p>}
      empty={<p>No live tokens</p>}
    />,
    root(),
  );
}

/** Confirms the revoke dialog of the row-th secret. */
async function confirmRevoke(row: number): Promise<void> {
  const form = root().querySelectorAll('dialog form')[row];
  if (!form) throw new Error(`no revoke dialog ${row}`);
  await act(() => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await settle();
}

describe('SecretsSections', () => {
  it('names the create card after the noun and says when the list is empty', async () => {
    show(loaded([]));
    await settle();
    expect(root().querySelector('#new-title')?.textContent).toBe('New token');
    expect(root().querySelector('#list-title')?.textContent).toBe('Live tokens');
    expect(root().textContent).toContain('No live tokens');
    expect(root().querySelector('table')).toBeNull();
  });

  it('lists the secrets, an unlabelled one as "Untitled <noun>"', async () => {
    show(loaded([untitled]));
    await settle();
    expect(root().querySelector('table caption')?.textContent).toBe('Live tokens');
    expect(root().querySelector('td[data-label="Label"]')?.textContent).toBe('Untitled token');
    expect(root().textContent).not.toContain('No live tokens');
  });

  it('revokes, says which one and reloads the list', async () => {
    const secrets = loaded([untitled]);
    const revoke = vi.fn(async (_: Secret) => {});
    show(secrets, revoke);
    await settle();
    await confirmRevoke(0);
    expect(revoke).toHaveBeenCalledWith(untitled);
    expect(root().textContent).toContain('Token “Untitled token” revoked.');
    expect(secrets.reload).toHaveBeenCalledOnce();
  });

  it('neither reports nor reloads when revoking ended the session', async () => {
    const secrets = loaded([untitled, mine]);
    const revoke = vi.fn(async (_: Secret) => {});
    show(secrets, revoke);
    await settle();
    await confirmRevoke(1);
    expect(revoke).toHaveBeenCalledWith(mine);
    expect(root().textContent).not.toContain('revoked.');
    expect(secrets.reload).not.toHaveBeenCalled();
  });
});
