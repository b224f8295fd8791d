import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '../conformance/index.ts';
import { openSqliteStore } from './index.ts';

storeConformance('sqlite :memory:', async () => {
  const store = openSqliteStore(':memory:');
  await store.migrate();
  return { store, cleanup: () => store.close() };
});

// A file in WAL mode, as deployed.
storeConformance('sqlite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-store-'));
  const store = openSqliteStore(join(dir, 'otpkit.db'));
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
