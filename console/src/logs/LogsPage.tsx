/** The OTP log (`/logs`): filters, colour-coded statuses with a legend, a detail drawer, export. */
import { CHANNELS, type LogStatus } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../auth/session.ts';
import { navigate, route } from '../router.ts';
import {
  Checkbox,
  Field,
  Loading,
  Notice,
  PageHeader,
  SelectField,
  type SelectOption,
} from '../ui/components.tsx';
import { TextField, WidgetSelect } from '../ui/fields.tsx';
import { channelName, formatDate } from '../ui/format.ts';
import { PagedTable } from '../ui/paged-table.tsx';
import { useLoad } from '../ui/use-load.ts';
import { download, getLog, type LogDetail, listLogs } from './api.ts';
import {
  EMPTY_FILTERS,
  filtersFromQuery,
  filtersToQuery,
  type LogFilters,
  refusedQuery,
  STATUS_INFO,
} from './model.ts';
import { RefusedCalls } from './RefusedCalls.tsx';

/** A status as a pill: colour, icon and text. */
export function StatusBadge(props: { status: LogStatus }): JSX.Element {
  const info = STATUS_INFO[props.status];
  return (
    <span class={`status status--${props.status}`}>
      <span class="status__icon" aria-hidden="true">
        {info.icon}
      </span>
      {info.label}
    </span>
  );
}

