/**
 * The template variables the "Try it" panel asks for: those of the templates
 * a widget sends with (its own per channel, else the account's), which a
 * site passes as extra keys of `initSendOTP`.
 */
import {
  type Channel,
  contactPointOf,
  TEMPLATE_CHANNELS,
  type Template,
  WIDGET_CONFIGURATION_KEYS,
  type Widget,
} from '@otpkit/protocol';

/** A placeholder, as the server reads it (`##name##`, `##order-id##`). */
const PLACEHOLDER = /##([A-Za-z_][\w-]{0,63})##/g;

/** Filled in by otpkit itself, never by the site. */
const BUILT_IN = new Set(['OTP', 'LINK', 'EXPIRY', 'WIDGET']);

function channelsOf(widget: Pick<Widget, 'contactPoints'>): Channel[] {
  return [...TEMPLATE_CHANNELS.filter((c) => widget.contactPoints.includes(contactPointOf(c)))];
}

/**
 * The variable names (sorted) a send for `widget` may need, from `templates`
 * (all of the account's). Built-ins and configuration keys are left out.
 *
 * @example tryItVariables([{ channel: 'sms', widgetId: 'w1', body: 'Hi ##name##, ##OTP##', … }], widget) // ['name']
 */
export function tryItVariables(
  templates: readonly Pick<Template, 'channel' | 'widgetId' | 'body' | 'subject'>[],
  widget: Pick<Widget, 'widgetId' | 'contactPoints'>,
): string[] {
  const names = new Set<string>();
  for (const channel of channelsOf(widget)) {
    const own = templates.filter((t) => t.channel === channel && t.widgetId === widget.widgetId);
    const used =
      own.length > 0 ? own : templates.filter((t) => t.channel === channel && t.widgetId === null);
    for (const t of used) {
      for (const [, name] of `${t.subject ?? ''}\n${t.body}`.matchAll(PLACEHOLDER)) {
        if (name && !BUILT_IN.has(name) && !WIDGET_CONFIGURATION_KEYS.includes(name))
          names.add(name);
      }
    }
  }
  return [...names].sort();
}
