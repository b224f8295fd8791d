/**
 * The template editor's live preview: the body rendered by the server
 * (debounced), shown as the visitor gets it: an SMS bubble, an email, or the
 * spoken text.
 */
import type { Channel, TemplatePreview } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../auth/session.ts';
import { Notice } from '../ui/components.tsx';
import type { TemplateForm } from './form.ts';

const PREVIEW_DELAY_MS = 350;

/** The server's rendering of `form` with `samples`, fetched a moment after the last change. */
export function usePreview(
  form: TemplateForm,
  samples: Record<string, string>,
): { preview: TemplatePreview | null; error: string | null; pending: boolean } {
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

/** The variables the body uses; those with no sample value marked. */
export function VariablesList(props: { variables: string[]; missing: string[] }): JSX.Element {
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

/** What {@link usePreview} has for `form`: the message as the visitor gets it, or why not. */
export function PreviewPanel(props: {
  form: TemplateForm;
  preview: TemplatePreview | null;
  error: string | null;
}): JSX.Element {
  const { form, preview, error } = props;
  return (
    <>
      {error && (
        <Notice tone="warning" title="Preview unavailable">
          {error}
        </Notice>
      )}
      {preview && <PreviewView channel={form.channel} preview={preview} senderId={form.senderId} />}
    </>
  );
}

/** The rendered message as the visitor gets it. */
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
