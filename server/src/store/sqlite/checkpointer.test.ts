import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteStore } from './index.ts';

it('copies the WAL into the database file in the background, without the writer checkpointing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-checkpoint-'));
  const file = join(dir, 'otpkit.db');
  const store = openSqliteStore(file);
  await store.migrate();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const before = statSync(file).size;
  // About 2 MB of commits: far below the writer's own checkpoint threshold (10,000 pages).
  for (let i = 0; i < 200; i++) await store.settings.setIfAbsent(`k${i}`, 'x'.repeat(10_000));
  expect(statSync(file).size - before).toBeLessThan(1_000_000);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(statSync(file).size - before).toBeGreaterThan(1_500_000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
