/**
 * An editor page's record: loading it (none for a new one), with a spinner
 * meanwhile and "not found" or the load error instead of the form; saving
 * it; and deleting it.
 */
import type { ComponentChildren, JSX } from 'preact';
import { isApiError } from '../api/client.ts';
import { ConfirmButton, Loading, Notice, PageHeader } from './components.tsx';
import { type FlashMessage, navigateWithFlash } from './flash.tsx';
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

/**
 * An editor's save: an existing record is updated and its saved form (the
 * server's normal form) becomes the baseline; a new one is created and the
 * page moves to it, saying so there (null: no baseline to keep).
 */
export async function saveRecord<T, F, C extends T>(
  record: T | null,
  steps: {
    update: (record: T) => Promise<T>;
    /** After an update: tells the page, and returns the new baseline. */
    saved: (record: T) => F;
    create: () => Promise<C>;
    /** The created record's page, and the message shown there. */
    created: (record: C) => [path: string, message: FlashMessage];
  },
): Promise<F | null> {
  if (record) return steps.saved(await steps.update(record));
  const [path, message] = steps.created(await steps.create());
  navigateWithFlash(path, message);
  return null;
}

/** An editor's Delete button: asks first, then deletes and goes back to the list with a message. */
export function DeleteRecordButton(props: {
  /** The record's kind as a title, e.g. "Widget". */
  kind: string;
  name: string;
  /** The list the page goes back to. */
  back: string;
  delete: () => Promise<void>;
  /** What deleting it does, in the confirmation. */
  children: ComponentChildren;
}): JSX.Element {
  const { kind, name } = props;
  const label = `Delete ${kind.toLowerCase()}`;
  return (
    <ConfirmButton
      label={label}
      title={`Delete “${name}”?`}
      confirmLabel={label}
      tone="danger"
      onConfirm={async () => {
        await props.delete();
        navigateWithFlash(props.back, { tone: 'success', title: `${kind} “${name}” deleted` });
      }}
    >
      {props.children}
    </ConfirmButton>
  );
}
