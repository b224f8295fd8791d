/**
 * The console's building blocks: labelled fields with inline errors,
 * switches, badges, notices, a confirmation dialog and a copy button.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { href, navigate } from '../router.ts';
import { fieldId } from './field-errors.ts';

/** Props a field passes to its control so it is labelled, described and marked invalid. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true';
}

/** What a {@link Field} takes besides its control. */
export interface FieldFrame {
  /** Field key (a settings path); also its DOM id. */
  name: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  /** Visually hide the label (rows of a table-like list). */
  hideLabel?: boolean;
  class?: string;
  onBlurField?: (name: string) => void;
}

interface FieldProps extends FieldFrame {
  children: (props: ControlProps) => ComponentChildren;
}

/** The ids a control is described by: its hint's and its error's, when shown. */
function describedBy(id: string, hint: unknown, error: unknown): string {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
}

/** A field's one-line hint (id `<id>-hint`), if any. */
function Hint(props: { id: string; text?: ComponentChildren }): JSX.Element | null {
  return props.text ? (
    <p class="field__hint" id={`${props.id}-hint`}>
      {props.text}
    </p>
  ) : null;
}

/** A field's error (id `<id>-error`), if any. */
function ErrorText(props: { id: string; text?: string | undefined }): JSX.Element | null {
  return props.text ? (
    <p class="field__error" id={`${props.id}-error`}>
      {props.text}
    </p>
  ) : null;
}

/** One choice of a {@link SelectField}. */
export interface SelectOption<V extends string> {
  value: V;
  label: string;
}

/** A {@link Field} whose control is a select over fixed options. */
export function SelectField<V extends string>(
  props: Omit<FieldProps, 'children'> & {
    value: V | '';
    options: readonly SelectOption<V>[];
    /** A first option of value "" (a prompt, or "all"). */
    placeholder?: string;
    onChange?: (value: V) => void;
    disabled?: boolean;
  },
): JSX.Element {
  const { value, options, placeholder, onChange, disabled, ...field } = props;
  return (
    <Field {...field}>
      {(a) => (
        <select
          {...a}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange?.(e.currentTarget.value as V)}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A label, a control, a one-line hint and the field's error. */
export function Field(props: FieldProps): JSX.Element {
  const id = fieldId(props.name);
  const described = describedBy(id, props.hint, props.error);
  return (
    <div
      class={`field${props.error ? ' field--invalid' : ''}${props.class ? ` ${props.class}` : ''}`}
      onFocusOut={() => props.onBlurField?.(props.name)}
    >
      <label for={id} class={props.hideLabel ? 'visually-hidden' : 'field__label'}>
        {props.label}
      </label>
      {props.children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(props.error ? { 'aria-invalid': 'true' as const } : {}),
      })}
      <Hint id={id} text={props.hint} />
      <ErrorText id={id} text={props.error} />
    </div>
  );
}

interface GroupProps {
  name: string;
  legend: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  onBlurField?: (name: string) => void;
  children: ComponentChildren;
}

/** A fieldset of checkboxes or rows, with a legend, hint and error. */
export function FieldGroup(props: GroupProps): JSX.Element {
  const id = fieldId(props.name);
  const described = describedBy(id, props.hint, props.error);
  return (
    <fieldset
      class={`group${props.error ? ' field--invalid' : ''}`}
      id={id}
      aria-describedby={described || undefined}
      onFocusOut={() => props.onBlurField?.(props.name)}
    >
      <legend class="field__label">{props.legend}</legend>
      <Hint id={id} text={props.hint} />
      {props.children}
      <ErrorText id={id} text={props.error} />
    </fieldset>
  );
}

interface SwitchProps {
  name: string;
  label: string;
  description?: string;
  checked: boolean;
  disabled?: boolean;
  error?: string | undefined;
  onChange: (checked: boolean) => void;
}

/** An on/off setting with its one-line explanation. */
export function Switch(props: SwitchProps): JSX.Element {
  const id = fieldId(props.name);
  return (
    <div class="switch">
      <input
        id={id}
        type="checkbox"
        role="switch"
        class="switch__input"
        checked={props.checked}
        aria-checked={props.checked}
        disabled={props.disabled}
        aria-describedby={describedBy(id, props.description, props.error) || undefined}
        aria-invalid={props.error ? 'true' : undefined}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <div>
        <label for={id} class="switch__label">
          {props.label}
        </label>
        <Hint id={id} text={props.description} />
        <ErrorText id={id} text={props.error} />
      </div>
    </div>
  );
}

interface CheckboxProps {
  id: string;
  label: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}

/** A checkbox with its label beside it. */
export function Checkbox(props: CheckboxProps): JSX.Element {
  return (
    <label class="check" for={props.id}>
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span>{props.label}</span>
    </label>
  );
}

/** A {@link FieldGroup} of checkboxes, one per option (ids `<group id>-<value>`). */
export function CheckGroup<V extends string>(
  props: Omit<GroupProps, 'children'> & {
    options: readonly SelectOption<V>[];
    checked: (value: V) => boolean;
    onChange: (value: V, checked: boolean) => void;
  },
): JSX.Element {
  const { options, checked, onChange, ...group } = props;
  const id = fieldId(props.name);
  return (
    <FieldGroup {...group}>
      <div class="checks">
        {options.map((option) => (
          <Checkbox
            key={option.value}
            id={`${id}-${option.value}`}
            label={option.label}
            checked={checked(option.value)}
            onChange={(on) => onChange(option.value, on)}
          />
        ))}
      </div>
    </FieldGroup>
  );
}

/** A small status pill. */
export function Badge(props: {
  tone?: 'success' | 'neutral' | 'warning' | 'danger' | 'info';
  children: ComponentChildren;
}): JSX.Element {
  return <span class={`badge badge--${props.tone ?? 'neutral'}`}>{props.children}</span>;
}

/** A boxed message; errors are announced (role alert), others are polite. */
export function Notice(props: {
  tone: 'error' | 'success' | 'info' | 'warning';
  title?: string;
  children?: ComponentChildren;
  id?: string;
}): JSX.Element {
  return (
    <div
      class={`notice notice--${props.tone}`}
      role={props.tone === 'error' ? 'alert' : 'status'}
      id={props.id}
    >
      {props.title && <p class="notice__title">{props.title}</p>}
      {props.children}
    </div>
  );
}

/** A link inside the console (client-side navigation, real href for new tabs). */
export function Link(props: {
  to: string;
  class?: string;
  children: ComponentChildren;
  'aria-current'?: 'page' | undefined;
  'aria-label'?: string;
}): JSX.Element {
  return (
    <a
      href={href(props.to)}
      class={props.class}
      aria-current={props['aria-current']}
      aria-label={props['aria-label']}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

/** A page's title row: heading, optional description and actions. */
export function PageHeader(props: {
  title: ComponentChildren;
  description?: ComponentChildren;
  actions?: ComponentChildren;
  back?: { to: string; label: string };
}): JSX.Element {
  const title = typeof props.title === 'string' ? props.title : null;
  useEffect(() => {
    if (title) document.title = `${title} · otpkit console`;
  }, [title]);
  return (
    <header class="page-header">
      {props.back && (
        <Link to={props.back.to} class="back-link">
          ← {props.back.label}
        </Link>
      )}
      <div class="page-header__row">
        <div class="page-header__text">
          <h1>{props.title}</h1>
          {props.description && <p class="page-header__description">{props.description}</p>}
        </div>
        {props.actions && <div class="page-header__actions">{props.actions}</div>}
      </div>
    </header>
  );
}

/** Copies a value; says "Copied" for a moment. */
export function CopyButton(props: { value: string; label?: string; class?: string }): JSX.Element {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      class={props.class ?? 'button button--small'}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(props.value);
          setCopied(true);
        } catch {
          setCopied(false);
        }
      }}
    >
      {copied ? 'Copied' : (props.label ?? 'Copy')}
      <span class="visually-hidden" aria-live="polite">
        {copied ? ' to clipboard' : ''}
      </span>
    </button>
  );
}

