/**
 * Composing the message a request sends from its widget's template (or the
 * built-in one), apart from the template service so that the checks the
 * service runs on save (`app-hash-fit.ts`) can compose without importing it.
 */
import type { Channel } from '@otpkit/protocol';
import type { Store, TemplateRecord, WidgetRecord } from '../../store/index.ts';
import { defaultLinkTemplate, defaultTemplate } from './defaults.ts';
import { isGsm7, renderTemplate } from './render.ts';

/** A message ready for a provider, with the SMS extras a template may carry. */
export interface ComposedMessage {
  subject?: string;
  text: string;
  html?: string;
  templateId: string | null;
  senderId?: string;
  dltTemplateId?: string;
  unicode?: boolean;
}

/**
 * What a caller of the legacy API writes itself: the SMS text (`message`),
 * sent instead of a template and rendered like a template body (`##OTP##`
 * and the other variables filled), and the sender id (`sender`).
 */
export interface CallerText {
  body?: string;
  senderId?: string;
}

/**
 * The message a widget sends on a channel, from its template (or the
 * built-in one) and the request's variables. A magic link (`link` instead
 * of `code`) uses the widget's template only when it has `##LINK##` and no
 * `##OTP##`; otherwise the built-in link text. A caller's own SMS text
 * (`text`) replaces the template.
 *
 * @throws OtpkitError `TEMPLATE_VARIABLE_MISSING`
 */
export async function composeMessage(
  store: Store,
  widget: WidgetRecord,
  channel: Channel,
  values: {
    code?: string;
    link?: string;
    variables: Record<string, string>;
    language: string;
    /** A template the caller named (server API v5 `template_id`) instead of the widget's. */
    template?: TemplateRecord;
    /** `##EXPIRY##` when the request's expiry is not the widget's (server API v5 `otp_expiry`). */
    expiryMinutes?: number;
    /** The caller's own SMS text, instead of any template. */
    text?: CallerText;
  },
): Promise<ComposedMessage> {
  const found =
    values.text?.body !== undefined || values.template
      ? values.template
      : await store.templates.findFor(widget.accountId, widget.id, channel);
  const isLink = values.link !== undefined;
  const template =
    isLink && found && !(found.body.includes('##LINK##') && !found.body.includes('##OTP##'))
      ? undefined
      : found;
  const builtIn =
    isLink && channel !== 'voice' && channel !== 'telegram'
      ? defaultLinkTemplate(channel, values.language)
      : defaultTemplate(channel, values.language);
  const source =
    values.text?.body !== undefined
      ? { body: values.text.body, subject: null, id: null }
      : template
        ? inLanguage(template, values.language)
        : { ...builtIn, id: null };
  const rendered = renderTemplate({
    channel,
    body: source.body,
    subject: source.subject ?? null,
    values: {
      ...values.variables,
      ...(values.code !== undefined ? { OTP: values.code } : {}),
      EXPIRY: String(values.expiryMinutes ?? widget.settings.expiryTime),
      WIDGET: widget.settings.name,
      ...(values.link !== undefined ? { LINK: values.link } : {}),
    },
  });
  const message: ComposedMessage = { text: rendered.text, templateId: source.id };
  if (rendered.subject !== undefined) message.subject = rendered.subject;
  if (rendered.html !== undefined) message.html = rendered.html;
  if (channel === 'sms') {
    message.unicode = Boolean(template?.unicode) || !isGsm7(rendered.text);
    const senderId = values.text?.senderId ?? template?.senderId;
    if (senderId) message.senderId = senderId;
    if (template?.dltTemplateId) message.dltTemplateId = template.dltTemplateId;
  }
  return message;
}

/**
 * A template's words in a language: its body (and subject) for that
 * language when it has one, else its main body.
 */
export function inLanguage(
  template: TemplateRecord,
  language: string,
): { body: string; subject: string | null; id: string } {
  const own = Object.hasOwn(template.translations, language)
    ? template.translations[language]
    : undefined;
  return {
    id: template.id,
    body: own?.body ?? template.body,
    subject: own?.subject ?? template.subject,
  };
}
