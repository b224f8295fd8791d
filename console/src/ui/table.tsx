/** The console's data table: a flush card, a hidden caption, a header row of columns. */
import type { ComponentChildren, JSX } from 'preact';
import { ConfirmButton, Link } from './components.tsx';

/** A table of records; rows are the children (each `<td>` carries its `data-label`). */
export function DataTable(props: {
  /** Read by screen readers only, unless `showCaption`. */
  caption: ComponentChildren;
  showCaption?: boolean;
  columns: readonly string[];
  /** A last, unnamed column for the row's buttons. */
  actions?: boolean;
  /** Extra table class, e.g. `table--logs`. */
  class?: string;
  /** Scrolls sideways on narrow screens. */
  scroll?: boolean;
  children: ComponentChildren;
}): JSX.Element {
  return (
    <div class={`card card--flush${props.scroll ? ' table-scroll' : ''}`}>
      <table class={`table${props.class ? ` ${props.class}` : ''}`}>
        <caption class={props.showCaption ? 'table__caption' : 'visually-hidden'}>
          {props.caption}
        </caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            {props.actions && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** A row's last cell: a Revoke button that asks first (the children say what follows). */
export function RevokeCell(props: {
  /** The button's accessible name, e.g. "Revoke token Production". */
  label: string;
  title: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  children: ComponentChildren;
}): JSX.Element {
  return (
    <td class="table__actions">
      <ConfirmButton {...props} text="Revoke" tone="danger" />
    </td>
  );
}

/** A row's first cell: the record's name, linking to it, over a muted second line. */
export function NameCell(props: {
  to: string;
  name: string;
  sub: string;
  /** The second line is an id (monospace). */
  mono?: boolean;
}): JSX.Element {
  return (
    <td data-label="Name">
      <Link to={props.to} class="table__primary">
        {props.name}
      </Link>
      <span class={`${props.mono ? 'mono ' : ''}muted table__sub`}>{props.sub}</span>
    </td>
  );
}
