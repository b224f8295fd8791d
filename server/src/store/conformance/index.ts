/**
 * The store conformance suite: one set of vitest tests every adapter must
 * pass (SQLite and PostgreSQL alike), covering each Store method's documented
 * contract, the atomic ones under concurrency included.
 *
 * @example
 * storeConformance('sqlite', async () => {
 *   const store = openSqliteStore(':memory:');
 *   await store.migrate();
 *   return { store, cleanup: () => store.close() };
 * });
 */
import type { Channel } from '@otpkit/protocol';
import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import type { NewOtpRequest, Store } from '../types.ts';
import { configConformance } from './config.ts';
import { logConformance } from './events-logs.ts';
import {
  ACCOUNT,
  message,
  request,
  type StoreUnderTest,
  type SuiteContext,
  T0,
  widget,
} from './fixtures.ts';
import { linkAndPasskeyConformance } from './links-passkeys.ts';
import { queueConformance } from './queue.ts';
import { requestConformance } from './requests.ts';

export type { StoreUnderTest } from './fixtures.ts';

/**
 * Registers the conformance tests for one adapter.
 *
 * @param name shown in the test names.
 * @param open returns a fresh, migrated, empty store for each test.
 * @param options.teardown runs once after the last test (e.g. drops a test schema).
 */
export function storeConformance(
  name: string,
  open: () => Promise<StoreUnderTest>,
  options: { teardown?: () => Promise<void> } = {},
): void {
  describe(`store conformance: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: Store;

    afterAll(async () => {
      await options.teardown?.();
    });

    beforeEach(async () => {
      sut = await open();
      store = sut.store;
      await store.accounts.ensureDefault(ACCOUNT, T0);
      await store.widgets.insert(widget('w_1', 'Shop'));
    });
    afterEach(async () => {
      await sut.cleanup();
    });

    const t: SuiteContext = {
      get store() {
        return store;
      },
      async created(overrides: Partial<NewOtpRequest> = {}) {
        const r = request(overrides);
        const m = message(r.id, {
          widgetId: r.widgetId,
          channel: r.channel as Channel,
          createdAt: r.createdAt,
        });
        const row = await store.otpRequests.create(r, m);
        return { request: row, message: m };
      },
    };
    configConformance(t);
    requestConformance(t);
    linkAndPasskeyConformance(t);
    queueConformance(t);
    logConformance(t);
  });
}
