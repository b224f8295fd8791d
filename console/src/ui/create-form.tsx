/** A one-field "create" form (a label, then Create): busy while it runs, its error on the field. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { InlineForm } from './fields.tsx';
import { useBusy } from './use-busy.ts';

/** Creates a labelled record (an authkey, a token) from a trimmed, optional label. */
export function CreateForm(props: {
  name: string;
  label: string;
  hint: string;
  submitLabel: string;
  /** Called as the form is submitted, before `onCreate` (e.g. to clear an old notice). */
  onStart?: () => void;
  onCreate: (label: string) => Promise<void>;
}): JSX.Element {
  const [value, setValue] = useState('');
  const creating = useBusy();
  return (
    <InlineForm
      name={props.name}
      label={props.label}
      error={creating.error ?? undefined}
      hint={props.hint}
      maxLength={100}
      value={value}
      onValue={setValue}
      busy={creating.busy}
      submitLabel={props.submitLabel}
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
