/**
 * The "Try it" panel: runs the real widget script (`/otp-provider.js`,
 * loaded once) with this widget and its first live token, and shows what a
 * site would receive: the access token and its claims, or the failure.
 */

import type { Widget, WidgetToken } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, meta } from '../auth/session.ts';
import { CopyButton, Field, FieldGroup, Notice, Section } from '../ui/components.tsx';
import { useLoad } from '../ui/use-load.ts';
import { decodeJwtClaims } from './claims.ts';
import { tryItVariables } from './try-variables.ts';

declare global {
  interface Window {
    initSendOTP?: (configuration: Record<string, unknown>) => void;
  }
}

let scriptLoading: Promise<void> | null = null;

/** Adds `<script src="/otp-provider.js">` once; resolves when `initSendOTP` exists. */
export function loadWidgetScript(src = `${location.origin}/otp-provider.js`): Promise<void> {
  if (window.initSendOTP) return Promise.resolve();
  scriptLoading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.dataset.otpkitConsole = '';
    script.onload = () => resolve();
    script.onerror = () => {
      script.remove();
      scriptLoading = null;
      reject(new Error(`Could not load ${src}.`));
    };
    document.head.append(script);
  });
  return scriptLoading;
}

type Outcome =
  | { kind: 'success'; token: string; claims: Record<string, unknown> | null }
  | { kind: 'failure'; code: string; message: string };

function hintFor(code: string, widget: Widget): string | null {
  switch (code) {
    case 'ORIGIN_NOT_ALLOWED':
      return `Add ${location.origin} to Allowed origins to try the widget from the console.`;
    case 'WIDGET_DISABLED':
      return 'Set Status to Enabled and save.';
    case 'WIDGET_MOBILE_ONLY':
      return 'Turn off Mobile integration to run the widget in a browser.';
    case 'INVALID_TOKEN_AUTH':
      return 'The token was revoked: create a new one under Tokens.';
    case 'IFRAME_NOT_ALLOWED':
      return 'Turn on Allow in iFrame.';
    case 'TEMPLATE_VARIABLE_MISSING':
      return 'Fill in every template variable above, then try again.';
    default:
      return widget.status === 'disabled' ? 'The widget is disabled.' : null;
  }
}

/** The panel beside the widget editor. */
export function TryIt(props: { widget: Widget; dirty: boolean }): JSX.Element {
  const { widget } = props;
  const tokens = useLoad(() => api.listTokens(widget.widgetId), [widget.widgetId]);
  // The variables its templates use: a site passes them to initSendOTP, so Try it asks for them.
  const templates = useLoad(() => api.listTemplates(), [widget.widgetId]);
  const variableNames = templates.data ? tryItVariables(templates.data, widget) : [];
  const [values, setValues] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const token = tryItToken(widget.widgetId, tokens.data);
  const m = meta.value;
  const outbox = m?.devOutbox ? `${m.publicUrl.replace(/\/$/, '')}/dev/outbox/view` : null;
  const serverUrl = (m?.publicUrl ?? location.origin).replace(/\/$/, '');

  async function tryIt(): Promise<void> {
    setOutcome(null);
    setLoadError(null);
    setRunning(true);
    try {
      const usable = token ?? (await newTryItToken(widget.widgetId));
      await loadWidgetScript();
      if (!window.initSendOTP) throw new Error('The widget script did not define initSendOTP.');
      window.initSendOTP({
        ...Object.fromEntries(variableNames.map((name) => [name, values[name] ?? ''])),
        widgetId: widget.widgetId,
        tokenAuth: usable.tokenAuth,
        success: (data: { message?: unknown }) => {
          const accessToken = String(data.message ?? '');
          setOutcome({ kind: 'success', token: accessToken, claims: decodeJwtClaims(accessToken) });
          setRunning(false);
        },
        failure: (error: { code?: unknown; message?: unknown }) => {
          setOutcome({
            kind: 'failure',
            code: String(error.code ?? 'ERROR'),
            message: String(error.message ?? 'The widget failed.'),
          });
          setRunning(false);
        },
      });
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    } finally {
      // The popup owns the flow from here; closing it fires no callback.
      setRunning(false);
    }
  }

  const snippet = `<script src="${serverUrl}/otp-provider.js"></script>
<script>
  initSendOTP({
    widgetId: '${widget.widgetId}',
    tokenAuth: '${token?.tokenAuth ?? 'TOKEN'}',
${variableNames.map((name) => `    ${/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`}: '…', // ##${name}## in your templates\n`).join('')}    success: (data) => { /* send data.message (the access token) to your server */ },
    failure: (error) => console.warn(error.code, error.message),
  });
