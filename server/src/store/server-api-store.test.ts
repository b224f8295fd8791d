import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { widgetSettingsSchema } from '../widgets/settings.ts';
import { type NewOtpRequest, openStore, type Store } from './index.ts';

// The store operations the server API v5 added (port these to every adapter).
let store: Store;
beforeEach(async () => {
  store = openStore('sqlite::memory:');
  await store.migrate();
  await store.accounts.ensureDefault('default', 0);
  for (const id of ['w1', 'w2']) {
    await store.widgets.insert({
      id,
      accountId: 'default',
      settings: widgetSettingsSchema.parse({ name: id }),
      createdAt: 0,
      updatedAt: 0,
    });
  }
});
afterEach(() => store.close());

const request = (id: string, over: Partial<NewOtpRequest> = {}): NewOtpRequest => ({
  id,
  verificationType: 'otp',
  widgetId: 'w1',
  identifier: '919876543210',
  contactPoint: 'mobile',
  channel: 'sms',
  codeHashes: ['h'],
  maxAttempts: 5,
  maxResends: 3,
  resendIntervalMs: 30_000,
  ttlMs: 600_000,
  lastSentAt: 1000,
  expiresAt: 601_000,
  ip: null,
  host: null,
  userAgent: null,
  variables: {},
  demo: false,
  country: 'IN',
  language: 'en',
  createdAt: 1000,
  ...over,
});

describe('otpRequests.latestFor and codeLength', () => {
  it('finds a widget’s newest request for an identifier, whatever its status', async () => {
    expect(await store.otpRequests.latestFor('w1', '919876543210')).toBeUndefined();
    await store.otpRequests.create(request('r1', { createdAt: 1000 }));
    await store.otpRequests.create(request('r2', { createdAt: 2000, codeLength: 8 }));
    // Same time: the later insert is the latest.
    await store.otpRequests.create(request('r3', { createdAt: 2000 }));
    await store.otpRequests.create(request('other-widget', { widgetId: 'w2', createdAt: 9000 }));
    await store.otpRequests.create(
      request('other-number', { identifier: '919876543211', createdAt: 9000 }),
    );
    expect((await store.otpRequests.latestFor('w1', '919876543210'))?.id).toBe('r3');
    await store.otpRequests.completeVerification('r3', 3000);
    const latest = await store.otpRequests.latestFor('w1', '919876543210');
    expect(latest).toMatchObject({ id: 'r3', status: 'verified' });
  });

  it('keeps a request’s code length (null when the widget’s applies)', async () => {
    await store.otpRequests.create(request('r1', { codeLength: 8 }));
    await store.otpRequests.create(request('r2', { identifier: '919876543211' }));
    expect((await store.otpRequests.get('r1'))?.codeLength).toBe(8);
    expect((await store.otpRequests.get('r2'))?.codeLength).toBeNull();
  });
});
