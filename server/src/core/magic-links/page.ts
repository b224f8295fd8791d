/**
 * The pages a magic link opens: a confirmation with one button, the done
 * page, and a page per problem. Server-rendered, no script at all; the one
 * style block is allowed by its hash, so the CSP can forbid everything else.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../../platform/html.ts';
import { describeAgent } from './agent.ts';
import type { LinkProblem } from './service.ts';

const STYLE = `:root{color-scheme:light dark;--fg:#1f2328;--muted:#57606a;--bg:#f6f8fa;--card:#fff;--line:#d0d7de;--accent:#1a73e8;--warn:#9a6700}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#161b22;--line:#30363d;--accent:#4493f8;--warn:#d29922}}
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:16px}
main{width:100%;max-width:30rem;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:28px}
h1{font-size:1.35rem;margin:0 0 8px}p{margin:0 0 16px}.muted{color:var(--muted)}
dl{margin:0 0 20px;display:grid;grid-template-columns:auto 1fr;gap:6px 16px}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.note{font-size:.9rem;color:var(--muted)}.warn{border-left:3px solid var(--warn);padding-left:12px}
button{width:100%;font:inherit;font-weight:600;padding:12px 16px;border:0;border-radius:8px;background:var(--accent);color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
label{display:block;font-weight:600;margin:0 0 6px}.err{color:#cf222e;font-weight:600}
input{display:block;width:6rem;font:inherit;font-size:1.6rem;letter-spacing:.25em;text-align:center;padding:6px 8px;margin:0 0 8px;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:var(--fg)}
input:focus-visible{outline:3px solid var(--accent);outline-offset:1px}`;

const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/** The page's Content-Security-Policy: nothing but the style block; the form may go only here (and to the redirect). */
export function pageCsp(formTargets: string[] = []): string {
  return [
    "default-src 'none'",
    `style-src '${STYLE_HASH}'`,
    `form-action 'self'${formTargets.map((t) => ` ${t}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

type Lang = 'en' | 'hi';

const TEXT = {
  en: {
    confirmTitle: (site: string) => `Sign in to ${site}?`,
    confirmLead: (who: string) => `Someone asked to sign in as ${who}. Check that it was you:`,
    site: 'Site (as claimed)',
    browser: 'Browser (as claimed)',
    place: 'From',
    when: 'Asked',
    appOf: (name: string) => `an app or server of ${name}`,
    unknownBrowser: 'Not known (no browser information was sent)',
    browserOn: (b: string, os: string) => `${b} on ${os}`,
    ip: (ip: string) => `IP address ${ip}`,
    noIp: 'Not known',
    ipNote:
      'otpkit does not look up places: this is the network address the request came from, not a location.',
    unverified:
      'Not verified: the site and the browser above are what the request said about itself. otpkit cannot check them, and anyone can ask for a link while claiming to be any site. The number below is the check.',
    matchLabel: 'Type the number shown on the page where you asked to sign in',
    matchNote: 'You get one try: a wrong number ends this link.',
    matchRetype: 'Type the two-digit number to continue.',
    warn: 'If you did not ask to sign in, no page is showing you a number: close this page. Nothing happens until you type the number and press the button.',
    button: 'Sign me in',
    doneTitle: 'You are signed in',
    doneLead: (site: string) =>
      `Go back to ${site}: it continues by itself. You can close this tab.`,
    problems: {
      invalid: [
        'This link is not valid',
        'Check that you opened the whole link from your message, or ask for a new one.',
      ],
      used: [
        'This link has already been used',
        'Each link works once. If you just signed in, you are done. Otherwise, ask for a new link.',
      ],
      expired: ['This link has expired', 'Go back to the site and ask for a new link.'],
      replaced: [
        'A newer link was sent',
        'Only the latest link works. Open the newest message you received.',
      ],
      forbidden: [
        'This confirmation could not be checked',
        'Open the link from your message again and press the button on that page.',
      ],
      ended: [
        'This link no longer works',
        'The number typed did not match the one shown where sign-in was asked, so the link was ended. If it was you, go back to the site and ask for a new link.',
      ],
    },
    title: 'Sign-in link',
  },
  hi: {
    confirmTitle: (site: string) => `${site} में साइन इन करें?`,
    confirmLead: (who: string) =>
      `किसी ने ${who} के रूप में साइन इन करने का अनुरोध किया है। जाँच लें कि यह आप ही थे:`,
    site: 'साइट (जैसा बताया गया)',
    browser: 'ब्राउज़र (जैसा बताया गया)',
    place: 'कहाँ से',
    when: 'कब',
    appOf: (name: string) => `${name} का कोई ऐप या सर्वर`,
    unknownBrowser: 'पता नहीं (ब्राउज़र की कोई जानकारी नहीं भेजी गई)',
    browserOn: (b: string, os: string) => `${os} पर ${b}`,
    ip: (ip: string) => `IP पता ${ip}`,
    noIp: 'पता नहीं',
    ipNote: 'otpkit स्थान नहीं खोजता: यह वह नेटवर्क पता है जहाँ से अनुरोध आया, कोई स्थान नहीं।',
    unverified:
      'सत्यापित नहीं: ऊपर दी गई साइट और ब्राउज़र वही हैं जो अनुरोध ने अपने बारे में बताया। otpkit इनकी जाँच नहीं कर सकता, और कोई भी किसी भी साइट के नाम से लिंक माँग सकता है। नीचे दी गई संख्या ही जाँच है।',
    matchLabel: 'वह संख्या लिखें जो उस पेज पर दिख रही है जहाँ आपने साइन इन का अनुरोध किया',
    matchNote: 'केवल एक प्रयास: गलत संख्या से यह लिंक समाप्त हो जाएगा।',
    matchRetype: 'आगे बढ़ने के लिए दो अंकों की संख्या लिखें।',
    warn: 'यदि आपने साइन इन का अनुरोध नहीं किया, तो कोई पेज आपको संख्या नहीं दिखा रहा: यह पेज बंद कर दें। संख्या लिखकर बटन दबाने तक कुछ नहीं होगा।',
    button: 'मुझे साइन इन करें',
    doneTitle: 'आप साइन इन हो गए हैं',
    doneLead: (site: string) => `${site} पर वापस जाएँ: वह अपने आप आगे बढ़ेगा। आप यह टैब बंद कर सकते हैं।`,
    problems: {
      invalid: ['यह लिंक मान्य नहीं है', 'जाँचें कि आपने संदेश से पूरा लिंक खोला है, या नया लिंक माँगें।'],
      used: [
        'यह लिंक पहले ही उपयोग हो चुका है',
        'हर लिंक एक बार काम करता है। यदि आपने अभी साइन इन किया है, तो काम हो गया। नहीं तो नया लिंक माँगें।',
      ],
      expired: ['इस लिंक की समय-सीमा समाप्त हो गई है', 'साइट पर वापस जाएँ और नया लिंक माँगें।'],
      replaced: ['एक नया लिंक भेजा गया है', 'केवल नवीनतम लिंक काम करता है। आपको मिला सबसे नया संदेश खोलें।'],
      forbidden: ['इस पुष्टि की जाँच नहीं हो सकी', 'अपने संदेश से लिंक फिर से खोलें और उस पेज पर बटन दबाएँ।'],
      ended: [
        'यह लिंक अब काम नहीं करता',
        'लिखी गई संख्या उस संख्या से मेल नहीं खाई जो साइन इन के अनुरोध वाले पेज पर दिखी थी, इसलिए लिंक समाप्त कर दिया गया। यदि यह आप थे, तो साइट पर वापस जाकर नया लिंक माँगें।',
      ],
    },
    title: 'साइन-इन लिंक',
  },
} as const;

/** The page's language: Hindi when asked for, else English. */
export function pageLanguage(language: string | null | undefined): Lang {
  return language === 'hi' ? 'hi' : 'en';
}

function layout(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

function ago(lang: Lang, ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  return minutes < 60
    ? rtf.format(-minutes, 'minute')
    : rtf.format(-Math.round(minutes / 60), 'hour');
}

/** What the confirmation page says about the request. */
export interface ConfirmFacts {
  language: string;
  widgetName: string;
  /** Host of the page that asked (`Origin`); `null` for an app or a server. */
  host: string | null;
  identifier: string;
  userAgent: string | null;
  ip: string | null;
  requestedAgoMs: number;
  /** Where the form posts (the link's own path). */
  action: string;
  csrf: string;
  /** Whether the form asks for the match number (every link request has one). */
  asksNumber: boolean;
  /** Shown above the number field when the last post had no two-digit number. */
  retype?: boolean;
}

/** The confirmation page: who asked, from which browser and address, and one button. */
export function confirmPage(f: ConfirmFacts): string {
  const lang = pageLanguage(f.language);
  const t = TEXT[lang];
  const agent = describeAgent(f.userAgent);
  const browser = agent.browser
    ? agent.os
      ? t.browserOn(agent.browser, agent.os)
      : agent.browser
    : t.unknownBrowser;
  const site = f.host ?? f.widgetName;
  const rows: [string, string, string][] = [
    ['site', t.site, f.host ? `${f.host} (${f.widgetName})` : t.appOf(f.widgetName)],
    ['browser', t.browser, browser],
    ['place', t.place, f.ip ? t.ip(f.ip) : t.noIp],
    ['when', t.when, ago(lang, f.requestedAgoMs)],
  ];
  const e = escapeHtml;
  return layout(
    lang,
    t.title,
    `<h1>${e(t.confirmTitle(site))}</h1>
<p>${e(t.confirmLead(f.identifier))}</p>
<dl>${rows.map(([key, k, v]) => `<dt>${e(k)}</dt><dd data-field="${key}">${e(v)}</dd>`).join('')}</dl>
<p class="note" data-field="unverified">${e(t.unverified)} ${e(t.ipNote)}</p>
<p class="warn">${e(t.warn)}</p>
<form method="post" action="${e(f.action)}"><input type="hidden" name="csrf" value="${e(f.csrf)}">${
      f.asksNumber
        ? `${f.retype ? `<p class="err" role="alert">${e(t.matchRetype)}</p>` : ''}<label for="match">${e(t.matchLabel)}</label><input id="match" name="match" type="text" inputmode="numeric" pattern="[0-9]{2}" minlength="2" maxlength="2" autocomplete="off" required autofocus><p class="note">${e(t.matchNote)}</p>`
        : ''
    }<button type="submit">${e(t.button)}</button></form>`,
  );
}

/** The page after a confirmation when the widget has no redirect. */
export function donePage(language: string, site: string): string {
  const t = TEXT[pageLanguage(language)];
  return layout(
    pageLanguage(language),
    t.doneTitle,
    `<h1>${escapeHtml(t.doneTitle)}</h1><p>${escapeHtml(t.doneLead(site))}</p>`,
  );
}

/** A page for a link that cannot be confirmed: what happened and what to do. */
export function problemPage(language: string, problem: LinkProblem | 'forbidden'): string {
  const lang = pageLanguage(language);
  const [title, lead] = TEXT[lang].problems[problem];
  return layout(
    lang,
    title,
    `<h1>${escapeHtml(title)}</h1><p class="muted">${escapeHtml(lead)}</p>`,
  );
}
