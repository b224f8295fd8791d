/**
 * The delivery worker: takes due messages from the durable queue (leased, so
 * several workers or a restarted one never send a message at the same time),
 * hands each to its provider, retries transient failures with exponential
 * backoff and jitter, fails permanent ones at once, and fires the autoRetry
 * fallbacks that come due.
 */

import type { Metrics } from '../../platform/observability/metrics.ts';
import type { Clock, Logger, Random } from '../../platform/runtime.ts';
import type {
  ClaimedMessage,
  DeliveryRecord,
  MessageOutcome,
  QueuedMessage,
  Store,
  WidgetRecord,
} from '../../store/index.ts';
import type { Delivery } from './index.ts';
import { DeliveryError, type OutgoingMessage } from './types.ts';

export interface WorkerOptions {
  maxAttempts: number;
  leaseMs: number;
  reportTimeoutMs: number;
  /** How often to look for due messages when nothing wakes the worker. */
  pollMs?: number;
  /** First retry delay; doubles each attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface DeliveryWorker {
  /** Runs until `stop`, waking on new messages and every `pollMs`. */
  start(): void;
  /** Stops taking work and waits for the sends in flight. */
  stop(): Promise<void>;
  /** One pass: delivers what is due and fires due fallbacks; resolves to how many it handled. */
  runOnce(): Promise<number>;
  /** Passes until nothing is due (tests). */
  drain(): Promise<void>;
  /**
   * Whether the loop runs, and when it last showed life (started a pass or
   * finished waiting), for readiness checks.
   */
  status(): { running: boolean; lastBeatAt: number | null; pollMs: number };
}

/** Delay before attempt `attempt + 1`: exponential, capped, with equal jitter. */
export function backoffMs(attempt: number, random: Random, base = 1000, cap = 5 * 60_000): number {
  const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
  return Math.floor(ceiling / 2) + random.int(0, Math.floor(ceiling / 2) + 1);
}

/**
 * A provider's error with the message's code (and link) taken out: some
 * gateways echo the text they refused, and the reason is logged and stored.
 */
export function withoutMessage(reason: string, message: OutgoingMessage): string {
  let clean = reason.split(message.text).join('[message]');
  for (const secret of new Set(message.text.match(/\d{4,9}|https?:\/\/\S+/g) ?? [])) {
    clean = clean.split(secret).join('[redacted]');
  }
  return clean;
}

/** Whether a message should get an automatic fallback when it fails or stays unreported. */
export function fallbackEligible(
  widget: WidgetRecord | undefined,
  message: QueuedMessage,
): boolean {
  if (!widget?.settings.autoRetry) return false;
  return (
    message.channel !== 'email' &&
    message.purpose !== 'fallback' &&
    widget.settings.fallbackChannel !== message.channel
  );
}

/**
 * Messages claimed per pass (`runOnce`, `drain`) and sent concurrently.
 */
const DELIVERY_BATCH = 50;

/**
 * Sends the running worker keeps in flight. It claims more as soon as one
 * finishes or a message is queued, so a slow gateway call holds up only its
 * own message: with passes, a message queued during a pass waited for the
 * pass's slowest call, and the complete flow's latency was mostly that wait.
 */
const MAX_IN_FLIGHT = 64;

