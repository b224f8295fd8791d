/**
 * Message templates: `##OTP##` and named `##variables##`, rendered for a
 * channel. Variables are escaped for where they land (HTML for email, no
 * markup for voice, no control characters anywhere); a variable the template
 * needs but nobody supplied is an error, never a message with `##name##` in it.
 */
import type { Channel } from '@otpkit/protocol';
import { OtpkitError } from '../../platform/errors.ts';
import { escapeHtml } from '../../platform/html.ts';
import { smsLength } from './sms-length.ts';

/** Variables every template may use without the caller supplying them. */
export const BUILT_IN_VARIABLES = ['OTP', 'LINK', 'EXPIRY', 'WIDGET'] as const;

const PLACEHOLDER = /##([A-Za-z_][\w-]{0,63})##/g;

/** The variable names a template body uses, in order of first use. */
export function variablesOf(...texts: (string | null | undefined)[]): string[] {
  const names = new Set<string>();
  for (const text of texts) for (const m of (text ?? '').matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names];
}

/** The template variables a caller must supply (all but the built-ins). */
export function requiredVariables(...texts: (string | null | undefined)[]): string[] {
  return variablesOf(...texts).filter(
    (n) => !(BUILT_IN_VARIABLES as readonly string[]).includes(n),
  );
}

export { isGsm7 } from './sms-length.ts';

/** SMS segments a text needs: GSM-7 160/153 characters, UCS-2 70/67. */
export function smsSegments(text: string, unicode: boolean): number {
  return smsLength(text, { unicode }).segments;
}

/** Plain text of an HTML email body: tags dropped, entities decoded, blocks on their own lines. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table)>/gi, '\n')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '$2 ($1)')
    .replace(/<[^>]+>/g, '')
    .replace(
      /&(amp|lt|gt|quot|#39|nbsp);/g,
      (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[e] ?? '',
    )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function escapeFor(channel: Channel, value: string, html: boolean): string {
  const clean = value.replace(CONTROL, '');
  if (html) return escapeHtml(clean);
  if (channel === 'voice') return clean.replace(/[<>&]/g, ' ');
  return clean;
}

export interface RenderInput {
  channel: Channel;
  body: string;
  subject?: string | null;
  /** Values of built-ins and caller variables; a built-in absent here renders as missing. */
  values: Record<string, string>;
  /** With `onMissing: 'placeholder'` (previews), missing variables render as `[name]`. */
  onMissing?: 'error' | 'placeholder';
}

export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
  /** Variables that had no value (only with `onMissing: 'placeholder'`). */
  missing: string[];
}

/**
 * Renders a template. Email bodies are HTML: values are HTML-escaped and a
 * plain-text part is derived. Voice spells `##OTP##` digit by digit.
 *
 * @throws OtpkitError `TEMPLATE_VARIABLE_MISSING` naming the variables.
 */
export function renderTemplate(input: RenderInput): RenderedMessage {
  const missing = new Set<string>();
  const fill = (text: string, html: boolean) =>
    text.replace(PLACEHOLDER, (_, name: string) => {
      let value = input.values[name];
      if (value === undefined) {
        missing.add(name);
        return `[${name}]`;
      }
      if (name === 'OTP' && input.channel === 'voice') value = value.split('').join(', ');
      return escapeFor(input.channel, value, html);
    });
  const isEmail = input.channel === 'email';
  const body = fill(input.body, isEmail);
  const subject = isEmail ? fill(input.subject ?? '', false) : undefined;
  if (missing.size > 0 && input.onMissing !== 'placeholder') {
    const names = [...missing];
    throw new OtpkitError(
      'TEMPLATE_VARIABLE_MISSING',
      `The message template needs ${names.map((n) => `##${n}##`).join(', ')}: pass ${names.length === 1 ? 'it' : 'them'} in the widget configuration or the API call.`,
    );
  }
  return isEmail
    ? { subject, text: htmlToText(body), html: body, missing: [...missing] }
    : { text: body, missing: [...missing] };
}
