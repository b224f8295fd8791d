import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { request, T0, withWidgetW1 } from '../conformance/fixtures.ts';
import { storeConformance } from '../conformance/index.ts';
import { Database } from './driver.ts';
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

describe('sqlite store while the event log refuses every row', () => {
  it('a send, a code check and a redemption each still commit, and report the row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otpkit-store-'));
    const file = join(dir, 'otpkit.db');
    const store = openSqliteStore(file);
    try {
      await withWidgetW1(store, T0);
      // A second connection breaks the event table, as a full disk would.
      const other = new Database(file);
      other.exec(`CREATE TRIGGER refuse_events BEFORE INSERT ON request_events
                  BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
      other.close();
      const event = { widgetId: 'w_1', ip: null, host: null, userAgent: null, createdAt: T0 };
      const refused = expect.stringContaining('database or disk is full');

      const sent = await store.otpRequests.send({
        limits: [{ key: 'send:ip', points: 10, seconds: 60 }],
        limitsNow: T0,
        pumping: null,
        request: request({ id: 'g1', createdAt: T0 }),
        event: { ...event, kind: 'send' },
      });
      expect(sent).toMatchObject({ kind: 'created', request: { id: 'g1' }, eventError: refused });
      expect(await store.otpRequests.get('g1')).toMatchObject({ status: 'pending' });

      const verified = await store.otpRequests.verify({
        limits: [],
        limitsNow: T0,
        id: 'g1',
        widgetId: 'w_1',
        now: T0 + 1,
        candidates: ['hash-1'],
        token: { jti: 'jg1', issuedAt: T0 + 1, expiresAt: T0 + 300_000 },
        event: { ...event, kind: 'verify' },
      });
      expect(verified).toMatchObject({ kind: 'verified', eventError: refused });
      expect(await store.otpRequests.get('g1')).toMatchObject({ status: 'verified' });

      const redeemEvent = { ...event, requestId: 'g1', kind: 'verify-token' as const };
      expect(await store.accessTokens.redeem('jg1', T0 + 5, redeemEvent)).toMatchObject({
        record: { jti: 'jg1', verifiedAt: T0 + 5 },
        eventError: refused,
      });
      expect(await store.accessTokens.redeem('jg1', T0 + 6, redeemEvent)).toBeUndefined();
      expect(await store.events.listForRequest('g1')).toEqual([]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
