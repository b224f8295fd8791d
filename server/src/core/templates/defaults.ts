/**
 * Built-in templates per channel and language (every language of
 * `SUPPORTED_LANGUAGES`), used until an owner sets their own. Written with
 * the same `##…##` placeholders as custom ones, and put together from each
 * language's sentences in `phrases.ts`.
 */
import type { Channel } from '@otpkit/protocol';
import { PHRASES, type Phrases } from './phrases.ts';

interface DefaultTemplate {
  body: string;
  subject?: string;
}

const emailHtml = (
  lead: string,
  expires: string,
  ignore: string,
) => `<div style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:28rem;margin:0 auto;padding:24px;color:#1f2328">
<p style="margin:0 0 16px">${lead}</p>
<p style="margin:0 0 16px;font-size:32px;font-weight:700;letter-spacing:6px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace">##OTP##</p>
<p style="margin:0 0 8px;color:#57606a">${expires}</p>
<p style="margin:0;color:#57606a">${ignore}</p>
</div>`;

/** A language's code templates, from its sentences (`phrases.ts`). */
const codeTemplates = (p: Phrases): Record<Channel, DefaultTemplate> => ({
  sms: { body: `${p.code} ${p.expires} ${p.share}` },
  whatsapp: { body: `${p.code.replace('##OTP##', '*##OTP##*')} ${p.expires} ${p.share}` },
  voice: { body: p.voice },
  // Telegram's Gateway sends only the code, in Telegram's own words; this text is what the log shows.
  telegram: { body: p.code },
  email: { subject: p.subject, body: emailHtml(p.lead, `${p.expires} ${p.share}`, p.ignore) },
});

const DEFAULTS: Record<string, Record<Channel, DefaultTemplate>> = Object.fromEntries(
  Object.entries(PHRASES).map(([language, phrases]) => [language, codeTemplates(phrases)]),
);

/** The built-in template for a channel in a language (English when the language has none). */
export function defaultTemplate(channel: Channel, language: string): DefaultTemplate {
  return (DEFAULTS[language] ?? DEFAULTS.en!)[channel];
}

const linkEmailHtml = (
  lead: string,
  button: string,
  expires: string,
  ignore: string,
) => `<div style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:28rem;margin:0 auto;padding:24px;color:#1f2328">
<p style="margin:0 0 16px">${lead}</p>
<p style="margin:0 0 16px"><a href="##LINK##" style="display:inline-block;padding:12px 20px;border-radius:8px;background:#1a73e8;color:#ffffff;font-weight:600;text-decoration:none">${button}</a></p>
<p style="margin:0 0 8px;color:#57606a;word-break:break-all">##LINK##</p>
<p style="margin:0 0 8px;color:#57606a">${expires}</p>
<p style="margin:0;color:#57606a">${ignore}</p>
</div>`;

type LinkChannel = Exclude<Channel, 'voice' | 'telegram'>;

/** A language's magic-link templates, from its sentences (`phrases.ts`). */
const linkTemplates = (p: Phrases): Record<LinkChannel, DefaultTemplate> => ({
  sms: { body: `${p.linkOpen} ##LINK## ${p.expires} ${p.linkShare ?? p.share}` },
  whatsapp: {
    body: `${p.linkOpen.replace('##WIDGET##', '*##WIDGET##*')} ##LINK##\n${p.expires} ${p.linkShare ?? p.share}`,
  },
  email: {
    subject: p.linkSubject,
    body: linkEmailHtml(p.linkLead, p.linkButton, p.linkExpires, p.linkIgnore),
  },
});

const LINK_DEFAULTS: Record<string, Record<LinkChannel, DefaultTemplate>> = Object.fromEntries(
  Object.entries(PHRASES).map(([language, phrases]) => [language, linkTemplates(phrases)]),
);

/**
 * The built-in magic-link template for a channel in a language (English
 * when the language has none). Voice never carries a link.
 */
export function defaultLinkTemplate(channel: LinkChannel, language: string): DefaultTemplate {
  return (LINK_DEFAULTS[language] ?? LINK_DEFAULTS.en!)[channel];
}
