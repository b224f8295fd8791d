import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openSqliteStore } from '/work/main/server/src/store/sqlite/index.ts';
const file = process.env.SBFILE ?? '/tmp/sb/otpkit.db';
rmSync(file.slice(0, file.lastIndexOf('/')), { recursive: true, force: true });
const store = openSqliteStore(file);
await store.migrate();
await store.accounts.ensureDefault('acc', 1);
await store.widgets.insert({ id: 'w1', accountId: 'acc', settings: {} as never, createdAt: 1, updatedAt: 1 });
const drop = process.env.DROP?.split(',').filter(Boolean) ?? [];
if (drop.length) { const db = new Database(file); for (const i of drop) db.exec(`DROP INDEX ${i}`); db.close(); }
let n = 0;
const req = () => { const id = `r${n++}${Math.random().toString(16).slice(2, 10)}`; const now = Date.now();
  return [{ id, verificationType: 'otp', widgetId: 'w1', identifier: `9198${Math.floor(Math.random()*1e8)}`, contactPoint: 'mobile', channel: 'sms', codeHashes: ['a'.repeat(64)], maxAttempts: 3, maxResends: 3, resendIntervalMs: 30000, ttlMs: 600000, lastSentAt: now, expiresAt: now + 600000, ip: '127.0.0.1', host: null, userAgent: 'ua', variables: {}, demo: false, country: 'IN', language: 'en', codeLength: null, createdAt: now },
    { id: `m${id}`, requestId: id, widgetId: 'w1', channel: 'sms', purpose: 'send', recipient: '919876543210', payload: 'x'.repeat(300), createdAt: now }] as const; };
const ev = (id: string) => ({ requestId: id, widgetId: 'w1', kind: 'send', outcome: 'ok', ip: '127.0.0.1', host: null, userAgent: 'ua', createdAt: Date.now(), identifier: '9198' });
for (const what of ['create', 'event', 'counters', 'all']) {
  const t0 = process.hrtime.bigint(); const N = 8000;
  for (let i = 0; i < N; i += 16) {
    await Promise.all(Array.from({ length: 16 }, () => {
      const [r, m] = req();
      if (what === 'create') return store.otpRequests.create(r as never, m as never);
      if (what === 'event') return store.events.insert(ev(r.id) as never);
      if (what === 'counters') return (store.rateLimitBackend() as any).hit([{ key: 'ip', points: 1e9, seconds: 3600 }, { key: `id${r.identifier}`, points: 5, seconds: 600 }, { key: 'w', points: 1e9, seconds: 3600 }, { key: 'c', points: 1e9, seconds: 3600 }], Date.now());
      return Promise.all([(store.rateLimitBackend() as any).hit([{ key: 'ip', points: 1e9, seconds: 3600 }, { key: `id${r.identifier}`, points: 5, seconds: 600 }, { key: 'w', points: 1e9, seconds: 3600 }, { key: 'c', points: 1e9, seconds: 3600 }], Date.now()), store.sendCounters.bump('w1', 'IN', 1), store.otpRequests.create(r as never, m as never), store.events.insert(ev(r.id) as never)]);
    }));
  }
  console.log(what, (Number(process.hrtime.bigint() - t0) / N / 1000).toFixed(1), 'us per op (groups of 16)');
}
await store.close();
