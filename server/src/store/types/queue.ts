/** The store's interfaces for one concern. The durable send queue, its delivery attempts, and the development outbox. */
import type {
  ClaimedMessage,
  DeliveryRecord,
  MessageOutcome,
  OutboxMessage,
  QueuedMessage,
} from './records.ts';

/** `Store.messages`. */
export interface MessageStore {
  get(id: string): Promise<QueuedMessage | undefined>;
  listForRequest(requestId: string): Promise<QueuedMessage[]>;
  /**
   * Leases up to `limit` pending messages that are due, counting an attempt
   * on each, with their requests' status: one round trip.
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<ClaimedMessage[]>;
  /**
   * Records how a batch of claimed messages' deliveries ended (`markSent`,
   * `markFailed` or `reschedule` of each, with its attempt rows): one round
   * trip. Only a pending message moves.
   */
  finish(outcomes: readonly MessageOutcome[]): Promise<void>;
  /** The provider took the message: erases the payload. */
  markSent(
    id: string,
    result: {
      provider: string;
      providerMessageId: string;
      now: number;
      fallbackAt: number | null;
    },
  ): Promise<void>;
  /** A transient failure: try again at `nextAttemptAt`. */
  reschedule(
    id: string,
    change: { nextAttemptAt: number; error: string; now: number },
  ): Promise<void>;
  /** A permanent failure, or attempts exhausted: erases the payload. */
  markFailed(
    id: string,
    change: { provider: string | null; error: string; now: number; fallbackAt: number | null },
  ): Promise<void>;
  /**
   * A delivery report. Moves a message forward only (a late `sent` never
   * undoes `delivered`); `failed` makes a scheduled fallback due now,
   * `delivered` cancels it. Returns the message, or `undefined` if unknown.
   */
  report(
    provider: string,
    providerMessageId: string,
    outcome: { status: 'delivered' | 'failed'; error?: string; now: number },
  ): Promise<QueuedMessage | undefined>;
  /** Takes the messages whose fallback is due (each is returned once, ever). */
  claimFallbacks(now: number, limit: number): Promise<QueuedMessage[]>;
  /** How many messages wait to be sent, and when the oldest of them was queued (metrics). */
  queueStats(): Promise<{ depth: number; oldestPendingAt: number | null }>;
}

/** `Store.deliveries`. */
export interface DeliveryStore {
  insert(delivery: DeliveryRecord): Promise<void>;
  listForRequest(requestId: string): Promise<DeliveryRecord[]>;
}

/** `Store.outbox`. */
export interface OutboxStore {
  insert(message: OutboxMessage): Promise<void>;
  /** Newest first. */
  list(filter: { to?: string; limit: number }): Promise<OutboxMessage[]>;
}
