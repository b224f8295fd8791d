/** The Logs page's "Refused calls": widget API calls refused before a request existed. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Loading, Notice } from '../ui/components.tsx';
import { formatDate } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import { useLoad } from '../ui/use-load.ts';
import { listRefused, type RefusedCall } from './api.ts';
import { callKindText, refusedText } from './model.ts';

/** Refused calls for a date range and widget (`query`: from, to, widgetId). */
export function RefusedCalls(props: {
  query: URLSearchParams;
  widgets: { widgetId: string; name: string }[];
}): JSX.Element {
  const key = props.query.toString();
  const [entries, setEntries] = useState<RefusedCall[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const first = useLoad(async () => {
    const page = await listRefused(props.query);
    setEntries(page.entries);
    setCursor(page.nextCursor);
    setMoreError(null);
    return page;
  }, [key]);
  const nameOf = (id: string | null) =>
    id === null ? '—' : (props.widgets.find((w) => w.widgetId === id)?.name ?? id);

  return (
    <section class="refused" aria-labelledby="refused-title">
      <h2 id="refused-title">Refused calls</h2>
      <p class="muted small">
        Sends and resends the server refused before any request existed: rate limits, a missing or
        failed captcha, the SMS-pumping brake, premium-rate numbers, countries not allowed. Same
        dates and widget as the filters above.
      </p>
      {first.error && <Notice tone="error">{first.error.message}</Notice>}
      {first.loading && !first.data && <Loading label="Loading refused calls…" />}
      {first.data && entries.length === 0 && (
        <p class="empty">No call was refused in this range.</p>
      )}
      {entries.length > 0 && (
        <DataTable
          caption="Refused calls"
          columns={['Time', 'Widget', 'Call', 'Identifier', 'Reason', 'IP', 'Host']}
          scroll
          class="table--refused"
        >
          {entries.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td data-label="Time">{formatDate(e.at)}</td>
              <td data-label="Widget">{nameOf(e.widgetId)}</td>
              <td data-label="Call">{callKindText(e.kind)}</td>
              <td data-label="Identifier" class="mono break">
                {e.identifier ?? '—'}
              </td>
              <td data-label="Reason">
                <span>{refusedText(e.code)}</span> <code class="small">{e.code}</code>
              </td>
              <td data-label="IP" class="mono break">
                {e.ip ?? '—'}
              </td>
              <td data-label="Host" class="break">
                {e.host ?? '—'}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {moreError && <Notice tone="error">{moreError}</Notice>}
      {cursor && (
        <button
          type="button"
          class="button load-more"
          disabled={more}
          aria-busy={more || undefined}
          aria-label="Load more refused calls"
          onClick={async () => {
            setMore(true);
            setMoreError(null);
            try {
              const q = new URLSearchParams(props.query);
              q.set('cursor', cursor);
              const page = await listRefused(q);
              setEntries((old) => [...old, ...page.entries]);
              setCursor(page.nextCursor);
            } catch (e) {
              setMoreError((e as Error).message);
            } finally {
              setMore(false);
            }
          }}
        >
          Load more
        </button>
      )}
    </section>
  );
}
