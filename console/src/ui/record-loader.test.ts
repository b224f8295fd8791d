import { afterEach, describe, expect, it, vi } from 'vitest';
import { route } from '../router.ts';
import { saveRecord } from './record-loader.tsx';

interface Rec {
  id: string;
  name: string;
}

afterEach(() => vi.unstubAllGlobals());

describe('saveRecord', () => {
  it('updates an existing record and returns the baseline `saved` makes of it', async () => {
    const update = vi.fn(async (r: Rec) => ({ ...r, name: 'Shop (saved)' }));
    const create = vi.fn(async () => ({ id: 'new', name: 'x' }));
    const saved = vi.fn((r: Rec) => r.name);
    const next = await saveRecord<Rec, string, Rec>(
      { id: 'r1', name: 'Shop' },
      {
        update,
        saved,
        create,
        created: (r) => [`/records/${r.id}`, { tone: 'success', title: 'Created' }],
      },
    );
    expect(next).toBe('Shop (saved)');
    expect(saved).toHaveBeenCalledWith({ id: 'r1', name: 'Shop (saved)' });
    expect(create).not.toHaveBeenCalled();
  });

  it('creates a new record, moves to its page and keeps no baseline', async () => {
    vi.stubGlobal('scrollTo', () => {});
    const update = vi.fn(async (r: Rec) => r);
    const saved = vi.fn((r: Rec) => r.name);
    const next = await saveRecord<Rec, string, Rec>(null, {
      update,
      saved,
      create: async () => ({ id: 'r2', name: 'New' }),
      created: (r) => [`/records/${r.id}`, { tone: 'success', title: 'Created' }],
    });
    expect(next).toBeNull();
    expect(update).not.toHaveBeenCalled();
    expect(saved).not.toHaveBeenCalled();
    expect(route.value.path).toBe('/records/r2');
  });
});
