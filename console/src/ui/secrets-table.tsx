/**
 * An account's authkeys or a widget's tokens: secrets of which only a prefix
 * stays readable, each with its label, its age and last use, and a Revoke
 * button that asks first; and the create-then-list page built on them.
 */
import type { Authkey, WidgetToken } from '@otpkit/protocol';
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { LoadStatus, Notice, Section } from './components.tsx';
import { CreateForm } from './create-form.tsx';
import { sentence } from './field-errors.ts';
import { formatAgo, formatDate } from './format.ts';
import { DataTable, RevokeCell } from './table.tsx';
import type { Loaded } from './use-load.ts';

/** What the table shows of a secret. */
export type ListedSecret = Pick<
  Authkey & WidgetToken,
  'label' | 'prefix' | 'createdAt' | 'lastUsedAt'
>;

interface SecretsTableProps<T extends ListedSecret> {
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
}

/** The secrets, a row each. */
export function SecretsTable<T extends ListedSecret>(props: SecretsTableProps<T>): JSX.Element {
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

/**
 * A list-and-revoke page's two sections: a card creating a secret (its
 * one-time notice below the form), then the live ones. Revoking reports the
 * revoked label above the list and reloads it.
 */
export function SecretsSections<T extends ListedSecret>(
  props: Omit<SecretsTableProps<T>, 'caption' | 'secrets' | 'onRevoke'> & {
    /** The headings' ids: the create card's, then the list's. */
    ids: readonly [create: string, list: string];
    /** The list's title, also the table's caption. */
    title: string;
    /** The create field's hint. */
    hint: string;
    secrets: Loaded<T[]>;
    /** Creates one; the page keeps it to show it once (`children`). */
    create: (label: string) => Promise<void>;
    revoke: (secret: T) => Promise<void>;
    /** Whether revoking it ends this session (`revoke` signs out): then nothing is reported or reloaded. */
    endsSession?: (secret: T) => boolean;
    /** What an empty list says (nothing by default). */
    empty?: ComponentChildren;
    /** The created secret's notice, under the form. */
    children?: ComponentChildren;
  },
): JSX.Element {
  const { noun, ids, secrets } = props;
  const [revoked, setRevoked] = useState<string | null>(null);
  return (
    <>
      <Section id={ids[0]} title={`New ${noun}`} card>
        <CreateForm
          noun={noun}
          hint={props.hint}
          onStart={() => setRevoked(null)}
          onCreate={async (label) => {
            await props.create(label);
            await secrets.reload();
          }}
        />
        {props.children}
      </Section>
      {revoked && <Notice tone="success">{revoked}</Notice>}
      <Section id={ids[1]} title={props.title}>
        <LoadStatus loaded={secrets} label={`Loading ${noun}s…`} />
        {secrets.data?.length === 0 && props.empty}
        {secrets.data && secrets.data.length > 0 && (
          <SecretsTable
            {...props}
            caption={props.title}
            secrets={secrets.data}
            onRevoke={async (secret, name) => {
              await props.revoke(secret);
              if (props.endsSession?.(secret)) return;
              setRevoked(`${sentence(noun)} “${name}” revoked.`);
              await secrets.reload();
            }}
          />
        )}
      </Section>
    </>
  );
}
