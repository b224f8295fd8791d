/**
 * Test fixtures: the running system, a page of our own that embeds the
 * widget (a different origin from the otpkit server, as on a customer's
 * site), and locators for the popup.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test as base, expect, type Frame, type Locator, type Page } from '@playwright/test';
import { type E2eEnvironment, e2eEnvironment } from './environment.ts';
import type { WidgetCredentials } from './otpkit.ts';

/** What a customer page passes to `initSendOTP`, minus the callbacks. */
export interface EmbedConfig extends WidgetCredentials {
  exposeMethods?: boolean;
  identifier?: string;
}

declare global {
  /** What `exposeMethods` puts on the page's window (see widget/README.md). */
  interface Window {
    sendOtp?: (identifier: string, ok?: (r: unknown) => void, fail?: (e: unknown) => void) => void;
    getWidgetData?: () => Record<string, unknown> | null;
    isCaptchaVerified?: () => boolean;
  }
}

/** A callback the embedding page received. */
export interface WidgetEvent {
  kind: 'success' | 'failure';
  data: { type: string; message: string; code?: string };
}

/**
 * The embedding page: `initSendOTP(window.cfg)` runs on `#open` (popup) or
 * as soon as the script loads (`exposeMethods`). Callbacks of the
 * configuration are recorded in `window.otpkitEvents`.
 */
function embedPage(serverUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Customer page</title>
  <link rel="icon" href="data:,">
  <style>body { font-family: sans-serif; margin: 2rem; } /* A host style the popup must ignore: */ input, button { font-size: 40px; }</style>
</head>
<body>
  <main>
    <h1>Customer page</h1>
    <button id="open" type="button">Verify me</button>
  </main>
  <script>
    const params = new URLSearchParams(location.search);
    const config = JSON.parse(params.get('config') || '{}');
    window.otpkitEvents = [];
    window.cfg = {
      ...config,
      success: (data) => window.otpkitEvents.push({ kind: 'success', data }),
      failure: (data) => window.otpkitEvents.push({ kind: 'failure', data }),
    };
    document.getElementById('open').addEventListener('click', () => window.initSendOTP(window.cfg));
    window.onWidgetScript = () => {
      window.widgetScriptLoaded = true;
      if (window.cfg.exposeMethods) window.initSendOTP(window.cfg);
    };
  </script>
  <script src="${serverUrl}/otp-provider.js" onload="onWidgetScript()"></script>
</body>
</html>
`;
}

/** A page of ours that shows the embedding page in an `<iframe>` (same origin). */
function framePage(src: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Page with a frame</title><link rel="icon" href="data:,"></head>
<body>
  <main>
    <h1>Page with a frame</h1>
    <iframe id="frame" title="Embedded login" src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="600" height="700"></iframe>
  </main>
</body>
</html>
`;
}

/** Opens embedding pages served from a server of the test's own. */
export interface Embed {
  /** The origin of the embedding pages (`http://127.0.0.1:PORT`). */
  origin: string;
  /** Loads the page with `config` and waits for the widget script. */
  open(config: EmbedConfig): Promise<void>;
  /**
   * Loads a page whose `<iframe>` holds the embedding page with `config`;
   * resolves with the frame once the widget script has loaded in it.
   */
  openInFrame(config: EmbedConfig): Promise<Frame>;
  /** The callbacks the page (or the frame, when given) has received so far. */
  events(frame?: Frame): Promise<WidgetEvent[]>;
}

/** The popup's parts, found by role and label (locators pierce the open shadow root). */
export interface Popup {
  host: Locator;
  dialog: Locator;
  identifier: Locator;
  send: Locator;
  code: Locator;
  close: Locator;
}

/**
 * Collects what the page logs with `console.error` from now on (frames
 * included); read the returned array when needed.
 */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** Locators for the popup on `page` (or in one of its frames). */
export function popupOn(page: Page | Frame, contactPoint: 'mobile' | 'email' = 'mobile'): Popup {
  const host = page.locator('#otpkit-widget-host');
  const dialog = host.getByRole('dialog');
  return {
    host,
    dialog,
    identifier: dialog.getByLabel(contactPoint === 'mobile' ? 'Phone number' : 'Email address', {
      exact: true,
    }),
    send: dialog.getByRole('button', { name: 'Send code' }),
    code: dialog.getByLabel('Verification code', { exact: true }),
    close: dialog.getByRole('button', { name: 'Close', exact: true }),
  };
}

interface TestFixtures {
  /** Our own customer page embedding the widget. */
  embed: Embed;
}

interface WorkerFixtures {
  /** The otpkit server and demo site started by global-setup.ts. */
  system: E2eEnvironment;
  /** Origin of the embedding page server. */
  embedOrigin: string;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  system: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their dependencies.
    async ({}, use) => {
      await use(e2eEnvironment());
    },
    { scope: 'worker' },
  ],

  embedOrigin: [
    async ({ system }, use) => {
      const html = embedPage(system.serverUrl);
      const server: Server = createServer((request, response) => {
        if (request.url?.startsWith('/embed')) {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(html);
        } else if (request.url?.startsWith('/frame')) {
          const query = new URL(request.url, 'http://localhost').searchParams;
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(
            framePage(`/embed?${new URLSearchParams({ config: query.get('config') ?? '{}' })}`),
          );
        } else {
          response.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await use(`http://127.0.0.1:${port}`);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    { scope: 'worker' },
  ],

  embed: async ({ page, embedOrigin }, use) => {
    const loaded = () => (window as { widgetScriptLoaded?: boolean }).widgetScriptLoaded === true;
    await use({
      origin: embedOrigin,
      async open(config) {
        const query = new URLSearchParams({ config: JSON.stringify(config) });
        await page.goto(`${embedOrigin}/embed?${query}`);
        await page.waitForFunction(loaded);
      },
      async openInFrame(config) {
        const query = new URLSearchParams({ config: JSON.stringify(config) });
        await page.goto(`${embedOrigin}/frame?${query}`);
        const frame = await (await page.locator('#frame').elementHandle())?.contentFrame();
        if (!frame) throw new Error('The page has no #frame iframe');
        await frame.waitForFunction(loaded);
        return frame;
      },
      events: (frame) =>
        (frame ?? page).evaluate(
          () => (window as unknown as { otpkitEvents: WidgetEvent[] }).otpkitEvents,
        ),
    });
  },
});

export { expect };
