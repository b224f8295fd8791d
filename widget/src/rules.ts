/**
 * The widget settings the browser itself enforces, before any popup or
 * exposed method runs: a disabled widget, a widget set up for the mobile
 * SDKs only, and a widget that may not run inside a frame.
 */
import type { WidgetData } from '@otpkit/protocol';
import { type OtpError, otpError } from './client.ts';

/** Whether this page is inside a frame. A cross-origin parent that can't be compared counts as one. */
export function isInFrame(win: Window = window): boolean {
  try {
    return win.self !== win.top;
  } catch {
    return true;
  }
}

/**
 * The top page's origin when this page is a frame (`location.ancestorOrigins`,
 * Chromium and Safari: the browsers with WebOTP or one-time-code autofill),
 * for the origin-bound WebOTP line for frames; `undefined` at the top.
 */
export function topOriginOf(win: Window = window): string | undefined {
  if (!isInFrame(win)) return undefined;
  const ancestors = win.location.ancestorOrigins;
  const top = ancestors?.[ancestors.length - 1];
  return top && top !== 'null' ? top : undefined;
}

/** Where the widget is being run. */
export interface RunContext {
  /** The page is inside a frame (see {@link isInFrame}). */
  inFrame: boolean;
}

/**
 * Why the browser script must not run this widget here, or `undefined` when
 * it may. The server refuses these cases too; this keeps the visitor from
 * seeing a form that can only fail.
 *
 * @example refusalOf(data, { inFrame: isInFrame() })?.code // 'IFRAME_NOT_ALLOWED'
 */
export function refusalOf(data: WidgetData, context: RunContext): OtpError | undefined {
  if (data.mobileIntegration === true) {
    return otpError(
      'WIDGET_MOBILE_ONLY',
      'This widget is set up for the mobile SDKs (mobileIntegration) and cannot run in a browser. ' +
        'Turn mobileIntegration off, or use another widget for the web.',
    );
  }
  if (data.iFrame === false && context.inFrame) {
    return otpError(
      'IFRAME_NOT_ALLOWED',
      'This page is inside a frame and the widget does not allow that. ' +
        'Turn the widget’s iFrame setting on, or load it in the top-level page.',
    );
  }
  if (data.status?.value === '0') {
    return otpError('WIDGET_DISABLED', 'This widget is disabled. Enable it in the console.');
  }
  return undefined;
}

/** Every code {@link refusalOf} gives; the server answers a browser with these too. */
export const REFUSALS: ReadonlySet<string> = new Set([
  'WIDGET_MOBILE_ONLY',
  'IFRAME_NOT_ALLOWED',
  'WIDGET_DISABLED',
]);

/**
 * Refusals that mean no widget UI at all (no popup, no exposed methods).
 * A disabled widget still shows the popup's polite "unavailable" message.
 */
export const SILENT_REFUSALS: ReadonlySet<string> = new Set([
  'WIDGET_MOBILE_ONLY',
  'IFRAME_NOT_ALLOWED',
]);

/**
 * A developer hint for a widget-data request that failed at the network
 * level while the browser is online: the likely cause is CORS, i.e. a page
 * origin missing from the widget's `allowedOrigins`.
 */
export function unreachableHint(widgetId: string, apiBaseUrl: string): string {
  return (
    `otpkit: could not load widget "${widgetId}" from ${apiBaseUrl} (NETWORK_ERROR) although the browser is online. ` +
    `If this page's origin (${location.origin}) is not in the widget's allowedOrigins, the server refuses it ` +
    'and the browser reports a network (CORS) error; otherwise check that the server is reachable.'
  );
}
