/** The Logs page's "Refused calls": widget API calls refused before a request existed. */
import type { JSX } from 'preact';
import { LoadStatus, Notice } from '../ui/components.tsx';
import { LoadMoreButton } from '../ui/fields.tsx';
import { formatDate } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import { usePages } from '../ui/use-pages.ts';
import { listRefused } from './api.ts';
import { callKindText, refusedText } from './model.ts';

/** Refused calls for a date range and widget (`query`: from, to, widgetId). */
export function RefusedCalls(props: {
  query: URLSearchParams;
  widgets: { widgetId: string; name: string }[];
}): JSX.Element {
  const { first, entries, cursor, more, moreError, loadMore } = usePages(listRefused, props.query);
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
      <LoadStatus loaded={first} label="Loading refused calls…" />
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
        <LoadMoreButton
          busy={more}
          onClick={loadMore}
          class="load-more"
          aria-label="Load more refused calls"
        />
      )}
    </section>
  );
}
