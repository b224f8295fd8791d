/**
 * An editor page's loading: the record to edit (none for a new one), a
 * spinner meanwhile, and "not found" or the load error instead of the form.
 */
import type { ComponentChildren, JSX } from 'preact';
import { isApiError } from '../api/client.ts';
import { Loading, Notice, PageHeader } from './components.tsx';
import { useLoad } from './use-load.ts';

/** Loads record `id` (null: a new record) and renders the editor for it. */
export function RecordLoader<T>(props: {
  id: string | null;
  load: (id: string) => Promise<T>;
  /** The record's kind as a title, e.g. "Widget". */
  kind: string;
  back: { to: string; label: string };
  /** The error code of an unknown id, e.g. `WIDGET_NOT_FOUND`. */
  notFoundCode: string;
  /** The editor; `onSaved` keeps the loaded record in step with saves. */
  children: (record: T | null, onSaved: (record: T) => void) => ComponentChildren;
}): JSX.Element {
  const { id, kind } = props;
  const loaded = useLoad(() => (id === null ? Promise.resolve(null) : props.load(id)), [id]);
  if (loaded.error) {
    return (
      <>
        <PageHeader title={kind} back={props.back} />
        <Notice
          tone="error"
          title={
            isApiError(loaded.error, props.notFoundCode, 'NOT_FOUND')
              ? `${kind} not found`
              : `Could not load the ${kind.toLowerCase()}`
          }
        >
          <p>{loaded.error.message}</p>
        </Notice>
      </>
    );
  }
  if (loaded.loading && loaded.data === undefined) {
    return <Loading label={`Loading ${kind.toLowerCase()}…`} />;
  }
  return <>{props.children(loaded.data ?? null, (record) => loaded.setData(record))}</>;
}
