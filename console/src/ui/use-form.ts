/**
 * One form hook for the console's editors (widget settings, templates): the
 * field state, the client checks (shown once a field is left or the form is
 * submitted), the server's field errors placed on their fields (and cleared
 * when the field changes), dirty tracking against the saved baseline, and
 * saving.
 */
import type { RefObject } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { type FieldIssue, isApiError } from '../api/client.ts';
import type { FieldErrors } from './field-errors.ts';

/** How a form checks, places and saves its state. */
export interface FormOptions<F> {
  /** The baseline: the saved record's form, or a new record's. */
  initial: F;
  /** The obvious mistakes, found before a round trip (keys are error keys). */
  validate: (form: F) => FieldErrors;
  /** Places the server's field issues on the form's error keys; the rest are `unplaced`. */
  placeIssues: (
    issues: readonly FieldIssue[],
    form: F,
  ) => { errors: FieldErrors; unplaced: FieldIssue[] };
  /**
   * Saves the form. Returns the saved record's form, the new baseline (the
   * server's normal form), or null when the page moves on (a new record).
   */
  submit: (form: F) => Promise<F | null>;
  /**
   * The general message when every field issue found its field (null: the
   * fields say it all).
   */
  placedMessage?: string | null;
}

/** What {@link useForm} returns: the state and the handlers the fields use. */
export interface FormState<F> {
  form: F;
  /**
   * Sets a field. `errorKey` (by default the field's own name) is the error
   * key whose server error the change answers, so it is cleared; null clears none.
   */
  set<K extends keyof F & string>(key: K, value: F[K], errorKey?: string | null): void;
  /** A field's error: the client check once left or submitted, else the server's. */
  err(key: string): string | undefined;
  /** Marks a field as left (its client check shows from then on). */
  blur(key: string): void;
  /** Whether the form differs from its baseline. */
  dirty: boolean;
  saving: boolean;
  /** Saved, and not changed since. */
  saved: boolean;
  submitted: boolean;
  clientErrors: FieldErrors;
  /** Every error shown now, by key, in order (server errors first). */
  shownErrors: (readonly [string, string])[];
  /** A problem no field shows (a network error, an unplaced issue). */
  generalError: string | null;
  /** Focused when a save is refused, so a screen reader reads the summary. */
  summary: RefObject<HTMLDivElement>;
  /** The form's submit handler. */
  save(event?: Event): Promise<void>;
  /** Back to the baseline, errors cleared. */
  discard(): void;
}

/**
 * The editors' shared form state.
 *
 * @example
 * const f = useForm({ initial, validate: validateWidgetForm, placeIssues: widgetErrorsFromIssues,
 *   submit: async (form) => formFromWidget(await api.updateWidget(id, settingsFromForm(form))) });
 * <form onSubmit={f.save}>…<Field error={f.err('name')} onBlurField={f.blur}>…</form>
 */
export function useForm<F>(options: FormOptions<F>): FormState<F> {
  const { initial } = options;
  const [form, setForm] = useState<F>(initial);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [generalError, setGeneralError] = useState<string | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  const clientErrors = useMemo(() => options.validate(form), [form]);
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);

  const err = (key: string): string | undefined =>
    (submitted || touched.has(key) ? clientErrors[key] : undefined) ?? serverErrors[key];
  const shownErrors = Object.keys({ ...serverErrors, ...(submitted ? clientErrors : {}) })
    .map((key) => [key, err(key)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  const focusSummary = (): void => {
    requestAnimationFrame(() => summary.current?.focus());
  };

  return {
    form,
    set(key, value, errorKey = key) {
      setForm((f) => ({ ...f, [key]: value }));
      setSaved(false);
      if (errorKey !== null && serverErrors[errorKey] !== undefined) {
        const { [errorKey]: _, ...rest } = serverErrors;
        setServerErrors(rest);
      }
    },
    err,
    blur(key) {
      if (!touched.has(key)) setTouched(new Set(touched).add(key));
    },
    dirty,
    saving,
    saved,
    submitted,
    clientErrors,
    shownErrors,
    generalError,
    summary,
    async save(event) {
      event?.preventDefault();
      setSubmitted(true);
      setGeneralError(null);
      setSaved(false);
      if (Object.keys(clientErrors).length > 0) {
        focusSummary();
        return;
      }
      setSaving(true);
      try {
        const baseline = await options.submit(form);
        if (baseline !== null) {
          setForm(baseline);
          setServerErrors({});
          setSubmitted(false);
          setTouched(new Set());
          setSaved(true);
        }
      } catch (e) {
        if (isApiError(e) && e.fields.length > 0) {
          const placed = options.placeIssues(e.fields, form);
          setServerErrors(placed.errors);
          setGeneralError(
            placed.unplaced.length > 0
              ? placed.unplaced.map((i) => `${i.path}: ${i.message}`).join('; ')
              : (options.placedMessage ?? null),
          );
        } else {
          setGeneralError(e instanceof Error ? e.message : String(e));
        }
        focusSummary();
      } finally {
        setSaving(false);
      }
    },
    discard() {
      setForm(initial);
      setServerErrors({});
      setSubmitted(false);
      setGeneralError(null);
    },
  };
}
