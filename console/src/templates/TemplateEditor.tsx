/**
 * The template editor (`/templates/new`, `/templates/:templateId`) with a
 * live preview: the body is rendered by the server (debounced) and shown as
 * the visitor gets it: an SMS bubble, an email, or the spoken text.
 */
import { type Channel, type Language, RTL_LANGUAGES } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isApiError } from '../api/client.ts';
import type { Template, TemplatePreview } from '../api/types.ts';
import { api } from '../auth/session.ts';
import { navigate } from '../router.ts';
import {
  ConfirmButton,
  Field,
  Loading,
  Notice,
  PageHeader,
  SelectField,
  Switch,
} from '../ui/components.tsx';
import type { FieldErrors } from '../ui/field-errors.ts';
import { Flash, navigateWithFlash } from '../ui/flash.tsx';
import { channelName } from '../ui/format.ts';
import { LANGUAGE_OPTIONS, languageLabel } from '../ui/languages.ts';
import { useLoad } from '../ui/use-load.ts';
import {
  formFromTemplate,
  newTemplateForm,
  SAMPLE_BODIES,
  type TemplateForm,
  type TranslationForm,
  templateErrorsFromIssues,
  templateInputFromForm,
  validateTemplateForm,
} from './form.ts';
import { MAX_SMS_SEGMENTS, smsSegments, templateVariables } from './segments.ts';

const CHANNELS: Channel[] = ['sms', 'whatsapp', 'voice', 'email'];
const PREVIEW_DELAY_MS = 350;

/** `/templates/new` (templateId null) or `/templates/:templateId`. */
export function TemplateEditor(props: {
  templateId: string | null;
  widgetId: string | null;
}): JSX.Element {
  const { templateId } = props;
  const loaded = useLoad(
    () => (templateId === null ? Promise.resolve(null) : api.getTemplate(templateId)),
    [templateId],
  );
  if (loaded.error) {
    return (
      <>
        <PageHeader title="Template" back={{ to: '/templates', label: 'Templates' }} />
        <Notice
          tone="error"
          title={
            isApiError(loaded.error, 'TEMPLATE_NOT_FOUND', 'NOT_FOUND')
              ? 'Template not found'
              : 'Could not load the template'
          }
        >
          <p>{loaded.error.message}</p>
        </Notice>
      </>
    );
  }
  if (loaded.loading && loaded.data === undefined) return <Loading label="Loading template…" />;
  return (
    <TemplateFormView
      key={templateId ?? 'new'}
      template={loaded.data ?? null}
      widgetId={props.widgetId}
      onSaved={(t) => loaded.setData(t)}
    />
  );
}

