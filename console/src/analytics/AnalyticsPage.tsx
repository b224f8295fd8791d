/** Analytics (`/analytics`): deliveries, verifications and conversion over a date range, per channel, country and delivery provider. */
import type { AnalyticsMetrics as Metrics, ProviderStats } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { api } from '../auth/session.ts';
import { download, getAnalytics } from '../logs/api.ts';
import { defaultRange, formatRate, formatSeconds } from '../logs/model.ts';
import { Loading, Notice, PageHeader, SelectField, type SelectOption } from '../ui/components.tsx';
import { TextField, WidgetSelect } from '../ui/fields.tsx';
import { channelName } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import { useLoad } from '../ui/use-load.ts';
import { Chart, type ChartSeries } from './Chart.tsx';

interface Range {
  from: string;
  to: string;
  widget: string;
  groupBy: 'day' | 'hour';
}

/** The range's two ends: key, label. */
const DATES = [
  ['from', 'From date'],
  ['to', 'To date'],
] as const;

const GROUP_BY: SelectOption<Range['groupBy']>[] = [
  { value: 'day', label: 'Day' },
  { value: 'hour', label: 'Hour (up to 31 days)' },
];

function MetricsTable(props: {
  caption: string;
  keyLabel: string;
  rows: ({ key: string } & Metrics)[];
}): JSX.Element {
  return (
    <DataTable
      caption={props.caption}
      showCaption
      columns={[
        props.keyLabel,
        'Requests',
        'Sent',
        'Delivered',
        'Failed',
        'Verified',
        'Conversion',
        'Median time to verify',
      ]}
      scroll
    >
      {props.rows.map((r) => (
        <tr key={r.key}>
          <th scope="row">{r.key}</th>
          <td data-label="Requests">{r.requests}</td>
          <td data-label="Sent">{r.sent}</td>
          <td data-label="Delivered">{r.delivered}</td>
          <td data-label="Failed">{r.failed}</td>
          <td data-label="Verified">{r.verified}</td>
          <td data-label="Conversion">{formatRate(r.conversionRate)}</td>
          <td data-label="Median to verify">{formatSeconds(r.medianVerifySeconds)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Per delivery provider: what it took, refused, handed on to the next provider, and delivered. */
function ProvidersTable(props: { rows: readonly ProviderStats[] }): JSX.Element {
  return (
    <DataTable
      caption="By delivery provider"
      showCaption
      columns={[
        'Provider',
        'Channel',
        'Sent',
        'Delivered',
        'Failed',
        'Failed over',
        'Mean time to accept',
      ]}
      scroll
    >
      {props.rows.length === 0 ? (
        <tr>
          <td colSpan={7}>No deliveries in this range.</td>
        </tr>
      ) : (
        props.rows.map((r) => (
          <tr key={`${r.provider}/${r.channel}`}>
            <th scope="row">{r.provider}</th>
            <td data-label="Channel">{channelName(r.channel)}</td>
            <td data-label="Sent">{r.sent}</td>
            <td data-label="Delivered">{r.delivered}</td>
            <td data-label="Failed">{r.failed}</td>
            <td data-label="Failed over">{r.failovers}</td>
            <td data-label="Mean time to accept">
              {r.meanLatencyMs === null ? '—' : `${(r.meanLatencyMs / 1000).toFixed(2)} s`}
            </td>
          </tr>
        ))
      )}
    </DataTable>
  );
}

function queryOf(r: Range): URLSearchParams {
  const q = new URLSearchParams({ from: r.from, to: r.to, groupBy: r.groupBy });
  if (r.widget) q.set('widget', r.widget);
  return q;
}

/** `/analytics`. */
export function AnalyticsPage(): JSX.Element {
  const [draft, setDraft] = useState<Range>({ ...defaultRange(), widget: '', groupBy: 'day' });
  const [range, setRange] = useState<Range>(draft);
  const widgets = useLoad(() => api.listWidgets(), []);
  const report = useLoad(() => getAnalytics(queryOf(range)), [range]);
  const [exportState, setExportState] = useState<string | null>(null);
  const data = report.data;
  const charts = useMemo(() => {
    if (!data) return null;
    const times = data.series.map((b) => Date.parse(b.bucket) / 1000);
    type Bucket = (typeof data.series)[number];
    const line = (
      label: string,
      value: (b: Bucket) => number | null,
      colour: string,
      dash?: boolean,
    ): ChartSeries => ({
      label,
      values: data.series.map(value),
      colour,
      ...(dash ? { dash } : {}),
    });
    return {
      times,
      deliveries: [
        line('Sent', (b) => b.sent, '#4f46e5'),
        line('Delivered', (b) => b.delivered, '#2563eb', true),
        line('Failed', (b) => b.failed, '#dc2626'),
      ],
      verifications: [
        line('Requests', (b) => b.requests, '#6b7280', true),
        line('Verified', (b) => b.verified, '#059669'),
      ],
      conversion: [
        line(
          'Conversion',
          (b) => (b.conversionRate === null ? null : b.conversionRate * 100),
          '#059669',
        ),
      ],
      channels: data.channels.map((c, i) => ({
        label: channelName(c.channel),
        values: c.series.map((b) => b.sent),
        colour: ['#4f46e5', '#059669', '#d97706', '#db2777'][i % 4]!,
        dash: i % 2 === 1,
      })),
    };
  }, [data]);

  return (
    <>
      <PageHeader
        title="Analytics"
        description="Deliveries, verifications and conversion of your widgets' OTP requests. Days are UTC; demo requests are left out."
      />
      <form
        class="card filters"
        aria-label="Date range"
        onSubmit={(e) => {
          e.preventDefault();
          setRange(draft);
        }}
      >
        <div class="filters__grid">
          {DATES.map(([key, label]) => (
            <TextField
              key={key}
              name={`analytics-${key}`}
              label={label}
              type="date"
              required
              value={draft[key]}
              onValue={(value) => setDraft({ ...draft, [key]: value })}
            />
          ))}
          <WidgetSelect
            name="analytics-widget"
            value={draft.widget}
            widgets={widgets.data}
            onChange={(widget) => setDraft({ ...draft, widget })}
          />
          <SelectField
            name="analytics-groupBy"
            label="Group by"
            value={draft.groupBy}
            options={GROUP_BY}
            onChange={(groupBy) => setDraft({ ...draft, groupBy })}
          />
        </div>
        <div class="filters__actions">
          <button type="submit" class="button button--primary">
            Show
          </button>
          <button
            type="button"
            class="button"
            onClick={async () => {
              setExportState(null);
              const q = queryOf(range);
              q.set('format', 'csv');
              try {
                setExportState(
                  `Downloaded ${await download(`/analytics/export?${q}`, 'otpkit-analytics.csv')}.`,
                );
              } catch (e) {
                setExportState((e as Error).message);
              }
            }}
          >
            Export CSV
          </button>
          <span role="status" class="small muted">
            {exportState}
          </span>
        </div>
      </form>
      {report.error && <Notice tone="error">{report.error.message}</Notice>}
      {report.loading && !data && <Loading label="Loading analytics…" />}
      {data && charts && (
        <>
          <section aria-labelledby="analytics-totals">
            <h2 id="analytics-totals" class="visually-hidden">
              Totals
            </h2>
            <dl class="kpis">
              {(
                [
                  ['Requests', String(data.totals.requests)],
                  ['Sent', String(data.totals.sent)],
                  ['Delivered', String(data.totals.delivered)],
                  ['Failed', String(data.totals.failed)],
                  ['Verified', String(data.totals.verified)],
                  ['Conversion', formatRate(data.totals.conversionRate)],
                  ['Median time to verify', formatSeconds(data.totals.medianVerifySeconds)],
                  ['Passkey sign-ins', String(data.passkeys?.signIns ?? 0)],
                  ['Messages saved by passkeys', String(data.passkeys?.messagesSaved ?? 0)],
                ] as const
              ).map(([label, value]) => (
                <div key={label} class="kpi">
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </section>
          <div class="charts">
            <Chart title="Deliveries" times={charts.times} series={charts.deliveries} />
            <Chart title="Verifications" times={charts.times} series={charts.verifications} />
            <Chart
              title="Conversion (%)"
              times={charts.times}
              series={charts.conversion}
              yFormat={(v) => `${v.toFixed(0)}%`}
            />
            <Chart
              title="Messages sent per channel"
              times={charts.times}
              series={charts.channels}
            />
          </div>
          <MetricsTable
            caption="By channel"
            keyLabel="Channel"
            rows={data.channels.map((c) => ({ ...c, key: channelName(c.channel) }))}
          />
          <MetricsTable
            caption="By country"
            keyLabel="Country"
            rows={data.countries.map((c) => ({ ...c, key: c.country ?? 'None (email)' }))}
          />
          <ProvidersTable rows={data.providers ?? []} />
        </>
      )}
    </>
  );
}
