/**
 * Prometheus metrics (prom-client) in a registry of their own, so two
 * servers in one process (tests) never share counters. Counters move where
 * the events happen; the queue gauges are read on each scrape, through a
 * function the caller passes in (the store's `messages.queueStats`).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../runtime.ts';

/** Why a send or verification was refused by a limit. */
export type RateLimitScope =
  | 'ip'
  | 'identifier'
  | 'widget'
  | 'country'
  | 'verify_ip'
  | 'verify_identifier'
  | 'auth_ip'
  | 'auth_failures'
  | 'pumping'
  | 'request_changed';

/** What became of one delivery attempt of a queued message. */
export type SendOutcome = 'sent' | 'retried' | 'failed' | 'dropped';

/** The server's metrics: one method per event, and the scrape. */
export interface Metrics {
  /** One HTTP request answered; `route` is the route pattern, never the raw path. */
  httpRequest(
    labels: { route: string; method: string; status: number },
    durationSeconds: number,
  ): void;
  /** One delivery attempt of a code (or magic link) by the worker. */
  codeSent(channel: string, outcome: SendOutcome): void;
  /** Seconds from queueing a message to the provider taking it. */
  deliveryLatency(seconds: number): void;
  /**
   * One hand-over to a provider: `sent`, `failed` (permanent) or `transient`
   * (the next provider or a later attempt takes it), and how long the
   * provider took to answer.
   */
  providerSend(
    provider: string,
    channel: string,
    outcome: 'sent' | 'failed' | 'transient',
    seconds: number,
  ): void;
  /** A message moved from one provider to the next after a transient failure. */
  failover(from: string, to: string, channel: string): void;
  /** Where the providers' circuit breakers are read from at each scrape. */
  observeCircuits(read: () => readonly { provider: string; state: string }[]): void;
  /** A verification attempt: `verified`, or the error code that refused it. */
  verification(outcome: string): void;
  rateLimited(scope: RateLimitScope): void;
  captchaFailure(provider: string): void;
  /** An event row that could not be written (the call it describes was answered all the same). */
  eventNotRecorded(kind: string): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** The delivery queue at one moment, for the queue gauges. */
export interface QueueStats {
  depth: number;
  /** Queueing time of the oldest waiting message, in epoch ms; null when the queue is empty. */
  oldestPendingAt: number | null;
}

export interface MetricsOptions {
  /** Reads the delivery queue (the store's `messages.queueStats`); called at most once per scrape. */
  queueStats: () => Promise<QueueStats>;
  clock: Clock;
  /** Also export process metrics (CPU, memory, event loop lag, GC): a real server, not tests. */
  processMetrics?: boolean;
}

/** Builds the metrics of one server. */
export function createMetrics(options: MetricsOptions): Metrics {
  const { clock } = options;
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  /** A counter of this registry, by the labels named. */
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter({ name, help, labelNames, registers });
  /** A histogram of this registry, by the labels named, with its bucket bounds in seconds. */
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new Histogram({ name, help, labelNames, buckets, registers });

  const requests = counter(
    'otpkit_http_requests_total',
    'HTTP requests answered, by route pattern, method and status.',
    ['route', 'method', 'status'],
  );
  const requestDuration = histogram(
    'otpkit_http_request_duration_seconds',
    'Time to answer an HTTP request, by route pattern and method.',
    ['route', 'method'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  const codes = counter(
    'otpkit_codes_sent_total',
    'Delivery attempts of codes and magic links, by channel and outcome (sent, retried, failed, dropped).',
    ['channel', 'outcome'],
  );
  const latency = histogram(
    'otpkit_delivery_latency_seconds',
    'Seconds from queueing a message to its provider accepting it.',
    [],
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  );
  const providerSends = counter(
    'otpkit_provider_sends_total',
    'Hand-overs to a delivery provider, by provider, channel and outcome (sent, failed: permanent, transient: failed over or retried).',
    ['provider', 'channel', 'outcome'],
  );
  const providerLatency = histogram(
    'otpkit_provider_delivery_latency_seconds',
    'Seconds a delivery provider took to answer a hand-over, by provider.',
    ['provider'],
    [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
  );
  const failovers = counter(
    'otpkit_provider_failovers_total',
    'Messages moved to the next provider after a transient failure, by the provider that failed and the one that took over.',
    ['from', 'to', 'channel'],
  );
  let readCircuits: () => readonly { provider: string; state: string }[] = () => [];
  new Gauge({
    name: 'otpkit_provider_circuit_open',
    help: "1 while a provider's circuit breaker is open or half-open (it is skipped or on trial), else 0.",
    labelNames: ['provider', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const c of readCircuits()) {
        this.set({ provider: c.provider, state: c.state }, c.state === 'closed' ? 0 : 1);
      }
    },
  });
  const verifications = counter(
    'otpkit_verifications_total',
    'Verification attempts, by outcome (verified, or the error code).',
    ['outcome'],
  );
  const limited = counter(
    'otpkit_rate_limited_total',
    'Calls refused by a rate limit or the SMS-pumping brake, by scope.',
    ['scope'],
  );
  const captcha = counter(
    'otpkit_captcha_failures_total',
    'Captcha checks that failed or were missing, by captcha provider.',
    ['provider'],
  );
  const eventsLost = counter(
    'otpkit_events_not_recorded_total',
    'Event rows (the log of sends, verifications, refusals) that could not be written, by event kind.',
    ['kind'],
  );
  // Both queue gauges come from one query per scrape.
  let queueRead: Promise<QueueStats> | undefined;
  const queueStats = () => {
    queueRead ??= options.queueStats().finally(() => {
      queueRead = undefined;
    });
    return queueRead;
  };
  new Gauge({
    name: 'otpkit_queue_depth',
    help: 'Messages waiting in the delivery queue.',
    registers,
    async collect() {
      this.set((await queueStats()).depth);
    },
  });
  new Gauge({
    name: 'otpkit_queue_oldest_pending_age_seconds',
    help: 'Age of the oldest message waiting in the delivery queue (0 when empty).',
    registers,
    async collect() {
      const { oldestPendingAt } = await queueStats();
      this.set(oldestPendingAt === null ? 0 : Math.max(0, (clock.now() - oldestPendingAt) / 1000));
    },
  });

  return {
    httpRequest({ route, method, status }, seconds) {
      requests.inc({ route, method, status: String(status) });
      requestDuration.observe({ route, method }, seconds);
    },
    codeSent: (channel, outcome) => codes.inc({ channel, outcome }),
    deliveryLatency: (seconds) => latency.observe(Math.max(0, seconds)),
    providerSend(provider, channel, outcome, seconds) {
      providerSends.inc({ provider, channel, outcome });
      providerLatency.observe({ provider }, Math.max(0, seconds));
    },
    failover: (from, to, channel) => failovers.inc({ from, to, channel }),
    observeCircuits(read) {
      readCircuits = read;
    },
    verification: (outcome) => verifications.inc({ outcome }),
    rateLimited: (scope) => limited.inc({ scope }),
    captchaFailure: (provider) => captcha.inc({ provider }),
    eventNotRecorded: (kind) => eventsLost.inc({ kind }),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
