/**
 * The console shell: sign-in gate, header with navigation, and the routes.
 */
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { AnalyticsPage } from './analytics/AnalyticsPage.tsx';
import { SignIn } from './auth/SignIn.tsx';
import { authkey, loadMeta, meta, signOut } from './auth/session.ts';
import { AuthkeysPage } from './authkeys/AuthkeysPage.tsx';
import { LogsPage } from './logs/LogsPage.tsx';
import { PasskeysPage } from './passkeys/PasskeysPage.tsx';
import { match, navigate, route } from './router.ts';
import { TemplateEditor } from './templates/TemplateEditor.tsx';
import { TemplatesPage } from './templates/TemplatesPage.tsx';
import { EmptyState, Link } from './ui/components.tsx';
import { TokensPage } from './widgets/TokensPage.tsx';
import { WidgetEditor } from './widgets/WidgetEditor.tsx';
import { WidgetsPage } from './widgets/WidgetsPage.tsx';

/** The development outbox page, when the server has one. */
export function outboxUrl(): string | null {
  const m = meta.value;
  if (!m?.devOutbox) return null;
  return `${m.publicUrl.replace(/\/$/, '')}/dev/outbox/view`;
}

/** The API reference page the server renders from its OpenAPI document. */
export function apiReferenceUrl(): string {
  const base = meta.value?.publicUrl.replace(/\/$/, '') ?? '';
  return `${base}/docs/api`;
}

function Page(): JSX.Element {
  const { path, query } = route.value;
  if (path === '/' || path === '/widgets') return <WidgetsPage />;
  if (path === '/widgets/new') return <WidgetEditor widgetId={null} />;
  let params = match('/widgets/:widgetId', path);
  if (params) return <WidgetEditor widgetId={params.widgetId ?? ''} />;
  params = match('/widgets/:widgetId/tokens', path);
  if (params) return <TokensPage widgetId={params.widgetId ?? ''} />;
  if (path === '/templates') return <TemplatesPage widgetId={query.get('widgetId')} />;
  if (path === '/templates/new')
    return <TemplateEditor templateId={null} widgetId={query.get('widgetId')} />;
  params = match('/templates/:templateId', path);
  if (params) return <TemplateEditor templateId={params.templateId ?? ''} widgetId={null} />;
  if (path === '/authkeys') return <AuthkeysPage />;
  if (path === '/logs') return <LogsPage />;
  if (path === '/analytics') return <AnalyticsPage />;
  if (path === '/passkeys') return <PasskeysPage />;
  return (
    <>
      <h1>Page not found</h1>
      <EmptyState title="There is nothing at this address.">
        <Link to="/widgets" class="button">
          Go to widgets
        </Link>
      </EmptyState>
    </>
  );
}

const NAV = [
  { to: '/widgets', label: 'Widgets', section: ['/', '/widgets'] },
  { to: '/templates', label: 'Templates', section: ['/templates'] },
  { to: '/logs', label: 'Logs', section: ['/logs'] },
  { to: '/analytics', label: 'Analytics', section: ['/analytics'] },
  { to: '/passkeys', label: 'Passkeys', section: ['/passkeys'] },
  { to: '/authkeys', label: 'Authkeys', section: ['/authkeys'] },
];

function Header(): JSX.Element {
  const path = route.value.path;
  const outbox = outboxUrl();
  return (
    <header class="topbar">
      <div class="topbar__inner">
        <Link to="/widgets" class="brand" aria-label="otpkit console home">
          <span class="brand__mark" aria-hidden="true" />
          otpkit
        </Link>
        <nav aria-label="Main" class="topnav">
          {NAV.map((item) => {
            const current = item.section.some((s) =>
              s === '/' ? path === '/' : path === s || path.startsWith(`${s}/`),
            );
            return (
              <Link
                key={item.to}
                to={item.to}
                class="topnav__link"
                aria-current={current ? 'page' : undefined}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div class="topbar__end">
          <a class="topnav__link" href={apiReferenceUrl()}>
            API reference
          </a>
          {outbox && (
            <a class="topnav__link topnav__dev" href={outbox} target="_blank" rel="noreferrer">
              Dev outbox<span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          )}
          <button type="button" class="button button--small" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}

/** The whole console. */
export function App(): JSX.Element {
  const key = authkey.value;
  useEffect(() => {
    void loadMeta();
  }, []);
  useEffect(() => {
    const { path } = route.value;
    if (key && path === '/') navigate('/widgets', { replace: true });
  }, [key]);
  if (!key) return <SignIn />;
  return (
    <>
      <a href="#main" class="skip-link">
        Skip to content
      </a>
      <Header />
      <main id="main" class="content" tabIndex={-1}>
        {/* Keyed by path: a new route mounts a fresh page (no state carried from /widgets/new). */}
        <Page key={route.value.path} />
      </main>
    </>
  );
}
