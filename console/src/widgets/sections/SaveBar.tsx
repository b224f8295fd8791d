/** The widget editor's save bar: where the changes stand, discard, and save. */
import type { JSX } from 'preact';
import { SaveBar as Bar } from '../../ui/fields.tsx';
import type { SectionProps } from './shared.ts';

export function SaveBar(props: SectionProps & { existing: boolean }): JSX.Element {
  const { f, existing } = props;
  return (
    <Bar
      saving={f.saving}
      saved={f.saved}
      unsaved={f.dirty}
      idle={existing ? 'All changes saved' : ''}
      submitLabel={existing ? 'Save changes' : 'Create widget'}
      secondary={existing && f.dirty && { label: 'Discard changes', onClick: f.discard }}
    />
  );
}
