/**
 * The analytics report: the pre-aggregated hourly rows of the store, summed
 * per time bucket, per channel and per country, with conversion rates and
 * the median time from the first send to verification.
 */
import type { AnalyticsMetrics } from '@otpkit/protocol';
import { stringify } from 'csv-stringify/sync';
import {
  type AnalyticsRow,
  LATENCY_BOUNDS_S,
  type ProviderStatsRow,
  type Store,
} from '../../store/index.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The numbers of one slice of the report. */
export type Metrics = AnalyticsMetrics;

export interface AnalyticsReport {
  from: string;
  to: string;
  groupBy: 'day' | 'hour';
  widgetId: string | null;
  totals: Metrics;
  /** One entry per bucket in the range, empty ones included. */
  series: ({ bucket: string } & Metrics)[];
  channels: ({ channel: string; series: ({ bucket: string } & Metrics)[] } & Metrics)[];
  countries: ({ country: string | null } & Metrics)[];
  /**
   * Sign-ins with a passkey (channel `passkey`), and the messages they saved:
   * each would otherwise have been a code sent.
   */
  passkeys: { signIns: number; messagesSaved: number };
  /**
   * Per delivery provider and channel: hand-overs accepted (`sent`) and
   * refused (`failed`), refusals that failed over to the next provider,
   * messages reported delivered, and the mean time from queueing to acceptance.
   */
  providers: ProviderStatsRow[];
}

/** The store rows' counts, summed over a slice. */
type Sum = Pick<
  AnalyticsRow,
  'requests' | 'sent' | 'delivered' | 'failed' | 'verified' | 'latency'
>;

const emptySum = (): Sum => ({
  requests: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  verified: 0,
  latency: new Array(LATENCY_BOUNDS_S.length + 1).fill(0),
});

function add(into: Sum, row: AnalyticsRow): void {
  into.requests += row.requests;
  into.sent += row.sent;
  into.delivered += row.delivered;
  into.failed += row.failed;
  into.verified += row.verified;
  row.latency.forEach((n, i) => {
    into.latency[i] = (into.latency[i] ?? 0) + n;
  });
}

/**
 * The median of a histogram, interpolated inside the bin that holds it.
 *
 * @example medianOfHistogram([0, 2, 0], [5, 10]) // 7.5: both values are in 5–10 s
 */
export function medianOfHistogram(
  bins: readonly number[],
  bounds: readonly number[],
): number | null {
  const total = bins.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const half = total / 2;
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    const n = bins[i] ?? 0;
    if (n > 0 && seen + n >= half) {
      const low = i === 0 ? 0 : (bounds[i - 1] ?? 0);
      // The open last bin: report its lower bound.
      const high = bounds[i] ?? low;
      return Math.round((low + ((half - seen) / n) * (high - low)) * 10) / 10;
    }
    seen += n;
  }
  return null;
}

function metrics({ latency, ...counts }: Sum): Metrics {
  return {
    ...counts,
    conversionRate:
      counts.requests === 0
        ? null
        : Math.round((counts.verified / counts.requests) * 10_000) / 10_000,
    medianVerifySeconds: medianOfHistogram(latency, LATENCY_BOUNDS_S),
  };
}

/**
 * Sums store rows into the report: `buckets` are per time bucket and
 * channel, `countries` per country; every bucket of `[from, to)` gets an entry.
 */
