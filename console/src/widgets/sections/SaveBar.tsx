/** The widget editor's save bar: where the changes stand, discard, and save. */
import type { JSX } from 'preact';
import type { SectionProps } from './shared.ts';

export function SaveBar(props: SectionProps & { existing: boolean }): JSX.Element {
  const { f, existing } = props;
  return (
    <div class="savebar">
      <p class="savebar__state" role="status">
        {f.saving
          ? 'Saving…'
          : f.saved
            ? 'Changes saved.'
            : f.dirty
              ? 'Unsaved changes'
              : existing
                ? 'All changes saved'
                : ''}
      </p>
      {existing && f.dirty && (
        <button type="button" class="button" onClick={f.discard}>
          Discard changes
        </button>
      )}
      <button
        type="submit"
        class="button button--primary"
        disabled={f.saving}
        aria-busy={f.saving || undefined}
      >
        {existing ? 'Save changes' : 'Create widget'}
      </button>
    </div>
  );
}
