/**
 * A cursor-paged list (logs, refused calls): the first page loads with the
 * query, "Load more" appends the next one.
 */
import { useState } from 'preact/hooks';
import { type Loaded, useLoad } from './use-load.ts';

/** One page of a cursor-paged endpoint. */
export interface Page<T> {
  entries: T[];
  nextCursor: string | null;
}

export interface Pages<T> {
  /** The first page's load (error, loading, data). */
  first: Loaded<Page<T>>;
  entries: T[];
  /** Set while there is a next page. */
  cursor: string | null;
  /** Loading the next page. */
  more: boolean;
  moreError: string | null;
  loadMore: () => Promise<void>;
}

/** Pages of `list(query)`, reloaded from the first when the query changes. */
export function usePages<T>(
  list: (query: URLSearchParams) => Promise<Page<T>>,
  query: URLSearchParams,
): Pages<T> {
  const [entries, setEntries] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const first = useLoad(async () => {
    const page = await list(query);
    setEntries(page.entries);
    setCursor(page.nextCursor);
    setMoreError(null);
    return page;
  }, [query.toString()]);
  return {
    first,
    entries,
    cursor,
    more,
    moreError,
    async loadMore() {
      if (!cursor) return;
      setMore(true);
      setMoreError(null);
      try {
        const q = new URLSearchParams(query);
        q.set('cursor', cursor);
        const page = await list(q);
        setEntries((old) => [...old, ...page.entries]);
        setCursor(page.nextCursor);
      } catch (e) {
        setMoreError((e as Error).message);
      } finally {
        setMore(false);
      }
    },
  };
}
