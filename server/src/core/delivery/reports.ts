/**
 * Applying a provider's delivery report to the message it is about.
 *
 * A report can arrive before the send it reports on is recorded: the
 * gateway answers the worker, queues the report at once, and its report can
 * reach otpkit (another instance, perhaps) before the worker's write of the
 * provider's message id commits. Such a report is not dropped: it is tried
 * again a few times over the next seconds, and only a report still matching
 * no message after that is logged as unknown.
 */
import type { Clock, Logger } from '../../platform/runtime.ts';
import type { Store } from '../../store/index.ts';
import type { DeliveryOutcome } from './types.ts';

/** A provider's report on a message, to apply to the queue. */
export interface DeliveryReport extends DeliveryOutcome {
  /** A failure nothing but another channel or a later resend can help. */
  permanent?: boolean;
}

export interface ReportApplierOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Called after a failure report: it may have made an autoRetry fallback due now. */
  onFailed: () => void;
  /** Waits before each new try of a report that matched no message (default 0.25, 1, 4 and 15 s). */
  retryDelaysMs?: readonly number[];
  /** Reports waiting for their message at most (default 10,000); past it, new ones are not kept. */
  maxWaiting?: number;
}

export interface ReportApplier {
  /** `applied`: the message is known; `waiting`: it is not yet, and the report will be tried again. */
  apply(provider: string, report: DeliveryReport): Promise<'applied' | 'waiting' | 'unknown'>;
  /** Reports waiting for their message now. */
  waiting(): number;
  /** Drops the waiting reports (at shutdown). */
  stop(): void;
}

const RETRY_DELAYS_MS = [250, 1000, 4000, 15_000];

export function createReportApplier(options: ReportApplierOptions): ReportApplier {
  const { store, clock, log, onFailed } = options;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const maxWaiting = options.maxWaiting ?? 10_000;
  const timers = new Set<NodeJS.Timeout>();

  async function attempt(provider: string, report: DeliveryReport, tried: number) {
    const message = await store.messages.report(provider, report.providerMessageId, {
      status: report.status,
      now: clock.now(),
      ...(report.error ? { error: report.error } : {}),
    });
    if (!message) {
      if (tried < delays.length && timers.size < maxWaiting) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          attempt(provider, report, tried + 1).catch((error: unknown) =>
            log.warn('a delivery report could not be applied', {
              provider,
              providerMessageId: report.providerMessageId,
              error: error instanceof Error ? error.message : String(error),
            }),
          );
        }, delays[tried]);
        timer.unref();
        timers.add(timer);
        return 'waiting' as const;
      }
      log.warn('delivery report for an unknown message', {
        provider,
        providerMessageId: report.providerMessageId,
      });
      return 'unknown' as const;
    }
    log.info('delivery report', {
      provider,
      messageId: message.id,
      status: report.status,
      ...(report.permanent !== undefined ? { permanent: report.permanent } : {}),
    });
    if (report.status === 'failed') onFailed();
    return 'applied' as const;
  }

  return {
    apply: (provider, report) => attempt(provider, report, 0),
    waiting: () => timers.size,
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
