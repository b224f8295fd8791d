/** The Logs page's "Refused calls": widget API calls refused before a request existed. */
import type { JSX } from 'preact';
import { formatDate } from '../ui/format.ts';
import { PagedTable } from '../ui/paged-table.tsx';
import { listRefused } from './api.ts';
import { callKindText, refusedText } from './model.ts';

/** Refused calls for a date range and widget (`query`: from, to, widgetId). */
export function RefusedCalls(props: {
  query: URLSearchParams;
  widgets: { widgetId: string; name: string }[];
}): JSX.Element {
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
      <PagedTable
        list={listRefused}
        query={props.query}
        loadingLabel="Loading refused calls…"
        empty="No call was refused in this range."
        caption="Refused calls"
        columns={['Time', 'Widget', 'Call', 'Identifier', 'Reason', 'IP', 'Host']}
        class="table--refused"
        moreLabel="Load more refused calls"
        row={(e, i) => (
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
        )}
      />
    </section>
  );
}
