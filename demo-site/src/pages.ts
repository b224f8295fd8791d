/**
 * The demo site's pages, as HTML strings. Each shows one way a customer
 * embeds the otpkit widget; the browser code is plain inline JavaScript, so
 * "view source" is the documentation.
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
  const { widgetId, tokenAuth } = context.settings;
  const ready = Boolean(widgetId && tokenAuth);
  return layout({
    title: 'Log in',
    current: '/',
    context,
    main: `
      <h1>Log in</h1>
      <p>Prove you own a phone number or an email address: the otpkit popup sends you a
        one-time code and hands this page an access token, which our backend checks.</p>
      ${setupNotice(context)}
      <button id="login" type="button" disabled>Log in with phone or email</button>
      <p id="result" class="result" role="status" aria-live="polite"></p>`,
    script: ready
      ? `
    <script>
      const configuration = ${scriptJson({ widgetId, tokenAuth })};
      const loginButton = document.getElementById('login');
      ${CLIENT_HELPERS}
      window.otpkitLoaded = () => {
        loginButton.disabled = false;
      };
      window.otpkitFailed = () => {
        showResult('error', 'The otpkit widget could not be loaded. Is the otpkit server running?', 'NETWORK_ERROR');
      };
      loginButton.addEventListener('click', () => {
        showResult('', '');
        // Without exposeMethods, initSendOTP opens the widget's popup.
        window.initSendOTP({
          ...configuration,
          success: (data) => logIn(data.message),
          failure: (error) => showResult('error', 'Login failed: ' + error.message, error.code),
        });
      });
    </script>
    ${widgetScriptTag(context.otpkitUrl)}`
      : '',
  });
}

/** `/custom`: the site's own form, driving the widget through `exposeMethods`. */
export function renderCustomPage(context: PageContext): string {
  const { widgetId, tokenAuth } = context.settings;
  const ready = Boolean(widgetId && tokenAuth);
  return layout({
    title: 'Log in with your own form',
    current: '/custom',
    context,
    main: `
      <h1>Log in with your own form</h1>
      <p>This page draws its own form and calls the widget's methods
        (<code>exposeMethods: true</code>): <code>sendOtp</code>, <code>verifyOtp</code>
        and <code>retryOtp</code>.</p>
      ${setupNotice(context)}
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
      <p id="status" class="status" role="status" aria-live="polite"></p>
      <p id="result" class="result" role="status" aria-live="polite"></p>`,
    script: ready
      ? `
    <script>
      const configuration = ${scriptJson({ widgetId, tokenAuth })};
      const sendForm = document.getElementById('send-form');
      const verifyForm = document.getElementById('verify-form');
      const identifierInput = document.getElementById('identifier');
      const otpInput = document.getElementById('otp');
      const sendButton = document.getElementById('send');
      const statusElement = document.getElementById('status');
      let reqId;
      let loggedInWith;
      ${CLIENT_HELPERS}

      function showStatus(state, text, code) {
        statusElement.dataset.state = state;
        if (code) statusElement.dataset.code = code;
        else delete statusElement.dataset.code;
        statusElement.textContent = text;
      }
      function widgetReady() {
        if (typeof window.sendOtp === 'function') return true;
        showStatus('error', 'The otpkit widget is still loading. Try again in a moment.');
        return false;
      }
      function onVerified(data) {
        const token = data && data.message;
        // The configuration's success may fire too: log in once per token, and only with a JWT.
        if (typeof token !== 'string' || !/^[\\w-]+\\.[\\w-]+\\.[\\w-]+$/.test(token)) return;
        if (token === loggedInWith) return;
        loggedInWith = token;
        showStatus('success', 'Code verified.');
        logIn(token);
      }
      function onFailure(error) {
        showStatus('error', error.message, error.code);
      }

      window.otpkitLoaded = () => {
        window.initSendOTP({
          ...configuration,
          exposeMethods: true,
          success: onVerified,
          failure: onFailure,
        });
        sendButton.disabled = false;
      };
      window.otpkitFailed = () => {
        showStatus('error', 'The otpkit widget could not be loaded. Is the otpkit server running?', 'NETWORK_ERROR');
      };

      sendForm.addEventListener('submit', (event) => {
        event.preventDefault();
        const identifier = identifierInput.value.trim();
        if (!identifier) {
          showStatus('error', 'Enter a phone number with its country code, or an email address.');
          identifierInput.focus();
          return;
        }
        if (!widgetReady()) return;
        sendButton.disabled = true;
        showResult('', '');
        showStatus('pending', 'Sending a code…');
        window.sendOtp(
          identifier,
          (data) => {
            reqId = data.message;
            sendButton.disabled = false;
            verifyForm.hidden = false;
            showStatus('success', 'We sent a code to ' + identifier + '.');
            otpInput.focus();
          },
          (error) => {
            sendButton.disabled = false;
            onFailure(error);
          },
        );
      });

      verifyForm.addEventListener('submit', (event) => {
        event.preventDefault();
        const otp = otpInput.value.trim();
        if (!otp) {
          showStatus('error', 'Enter the code you received.');
          otpInput.focus();
          return;
        }
        if (!widgetReady()) return;
        showStatus('pending', 'Checking the code…');
        window.verifyOtp(otp, onVerified, onFailure, reqId);
      });

      document.getElementById('resend').addEventListener('click', () => {
        if (!widgetReady()) return;
        showStatus('pending', 'Sending a new code…');
        // null: the widget's default retry channel.
        window.retryOtp(
          null,
          (data) => {
            if (data && data.message) reqId = data.message;
            showStatus('success', 'We sent a new code.');
          },
          onFailure,
          reqId,
        );
      });
    </script>
    ${widgetScriptTag(context.otpkitUrl)}`
      : '',
  });
}

