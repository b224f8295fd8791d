/**
 * What every suite of the store conformance shares: fixed times, and the builders of widgets,
 * requests, messages, access tokens and delivery results.
 */
import type { WidgetSettings } from '../../model/widget-settings.ts';
import type {
  AccessTokenRecord,
  NewMessage,
  NewOtpRequest,
  OtpRequest,
  Store,
  VerifyWrite,
  WidgetRecord,
} from '../types.ts';

/** A migrated, empty store, and how to dispose of it. */
export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

export const HOUR = 3_600_000;
/** An hour boundary, so rollup buckets are predictable. */
export const T0 = 472_222 * HOUR;
export const ACCOUNT = 'acc_1';

export const settings = (name: string) => ({ name }) as unknown as WidgetSettings;

/**
 * Migrates `store` and gives it the engine tests' widget `w_1` of account
 * `acct`, created at `at`; resolves to the store.
 */
export async function withWidgetW1<S extends Store>(store: S, at: number): Promise<S> {
  await store.migrate();
  await store.accounts.ensureDefault('acct', at);
  await store.widgets.insert({
    ...widget('w_1', '', at),
    accountId: 'acct',
    settings: {} as never,
  });
  return store;
}

/** A widget of the test account, created and updated at `at`. */
export function widget(id: string, name: string, at = T0): WidgetRecord {
  return { id, accountId: ACCOUNT, settings: settings(name), createdAt: at, updatedAt: at };
}

export function request(overrides: Partial<NewOtpRequest> = {}): NewOtpRequest {
  return {
    id: `req_${Math.random().toString(36).slice(2, 10)}`,
    verificationType: 'otp',
    widgetId: 'w_1',
    identifier: '919876543210',
    contactPoint: 'mobile',
    channel: 'sms',
    codeHashes: ['hash-1'],
    maxAttempts: 3,
    maxResends: 2,
    resendIntervalMs: 30_000,
    ttlMs: 600_000,
    lastSentAt: T0,
    expiresAt: T0 + 600_000,
    ip: '203.0.113.7',
    host: 'shop.example',
    userAgent: 'UA',
    variables: { company: 'Acme', product: 'Shop' },
    demo: false,
    country: 'IN',
    language: 'en',
    createdAt: T0,
    ...overrides,
  };
}

/**
 * A code check of request `id` with its first code ('hash-1', as `request` makes it) or a
 * wrong one; no limits, no guess budget, no access token.
 */
export function check(
  id: string,
  options: { right?: boolean; now?: number; widgetId?: string } = {},
): VerifyWrite {
  const now = options.now ?? T0 + 1;
  return {
    limits: [],
    limitsNow: now,
    id,
    widgetId: options.widgetId ?? 'w_1',
    now,
    candidates: [options.right === false ? 'hash-wrong' : 'hash-1'],
    event: {
      widgetId: 'w_1',
      kind: 'verify',
      ip: null,
      host: null,
      userAgent: null,
      createdAt: now,
      identifier: null,
    },
  };
}

export function message(requestId: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id: `msg_${Math.random().toString(36).slice(2, 10)}`,
    requestId,
    widgetId: 'w_1',
    channel: 'sms',
    purpose: 'send',
    recipient: '919876543210',
    payload: 'sealed-payload',
    createdAt: T0,
    ...overrides,
  };
}
/** An access token of request 'r1' (as `request` makes its identifier), issued at T0. */
export function accessToken(
  overrides: Partial<Omit<AccessTokenRecord, 'verifiedAt'>> = {},
): Omit<AccessTokenRecord, 'verifiedAt'> {
  return {
    jti: 'j1',
    requestId: 'r1',
    widgetId: 'w_1',
    identifier: '919876543210',
    channel: 'sms',
    issuedAt: T0,
    expiresAt: T0 + 300_000,
    demo: false,
    ...overrides,
  };
}

/** `messages.markSent`'s result: provider 'p' accepted the message as 'pm-1' at `now`. */
export function sentAt(
  now: number,
  options: { providerMessageId?: string; fallbackAt?: number } = {},
): Parameters<Store['messages']['markSent']>[1] {
  return {
    provider: 'p',
    providerMessageId: options.providerMessageId ?? 'pm-1',
    now,
    fallbackAt: options.fallbackAt ?? null,
  };
}

/** What a concern's suite gets: the store under test (fresh for each test) and a request builder. */
export interface SuiteContext {
  readonly store: Store;
  /** A request with its first message queued. */
  created(
    overrides?: Partial<NewOtpRequest>,
  ): Promise<{ request: OtpRequest; message: NewMessage }>;
}