export function buildReport(
  rows: {
    buckets: readonly AnalyticsRow[];
    countries: readonly AnalyticsRow[];
    providers?: readonly ProviderStatsRow[];
  },
  range: { from: number; to: number; groupBy: 'day' | 'hour'; widgetId: string | null },
): AnalyticsReport {
  const step = range.groupBy === 'day' ? DAY_MS : HOUR_MS;
  const buckets: number[] = [];
  for (let t = range.from - (range.from % step); t < range.to; t += step) buckets.push(t);

  const totals = emptySum();
  const byBucket = new Map<number, Sum>(buckets.map((b) => [b, emptySum()]));
  const byChannel = new Map<string, { sum: Sum; buckets: Map<number, Sum> }>();
  const slot = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
    const found = map.get(key);
    if (found) return found;
    const made = make();
    map.set(key, made);
    return made;
  };
  for (const row of rows.buckets) {
    add(totals, row);
    add(slot(byBucket, row.bucket, emptySum), row);
    const channel = slot(byChannel, row.channel ?? 'unknown', () => ({
      sum: emptySum(),
      buckets: new Map(),
    }));
    add(channel.sum, row);
    add(slot(channel.buckets, row.bucket, emptySum), row);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  const allBuckets = [...byBucket.keys()].sort((a, b) => a - b);
  const bucketIso = allBuckets.map(iso);
  return {
    from: iso(range.from),
    to: iso(range.to),
    groupBy: range.groupBy,
    widgetId: range.widgetId,
    totals: metrics(totals),
    series: allBuckets.map((b, i) => ({ bucket: bucketIso[i]!, ...metrics(byBucket.get(b)!) })),
    channels: [...byChannel.entries()]
      .sort((a, b) => b[1].sum.requests + b[1].sum.sent - (a[1].sum.requests + a[1].sum.sent))
      .map(([channel, c]) => ({
        channel,
        ...metrics(c.sum),
        series: allBuckets.map((b, i) => ({
          bucket: bucketIso[i]!,
          ...metrics(c.buckets.get(b) ?? emptySum()),
        })),
      })),
    passkeys: {
      signIns: byChannel.get('passkey')?.sum.verified ?? 0,
      messagesSaved: byChannel.get('passkey')?.sum.verified ?? 0,
    },
    countries: rows.countries
      .map((row) => {
        const sum = emptySum();
        add(sum, row);
        return { country: row.country, ...metrics(sum) };
      })
      .sort((a, b) => b.requests - a.requests),
    providers: [...(rows.providers ?? [])],
  };
}

/** Reads and builds the report of an account (or one of its widgets). */
export async function analyticsReport(
  store: Store,
  query: {
    accountId: string;
    from: number;
    to: number;
    groupBy: 'day' | 'hour';
    widgetId?: string;
  },
): Promise<AnalyticsReport> {
  // The rollup is hourly: whole hours that touch the range.
  const from = query.from - (query.from % HOUR_MS);
  const to = Math.ceil(query.to / HOUR_MS) * HOUR_MS;
  const scope = query.widgetId === undefined ? {} : { widgetId: query.widgetId };
  const [rows, providers] = await Promise.all([
    store.logs.analytics({
      accountId: query.accountId,
      from,
      to,
      bucketMs: query.groupBy === 'day' ? DAY_MS : HOUR_MS,
      ...scope,
    }),
    store.logs.providerStats({ accountId: query.accountId, from, to, ...scope }),
  ]);
  return buildReport(
    { ...rows, providers },
    {
      from,
      to,
      groupBy: query.groupBy,
      widgetId: query.widgetId ?? null,
    },
  );
}

const CSV_METRICS = [
  'requests',
  'sent',
  'delivered',
  'failed',
  'verified',
  'conversionRate',
  'medianVerifySeconds',
] as const;

/**
 * The report as CSV: one row per slice, with a `section` column (`total`,
 * `bucket`, `channel`, `channel-bucket`, `country`) and a `key` naming the slice.
 */
export function reportCsv(report: AnalyticsReport): string {
  const rows: unknown[][] = [];
  const row = (section: string, key: string, bucket: string, m: Metrics) =>
    rows.push([section, key, bucket, ...CSV_METRICS.map((k) => m[k] ?? '')]);
  row('total', 'all', '', report.totals);
  for (const b of report.series) row('bucket', 'all', b.bucket, b);
  for (const c of report.channels) row('channel', c.channel, '', c);
  for (const c of report.channels)
    for (const b of c.series) row('channel-bucket', c.channel, b.bucket, b);
  for (const c of report.countries) row('country', c.country ?? 'none', '', c);
  for (const p of report.providers) {
    rows.push([
      'provider',
      `${p.provider}/${p.channel}`,
      '',
      '',
      p.sent,
      p.delivered,
      p.failed,
      '',
      '',
      '',
      p.failovers,
      p.meanLatencyMs ?? '',
    ]);
  }
  return stringify(rows, {
    header: true,
    columns: ['section', 'key', 'bucket', ...CSV_METRICS, 'failovers', 'meanLatencyMs'],
  });
}
