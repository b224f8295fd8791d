/**
 * Field components over {@link Field}: a text-like input, a textarea, the
 * busy submit button and a one-field inline form, and {@link bind}, which
 * wires a field to the shared form hook (value, setter, error, blur).
 */
import type { ComponentChildren, InputHTMLAttributes, JSX, TextareaHTMLAttributes } from 'preact';
import { Field, type FieldFrame, FieldGroup, SelectField } from './components.tsx';
import type { FormState } from './use-form.ts';

/** Attributes the field sets itself, or that {@link FieldFrame} names differently. */
type Owned = 'id' | 'name' | 'label' | 'class' | 'value' | 'onInput' | 'children';
type InputAttrs = Omit<InputHTMLAttributes<HTMLInputElement>, Owned>;

/** A text-like value and what to do when it is edited. */
interface Bound {
  value: string;
  onValue: (value: string) => void;
}

/** Keys of a form whose value is a string. */
type StringKey<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F] & string;

/**
 * A form field's value, setter, error and blur, for a text-like field.
 * `name` is its error key and DOM id (by default the form key).
 */
export function bind<F, K extends StringKey<F>>(
  f: FormState<F>,
  key: K,
  name: string = key,
): Omit<FieldFrame, 'label'> & Bound {
  return {
    name,
    error: f.err(name),
    onBlurField: f.blur,
    value: f.form[key] as string,
    onValue: (value) => f.set(key, value as F[K], name),
  };
}

/** A group's name (its error key and DOM id), error and blur, for a {@link FieldGroup}. */
export function bindGroup<F>(
  f: FormState<F>,
  name: string,
): { name: string; error: string | undefined; onBlurField: (name: string) => void } {
  return { name, error: f.err(name), onBlurField: f.blur };
}

function splitFrame<P extends FieldFrame>(props: P): [FieldFrame, Omit<P, keyof FieldFrame>] {
  const { name, label, hint, error, hideLabel, class: cls, onBlurField, ...rest } = props;
  return [{ name, label, hint, error, hideLabel, class: cls, onBlurField }, rest];
}

