/**
 * The `initSendOTP(configuration)` object: the keys the widget knows, and
 * every other string or number key, which becomes a template variable.
 */
import { WIDGET_CONFIGURATION_KEYS } from '@otpkit/protocol';
import type { OtpError, OtpVerified } from './client.ts';

/** What a customer passes to `initSendOTP`. */
export interface WidgetConfiguration {
  widgetId: string;
  tokenAuth: string;
  /** Prefills the popup: a mobile number with country code, or an email. */
  identifier?: string;
  /** Define `window.sendOtp` & co. instead of showing the popup. */
  exposeMethods?: boolean;
  /** Called with `{type:'success', message:<access token>}` once verified. */
  success?: (data: OtpVerified) => void;
  /** Called with `{type:'error', message, code}` when verification cannot go on. */
  failure?: (error: OtpError) => void;
  /** Id of the element where a captcha renders (captcha support comes later). */
  captchaRenderId?: string;
  /** Base URL of the otpkit server; defaults to the origin this script was loaded from. */
  apiBaseUrl?: string;
  /** Any other key is a template variable. */
  [variable: string]: unknown;
}

/** The configuration after checking: known keys typed, the rest split off as variables. */
export interface ParsedConfiguration {
  widgetId: string;
  tokenAuth: string;
  identifier: string | undefined;
  exposeMethods: boolean;
  success: ((data: OtpVerified) => void) | undefined;
  failure: ((error: OtpError) => void) | undefined;
  captchaRenderId: string | undefined;
  apiBaseUrl: string;
  variables: Record<string, string>;
}

/**
 * Reads a configuration object. `defaultBaseUrl` is used when it has no
 * `apiBaseUrl`; string and number values of unknown keys become variables.
 */
export function parseConfiguration(
  configuration: WidgetConfiguration | null | undefined,
  defaultBaseUrl: string,
): ParsedConfiguration {
  const raw: Record<string, unknown> = configuration ?? {};
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (WIDGET_CONFIGURATION_KEYS.includes(key)) continue;
    const asText = text(value);
    if (asText !== undefined) variables[key] = asText;
  }
  return {
    widgetId: text(raw.widgetId)?.trim() ?? '',
    tokenAuth: text(raw.tokenAuth)?.trim() ?? '',
    identifier: text(raw.identifier)?.trim() || undefined,
    exposeMethods: raw.exposeMethods === true || raw.exposeMethods === 'true',
    success:
      typeof raw.success === 'function'
        ? (raw.success as ParsedConfiguration['success'])
        : undefined,
    failure:
      typeof raw.failure === 'function'
        ? (raw.failure as ParsedConfiguration['failure'])
        : undefined,
    captchaRenderId: text(raw.captchaRenderId),
    apiBaseUrl: (text(raw.apiBaseUrl)?.trim() || defaultBaseUrl).replace(/\/+$/, ''),
    variables,
  };
}

/** Calls a customer callback without letting its exceptions break the widget. */
export function safeCall<T>(callback: ((value: T) => void) | undefined, value: T): void {
  if (!callback) return;
  try {
    callback(value);
  } catch (error) {
    console.error('otpkit: a callback threw', error);
  }
}
