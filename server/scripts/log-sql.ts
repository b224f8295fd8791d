/**
 * Writes a migration pair from server/src/store/log-sql.ts, after a channel
 * bit or a latency bound changed there: `pnpm log-sql NNN_name` writes
 * src/store/{sqlite,postgres}/migrations/NNN_name.sql.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { logMigrationSql } from '../src/store/log-sql.ts';

const name = process.argv[2];
if (!name || !/^\d{3}_[a-z0-9_]+$/.test(name)) {
  console.error('usage: pnpm log-sql NNN_name (e.g. 031_voice_bit)');
  process.exit(2);
}
for (const engine of ['sqlite', 'postgres'] as const) {
  const file = new URL(`../src/store/${engine}/migrations/${name}.sql`, import.meta.url);
  if (existsSync(file)) {
    console.error(`${file.pathname} exists: migrations are never rewritten, pick the next number`);
    process.exit(1);
  }
  writeFileSync(file, logMigrationSql(engine));
  console.log(`wrote ${file.pathname}`);
}
