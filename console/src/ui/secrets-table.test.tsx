import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SecretsSections } from './secrets-table.tsx';
import type { Loaded } from './use-load.ts';

interface Secret {
  id: string;
  label: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

let root: HTMLElement;
const settle = () => act(async () => {});

function loaded(data: Secret[]): Loaded<Secret[]> {
  return { data, error: null, loading: false, reload: vi.fn(async () => {}), setData: vi.fn() };
}

function show(secrets: Loaded<Secret[]>, revoke = vi.fn(async () => {})): void {
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
    root,
  );
}

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('SecretsSections', () => {
  it('names the create card after the noun and says when the list is empty', async () => {
    show(loaded([]));
    await settle();
    expect(root.querySelector('#new-title')?.textContent).toBe('New token');
    expect(root.querySelector('#list-title')?.textContent).toBe('Live tokens');
    expect(root.textContent).toContain('No live tokens');
    expect(root.querySelector('table')).toBeNull();
  });

  it('lists the secrets, an unlabelled one as "Untitled <noun>"', async () => {
    const secret = {
      id: 't1',
      label: '',
      prefix: 'abc',
      createdAt: '2026-01-01',
      lastUsedAt: null,
    };
    show(loaded([secret]));
    await settle();
    expect(root.querySelector('table caption')?.textContent).toBe('Live tokens');
    expect(root.querySelector('td[data-label="Label"]')?.textContent).toBe('Untitled token');
    expect(root.textContent).not.toContain('No live tokens');
  });
});
