/**
 * The template editor (`/templates/new`, `/templates/:templateId`) with a
 * live preview: the body is rendered by the server (debounced) and shown as
 * the visitor gets it: an SMS bubble, an email, or the spoken text.
 */

import type { Template } from '@otpkit/protocol';
import { TEMPLATE_CHANNELS } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { api } from '../auth/session.ts';
import { navigate } from '../router.ts';
import { Field, Notice, PageHeader, Section, SelectField, Switch } from '../ui/components.tsx';
import { bind, CodeField, SaveBar, TextAreaField, TextField } from '../ui/fields.tsx';
import { Flash } from '../ui/flash.tsx';
import { channelName } from '../ui/format.ts';
import { DeleteRecordButton, RecordLoader, saveRecord } from '../ui/record-loader.tsx';
import { useForm } from '../ui/use-form.ts';
import { useLoad } from '../ui/use-load.ts';
import {
  formFromTemplate,
  newTemplateForm,
  SAMPLE_BODIES,
  templateErrorsFromIssues,
  templateInputFromForm,
  validateTemplateForm,
} from './form.ts';
import { PreviewPanel, usePreview, VariablesList } from './preview.tsx';
import { MAX_SMS_SEGMENTS, smsSegments, templateVariables } from './segments.ts';
import { TranslationsSection } from './translations.tsx';

/** `/templates/new` (templateId null) or `/templates/:templateId`. */
export function TemplateEditor(props: {
  templateId: string | null;
  widgetId: string | null;
}): JSX.Element {
  const { templateId } = props;
  return (
    <RecordLoader
      id={templateId}
      load={(id) => api.getTemplate(id)}
      kind="Template"
      back={{ to: '/templates', label: 'Templates' }}
      notFoundCode="TEMPLATE_NOT_FOUND"
    >
      {(template, onSaved) => (
        <TemplateFormView
          key={templateId ?? 'new'}
          template={template}
          widgetId={props.widgetId}
          onSaved={onSaved}
        />
      )}
    </RecordLoader>
  );
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
  const [samples, setSamples] = useState<Record<string, string>>({});
  const f = useForm({
    initial,
    validate: validateTemplateForm,
    placeIssues: templateErrorsFromIssues,
    placedMessage: 'Fix the highlighted fields.',
    submit(form) {
      const input = templateInputFromForm(form);
      return saveRecord(template, {
        update: (t) => api.updateTemplate(t.templateId, input),
        saved: (updated) => {
          props.onSaved(updated);
          return formFromTemplate(updated);
        },
        create: () => api.createTemplate(input),
        created: (created) => [
          `/templates/${encodeURIComponent(created.templateId)}`,
          { tone: 'success', title: 'Template created' },
        ],
      });
    },
  });
  const { form, set, err } = f;
  const widgets = useLoad(() => api.listWidgets(), []);
  const { preview, error: previewError, pending } = usePreview(form, samples);

  const variables = preview?.variables.filter((v) => v !== 'OTP') ?? templateVariables(form.body);
  const localVariables = templateVariables(form.body);
  const shownVariables = [...new Set([...localVariables, ...variables])];
  const segments =
    form.channel === 'sms'
      ? smsSegments(preview?.text ?? form.body, { unicode: form.unicode })
      : null;

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
            <DeleteRecordButton
              kind="Template"
              name={template.name}
              back="/templates"
              delete={() => api.deleteTemplate(template.templateId)}
            >
              <p>Widgets using it fall back to the account template, or the built-in default.</p>
            </DeleteRecordButton>
          )
        }
      />
      <Flash />
      <div class="editor-layout">
        <form class="editor" onSubmit={f.save} noValidate aria-label="Template">
          {(f.generalError || (f.submitted && Object.keys(f.clientErrors).length > 0)) && (
            <Notice tone="error" title="Could not save">
              {f.generalError ?? 'Fix the highlighted fields.'}
            </Notice>
          )}
          <Section id="template-basics" title="Message" card>
            <TextField {...bind(f, 'name')} label="Template name" type="text" autoComplete="off" />
            <div class="grid-2">
              <SelectField
                name="channel"
                label="Channel"
                error={err('channel')}
                value={form.channel}
                options={TEMPLATE_CHANNELS.map((c) => ({ value: c, label: channelName(c) }))}
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
              <TextField
                {...bind(f, 'subject')}
                label="Email subject"
                type="text"
                autoComplete="off"
              />
            )}
            <TextAreaField
              {...bind(f, 'body')}
              label="Template body"
              hint={
                <>
                  <code>##OTP##</code> is replaced by the code; <code>##name##</code> by the
                  variable <code>name</code> your page passes to <code>initSendOTP</code>.
                  {form.channel === 'email' ? ' Variables are HTML-escaped.' : ''}
                </>
              }
              rows={form.channel === 'email' ? 8 : 4}
            />
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
          </Section>

          {form.channel === 'sms' && (
            <Section id="template-sms" title="SMS delivery" card>
              <Switch
                name="unicode"
                label="Unicode"
                description="Send as UCS-2 for Hindi and other scripts or emoji: 70 characters per SMS (67 when split) instead of 160 (153)."
                checked={form.unicode}
                error={err('unicode')}
                onChange={(v) => set('unicode', v)}
              />
              <div class="grid-2">
                <CodeField
                  {...bind(f, 'senderId')}
                  label="Sender ID"
                  hint="The name the SMS comes from, e.g. SHOPIN (where the country allows it)."
                  maxLength={15}
                />
                <CodeField
                  {...bind(f, 'dltTemplateId')}
                  label="DLT template ID"
                  hint="India: the id the DLT portal gave this template."
                  inputMode="numeric"
                />
              </div>
            </Section>
          )}

          <TranslationsSection
            form={form}
            samples={samples}
            err={err}
            onChange={(translations) => set('translations', translations)}
          />

          <SaveBar
            saving={f.saving}
            saved={f.saved}
            unsaved={f.dirty && !!template}
            submitLabel={template ? 'Save changes' : 'Create template'}
            secondary={!template && { label: 'Cancel', onClick: () => navigate('/templates') }}
          />
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
                  <TextField
                    key={name}
                    name={`sample.${name}`}
                    label={`Sample value for ${name}`}
                    type="text"
                    autoComplete="off"
                    value={samples[name] ?? ''}
                    onValue={(v) => setSamples({ ...samples, [name]: v })}
                  />
                ))}
              </div>
            )}
            <PreviewPanel form={form} preview={preview} error={previewError} />
          </section>
        </aside>
      </div>
    </>
  );
}
