/**
 * The template editor's form model, its checks and its conversion to the
 * admin API's template body.
 */
import type { Language, Template, TemplateChannel, TemplateInput } from '@otpkit/protocol';
import type { FieldIssue } from '../api/client.ts';
import { type FieldErrors, mapFieldIssues } from '../ui/field-errors.ts';
import { nonGsmCharacters } from './segments.ts';

/** The editor's state. */
export interface TemplateForm {
  name: string;
  channel: TemplateChannel;
  /** `''`: an account template, used by every widget without its own. */
  widgetId: string;
  subject: string;
  body: string;
  unicode: boolean;
  senderId: string;
  dltTemplateId: string;
  /** The body (and email subject; `''`: the main one) in other languages, in the order added. */
  translations: TranslationForm[];
}

/** A template's words in one language, as the editor holds them. */
export interface TranslationForm {
  language: Language;
  subject: string;
  body: string;
}

/** Starting bodies per channel, so a new template reads like a real one. */
export const SAMPLE_BODIES: Readonly<Record<TemplateChannel, string>> = {
  sms: '##OTP## is your verification code. It expires in 10 minutes. Do not share it.',
  whatsapp: '*##OTP##* is your verification code. For your security, do not share it.',
  voice: 'Your verification code is ##OTP##. Again, your code is ##OTP##.',
  email:
    'Hello,\n\nYour verification code is ##OTP##. It expires in 10 minutes.\n\nIf you did not ask for it, ignore this email.',
};

/** A new template's form. */
export function newTemplateForm(widgetId: string | null): TemplateForm {
  return {
    name: '',
    channel: 'sms',
    widgetId: widgetId ?? '',
    subject: 'Your verification code',
    body: SAMPLE_BODIES.sms,
    unicode: false,
    senderId: '',
    dltTemplateId: '',
    translations: [],
  };
}

/** The form showing a saved template. */
export function formFromTemplate(t: Template): TemplateForm {
  return {
    name: t.name,
    channel: t.channel,
    widgetId: t.widgetId ?? '',
    subject: t.subject ?? '',
    body: t.body,
    unicode: t.unicode,
    senderId: t.senderId ?? '',
    dltTemplateId: t.dltTemplateId ?? '',
    translations: Object.entries(t.translations ?? {}).map(([language, words]) => ({
      language: language as Language,
      subject: words?.subject ?? '',
      body: words?.body ?? '',
    })),
  };
}

/** The body of `POST`/`PATCH /templates`: only the fields the channel uses. */
export function templateInputFromForm(form: TemplateForm): TemplateInput {
  const input: TemplateInput = {
    name: form.name.trim(),
    channel: form.channel,
    body: form.body,
    widgetId: form.widgetId || null,
    // Always the whole set, so a language removed in the editor is removed on save.
    translations: Object.fromEntries(
      form.translations.map((t) => [
        t.language,
        {
          body: t.body,
          subject: form.channel === 'email' && t.subject.trim() ? t.subject.trim() : null,
        },
      ]),
    ),
  };
  if (form.channel === 'email') input.subject = form.subject.trim();
  if (form.channel === 'sms') {
    input.unicode = form.unicode;
    if (form.senderId.trim()) input.senderId = form.senderId.trim();
    if (form.dltTemplateId.trim()) input.dltTemplateId = form.dltTemplateId.trim();
  }
  return input;
}

/** The obvious mistakes, before a round trip. */
export function validateTemplateForm(form: TemplateForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.name.trim()) errors.name = 'Is required';
  if (!form.body.trim()) errors.body = 'Is required';
  if (form.channel === 'email' && !form.subject.trim()) errors.subject = 'Is required for email';
  const mark = form.body.includes('##LINK##') ? '##LINK##' : '##OTP##';
  for (const t of form.translations) {
    if (!t.body.trim()) errors[`translations.${t.language}`] = 'Is required';
    else if (!t.body.includes(mark)) errors[`translations.${t.language}`] = `Must contain ${mark}`;
  }
  if (form.channel === 'sms' && !form.unicode) {
    const outside = nonGsmCharacters(form.body);
    if (outside.length > 0) {
      errors.unicode = `Must be on: the body has characters outside GSM-7 (${outside.slice(0, 5).join(' ')})`;
    }
  }
  if (
    form.channel === 'sms' &&
    form.senderId.trim() &&
    !/^[A-Za-z0-9 ]{1,15}$/.test(form.senderId.trim())
  ) {
    errors.senderId = 'Must be up to 15 letters, digits or spaces';
  }
  if (
    form.channel === 'sms' &&
    form.dltTemplateId.trim() &&
    !/^\d{1,30}$/.test(form.dltTemplateId.trim())
  ) {
    errors.dltTemplateId = 'Must be digits only';
  }
  return errors;
}

const FIELDS = new Set([
  'name',
  'channel',
  'widgetId',
  'subject',
  'body',
  'unicode',
  'senderId',
  'dltTemplateId',
]);

/** Maps the server's field issues onto the template editor. */
export function templateErrorsFromIssues(issues: readonly FieldIssue[]): {
  errors: FieldErrors;
  unplaced: FieldIssue[];
} {
  return mapFieldIssues(issues, (path) => {
    const [head = '', language] = path.split('.');
    if (head === 'translations' && language) return { key: `translations.${language}` };
    return FIELDS.has(head) ? { key: head } : null;
  });
}
