/**
 * The table of an account's authkeys or a widget's tokens: secrets of which
 * only a prefix stays readable, each with its label, its age and last use,
 * and a Revoke button that asks first.
 */
import type { Authkey, WidgetToken } from '@otpkit/protocol';
import type { ComponentChildren, JSX } from 'preact';
import { formatAgo, formatDate } from './format.ts';
import { DataTable, RevokeCell } from './table.tsx';

/** What the table shows of a secret. */
export type ListedSecret = Pick<
  Authkey & WidgetToken,
  'label' | 'prefix' | 'createdAt' | 'lastUsedAt'
>;

export function SecretsTable<T extends ListedSecret>(props: {
  /** What one is called ("authkey", "token"): names the untitled ones and the buttons. */
  noun: string;
  caption: string;
  /** The prefix column's title. */
  prefixColumn: string;
  secrets: readonly T[];
  keyOf: (secret: T) => string;
  /** Shown after the label, e.g. a "This session" badge. */
  badge?: (secret: T) => ComponentChildren;
  /** What revoking does, in the confirmation. */
  consequence: (secret: T) => ComponentChildren;
  /** Revokes it; `name` is its label, or "Untitled <noun>". */
  onRevoke: (secret: T, name: string) => Promise<void>;
}): JSX.Element {
  const { noun } = props;
  return (
    <DataTable
      caption={props.caption}
      columns={['Label', props.prefixColumn, 'Created', 'Last used']}
      actions
    >
      {props.secrets.map((secret) => {
        const name = secret.label || `Untitled ${noun}`;
        const badge = props.badge?.(secret);
        return (
          <tr key={props.keyOf(secret)}>
            <td data-label="Label">
              {name}
              {badge && <> {badge}</>}
            </td>
            <td data-label={props.prefixColumn}>
              <code class="mono break">{secret.prefix}…</code>
            </td>
            <td data-label="Created">{formatDate(secret.createdAt)}</td>
            <td data-label="Last used">{formatAgo(secret.lastUsedAt)}</td>
            <RevokeCell
              label={`Revoke ${noun} ${name}`}
              title={`Revoke “${name}”?`}
              confirmLabel={`Revoke ${noun}`}
              onConfirm={() => props.onRevoke(secret, name)}
            >
              {props.consequence(secret)}
            </RevokeCell>
          </tr>
        );
      })}
    </DataTable>
  );
}