function Legend(): JSX.Element {
  return (
    <details class="legend">
      <summary>What the statuses mean</summary>
      <ul>
        {(Object.keys(STATUS_INFO) as LogStatus[]).map((s) => (
          <li key={s}>
            <StatusBadge status={s} /> {STATUS_INFO[s].meaning}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Drawer(props: { reqId: string | null; onClose: () => void }): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const [detail, setDetail] = useState<LogDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!props.reqId) {
      dialog.current?.close();
      return;
    }
    setDetail(null);
    setError(null);
    if (!dialog.current?.open) dialog.current?.showModal();
    getLog(props.reqId).then(setDetail, (e: Error) => setError(e.message));
  }, [props.reqId]);
  const d = detail;
  return (
    <dialog
      ref={dialog}
      class="drawer"
      aria-labelledby="drawer-title"
      onClose={() => props.onClose()}
    >
      <div class="drawer__head">
        <h2 id="drawer-title">Request {props.reqId}</h2>
        <button type="button" class="button button--small" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {!d && !error && <Loading label="Loading the request…" />}
      {d && (
        <>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={d.status} />
            </dd>
            <dt>Identifier</dt>
            <dd class="mono">{d.identifier}</dd>
            <dt>Widget</dt>
            <dd>{d.widgetName ?? d.widgetId}</dd>
            <dt>Country</dt>
            <dd>{d.country ?? '—'}</dd>
            <dt>Channels</dt>
            <dd>{d.channels.map(channelName).join(', ')}</dd>
            <dt>Resends</dt>
            <dd>
              {d.resendCount}
              {d.fallbackCount > 0 ? ` (+${d.fallbackCount} automatic)` : ''}
            </dd>
            <dt>OTP verified</dt>
            <dd>{d.otpVerified ? `Yes, ${formatDate(d.otpVerifiedAt)}` : 'No'}</dd>
            <dt>Access token verified</dt>
            <dd>{d.tokenVerified ? `Yes, ${formatDate(d.tokenVerifiedAt)}` : 'No'}</dd>
            <dt>Demo</dt>
            <dd>{d.demo ? 'Yes' : 'No'}</dd>
            <dt>IP</dt>
            <dd class="mono">{d.ip ?? '—'}</dd>
            <dt>Host</dt>
            <dd>{d.host ?? '—'}</dd>
            <dt>User agent</dt>
            <dd class="break small">{d.userAgent ?? '—'}</dd>
            <dt>Created</dt>
            <dd>{formatDate(d.createdAt)}</dd>
            <dt>Updated</dt>
            <dd>{formatDate(d.updatedAt)}</dd>
          </dl>
          <h3>Delivery attempts</h3>
          {d.messages.length === 0 && <p class="muted">No message was sent (a demo request).</p>}
          <ol class="attempts">
            {d.messages.map((m) => (
              <li key={m.messageId} class="card">
                <p>
                  <strong>
                    {channelName(m.channel)} ·{' '}
                    {m.purpose === 'send'
                      ? 'first send'
                      : m.purpose === 'retry'
                        ? 'resend'
                        : 'fallback'}
                  </strong>{' '}
                  — {m.status}
                  {m.provider ? ` via ${m.provider}` : ''}
                </p>
                <p class="small muted">
                  Queued {formatDate(m.createdAt)}
                  {m.sentAt ? ` · sent ${formatDate(m.sentAt)}` : ''}
                  {m.deliveredAt ? ` · delivered ${formatDate(m.deliveredAt)}` : ''}
                </p>
                {m.error && <p class="small warning-text">Error: {m.error}</p>}
                {m.deliveries.length > 0 && (
                  <ul class="small">
                    {m.deliveries.map((a) => (
                      <li key={a.attempt}>
                        Attempt {a.attempt}: {a.status} via {a.provider}, {formatDate(a.createdAt)}
                        {a.error ? ` (${a.error})` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </dialog>
  );
}

const YES_NO: SelectOption<Exclude<LogFilters['otpVerified'], ''>>[] = [
  { value: 'true', label: 'Yes' },
  { value: 'false', label: 'No' },
];

const RESEND_OPS: SelectOption<Exclude<LogFilters['resendOp'], ''>>[] = [
  { value: 'gt', label: 'Greater than' },
  { value: 'lt', label: 'Less than' },
];

function FilterForm(props: {
  initial: LogFilters;
  widgets: { widgetId: string; name: string }[];
  onApply: (f: LogFilters) => void;
}): JSX.Element {
  const [f, setF] = useState(props.initial);
  const set = <K extends keyof LogFilters>(key: K, value: LogFilters[K]) =>
    setF((old) => ({ ...old, [key]: value }));
  const input = (key: 'from' | 'to' | 'reqId' | 'identifier', label: string, type = 'text') => (
    <TextField
      name={`log-${key}`}
      label={label}
      type={type}
      value={f[key]}
      onValue={(v) => set(key, v)}
    />
  );
  const tri = (key: 'otpVerified' | 'tokenVerified', label: string) => (
    <SelectField
      name={`log-${key}`}
      label={label}
      value={f[key]}
      placeholder="Any"
      options={YES_NO}
      onChange={(v) => set(key, v)}
    />
  );
  return (
    <form
      class="card filters"
      aria-label="Log filters"
      onSubmit={(e) => {
        e.preventDefault();
        props.onApply(f);
      }}
    >
      <div class="filters__grid">
        {input('identifier', 'Phone or email')}
        {input('reqId', 'Request ID')}
        <WidgetSelect
          name="log-widgetId"
          value={f.widgetId}
          widgets={props.widgets}
          onChange={(v) => set('widgetId', v)}
        />
        {input('from', 'From date', 'date')}
        {input('to', 'To date', 'date')}
        <SelectField
          name="log-resendOp"
          label="Resend count"
          value={f.resendOp}
          placeholder="Equal to"
          options={RESEND_OPS}
          onChange={(v) => set('resendOp', v)}
        />
        <TextField
          name="log-resendCount"
          label="Number of resends"
          type="number"
          min={0}
          inputMode="numeric"
          value={f.resendCount}
          onValue={(v) => set('resendCount', v)}
        />
        {tri('otpVerified', 'OTP verified')}
        {tri('tokenVerified', 'Access token verified')}
      </div>
      <fieldset class="group filters__channels">
        <legend>Channels</legend>
        <div class="checks">
          {CHANNELS.map((c) => (
            <Checkbox
              key={c}
              id={`log-channel-${c}`}
              label={channelName(c)}
              checked={f.channels.includes(c)}
              onChange={(on) =>
                set('channels', on ? [...f.channels, c] : f.channels.filter((x) => x !== c))
              }
            />
          ))}
        </div>
      </fieldset>
      <div class="filters__actions">
        <button type="submit" class="button button--primary">
          Apply filters
        </button>
        <button
          type="button"
          class="button"
          onClick={() => {
            setF(EMPTY_FILTERS);
            props.onApply(EMPTY_FILTERS);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}

function ExportControls(props: { query: URLSearchParams }): JSX.Element {
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [mask, setMask] = useState(true);
  const [state, setState] = useState<{
    busy: boolean;
    message: string | null;
    error: string | null;
  }>({ busy: false, message: null, error: null });
  return (
    <div class="export">
      <Field name="log-export-format" label="Export format">
        {(a) => (
          <select {...a} value={format} onChange={(e) => setFormat(e.currentTarget.value as 'csv')}>
            <option value="csv">CSV</option>
            <option value="json">JSON</option>
          </select>
        )}
      </Field>
      <Checkbox
        id="log-export-mask"
        label="Mask phone numbers and emails"
        checked={mask}
        onChange={setMask}
      />
      <button
        type="button"
        class="button"
        disabled={state.busy}
        aria-busy={state.busy || undefined}
        onClick={async () => {
          setState({ busy: true, message: null, error: null });
          const q = new URLSearchParams(props.query);
          q.set('format', format);
          q.set('maskIdentifiers', String(mask));
          try {
            const name = await download(`/logs/export?${q}`, `otpkit-logs.${format}`);
            setState({ busy: false, message: `Downloaded ${name}.`, error: null });
          } catch (e) {
            setState({ busy: false, message: null, error: (e as Error).message });
          }
        }}
      >
        Export
      </button>
      <p role="status" class="small muted">
        {state.message}
      </p>
      {state.error && <Notice tone="error">{state.error}</Notice>}
    </div>
  );
}

/** `/logs`. */
export function LogsPage(): JSX.Element {
  const filters = filtersFromQuery(route.value.query);
  const query = filtersToQuery(filters);
  const key = query.toString();
  const widgets = useLoad(() => api.listWidgets(), []);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <>
      <PageHeader
        title="Logs"
        description="Every OTP request, newest first: find one by phone number or email, see its delivery attempts, and export what the filters select."
      />
      <FilterForm
        key={key}
        initial={filters}
        widgets={widgets.data ?? []}
        onApply={(f) => {
          const q = filtersToQuery(f).toString();
          navigate(q ? `/logs?${q}` : '/logs');
        }}
      />
      <div class="logs-bar">
        <Legend />
        <ExportControls query={query} />
      </div>
      <PagedTable
        list={listLogs}
        query={query}
        loadingLabel="Loading logs…"
        empty="No request matches these filters."
        caption="OTP requests"
        columns={['Status', 'Identifier', 'Widget', 'Channels', 'Resends', 'Verified', 'Created']}
        class="table--logs"
        row={(e) => (
          <tr key={e.reqId}>
            <td data-label="Status">
              <StatusBadge status={e.status} />
              {e.demo && <span class="badge badge--neutral">Demo</span>}
            </td>
            <td data-label="Identifier">
              <button
                type="button"
                class="linklike mono"
                aria-label={`Details of ${e.identifier}, request ${e.reqId}`}
                onClick={() => setOpen(e.reqId)}
              >
                {e.identifier}
              </button>
              <span class="muted table__sub">
                {e.country ?? ''} {e.reqId}
              </span>
            </td>
            <td data-label="Widget">{e.widgetName ?? e.widgetId}</td>
            <td data-label="Channels">{e.channels.map(channelName).join(', ')}</td>
            <td data-label="Resends">{e.resendCount}</td>
            <td data-label="Verified">
              OTP {e.otpVerified ? 'yes' : 'no'} · token {e.tokenVerified ? 'yes' : 'no'}
            </td>
            <td data-label="Created">{formatDate(e.createdAt)}</td>
          </tr>
        )}
      />
      <RefusedCalls query={refusedQuery(filters)} widgets={widgets.data ?? []} />
      <Drawer reqId={open} onClose={() => setOpen(null)} />
    </>
  );
}
