/**
 * The widget editor (`/widgets/new` and `/widgets/:widgetId`): every setting,
 * grouped as in the product documents (Basics, Resend, Advanced, Delivery
 * providers, Demo credentials), with inline validation and the server's field
 * errors mapped back onto the fields. Each section is its own file under
 * `sections/`; they share one form ({@link useForm}). An existing widget also
 * gets the "Try it" panel.
 */

import type { Widget } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { api, meta } from '../auth/session.ts';
import { CopyButton, Link, Notice, PageHeader, Section } from '../ui/components.tsx';
import { fieldId } from '../ui/field-errors.ts';
import { Flash } from '../ui/flash.tsx';
import { DeleteRecordButton, RecordLoader, saveRecord } from '../ui/record-loader.tsx';
import { useForm } from '../ui/use-form.ts';
import {
  formFromWidget,
  newWidgetForm,
  settingsFromForm,
  validateWidgetForm,
  widgetErrorsFromIssues,
} from './form.ts';
import { originsWarning } from './origins.ts';
import { AppearanceFields } from './sections/AppearanceFields.tsx';
import { BasicsSection } from './sections/BasicsSection.tsx';
import { BehaviourFields } from './sections/BehaviourFields.tsx';
import { CaptchaFields } from './sections/CaptchaFields.tsx';
import { CountriesFields } from './sections/CountriesFields.tsx';
import { DemoSection } from './sections/DemoSection.tsx';
import { ProvidersSection } from './sections/ProvidersSection.tsx';
import { ResendSection } from './sections/ResendSection.tsx';
import { SaveBar } from './sections/SaveBar.tsx';
import { labelFor, targetId } from './sections/shared.ts';
import { TryIt } from './TryIt.tsx';
import { StatusBadge } from './WidgetsPage.tsx';

/** `/widgets/new` (widgetId null) or `/widgets/:widgetId`. */
export function WidgetEditor(props: { widgetId: string | null }): JSX.Element {
  const { widgetId } = props;
  return (
    <RecordLoader
      id={widgetId}
      load={(id) => api.getWidget(id)}
      kind="Widget"
      back={{ to: '/widgets', label: 'Widgets' }}
      notFoundCode="WIDGET_NOT_FOUND"
    >
      {(widget, onSaved) => (
        <SettingsForm key={widgetId ?? 'new'} widget={widget} onSaved={onSaved} />
      )}
    </RecordLoader>
  );
}

function SettingsForm(props: {
  widget: Widget | null;
  onSaved: (widget: Widget) => void;
}): JSX.Element {
  const { widget } = props;
  const initial = useMemo(() => (widget ? formFromWidget(widget) : newWidgetForm()), [widget]);
  const f = useForm({
    initial,
    validate: validateWidgetForm,
    placeIssues: widgetErrorsFromIssues,
    submit(form) {
      const settings = settingsFromForm(form);
      return saveRecord(widget, {
        update: (w) => api.updateWidget(w.widgetId, settings),
        saved: (updated) => {
          props.onSaved(updated);
          // The server's normal form (upper-case countries, trimmed origins) becomes the baseline.
          return formFromWidget(updated);
        },
        create: () => api.createWidget(settings),
        created: (created) => [
          `/widgets/${encodeURIComponent(created.widgetId)}`,
          {
            tone: 'success',
            title: 'Widget created',
            body: (
              <p>
                Its first token is <code class="mono">{created.tokenAuth}</code>{' '}
                <CopyButton value={created.tokenAuth} label="Copy token" />. Use it with the widget
                id on your site; manage tokens under <strong>Tokens</strong>.
              </p>
            ),
          },
        ],
      });
    },
  });

  // The saved widget as the server serves it now (shown at the top).
  const savedWarning = widget ? originsWarning(widget.allowedOrigins, meta.value) : null;
  const title = widget ? widget.name : 'New widget';

  return (
    <>
      <PageHeader
        title={title}
        back={{ to: '/widgets', label: 'Widgets' }}
        description={
          widget ? (
            <span class="id-line">
              <StatusBadge status={widget.status} /> <span class="muted">Widget id</span>{' '}
              <code class="mono">{widget.widgetId}</code>{' '}
              <CopyButton value={widget.widgetId} label="Copy widget id" />
            </span>
          ) : (
            'Choose who the widget verifies and how. Every setting can be changed later.'
          )
        }
        actions={
          widget && (
            <>
              <Link to={`/widgets/${encodeURIComponent(widget.widgetId)}/tokens`} class="button">
                Tokens
              </Link>
              <Link
                to={`/templates?widgetId=${encodeURIComponent(widget.widgetId)}`}
                class="button"
              >
                Templates
              </Link>
              <DeleteRecordButton
                kind="Widget"
                name={widget.name}
                back="/widgets"
                delete={() => api.deleteWidget(widget.widgetId)}
              >
                <p>
                  Sites using it stop working at once: its tokens and its own templates go with it.
                </p>
              </DeleteRecordButton>
            </>
          )
        }
      />
      <Flash />
      {savedWarning && (
        <Notice tone="warning" title="No allowed origins">
          <p>
            {savedWarning} <a href={`#${fieldId('allowedOrigins')}`}>Go to Allowed origins</a>
          </p>
        </Notice>
      )}
      <div class={widget ? 'editor-layout' : 'editor-layout editor-layout--single'}>
        <form class="editor" onSubmit={f.save} noValidate aria-label="Widget settings">
          <div ref={f.summary} tabIndex={-1} class="summary-anchor">
            {(f.shownErrors.length > 0 || f.generalError) && (
              <Notice
                tone="error"
                title={
                  f.shownErrors.length > 0
                    ? `Fix ${f.shownErrors.length === 1 ? 'this setting' : `these ${f.shownErrors.length} settings`} to save`
                    : 'Could not save'
                }
              >
                {f.shownErrors.length > 0 && (
                  <ul class="summary-list">
                    {f.shownErrors.map(([key, message]) => (
                      <li key={key}>
                        <a href={`#${targetId(key)}`}>
                          {labelFor(key)}: {message}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
                {f.generalError && <p>{f.generalError}</p>}
              </Notice>
            )}
          </div>

          <BasicsSection f={f} />
          <ResendSection f={f} />
          <Section id="section-advanced" title="Advanced" card>
            <CountriesFields f={f} />
            <CaptchaFields f={f} />
            <BehaviourFields f={f} />
            <AppearanceFields f={f} savedWarning={savedWarning} />
          </Section>
          <ProvidersSection f={f} />
          <DemoSection f={f} />
          <SaveBar f={f} existing={widget !== null} />
        </form>
        {widget && (
          <aside class="side" aria-label="Try it and embed">
            <TryIt widget={widget} dirty={f.dirty} />
          </aside>
        )}
      </div>
    </>
  );
}
