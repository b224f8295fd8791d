/** The store's interfaces for one concern. Configuration an operator or the admin API changes: settings, the account, its authkeys, widgets and their tokens, templates, signing keys. */
import type { Channel } from '@otpkit/protocol';
import type {
  Account,
  AuthkeyRecord,
  SigningKey,
  TemplateRecord,
  WidgetRecord,
  WidgetToken,
} from './records.ts';

/** `Store.settings`. */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key exists; returns the value that is stored. */
  setIfAbsent(key: string, value: string): Promise<string>;
}

/** `Store.accounts`. */
export interface AccountStore {
  /** The default account, created on first call. */
  ensureDefault(id: string, now: number): Promise<Account>;
}

/** `Store.authkeys`. */
export interface AuthkeyStore {
  /** Live (unrevoked) authkeys of an account. */
  countForAccount(accountId: string): Promise<number>;
  insert(key: AuthkeyRecord & { hash: string }): Promise<void>;
  /** The live authkey with this hash; records its use (at most once a minute). */
  use(hash: string, now: number): Promise<AuthkeyRecord | undefined>;
  list(accountId: string): Promise<AuthkeyRecord[]>;
  /** Revokes a key unless it is the account's last live one. */
  revoke(accountId: string, id: string, now: number): Promise<'revoked' | 'not_found' | 'last'>;
}

/** `Store.widgets`. */
export interface WidgetStore {
  insert(widget: WidgetRecord): Promise<void>;
  /** A widget that is not deleted. */
  get(id: string): Promise<WidgetRecord | undefined>;
  list(accountId: string): Promise<WidgetRecord[]>;
  update(
    id: string,
    settings: WidgetRecord['settings'],
    now: number,
  ): Promise<WidgetRecord | undefined>;
  /** Marks a widget deleted (its history stays); its tokens stop working. */
  delete(id: string, now: number): Promise<boolean>;
}

/** `Store.widgetTokens`. */
export interface WidgetTokenStore {
  insert(token: WidgetToken): Promise<void>;
  /** Whether the token with this hash is a live token of `widgetId`; records its use (at most once a minute). */
  use(widgetId: string, tokenHash: string, now: number): Promise<boolean>;
  /** Live tokens, oldest first. */
  list(widgetId: string): Promise<WidgetToken[]>;
  revoke(widgetId: string, id: string, now: number): Promise<boolean>;
}

/** `Store.templates`. */
export interface TemplateStore {
  insert(template: TemplateRecord): Promise<void>;
  get(id: string): Promise<TemplateRecord | undefined>;
  /** An account's templates, newest first; `widgetId` narrows to one widget's. */
  list(accountId: string, filter?: { widgetId?: string }): Promise<TemplateRecord[]>;
  update(template: TemplateRecord): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** The template a widget uses on a channel: its own, else the account's, newest first. */
  findFor(
    accountId: string,
    widgetId: string,
    channel: Channel,
  ): Promise<TemplateRecord | undefined>;
}

/** `Store.signingKeys`. */
export interface SigningKeyStore {
  /** Newest first. */
  list(): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
  /** Marks every key but `keepKid` retired (if not already). */
  retireAllBut(keepKid: string, now: number): Promise<void>;
}
