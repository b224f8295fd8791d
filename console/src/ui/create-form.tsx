/** A one-field "create" form (a label, then Create): busy while it runs, its error on the field. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { sentence } from './field-errors.ts';
import { InlineForm } from './fields.tsx';
import { useBusy } from './use-busy.ts';

/**
 * Creates a labelled record from a trimmed, optional label; the field and
 * button are named after `noun` ("authkey": `authkeyLabel`, "Authkey label",
 * "Create authkey").
 */
export function CreateForm(props: {
  noun: string;
  hint: string;
  /** Called as the form is submitted, before `onCreate` (e.g. to clear an old notice). */
  onStart?: () => void;
  onCreate: (label: string) => Promise<void>;
}): JSX.Element {
  const { noun } = props;
  const [value, setValue] = useState('');
  const creating = useBusy();
  return (
    <InlineForm
      name={`${noun}Label`}
      label={`${sentence(noun)} label`}
      error={creating.error ?? undefined}
      hint={props.hint}
      maxLength={100}
      value={value}
      onValue={setValue}
      busy={creating.busy}
      submitLabel={`Create ${noun}`}
      onSubmit={(event) => {
        event.preventDefault();
        props.onStart?.();
        void creating.run(async () => {
          await props.onCreate(value.trim());
          setValue('');
        });
      }}
    />
  );
}
