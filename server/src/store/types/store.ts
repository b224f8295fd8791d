/**
 * The Store: every piece of state otpkit keeps, behind narrow interfaces
 * (one per concern, in this folder) with atomic operations. Services never
 * read-then-write; each engine (SQLite, PostgreSQL for several instances)
 * implements each operation as one statement or one transaction, and passes
 * the same conformance suite. Times are epoch milliseconds.
 */
import type { LimitBackend } from '../limits.ts';
import type {
  AccountStore,
  AuthkeyStore,
  SettingsStore,
  SigningKeyStore,
  TemplateStore,
  WidgetStore,
  WidgetTokenStore,
} from './config.ts';
import type { LogStore } from './logs.ts';
import type { DeliveryStore, MessageStore, OutboxStore } from './queue.ts';
import type {
  AccessTokenStore,
  CaptchaStore,
  EventStore,
  MagicLinkStore,
  OtpRequestStore,
  PasskeyChallengeStore,
  PasskeyStore,
  SendCounterStore,
} from './requests.ts';

export interface Store {
  /** Creates or upgrades the schema. */
  migrate(): Promise<void>;
  /**
   * A cheap round trip to the database, for readiness checks: resolves to
   * the migrations not yet applied (empty when the schema is current);
   * rejects when the database does not answer.
   */
  health(): Promise<{ migrationsPending: string[] }>;
  /**
   * Where the rate limits count: both engines count them themselves, in
   * the write of the call they belong to (SQLite: its group commit;
   * PostgreSQL: the send's or the code check's one statement). `client`
   * is the engine's connection, for tests.
   */
  rateLimitBackend(): LimitBackend;
  close(): Promise<void>;

  settings: SettingsStore;
  accounts: AccountStore;
  authkeys: AuthkeyStore;
  widgets: WidgetStore;
  widgetTokens: WidgetTokenStore;
  templates: TemplateStore;
  otpRequests: OtpRequestStore;
  magicLinks: MagicLinkStore;
  messages: MessageStore;
  deliveries: DeliveryStore;
  accessTokens: AccessTokenStore;
  passkeys: PasskeyStore;
  passkeyChallenges: PasskeyChallengeStore;
  signingKeys: SigningKeyStore;
  outbox: OutboxStore;
  captcha: CaptchaStore;
  sendCounters: SendCounterStore;
  events: EventStore;
  logs: LogStore;
}
