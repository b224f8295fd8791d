/**
 * Whether a widget's code SMS still fits the SMS Retriever API once it ends
 * with the widget's `androidAppHash`: checked when the widget or an SMS
 * template it uses is saved, so a message that cannot fit is refused then,
 * not discovered on a phone.
 */
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { Store, TemplateRecord, WidgetRecord } from '../../store/index.ts';
import { composeMessage } from './compose.ts';
import { requiredVariables } from './render.ts';
import { SMS_RETRIEVER_MAX_BYTES, smsBytes, withAutofillLine } from './sms-autofill.ts';

/**
 * The bytes of the widget's shortest possible code SMS with its app hash:
 * the longest code (`otpLength` digits), custom variables empty, in the
 * language an app's call gets (`auto` is English: the SDKs send no
 * `Accept-Language`).
 */
export async function appHashMessageBytes(
  store: Store,
  widget: WidgetRecord,
  template?: TemplateRecord,
): Promise<number> {
  const s = widget.settings;
  const code = '0'.repeat(s.otpLength);
  const found = template ?? (await store.templates.findFor(widget.accountId, widget.id, 'sms'));
  const variables = Object.fromEntries(
    requiredVariables(found?.body).map((name) => [name, ''] as const),
  );
  const message = await composeMessage(store, widget, 'sms', {
    code,
    variables,
    language: s.language === 'auto' ? 'en' : s.language,
    ...(template ? { template } : {}),
  });
  const text = withAutofillLine(message.text, code, {
    host: null,
    androidAppHash: s.androidAppHash,
  });
  return smsBytes(text, { unicode: message.unicode === true });
}

/** What `checkAppHashFits` and `checkTemplateFitsAppHashes` throw. */
export const APP_HASH_FIT_ERRORS = errorCodes('APP_HASH_MESSAGE_TOO_LONG');

/**
 * Refuses a widget whose code SMS cannot end with its app hash within 140
 * bytes (with `template`: as if the widget used that SMS template).
 * Throws {@link APP_HASH_FIT_ERRORS}.
 */
export async function checkAppHashFits(
  store: Store,
  widget: WidgetRecord,
  template?: TemplateRecord,
): Promise<void> {
  if (!widget.settings.androidAppHash) return;
  const bytes = await appHashMessageBytes(store, widget, template);
  if (bytes > SMS_RETRIEVER_MAX_BYTES) {
    throw new OtpkitError(
      'APP_HASH_MESSAGE_TOO_LONG',
      `With its app hash, the code SMS of widget "${widget.settings.name}" takes ${bytes} bytes; Android's SMS Retriever reads at most ${SMS_RETRIEVER_MAX_BYTES}. Shorten the SMS template (or the widget name it shows), or remove androidAppHash.`,
      { fields: [{ path: 'androidAppHash', message: `the SMS would take ${bytes} of 140 bytes` }] },
    );
  }
}

/**
 * Refuses an SMS template that a widget with an app hash would use (its own
 * widget's, or the account's for widgets without their own) when the
 * message could not fit.
 * Throws {@link APP_HASH_FIT_ERRORS}.
 */
export async function checkTemplateFitsAppHashes(
  store: Store,
  template: TemplateRecord,
): Promise<void> {
  if (template.channel !== 'sms') return;
  const widgets = template.widgetId
    ? [await store.widgets.get(template.widgetId)].filter((w) => w !== undefined)
    : await store.widgets.list(template.accountId);
  for (const widget of widgets) {
    if (!widget.settings.androidAppHash) continue;
    if (!template.widgetId) {
      const own = await store.templates.list(template.accountId, { widgetId: widget.id });
      if (own.some((t) => t.channel === 'sms')) continue;
    }
    await checkAppHashFits(store, widget, template);
  }
}
