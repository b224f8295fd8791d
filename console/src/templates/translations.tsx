/** The template editor's "Other languages" section. */
import { RTL_LANGUAGES } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { Field, Section, SelectField } from '../ui/components.tsx';
import { LANGUAGE_OPTIONS, languageLabel } from '../ui/languages.ts';
import type { TemplateForm, TranslationForm } from './form.ts';
import { PreviewPanel, usePreview } from './preview.tsx';

/**
 * The template's words in other languages, each beside its own live
 * preview: a message in one of these languages uses its body (and subject),
 * any other language the main body.
 */
export function TranslationsSection(props: {
  form: TemplateForm;
  samples: Record<string, string>;
  err: (key: string) => string | undefined;
  onChange: (translations: TranslationForm[]) => void;
}): JSX.Element {
  const { form } = props;
  const used = new Set(form.translations.map((t) => t.language));
  const free = LANGUAGE_OPTIONS.filter((o) => !used.has(o.value));
  const update = (index: number, change: Partial<TranslationForm>): void =>
    props.onChange(form.translations.map((t, i) => (i === index ? { ...t, ...change } : t)));
  return (
    <Section id="translations-title" title="Other languages" card>
      <p class="small muted">
        A message goes out in the language the popup showed (or the API call’s <code>language</code>
        ). Give this template its words in a language here; any other language uses the body above.
      </p>
      {form.translations.map((t, index) => (
        <TranslationRow
          key={t.language}
          form={form}
          translation={t}
          samples={props.samples}
          error={props.err(`translations.${t.language}`)}
          onChange={(change) => update(index, change)}
          onRemove={() => props.onChange(form.translations.filter((_, i) => i !== index))}
        />
      ))}
      {free.length > 0 && (
        <SelectField
          name="translation-add"
          label="Add a language"
          value=""
          placeholder="Choose a language…"
          options={free}
          onChange={(language) => {
            if (!language) return;
            props.onChange([...form.translations, { language, subject: '', body: form.body }]);
          }}
        />
      )}
    </Section>
  );
}

function TranslationRow(props: {
  form: TemplateForm;
  translation: TranslationForm;
  samples: Record<string, string>;
  error: string | undefined;
  onChange: (change: Partial<TranslationForm>) => void;
  onRemove: () => void;
}): JSX.Element {
  const { form, translation: t } = props;
  const label = languageLabel(t.language);
  const dir = RTL.has(t.language) ? 'rtl' : 'ltr';
  const { preview, error } = usePreview(
    { ...form, body: t.body, subject: t.subject.trim() || form.subject },
    props.samples,
  );
  return (
    <div class="translation grid-2">
      <div>
        {form.channel === 'email' && (
          <Field name={`translations.${t.language}.subject`} label={`Email subject, ${label}`}>
            {(a) => (
              <input
                {...a}
                type="text"
                autoComplete="off"
                placeholder={form.subject}
                lang={t.language}
                dir={dir}
                value={t.subject}
                onInput={(e) => props.onChange({ subject: e.currentTarget.value })}
              />
            )}
          </Field>
        )}
        <Field name={`translations.${t.language}`} label={`Body, ${label}`} error={props.error}>
          {(a) => (
            <textarea
              {...a}
              rows={form.channel === 'email' ? 8 : 4}
              lang={t.language}
              dir={dir}
              value={t.body}
              onInput={(e) => props.onChange({ body: e.currentTarget.value })}
            />
          )}
        </Field>
        <button type="button" class="button button--small" onClick={props.onRemove}>
          Remove {label}
        </button>
      </div>
      <section aria-label={`Preview, ${label}`} lang={t.language} dir={dir}>
        <PreviewPanel form={form} preview={preview} error={error} />
      </section>
    </div>
  );
}

const RTL: ReadonlySet<string> = new Set(RTL_LANGUAGES);