export function createDeliveryWorker(deps: {
  store: Store;
  clock: Clock;
  random: Random;
  log: Logger;
  metrics: Metrics;
  delivery: Delivery;
  options: WorkerOptions;
  /** Sends the fallback for a message whose fallback came due. */
  onFallbackDue(message: QueuedMessage): Promise<void>;
}): DeliveryWorker {
  const { store, clock, log, metrics, delivery, options } = deps;
  const pollMs = options.pollMs ?? 1000;
  let running = false;
  let lastBeatAt: number | null = null;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  /**
   * Whether the running loop should look for due fallbacks on its next turn
   * before its regular look (once per `pollMs`): a failure here or a
   * failure report may have made one due now.
   */
  let fallbacksNudged = true;
  const fallbackDueNow = () => {
    fallbacksNudged = true;
    wake?.();
  };

  // Deliveries that end together are written together: one store round trip per batch.
  const finish = batchedFinish(store);

  async function deliverOne(m: ClaimedMessage): Promise<void> {
    const widget = await store.widgets.get(m.widgetId);
    const now = () => clock.now();
    // This attempt's rows, one per provider tried, written with the message's outcome.
    const attempts: DeliveryRecord[] = [];
    const record = (
      status: 'sent' | 'failed',
      providerName: string,
      providerMessageId: string | null,
      error: string | null,
    ) => {
      attempts.push({
        id: deps.random.sortable(12),
        messageId: m.id,
        attempt: m.attempts,
        requestId: m.requestId,
        channel: m.channel,
        provider: providerName,
        providerMessageId,
        status,
        error,
        createdAt: now(),
      });
    };
    /**
     * Ends the message unsent; with `fallback`, its autoRetry fallback is due
     * at once. `dropped`: not worth sending any more, rather than failed.
     */
    const failed = async (
      provider: string | null,
      error: string,
      fallback: boolean,
      outcome: 'failed' | 'dropped' = 'failed',
    ) => {
      await finish({
        id: m.id,
        now: now(),
        deliveries: attempts,
        kind: 'failed',
        provider,
        error,
        fallbackAt: fallback ? now() : null,
      });
      if (fallback) fallbackDueNow();
      metrics.codeSent(m.channel, outcome);
    };
    // A code nobody can use any more is not worth sending (nor paying for).
    const request = m.request;
    if (request?.status !== 'pending' || request.expiresAt <= now()) {
      const error = `not sent: the request is ${request?.status === 'pending' ? 'expired' : (request?.status ?? 'gone')}`;
      await failed(null, error, false, 'dropped');
      return;
    }
    let outgoing: OutgoingMessage;
    try {
      outgoing = {
        ...delivery.open(m.payload),
        id: m.id,
        requestId: m.requestId,
        widgetId: m.widgetId,
        channel: m.channel,
        to: m.recipient,
      };
    } catch {
      const error = 'the queued message cannot be read (was OTPKIT_SECRET changed?)';
      await failed(null, error, false);
      log.error('delivery failed', { messageId: m.id, error });
      return;
    }
    const route = delivery.route(m.channel, widget, outgoing.country);
    if (route.length === 0) {
      const error = `no provider delivers ${m.channel}`;
      record('failed', 'none', null, error);
      await failed(null, error, fallbackEligible(widget, m));
      log.error('delivery failed', {
        messageId: m.id,
        requestId: m.requestId,
        channel: m.channel,
        error,
      });
      return;
    }
    // Providers that failed for a passing reason on this attempt: the next takes the same message
    // (same id, the idempotency key) at once.
    const failedOver: string[] = [];
    let reason = '';
    let lastProvider = route[0]!.name;
    for (const [index, provider] of route.entries()) {
      // An open circuit skips its provider, unless every provider is cooling down: the last is still tried.
      const lastChance = failedOver.length === 0 && index === route.length - 1;
      if (!delivery.breakers.allows(provider.name) && !lastChance) continue;
      lastProvider = provider.name;
      const startedAt = performance.now();
      try {
        const receipt = await provider.send(outgoing);
        delivery.breakers.succeeded(provider.name);
        metrics.codeSent(m.channel, 'sent');
        metrics.deliveryLatency((now() - m.createdAt) / 1000);
        metrics.providerSend(
          provider.name,
          m.channel,
          'sent',
          (performance.now() - startedAt) / 1000,
        );
        if (failedOver.length > 0) {
          log.warn('delivery failed over', {
            messageId: m.id,
            requestId: m.requestId,
            channel: m.channel,
            failed: failedOver,
            provider: provider.name,
          });
        }
        const reportDue = fallbackEligible(widget, m) && !receipt.delivered;
        record('sent', provider.name, receipt.providerMessageId, null);
        await finish({
          id: m.id,
          now: now(),
          deliveries: attempts,
          kind: 'sent',
          provider: provider.name,
          providerMessageId: receipt.providerMessageId,
          fallbackAt: reportDue ? now() + options.reportTimeoutMs : null,
        });
        if (receipt.delivered) {
          await store.messages.report(provider.name, receipt.providerMessageId, {
            status: 'delivered',
            now: now(),
          });
        }
        return;
      } catch (error) {
        reason = withoutMessage(
          error instanceof Error ? error.message : String(error),
          outgoing,
        ).slice(0, 500);
        const permanent = error instanceof DeliveryError && error.permanent;
        const unreachable = error instanceof DeliveryError && error.unreachable;
        metrics.providerSend(
          provider.name,
          m.channel,
          permanent ? 'failed' : 'transient',
          (performance.now() - startedAt) / 1000,
        );
        if (!permanent) delivery.breakers.failed(provider.name);
        const next = route.slice(index + 1).find((p) => delivery.breakers.state(p.name) !== 'open');
        record(
          'failed',
          provider.name,
          null,
          !permanent && next ? `${reason} (failed over to ${next.name})` : reason,
        );
        if (permanent) {
          // Another provider would be told the same (an invalid number is invalid everywhere).
          const fallback = unreachable ? m.purpose !== 'fallback' : fallbackEligible(widget, m);
          await failed(provider.name, reason, fallback);
          log.warn(unreachable ? 'recipient unreachable on this channel' : 'delivery failed', {
            messageId: m.id,
            requestId: m.requestId,
            channel: m.channel,
            provider: provider.name,
            permanent,
            attempts: m.attempts,
            error: reason,
          });
          return;
        }
        failedOver.push(provider.name);
        if (next) metrics.failover(provider.name, next.name, m.channel);
      }
    }
    // Every provider failed for a passing reason: the queue tries again later.
    if (m.attempts >= options.maxAttempts) {
      await failed(lastProvider, reason, fallbackEligible(widget, m));
      log.warn('delivery failed', {
        messageId: m.id,
        requestId: m.requestId,
        channel: m.channel,
        provider: lastProvider,
        tried: failedOver,
        permanent: false,
        attempts: m.attempts,
        error: reason,
      });
      return;
    }
    const delay = backoffMs(m.attempts, deps.random, options.baseBackoffMs, options.maxBackoffMs);
    await finish({
      id: m.id,
      now: now(),
      deliveries: attempts,
      kind: 'rescheduled',
      nextAttemptAt: now() + delay,
      error: reason,
    });
    metrics.codeSent(m.channel, 'retried');
    log.warn('delivery will be retried', {
      messageId: m.id,
      channel: m.channel,
      provider: lastProvider,
      tried: failedOver,
      attempt: m.attempts,
      retryInMs: delay,
      error: reason,
    });
  }

  /** Fallbacks claimed per look. */
  const FALLBACK_BATCH = 20;

  /** Takes the fallbacks that are due and sends each; resolves to how many it took. */
  async function sendDueFallbacks(): Promise<number> {
    const fallbacks = await store.messages.claimFallbacks(clock.now(), FALLBACK_BATCH);
    for (const m of fallbacks) {
      await deps
        .onFallbackDue(m)
        .catch((error: unknown) =>
          log.error('fallback failed', { messageId: m.id, error: String(error) }),
        );
    }
    return fallbacks.length;
  }

  async function runOnce(): Promise<number> {
    const batch = await store.messages.claimDue(clock.now(), options.leaseMs, DELIVERY_BATCH);
    await Promise.all(
      batch.map((m) =>
        deliverOne(m).catch((error: unknown) =>
          log.error('delivery crashed', { messageId: m.id, error: String(error) }),
        ),
      ),
    );
    return batch.length + (await sendDueFallbacks());
  }

  return {
    start() {
      if (running) return;
      running = true;
      const inFlight = new Set<Promise<void>>();
      // Set by a kick (a message was queued) or a freed slot while the loop was busy: look again at once.
      let nudged = false;
      const nudge = () => {
        nudged = true;
        wake?.();
      };
      delivery.onKick((what) => (what === 'fallback' ? fallbackDueNow() : nudge()));
      // Fallbacks are looked for once per poll, or at once when one may have come due now: not on every
      // message (at a few hundred sends a second that look was a write of its own per send).
      let fallbacksCheckedAt = Number.NEGATIVE_INFINITY;
      /** Set when the last wait ended by its timer: a poll, which always looks for fallbacks. */
      let polled = false;
      loop = (async () => {
        while (running) {
          lastBeatAt = clock.now();
          nudged = false;
          let full = false;
          let failed = false;
          try {
            const free = MAX_IN_FLIGHT - inFlight.size;
            const batch =
              free > 0 ? await store.messages.claimDue(clock.now(), options.leaseMs, free) : [];
            full = free > 0 && batch.length === free;
            for (const m of batch) {
              const sending: Promise<void> = deliverOne(m)
                .catch((error: unknown) =>
                  log.error('delivery crashed', { messageId: m.id, error: String(error) }),
                )
                .finally(() => {
                  inFlight.delete(sending);
                  // A full loop waits for a slot; otherwise a kick or the poll brings it back.
                  if (inFlight.size === MAX_IN_FLIGHT - 1) nudge();
                });
              inFlight.add(sending);
            }
            const checkedAt = performance.now();
            if (fallbacksNudged || polled || checkedAt - fallbacksCheckedAt >= pollMs) {
              fallbacksNudged = false;
              polled = false;
              fallbacksCheckedAt = checkedAt;
              // More fallbacks may be due than one claim takes.
              if ((await sendDueFallbacks()) === FALLBACK_BATCH) fallbacksNudged = true;
            }
          } catch (error) {
            failed = true;
            log.error('delivery worker pass failed', { error: String(error) });
          }
          if (!running) break;
          // More may be due (the claim was full), or something changed while claiming. After a failed
          // pass (the database down) it waits for the poll or a kick instead of trying again at once.
          if (!failed && ((full && inFlight.size < MAX_IN_FLIGHT) || nudged || fallbacksNudged)) {
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              polled = true;
              resolve();
            }, pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
        await Promise.all(inFlight);
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    status: () => ({ running, lastBeatAt, pollMs }),
    runOnce,
    async drain() {
      for (let i = 0; i < 100; i++) if ((await runOnce()) === 0) return;
    },
  };
}

/**
 * `store.messages.finish` for outcomes arriving one by one: those that
 * arrive while a batch is being written go out together in the next (a
 * group commit), so a busy worker writes many deliveries per round trip.
 */
function batchedFinish(store: Store): (outcome: MessageOutcome) => Promise<void> {
  let waiting: { outcome: MessageOutcome; done: (error?: unknown) => void }[] = [];
  let writing = false;
  const drain = async () => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await store.messages.finish(batch.map((w) => w.outcome));
        for (const w of batch) w.done();
      } catch (error) {
        for (const w of batch) w.done(error ?? new Error('finish failed'));
      }
    }
    writing = false;
  };
  return (outcome) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ outcome, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!writing) {
        writing = true;
        // Outcomes of this turn of the event loop join the first batch.
        setImmediate(drain);
      }
    });
}