/** Browser code both pages share: `showResult` and the `/api/login` call. */
const CLIENT_HELPERS = `
      const result = document.getElementById('result');
      function showResult(state, text, code) {
        result.dataset.state = state;
        if (code) result.dataset.code = code;
        else delete result.dataset.code;
        result.textContent = text;
      }
      async function logIn(accessToken) {
        showResult('pending', 'Checking the access token with our backend…');
        try {
          const response = await fetch('/api/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ accessToken }),
          });
          const body = await response.json();
          if (body.ok) showResult('success', 'Verified: ' + body.identifier);
          else showResult('error', 'Login failed: ' + body.message, body.code);
        } catch {
          showResult('error', 'Login failed: the demo backend could not be reached.', 'NETWORK_ERROR');
        }
      }`;

function widgetScriptTag(otpkitUrl: string): string {
  const src = escapeHtml(`${otpkitUrl}/otp-provider.js`);
  return `<script src="${src}" onload="otpkitLoaded()" onerror="otpkitFailed()"></script>`;
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
  title: string;
  current: '/' | '/custom';
  context: PageContext;
  main: string;
  script: string;
}

function layout({ title, current, context, main, script }: LayoutParts): string {
  const link = (href: LayoutParts['current'], text: string): string =>
    `<a href="${href}"${href === current ? ' aria-current="page"' : ''}>${text}</a>`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)} · otpkit demo</title>
    <link rel="icon" href="data:,">
    <style>${STYLES}</style>
  </head>
  <body>
    <header>
      <span class="brand">Acme (otpkit demo)</span>
      <nav aria-label="Demo pages">
        ${link('/', 'Popup')}
        ${link('/custom', 'Custom form')}
      </nav>
    </header>
    <main>${main}
    </main>
    <footer>
      <p>A sample customer site. Widget served by
        <code>${escapeHtml(context.otpkitUrl)}</code>.</p>
    </footer>${script}
  </body>
</html>
`;
}

const STYLES = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: #f1f5f9; color: #1e293b; line-height: 1.5; }
  header { display: flex; gap: 1.5rem; align-items: center; justify-content: space-between;
    padding: 0.75rem 1.5rem; background: #ffffff; border-bottom: 1px solid #cbd5e1; }
  .brand { font-weight: 700; }
  nav { display: flex; gap: 1rem; }
  nav a { color: #1d4ed8; }
  nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: #1e293b; }
  main { max-width: 30rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #ffffff;
    border: 1px solid #cbd5e1; border-radius: 0.75rem; }
  h1 { margin-top: 0; font-size: 1.5rem; }
  h2 { font-size: 1.05rem; margin: 0 0 0.5rem; }
  form { display: grid; gap: 0.5rem; margin: 1rem 0; }
  form > button { justify-self: start; }
  form[hidden] { display: none; }
  label { font-weight: 600; }
  input { font: inherit; padding: 0.5rem 0.75rem; border: 1px solid #64748b; border-radius: 0.375rem; }
  .hint { margin: 0; font-size: 0.875rem; color: #475569; }
  .actions { display: flex; gap: 0.5rem; }
  button { font: inherit; font-weight: 600; padding: 0.6rem 1rem; border: 1px solid #1d4ed8;
    border-radius: 0.375rem; background: #1d4ed8; color: #ffffff; cursor: pointer; }
  button.secondary { background: #ffffff; color: #1d4ed8; }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .notice { margin: 1rem 0; padding: 0.75rem 1rem; background: #fef3c7; border: 1px solid #d97706;
    border-radius: 0.5rem; color: #422006; }
  .notice p { margin: 0.25rem 0; }
  .status, .result { min-height: 1.5em; margin: 0.75rem 0 0; }
  .result { font-size: 1.15rem; font-weight: 700; }
  [data-state="success"] { color: #166534; }
  [data-state="error"] { color: #b91c1c; }
  code { font-size: 0.9em; background: #f1f5f9; padding: 0 0.25rem; border-radius: 0.25rem; }
  footer { text-align: center; font-size: 0.875rem; color: #475569; }
`;

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