</script>`;

  return (
    <>
      <Section id="try-it-title" title="Try it" card>
        <p class="muted small">
          Opens this widget’s popup here, as your visitors see it, with its saved settings.
        </p>
        {props.dirty && (
          <p class="small warning-text">You have unsaved changes: save them to try them.</p>
        )}
        {outbox && (
          <p class="small">
            <a href={outbox} target="_blank" rel="noreferrer">
              Codes arrive in the development outbox
              <span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          </p>
        )}
        {variableNames.length > 0 && (
          <FieldGroup
            name="tryIt"
            legend="Template variables"
            hint={
              <>
                Your templates use these; your site passes them to <code>initSendOTP</code>.
              </>
            }
          >
            {variableNames.map((name) => (
              <Field key={name} name={`tryIt.${name}`} label={`Value for ${name}`}>
                {(a) => (
                  <input
                    {...a}
                    type="text"
                    autoComplete="off"
                    value={values[name] ?? ''}
                    onInput={(e) => {
                      const value = e.currentTarget.value;
                      setValues((v) => ({ ...v, [name]: value }));
                    }}
                  />
                )}
              </Field>
            ))}
          </FieldGroup>
        )}
        {tokens.error && <Notice tone="error">{tokens.error.message}</Notice>}
        <button
          type="button"
          class="button button--primary"
          disabled={!tokens.data || running}
          aria-busy={running || undefined}
          onClick={() => void tryIt()}
        >
          Try it
        </button>
        <div aria-live="polite" class="try-result">
          {loadError && <Notice tone="error">{loadError}</Notice>}
          {outcome?.kind === 'failure' && (
            <Notice tone="error" title={`Failed: ${outcome.code}`} id="try-it-failure">
              <p>{outcome.message}</p>
              {hintFor(outcome.code, widget) && <p>{hintFor(outcome.code, widget)}</p>}
            </Notice>
          )}
          {outcome?.kind === 'success' && (
            <Notice tone="success" title="Verified" id="try-it-success">
              <p>
                Your site’s <code>success</code> callback gets this access token:
              </p>
              <div class="token-box">
                <code class="mono break" data-testid="try-it-token">
                  {outcome.token}
                </code>
                <CopyButton value={outcome.token} label="Copy access token" />
              </div>
              {outcome.claims && (
                <>
                  <p class="small">
                    Claims (verify the token on your server, never in the browser):
                  </p>
                  <pre class="code">{JSON.stringify(outcome.claims, null, 2)}</pre>
                </>
              )}
            </Notice>
          )}
        </div>
      </Section>
      <Section id="embed-title" title="Embed on your site" card>
        <pre class="code">{snippet}</pre>
        <CopyButton value={snippet} label="Copy embed code" />
      </Section>
    </>
  );
}

/**
 * Tokens are stored hashed, so the console cannot read an existing one back:
 * Try it creates its own token ("Console: try it") the first time and keeps
 * it in this browser, as long as it is still live.
 */
const TRY_IT_KEY = 'otpkit.console.tryItTokens';

function storedTokens(): Record<string, { tokenId: string; tokenAuth: string }> {
  try {
    return JSON.parse(localStorage.getItem(TRY_IT_KEY) ?? '{}') as Record<
      string,
      { tokenId: string; tokenAuth: string }
    >;
  } catch {
    return {};
  }
}

function tryItToken(
  widgetId: string,
  live: WidgetToken[] | undefined,
): { tokenId: string; tokenAuth: string } | undefined {
  const stored = storedTokens()[widgetId];
  return stored && live?.some((t) => t.tokenId === stored.tokenId) ? stored : undefined;
}

async function newTryItToken(widgetId: string): Promise<{ tokenId: string; tokenAuth: string }> {
  const created = await api.createToken(widgetId, 'Console: try it');
  const kept = { tokenId: created.tokenId, tokenAuth: created.tokenAuth ?? '' };
  localStorage.setItem(TRY_IT_KEY, JSON.stringify({ ...storedTokens(), [widgetId]: kept }));
  return kept;
}
