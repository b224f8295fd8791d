/**
 * Attacks on a deployment of several instances on one PostgreSQL database:
 * a credential revoked, or a widget deleted, through one instance is refused
 * by the next call on another, before that instance hears of the change.
 * Notifications are held back here (they arrive milliseconds after the
 * commit, later under load, never on a connection that died silently).
 */
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/index.ts';
import { freshSchema } from '../../src/store/postgres/test-database.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite } from './suite.ts';

const API = '/api/v5/widget';
const schemas: ReturnType<typeof freshSchema>[] = [];

// Held from before the second instance reads anything: the channel is the database's, so
// other tests' changes would otherwise clear its cache at random.
let held = false;
const emit = pg.Client.prototype.emit;
beforeAll(() => {
  pg.Client.prototype.emit = function (
    this: pg.Client,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (held && event === 'notification') return false;
    return emit.call(this, event, ...args);
  } as typeof emit;
});
afterAll(async () => {
  pg.Client.prototype.emit = emit;
  held = false;
  for (const s of schemas) await s.drop();
});

/**
 * Two instances on one new schema, notifications held, a widget created
 * through the first, and the second's cache holding the widget and its token
 * (a send through it).
 */
async function twoInstances(): Promise<{
  one: Harness;
  two: Harness;
  w: { widgetId: string; tokenAuth: string };
}> {
  const schema = freshSchema();
  schemas.push(schema);
  const env = { DATABASE_URL: schema.url, OTPKIT_TRUST_PROXY: 'true' };
  const one = await createHarness({ env });
  const two = await createHarness({ env });
  held = true;
  const w = await one.createWidget();
  const store = two.services.store as PostgresStore;
  await store.widgets.get(w.widgetId);
  for (let i = 0; !store.cacheListening(); i++) {
    if (i > 300) throw new Error('the second instance never listened');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const warm = await two.post(`${API}/sendOtpMobile`, { ...w, identifier: 'warm@example.com' });
  expect(warm.status, JSON.stringify(warm.body)).toBe(200);
  return { one, two, w };
}

const attacks: Attack[] = [
  {
    attack: 'a revoked widget token used on a second instance before the notification arrives',
    expected: { status: 401, code: 'INVALID_TOKEN_AUTH' },
    async run() {
      const { one, two, w } = await twoInstances();
      const auth = { authkey: TEST_AUTHKEY };
      const { tokens } = (await one.get(`/api/v1/widgets/${w.widgetId}/tokens`, auth)).body;
      const revoked = await one.app.request(
        `/api/v1/widgets/${w.widgetId}/tokens/${tokens[0].tokenId}`,
        {
          method: 'DELETE',
          headers: auth,
        },
      );
      expect(revoked.status).toBe(204);
      const res = await two.post(`${API}/sendOtpMobile`, { ...w, identifier: 'late@example.com' });
      await one.close();
      await two.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a deleted widget used on a second instance before the notification arrives',
    expected: { status: 404, code: 'WIDGET_NOT_FOUND' },
    async run() {
      const { one, two, w } = await twoInstances();
      const deleted = await one.app.request(`/api/v1/widgets/${w.widgetId}`, {
        method: 'DELETE',
        headers: { authkey: TEST_AUTHKEY },
      });
      expect(deleted.status).toBe(204);
      const res = await two.post(`${API}/sendOtpMobile`, { ...w, identifier: 'late@example.com' });
      await one.close();
      await two.close();
      return { status: res.status, code: res.body.code };
    },
  },
];

attackSuite('attacks across instances (PostgreSQL)', attacks, { timeoutMs: 60_000 });