/** A labelled `<input>` (text, number, url, password…) with hint and error. */
export function TextField(
  props: FieldFrame & Bound & InputAttrs & { /** The input's own class. */ inputClass?: string },
): JSX.Element {
  const [frame, { value, onValue, inputClass, ...input }] = splitFrame(props);
  return (
    <Field {...frame}>
      {(a) => (
        // A text input unless told otherwise: the field styles select inputs by their type.
        <input
          type="text"
          {...input}
          {...a}
          class={inputClass}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/**
 * A {@link TextField} for machine text (ids, URLs, keys, country codes): the
 * browser neither autocompletes nor spell-checks it.
 */
export function CodeField(
  props: FieldFrame & Bound & InputAttrs & { inputClass?: string },
): JSX.Element {
  return <TextField autoComplete="off" spellcheck={false} {...props} />;
}

/** A {@link TextField} for whole numbers. */
export function NumberField(props: FieldFrame & Bound & { min: number; max: number }): JSX.Element {
  return <TextField type="number" inputMode="numeric" step={1} {...props} />;
}

/** A labelled `<textarea>` with hint and error. */
export function TextAreaField(
  props: FieldFrame & Bound & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, Owned>,
): JSX.Element {
  const [frame, { value, onValue, ...area }] = splitFrame(props);
  return (
    <Field {...frame}>
      {(a) => (
        <textarea {...area} {...a} value={value} onInput={(e) => onValue(e.currentTarget.value)} />
      )}
    </Field>
  );
}

/** A primary submit button, disabled and marked busy while its form works. */
export function SubmitButton(props: {
  busy: boolean;
  class?: string;
  children: ComponentChildren;
}): JSX.Element {
  return (
    <button
      type="submit"
      class={`button button--primary${props.class ? ` ${props.class}` : ''}`}
      disabled={props.busy}
      aria-busy={props.busy || undefined}
    >
      {props.children}
    </button>
  );
}

/** A one-line form: a growing text field and its submit button. */
export function InlineForm(
  props: FieldFrame &
    Bound &
    InputAttrs & {
      busy: boolean;
      submitLabel: string;
      onSubmit: (event: Event) => void;
    },
): JSX.Element {
  const { busy, submitLabel, onSubmit, ...field } = props;
  return (
    <form class="inline-form" onSubmit={onSubmit} noValidate>
      <TextField type="text" autoComplete="off" class="inline-form__grow" {...field} />
      <SubmitButton busy={busy}>{submitLabel}</SubmitButton>
    </form>
  );
}

/** A row's Remove button (its name says which row). */
export function RemoveButton(props: { label: string; onClick: () => void }): JSX.Element {
  return (
    <button
      type="button"
      class="button button--small button--ghost"
      aria-label={props.label}
      onClick={props.onClick}
    >
      Remove
    </button>
  );
}

/** A list's Add button, under its rows. */
export function AddButton(props: {
  onClick: () => void;
  children: ComponentChildren;
}): JSX.Element {
  return (
    <button type="button" class="button button--small" onClick={props.onClick}>
      {props.children}
    </button>
  );
}

/**
 * A list of editable rows, each ending in its Remove button, and the Add
 * button under them; the list itself shows once there is a row. With a
 * `legend`, the whole is a {@link FieldGroup} named after the list.
 */
export function RowList<R>(props: {
  /** The list's key; row `i` is keyed `<name>.<i>` (its error key). */
  name: string;
  rows: readonly R[];
  legend?: string;
  hint?: ComponentChildren;
  /** The list's own error (shown by the group, so only with a `legend`). */
  error?: string | undefined;
  /** Names the Remove buttons: "Remove <noun> row 2". */
  noun: string;
  /** The Add button's text. */
  addLabel: string;
  onAdd: () => void;
  onRemove: (i: number, rowKey: string) => void;
  /** Each row's class besides `row`. */
  rowClass?: string;
  /** A row's fields. */
  children: (row: R, i: number, rowKey: string) => ComponentChildren;
}): JSX.Element {
  const { name, legend } = props;
  const list = (
    <>
      {props.rows.length > 0 && (
        <ul class="rows">
          {props.rows.map((row, i) => (
            <li key={i} class={props.rowClass ? `row ${props.rowClass}` : 'row'}>
              {props.children(row, i, `${name}.${i}`)}
              <RemoveButton
                label={`Remove ${props.noun} row ${i + 1}`}
                onClick={() => props.onRemove(i, `${name}.${i}`)}
              />
            </li>
          ))}
        </ul>
      )}
      <AddButton onClick={props.onAdd}>{props.addLabel}</AddButton>
    </>
  );
  return legend === undefined ? (
    list
  ) : (
    <FieldGroup name={name} legend={legend} hint={props.hint} error={props.error}>
      {list}
    </FieldGroup>
  );
}

/** An editor's save bar: where the changes stand, an optional second button, and submit. */
export function SaveBar(props: {
  saving: boolean;
  saved: boolean;
  /** Whether to say "Unsaved changes". */
  unsaved: boolean;
  /** What the bar says when nothing is pending, e.g. "All changes saved". */
  idle?: string;
  submitLabel: string;
  /** Discard or Cancel. */
  secondary?: { label: string; onClick: () => void } | false;
}): JSX.Element {
  return (
    <div class="savebar">
      <p class="savebar__state" role="status">
        {props.saving
          ? 'Saving…'
          : props.saved
            ? 'Changes saved.'
            : props.unsaved
              ? 'Unsaved changes'
              : (props.idle ?? '')}
      </p>
      {props.secondary && (
        <button type="button" class="button" onClick={props.secondary.onClick}>
          {props.secondary.label}
        </button>
      )}
      <SubmitButton busy={props.saving}>{props.submitLabel}</SubmitButton>
    </div>
  );
}

/** A paged list's "Load more" button, busy while the next page loads. */
export function LoadMoreButton(props: {
  busy: boolean;
  onClick: () => void;
  class?: string;
  'aria-label'?: string;
}): JSX.Element {
  return (
    <button
      type="button"
      class={`button${props.class ? ` ${props.class}` : ''}`}
      disabled={props.busy}
      aria-busy={props.busy || undefined}
      aria-label={props['aria-label']}
      onClick={props.onClick}
    >
      Load more
    </button>
  );
}

/** Keys of a form whose value is a string union (a select's value). */
type ChoiceKey<F> = StringKey<F>;

/**
 * A form field's name, error, value and setter, for a {@link SelectField}
 * (no blur: a select's choice is checked as it changes).
 */
export function bindSelect<F, K extends ChoiceKey<F>>(
  f: FormState<F>,
  key: K,
  name: string = key,
): { name: string; error: string | undefined; value: F[K]; onChange: (value: F[K]) => void } {
  return {
    name,
    error: f.err(name),
    value: f.form[key],
    onChange: (value) => f.set(key, value, name),
  };
}

/** A filter by widget: the account's widgets by name, after an "all of them" option (value ""). */
export function WidgetSelect(props: {
  name: string;
  /** Default "Widget". */
  label?: string;
  /** The "all of them" option; default "All widgets". */
  all?: string;
  value: string;
  widgets: readonly { widgetId: string; name: string }[] | undefined;
  onChange: (widgetId: string) => void;
}): JSX.Element {
  return (
    <SelectField
      name={props.name}
      label={props.label ?? 'Widget'}
      value={props.value}
      placeholder={props.all ?? 'All widgets'}
      options={(props.widgets ?? []).map((w) => ({ value: w.widgetId, label: w.name }))}
      onChange={props.onChange}
    />
  );
}
