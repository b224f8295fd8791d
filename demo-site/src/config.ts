import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo-site package folder; relative paths are resolved from here. */
export const DEMO_SITE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the otpkit server writes its development widget: `<repo>/data/demo-widget.json`. */
export const DEFAULT_DEMO_FILE = resolve(DEMO_SITE_DIR, '../data/demo-widget.json');

export const DEFAULT_OTPKIT_URL = 'http://localhost:8787';
export const DEFAULT_PORT = 3000;

/** Options of the demo site; every field has a default. */
export interface DemoSiteOptions {
  /** Port to listen on; 0 picks a free one (default 3000). */
  port?: number;
  /** Interface to listen on (default: all). */
  hostname?: string;
  /** Public URL of the otpkit server (default `http://localhost:8787`). */
  otpkitUrl?: string;
  /** Widget id; read from `demoFile` when missing. */
  widgetId?: string;
  /** Widget token (`tokenAuth`); read from `demoFile` when missing. */
  tokenAuth?: string;
  /** Account authkey for `verifyAccessToken`; read from `demoFile` (key `authkey`) when missing. */
  authkey?: string;
  /** JSON file `{"widgetId","tokenAuth","authkey"?}` written by the otpkit server in development. */
  demoFile?: string;
  /** `fetch` used to call the otpkit server (tests). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

/** The widget credentials the pages and `/api/login` need; any may still be missing. */
export interface WidgetSettings {
  widgetId: string | undefined;
  tokenAuth: string | undefined;
  authkey: string | undefined;
}

/**
 * Reads the demo site's options from environment variables: `DEMO_PORT`,
 * `OTPKIT_URL`, `OTPKIT_WIDGET_ID`, `OTPKIT_TOKEN_AUTH`, `OTPKIT_AUTHKEY`,
 * `OTPKIT_DEMO_FILE` (relative to the demo-site folder).
 *
 * @throws Error naming the variable when one is malformed.
 */
export function demoSiteOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DemoSiteOptions {
  const options: DemoSiteOptions = {};
  const port = env.DEMO_PORT?.trim();
  if (port) {
    const value = Number(port);
    if (!Number.isInteger(value) || value < 0 || value > 65_535) {
      throw new Error(`DEMO_PORT must be a port number (0-65535), got "${port}"`);
    }
    options.port = value;
  }
  const otpkitUrl = env.OTPKIT_URL?.trim();
  if (otpkitUrl) {
    if (!/^https?:\/\/[^/]/.test(otpkitUrl) || !URL.canParse(otpkitUrl)) {
      throw new Error(`OTPKIT_URL must be an http(s) URL, got "${otpkitUrl}"`);
    }
    options.otpkitUrl = otpkitUrl;
  }
  const set = (value: string | undefined): string | undefined => value?.trim() || undefined;
  const widgetId = set(env.OTPKIT_WIDGET_ID);
  const tokenAuth = set(env.OTPKIT_TOKEN_AUTH);
  const authkey = set(env.OTPKIT_AUTHKEY);
  const demoFile = set(env.OTPKIT_DEMO_FILE);
  if (widgetId) options.widgetId = widgetId;
  if (tokenAuth) options.tokenAuth = tokenAuth;
  if (authkey) options.authkey = authkey;
  if (demoFile) options.demoFile = resolve(DEMO_SITE_DIR, demoFile);
  return options;
}

/**
 * Returns a function that yields the widget settings: the explicit options
 * first, then the demo file. The file is read again on each call until it
 * supplies everything, because the otpkit server may write it after the
 * demo site has started.
 */
export function createWidgetSettingsSource(
  options: DemoSiteOptions,
): () => Promise<WidgetSettings> {
  const demoFile = options.demoFile ?? DEFAULT_DEMO_FILE;
  let complete: WidgetSettings | undefined;
  return async () => {
    if (complete) return complete;
    let settings: WidgetSettings = {
      widgetId: options.widgetId,
      tokenAuth: options.tokenAuth,
      authkey: options.authkey,
    };
    if (!settings.widgetId || !settings.tokenAuth || !settings.authkey) {
      const fromFile = await readDemoFile(demoFile);
      settings = {
        widgetId: settings.widgetId ?? fromFile.widgetId,
        tokenAuth: settings.tokenAuth ?? fromFile.tokenAuth,
        authkey: settings.authkey ?? fromFile.authkey,
      };
    }
    if (settings.widgetId && settings.tokenAuth && settings.authkey) complete = settings;
    return settings;
  };
}

async function readDemoFile(path: string): Promise<Partial<WidgetSettings>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return {}; // not written yet, or half written: the pages show how to set things up
  }
  if (typeof data !== 'object' || data === null) return {};
  const record = data as Record<string, unknown>;
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  return {
    widgetId: text(record.widgetId),
    tokenAuth: text(record.tokenAuth),
    authkey: text(record.authkey),
  };
}
