/**
 * The demo site's pages, as HTML strings. Each shows one way a customer
 * embeds the otpkit widget; the browser code is plain JavaScript in
 * `demo-site/public/` (served at `/assets/`), so "view source" is the
 * documentation, and the pages need no 'unsafe-inline' in their CSP.
 */
import type { WidgetSettings } from './config.ts';

/** What a page needs to know to load the widget. */
export interface PageContext {
  /** Public URL of the otpkit server, without a trailing slash. */
  otpkitUrl: string;
  settings: WidgetSettings;
}

/** `/`: the widget's own popup. */
export function renderPopupPage(context: PageContext): string {
  return layout({
    title: 'Log in',
    current: '/',
    context,
    intro: `
      <p>Prove you own a phone number or an email address: the otpkit popup sends you a
        one-time code and hands this page an access token, which our backend checks.</p>`,
    main: `
      <button id="login" type="button" disabled>Log in with phone or email</button>
      <p id="result" class="result" role="status" aria-live="polite"></p>`,
    pageScript: '/assets/popup.js',
  });
}

/** `/custom`: the site's own form, driving the widget through `exposeMethods`. */
export function renderCustomPage(context: PageContext): string {
  return layout({
    title: 'Log in with your own form',
    current: '/custom',
    context,
    intro: `
      <p>This page draws its own form and calls the widget's methods
        (<code>exposeMethods: true</code>): <code>sendOtp</code>, <code>verifyOtp</code>
        and <code>retryOtp</code>; with passkeys, <code>registerPasskey</code> and
        <code>signInWithPasskey</code>.</p>`,
    main: `
      <p id="passkey-signin-row" class="actions" hidden>
        <button id="passkey-signin" type="button">Sign in with a passkey</button>
      </p>
      <form id="send-form" novalidate>
        <label for="identifier">Phone or email</label>
        <input id="identifier" name="identifier" type="text" autocomplete="username"
          aria-describedby="identifier-hint" required>
        <p id="identifier-hint" class="hint">A mobile number with its country code
          (such as 919999999999), or an email address.</p>
        <button id="send" type="submit" disabled>Send code</button>
      </form>
      <form id="verify-form" novalidate hidden>
        <label for="otp">Code</label>
        <input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code"
          required>
        <div class="actions">
          <button id="verify" type="submit">Verify</button>
          <button id="resend" type="button" class="secondary">Resend</button>
        </div>
      </form>
      <p id="passkey-offer" class="actions" hidden>
        <button id="passkey-create" type="button">Create a passkey for next time</button>
      </p>
      <p id="status" class="status" role="status" aria-live="polite"></p>
      <p id="result" class="result" role="status" aria-live="polite"></p>`,
    pageScript: '/assets/custom.js',
  });
}

/**
 * The configuration as a JSON data block (never executed), the widget script,
 * and the page's own script, all deferred so they run in this order; none
 * until a widget is configured.
 */
function pageScripts(context: PageContext, pageScript: string): string {
  const { widgetId, tokenAuth } = context.settings;
  if (!widgetId || !tokenAuth) return '';
  const widgetSrc = escapeHtml(`${context.otpkitUrl}/otp-provider.js`);
  return `
    <script type="application/json" id="demo-config">${scriptJson({ widgetId, tokenAuth })}</script>
    <script src="${widgetSrc}" defer></script>
    <script src="/assets/shared.js" defer></script>
    <script src="${pageScript}" defer></script>`;
}

function setupNotice({ settings }: PageContext): string {
  if (!settings.widgetId || !settings.tokenAuth) {
    return `
      <section id="setup-notice" class="notice" aria-labelledby="setup-title">
        <h2 id="setup-title">This demo is not connected to an otpkit widget yet</h2>
        <p>Run <code>pnpm start</code> in the repository root: it starts the otpkit server,
          which creates a development widget and writes <code>data/demo-widget.json</code>,
          and this demo site, which reads it. Reload this page once it is running.</p>
        <p>Or set <code>OTPKIT_WIDGET_ID</code>, <code>OTPKIT_TOKEN_AUTH</code> and
          <code>OTPKIT_AUTHKEY</code> before starting the demo site.</p>
      </section>`;
  }
  if (!settings.authkey) {
    return `
      <section id="setup-notice" class="notice" aria-labelledby="setup-title">
        <h2 id="setup-title">The backend cannot check tokens yet</h2>
        <p>The widget works, but <code>/api/login</code> needs the account authkey: set
          <code>OTPKIT_AUTHKEY</code> before starting the demo site.</p>
      </section>`;
  }
  return '';
}

interface LayoutParts {
  /** The page's title and heading. */
  title: string;
  current: '/' | '/custom';
  context: PageContext;
  /** What the page shows, before the setup notice (if any). */
  intro: string;
  /** The page's controls, after it. */
  main: string;
  /** The page's own script, in `demo-site/public/`. */
  pageScript: string;
}

function layout({ title, current, context, intro, main, pageScript }: LayoutParts): string {
  const link = (href: LayoutParts['current'], text: string): string =>
    `<a href="${href}"${href === current ? ' aria-current="page"' : ''}>${text}</a>`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)} · otpkit demo</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/assets/demo.css">
  </head>
  <body>
    <header>
      <span class="brand">Acme (otpkit demo)</span>
      <nav aria-label="Demo pages">
        ${link('/', 'Popup')}
        ${link('/custom', 'Custom form')}
      </nav>
    </header>
    <main>
      <h1>${escapeHtml(title)}</h1>${intro}
      ${setupNotice(context)}${main}
    </main>
    <footer>
      <p>A sample customer site. Widget served by
        <code>${escapeHtml(context.otpkitUrl)}</code>.</p>
    </footer>${pageScripts(context, pageScript)}
  </body>
</html>
`;
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** JSON that is safe inside a `<script>` element (no `</script>` breakout). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}
