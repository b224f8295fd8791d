/**
 * A cursor-paged table (the logs, the refused calls): loading, "nothing
 * matches", the rows, and "Load more" with its error.
 */
import type { JSX } from 'preact';
import { LoadStatus, Notice } from './components.tsx';
import { LoadMoreButton } from './fields.tsx';
import { DataTable } from './table.tsx';
import { type Page, usePages } from './use-pages.ts';

/** The rows of `list(query)`, a page at a time. */
export function PagedTable<T>(props: {
  list: (query: URLSearchParams) => Promise<Page<T>>;
  query: URLSearchParams;
  loadingLabel: string;
  /** Said when the query matches nothing. */
  empty: string;
  caption: string;
  columns: readonly string[];
  class: string;
  /** The Load more button's accessible name, where a page has two such tables. */
  moreLabel?: string;
  row: (entry: T, index: number) => JSX.Element;
}): JSX.Element {
  const { first, entries, cursor, more, moreError, loadMore } = usePages(props.list, props.query);
  return (
    <>
      <LoadStatus loaded={first} label={props.loadingLabel} />
      {first.data && entries.length === 0 && <p class="empty">{props.empty}</p>}
      {entries.length > 0 && (
        <DataTable caption={props.caption} columns={props.columns} scroll class={props.class}>
          {entries.map(props.row)}
        </DataTable>
      )}
      {moreError && <Notice tone="error">{moreError}</Notice>}
      {cursor && <LoadMoreButton busy={more} onClick={loadMore} aria-label={props.moreLabel} />}
    </>
  );
}