interface ConfirmProps {
  /** The button that opens the dialog (its accessible name). */
  label: string;
  /** Visible text of the opening button, when shorter than its name. */
  text?: string;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  tone?: 'danger';
}

/** A button that asks first, in a modal dialog, then runs the action. */
export function ConfirmButton(props: ConfirmProps): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useRef(`confirm-${Math.random().toString(36).slice(2)}`).current;
  return (
    <>
      <button
        type="button"
        class={`button button--small${props.tone === 'danger' ? ' button--danger-ghost' : ''}`}
        aria-label={props.text ? props.label : undefined}
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
      >
        {props.text ?? props.label}
      </button>
      <dialog ref={dialog} class="dialog" aria-labelledby={titleId}>
        <form
          method="dialog"
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            setError(null);
            try {
              await props.onConfirm();
              dialog.current?.close();
            } catch (e) {
              setError(e instanceof Error ? e.message : String(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          <h2 id={titleId} class="dialog__title">
            {props.title}
          </h2>
          <div class="dialog__body">{props.children}</div>
          {error && <Notice tone="error">{error}</Notice>}
          <div class="dialog__actions">
            <button type="button" class="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button
              type="submit"
              class={`button ${props.tone === 'danger' ? 'button--danger' : 'button--primary'}`}
              disabled={busy}
              aria-busy={busy || undefined}
            >
              {props.confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** A loading placeholder announced to screen readers. */
export function Loading(props: { label?: string }): JSX.Element {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? 'Loading…'}
    </p>
  );
}

/** An empty list's message and first action. */
export function EmptyState(props: { title: string; children?: ComponentChildren }): JSX.Element {
  return (
    <div class="empty">
      <p class="empty__title">{props.title}</p>
      {props.children}
    </div>
  );
}

/** A loading list's state: its error, or a spinner until the first data. */
export function LoadStatus(props: {
  loaded: { error: Error | null; loading: boolean; data: unknown };
  label: string;
}): JSX.Element {
  const { error, loading, data } = props.loaded;
  return (
    <>
      {error && <Notice tone="error">{error.message}</Notice>}
      {loading && !data && <Loading label={props.label} />}
    </>
  );
}

/** A secret shown once, with its copy button. */
export function SecretBox(props: {
  value: string;
  copyLabel: string;
  testId?: string;
}): JSX.Element {
  return (
    <div class="token-box">
      <code class="mono break" data-testid={props.testId}>
        {props.value}
      </code>
      <CopyButton value={props.value} label={props.copyLabel} />
    </div>
  );
}

/** A titled part of a page: a card (`card`), or a list under a section title. */
export function Section(props: {
  /** The heading's id, which labels the section. */
  id: string;
  title: ComponentChildren;
  card?: boolean;
  children?: ComponentChildren;
}): JSX.Element {
  return (
    <section class={props.card ? 'card' : undefined} aria-labelledby={props.id}>
      <h2 id={props.id} class={props.card ? undefined : 'section-title'}>
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}