function usePreview(form: TemplateForm, samples: Record<string, string>) {
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const sequence = useRef(0);
  const key = JSON.stringify([form.channel, form.body, form.subject, form.unicode, samples]);
  useEffect(() => {
    const id = ++sequence.current;
    setPending(true);
    const timer = setTimeout(async () => {
      const variables = Object.fromEntries(Object.entries(samples).filter(([, v]) => v !== ''));
      try {
        const result = await api.previewTemplate(
          {
            channel: form.channel,
            body: form.body,
            ...(form.channel === 'email' ? { subject: form.subject } : {}),
            ...(form.channel === 'sms' ? { unicode: form.unicode } : {}),
          },
          Object.keys(variables).length > 0 ? variables : undefined,
        );
        if (id !== sequence.current) return;
        setPreview(result);
        setError(null);
      } catch (e) {
        if (id !== sequence.current) return;
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (id === sequence.current) setPending(false);
      }
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key]);
  return { preview, error, pending };
}

function TemplateFormView(props: {
  template: Template | null;
  widgetId: string | null;
  onSaved: (t: Template) => void;
}): JSX.Element {
  const { template } = props;
  const initial = useMemo(
    () => (template ? formFromTemplate(template) : newTemplateForm(props.widgetId)),
    [template, props.widgetId],
  );
  const [form, setForm] = useState<TemplateForm>(initial);
  const [samples, setSamples] = useState<Record<string, string>>({});
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [generalError, setGeneralError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const widgets = useLoad(() => api.listWidgets(), []);
  const { preview, error: previewError, pending } = usePreview(form, samples);

  const clientErrors = useMemo(() => validateTemplateForm(form), [form]);
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const err = (key: string): string | undefined =>
    (submitted || touched.has(key) ? clientErrors[key] : undefined) ?? serverErrors[key];
  const blur = (key: string): void => {
    if (!touched.has(key)) setTouched(new Set(touched).add(key));
  };
  function set<K extends keyof TemplateForm>(key: K, value: TemplateForm[K]): void {
    setForm((f) => ({ ...f, [key]: value }));
    setSaved(false);
    if (serverErrors[key] !== undefined) {
      const { [key]: _, ...rest } = serverErrors;
      setServerErrors(rest);
    }
  }

  const variables = preview?.variables.filter((v) => v !== 'OTP') ?? templateVariables(form.body);
  const localVariables = templateVariables(form.body);
  const shownVariables = [...new Set([...localVariables, ...variables])];
  const segments =
    form.channel === 'sms'
      ? smsSegments(preview?.text ?? form.body, { unicode: form.unicode })
      : null;

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    setSubmitted(true);
    setGeneralError(null);
    if (Object.keys(clientErrors).length > 0) return;
    setSaving(true);
    try {
      const input = templateInputFromForm(form);
      if (template) {
        const updated = await api.updateTemplate(template.templateId, input);
        setForm(formFromTemplate(updated));
        setServerErrors({});
        setSubmitted(false);
        setTouched(new Set());
        setSaved(true);
        props.onSaved(updated);
      } else {
        const created = await api.createTemplate(input);
        navigateWithFlash(`/templates/${encodeURIComponent(created.templateId)}`, {
          tone: 'success',
          title: 'Template created',
        });
      }
    } catch (e) {
      if (isApiError(e) && e.fields.length > 0) {
        const mapped = templateErrorsFromIssues(e.fields);
        setServerErrors(mapped.errors);
        setGeneralError(
          mapped.unplaced.length > 0
            ? mapped.unplaced.map((i) => `${i.path}: ${i.message}`).join('; ')
            : 'Fix the highlighted fields.',
        );
      } else {
        setGeneralError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <PageHeader
        title={template ? template.name : 'New template'}
        back={{ to: '/templates', label: 'Templates' }}
        description={
          template
            ? `${channelName(template.channel)} template`
            : 'Write the message; the preview shows it as it will arrive.'
        }
        actions={
          template && (
            <ConfirmButton
              label="Delete template"
              title={`Delete “${template.name}”?`}
              confirmLabel="Delete template"
              tone="danger"
              onConfirm={async () => {
                await api.deleteTemplate(template.templateId);
                navigateWithFlash('/templates', {
                  tone: 'success',
                  title: `Template “${template.name}” deleted`,
                });
              }}
            >
              <p>Widgets using it fall back to the account template, or the built-in default.</p>
            </ConfirmButton>
          )
        }
      />
      <Flash />
      <div class="editor-layout">
        <form class="editor" onSubmit={save} noValidate aria-label="Template">
          {(generalError || (submitted && Object.keys(clientErrors).length > 0)) && (
            <Notice tone="error" title="Could not save">
              {generalError ?? 'Fix the highlighted fields.'}
            </Notice>
          )}
          <section class="card" aria-labelledby="template-basics">
            <h2 id="template-basics">Message</h2>
            <Field name="name" label="Template name" error={err('name')} onBlurField={blur}>
              {(a) => (
                <input
                  {...a}
                  type="text"
                  autoComplete="off"
                  value={form.name}
                  onInput={(e) => set('name', e.currentTarget.value)}
                />
              )}
            </Field>
            <div class="grid-2">
              <SelectField
                name="channel"
                label="Channel"
                error={err('channel')}
                value={form.channel}
                options={CHANNELS.map((c) => ({ value: c, label: channelName(c) }))}
                onChange={(channel) => {
                  // A body still equal to the previous channel's sample follows the channel.
                  if (form.body === SAMPLE_BODIES[form.channel])
                    set('body', SAMPLE_BODIES[channel]);
                  set('channel', channel);
                }}
              />
              <Field
                name="widgetId"
                label="Used by"
                error={err('widgetId')}
                hint="An account template serves every widget without its own."
              >
                {(a) => (
                  <select
                    {...a}
                    value={form.widgetId}
                    onChange={(e) => set('widgetId', e.currentTarget.value)}
                  >
                    <option value="">All widgets (account template)</option>
                    {widgets.data?.map((w) => (
                      <option key={w.widgetId} value={w.widgetId}>
                        {w.name}
                      </option>
                    ))}
                    {form.widgetId && !widgets.data?.some((w) => w.widgetId === form.widgetId) && (
                      <option value={form.widgetId}>{form.widgetId}</option>
                    )}
                  </select>
                )}
              </Field>
            </div>
            {form.channel === 'email' && (
              <Field name="subject" label="Email subject" error={err('subject')} onBlurField={blur}>
                {(a) => (
                  <input
                    {...a}
                    type="text"
                    autoComplete="off"
                    value={form.subject}
                    onInput={(e) => set('subject', e.currentTarget.value)}
                  />
                )}
              </Field>
            )}
            <Field
              name="body"
              label="Template body"
              error={err('body')}
              onBlurField={blur}
              hint={
                <>
                  <code>##OTP##</code> is replaced by the code; <code>##name##</code> by the
                  variable <code>name</code> your page passes to <code>initSendOTP</code>.
                  {form.channel === 'email' ? ' Variables are HTML-escaped.' : ''}
                </>
              }
            >
              {(a) => (
                <textarea
                  {...a}
                  rows={form.channel === 'email' ? 8 : 4}
                  value={form.body}
                  onInput={(e) => set('body', e.currentTarget.value)}
                />
              )}
            </Field>
            {!form.body.includes('##OTP##') && form.body.trim() !== '' && (
              <p class="small warning-text">
                The body has no ##OTP##: the message would not carry the code.
              </p>
            )}
            {segments && (
              <p class="counter" id="sms-counter">
                <span>
                  {segments.units}{' '}
                  {segments.encoding === 'UCS-2' ? 'characters (UCS-2)' : 'characters (GSM-7)'}
                </span>
                <span aria-hidden="true"> · </span>
                <span>
                  {segments.segments} SMS {segments.segments === 1 ? 'segment' : 'segments'}
                  {segments.segments > 1 ? ` of ${segments.perSegment}` : ''}
                </span>
                <span aria-hidden="true"> · </span>
                <span>{segments.remaining} left</span>
              </p>
            )}
            {segments && segments.segments > MAX_SMS_SEGMENTS && (
              <p class="small warning-text">
                otpkit sends no SMS longer than {MAX_SMS_SEGMENTS} segments (459 GSM-7 or 201 UCS-2
                characters): sends with this text are refused with MESSAGE_TOO_LONG.
              </p>
            )}
            {segments && !form.unicode && segments.nonGsm.length > 0 && (
              <p class="small warning-text">
                Characters outside GSM-7 ({segments.nonGsm.slice(0, 8).join(' ')}): turn on Unicode
                below to send them.
              </p>
            )}
          </section>

          {form.channel === 'sms' && (
            <section class="card" aria-labelledby="template-sms">
              <h2 id="template-sms">SMS delivery</h2>
              <Switch
                name="unicode"
                label="Unicode"
                description="Send as UCS-2 for Hindi and other scripts or emoji: 70 characters per SMS (67 when split) instead of 160 (153)."
                checked={form.unicode}
                error={err('unicode')}
                onChange={(v) => set('unicode', v)}
              />
              <div class="grid-2">
                <Field
                  name="senderId"
                  label="Sender ID"
                  error={err('senderId')}
                  onBlurField={blur}
                  hint="The name the SMS comes from, e.g. SHOPIN (where the country allows it)."
                >
                  {(a) => (
                    <input
                      {...a}
                      type="text"
                      autoComplete="off"
                      spellcheck={false}
                      maxLength={15}
                      value={form.senderId}
                      onInput={(e) => set('senderId', e.currentTarget.value)}
                    />
                  )}
                </Field>
                <Field
                  name="dltTemplateId"
                  label="DLT template ID"
                  error={err('dltTemplateId')}
                  onBlurField={blur}
                  hint="India: the id the DLT portal gave this template."
                >
                  {(a) => (
                    <input
                      {...a}
                      type="text"
                      inputMode="numeric"
                      autoComplete="off"
                      spellcheck={false}
                      value={form.dltTemplateId}
                      onInput={(e) => set('dltTemplateId', e.currentTarget.value)}
                    />
                  )}
                </Field>
              </div>
            </section>
          )}

          <TranslationsSection
            form={form}
            samples={samples}
            err={err}
            onChange={(translations) => set('translations', translations)}
          />

          <div class="savebar">
            <p class="savebar__state" role="status">
              {saving
                ? 'Saving…'
                : saved
                  ? 'Changes saved.'
                  : dirty && template
                    ? 'Unsaved changes'
                    : ''}
            </p>
            {!template && (
              <button type="button" class="button" onClick={() => navigate('/templates')}>
                Cancel
              </button>
            )}
            <button
              type="submit"
              class="button button--primary"
              disabled={saving}
              aria-busy={saving || undefined}
            >
              {template ? 'Save changes' : 'Create template'}
            </button>
          </div>
        </form>

        <aside class="side" aria-label="Preview">
          <section class="card" aria-labelledby="preview-title">
            <div class="card__title-row">
              <h2 id="preview-title">Preview</h2>
              {pending && <span class="muted small">Updating…</span>}
            </div>
            <VariablesList variables={shownVariables} missing={preview?.missing ?? []} />
            {shownVariables.length > 0 && (
              <div class="samples">
                {shownVariables.map((name) => (
                  <Field key={name} name={`sample.${name}`} label={`Sample value for ${name}`}>
                    {(a) => (
                      <input
                        {...a}
                        type="text"
                        autoComplete="off"
                        value={samples[name] ?? ''}
                        onInput={(e) => setSamples({ ...samples, [name]: e.currentTarget.value })}
                      />
                    )}
                  </Field>
                ))}
              </div>
            )}
            {previewError && (
              <Notice tone="warning" title="Preview unavailable">
                {previewError}
              </Notice>
            )}
            {preview && (
              <PreviewView channel={form.channel} preview={preview} senderId={form.senderId} />
            )}
          </section>
        </aside>
      </div>
    </>
  );
}

/**
 * The template's words in other languages, each beside its own live
 * preview: a message in one of these languages uses its body (and subject),
 * any other language the main body.
 */
function TranslationsSection(props: {
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
    <section class="card" aria-labelledby="translations-title">
      <h2 id="translations-title">Other languages</h2>
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
        <Field name="translation-add" label="Add a language">
          {(a) => (
            <select
              {...a}
              value=""
              onChange={(e) => {
                const language = e.currentTarget.value as Language;
                if (!language) return;
                props.onChange([...form.translations, { language, subject: '', body: form.body }]);
              }}
            >
              <option value="">Choose a language…</option>
              {free.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </section>
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
        {error && (
          <Notice tone="warning" title="Preview unavailable">
            {error}
          </Notice>
        )}
        {preview && (
          <PreviewView channel={form.channel} preview={preview} senderId={form.senderId} />
        )}
      </section>
    </div>
  );
}

const RTL: ReadonlySet<string> = new Set(RTL_LANGUAGES);

function VariablesList(props: { variables: string[]; missing: string[] }): JSX.Element {
  return (
    <div class="variables">
      <p class="small muted">Variables</p>
      <ul class="chips" aria-label="Variables detected">
        <li class="chip">##OTP##</li>
        {props.variables.map((v) => (
          <li key={v} class={props.missing.includes(v) ? 'chip chip--missing' : 'chip'}>
            ##{v}##{props.missing.includes(v) ? ' (no sample value)' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

function PreviewView(props: {
  channel: Channel;
  preview: TemplatePreview;
  senderId: string;
}): JSX.Element {
  const { channel, preview } = props;
  if (channel === 'email') {
    return (
      <div class="email-preview">
        <p class="email-preview__subject">
          <span class="muted">Subject: </span>
          <strong>{preview.subject ?? ''}</strong>
        </p>
        {preview.html ? (
          <iframe
            title="Email preview"
            class="email-preview__frame"
            sandbox=""
            srcdoc={preview.html}
          />
        ) : (
          <pre class="email-preview__text">{preview.text}</pre>
        )}
      </div>
    );
  }
  if (channel === 'voice') {
    return (
      <figure class="voice-preview">
        <figcaption class="small muted">Spoken to the caller</figcaption>
        <blockquote>{preview.text}</blockquote>
      </figure>
    );
  }
  return (
    <div class={`phone phone--${channel}`}>
      <p class="phone__sender">
        {channel === 'whatsapp' ? 'WhatsApp' : props.senderId.trim() || 'SMS'}
      </p>
      <p class="bubble" data-testid="preview-bubble">
        {preview.text}
      </p>
    </div>
  );
}
