/**
 * The demo site shows passkeys: at start it turns them on for its widget and
 * adds its own origin to the widget's `allowedOrigins` (a passkey belongs to
 * the site it was made on). `DEMO_PASSKEYS=false` leaves the widget alone.
 */
import type { WidgetSettings } from './config.ts';

/** What happened to the widget. */
export type PasskeySetup = 'enabled' | 'already' | 'skipped';

/**
 * Turns passkeys on for the demo widget, for pages served from `siteUrl`.
 *
 * @throws Error when the otpkit server refuses (the message names its answer).
 */
export async function enableDemoPasskeys(
  otpkitUrl: string,
  siteUrl: string,
  settings: WidgetSettings,
  doFetch: typeof fetch = fetch,
): Promise<PasskeySetup> {
  if (!settings.widgetId || !settings.authkey) return 'skipped';
  const url = `${otpkitUrl.replace(/\/+$/, '')}/api/v1/widgets/${encodeURIComponent(settings.widgetId)}`;
  const headers = { authkey: settings.authkey, 'content-type': 'application/json' };
  const current = await doFetch(url, { headers });
  if (!current.ok) throw new Error(`GET widget answered ${current.status}`);
  const widget = (await current.json()) as { allowedOrigins?: string[]; passkeys?: boolean };
  const origin = new URL(siteUrl).origin;
  const origins = widget.allowedOrigins ?? [];
  if (widget.passkeys && origins.includes(origin)) return 'already';
  const changed = await doFetch(url, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ passkeys: true, allowedOrigins: [...new Set([...origins, origin])] }),
  });
  if (!changed.ok)
    throw new Error(`PATCH widget answered ${changed.status}: ${await changed.text()}`);
  return 'enabled';
}
