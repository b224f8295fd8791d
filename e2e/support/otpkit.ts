/**
 * Talking to the running otpkit server from the tests: the admin API (to make
 * widgets with special settings) and the development outbox (to read codes).
 */
import { e2eEnvironment } from './environment.ts';

type MobileChannel = 'sms' | 'whatsapp' | 'voice';

/** Widget settings the admin API accepts (all optional but the name). */
export interface WidgetSettingsInput {
  name: string;
  status?: 'enabled' | 'disabled';
  contactPoints?: Array<'mobile' | 'email'>;
  primaryChannel?: { mobile?: MobileChannel; email?: 'email' };
  retryChannels?: { mobile?: MobileChannel[]; email?: Array<'email'> };
  countryChannels?: Record<string, MobileChannel>;
  otpLength?: number;
  expiryTime?: number;
  retryCount?: number;
  retryTime?: number;
  maxAttempts?: number;
  defaultCountry?: string;
  allowedCountries?: string[] | null;
  allowedOrigins?: string[];
  mobileIntegration?: boolean;
  iFrame?: boolean;
  language?: 'auto' | 'en' | 'hi';
  /** Offer a passkey after the first code (needs allowedOrigins). */
  passkeys?: boolean;
  demoCredentials?: Array<{ identifier: string; otp: string }>;
  verificationType?: 'otp' | 'magic_link';
  redirectUrl?: string | null;
  /** The popup's accent colour, `#rrggbb` (the server works out the theme from it). */
  brandColor?: string | null;
  /** The captcha (new widgets default to `pow`). */
  captcha?: {
    provider: 'pow' | 'recaptcha-v3' | 'turnstile' | 'hcaptcha' | 'none';
    siteKey?: string;
    secretKey?: string;
  };
}

/** A widget as the tests use it. */
export interface WidgetCredentials {
  widgetId: string;
  tokenAuth: string;
}

/** One message in the development outbox. */
export interface OutboxMessage {
  to: string;
  channel: string;
  subject?: string;
  text: string;
  requestId: string;
  createdAt: string;
}

/**
 * Calls the admin API (`/api/v1…`, header `authkey`) and returns the JSON
 * answer; throws with the request and the answer unless the status is `expected`.
 */
export async function adminApi<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  expected = method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200,
): Promise<T> {
  const { serverUrl, authkey } = e2eEnvironment();
  const response = await fetch(`${serverUrl}/api/v1${path}`, {
    method,
    headers: { authkey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(
      `${method} /api/v1${path} ${body === undefined ? '' : JSON.stringify(body)} answered ${response.status} (expected ${expected}): ${text}`,
    );
  }
  return (text ? JSON.parse(text) : {}) as T;
}

/** Creates a widget through the admin API (`POST /api/v1/widgets`). */
export async function createWidget(settings: WidgetSettingsInput): Promise<WidgetCredentials> {
  const body = await adminApi<Partial<WidgetCredentials>>('POST', '/widgets', settings);
  if (!body.widgetId || !body.tokenAuth) {
    throw new Error(
      `POST /api/v1/widgets answered without widgetId/tokenAuth: ${JSON.stringify(body)}`,
    );
  }
  return { widgetId: body.widgetId, tokenAuth: body.tokenAuth };
}

/** Changes some settings of a widget (`PATCH /api/v1/widgets/:widgetId`); returns the widget. */
export function updateWidget(
  widgetId: string,
  patch: Partial<WidgetSettingsInput>,
): Promise<Record<string, unknown>> {
  return adminApi('PATCH', `/widgets/${encodeURIComponent(widgetId)}`, patch);
}

/** A widget's live tokens (`GET /api/v1/widgets/:widgetId/tokens`). */
export async function listTokens(
  widgetId: string,
): Promise<Array<{ tokenId: string; prefix: string; label?: string | null }>> {
  const { tokens } = await adminApi<{
    tokens: Array<{ tokenId: string; prefix: string; label?: string | null }>;
  }>('GET', `/widgets/${encodeURIComponent(widgetId)}/tokens`);
  return tokens;
}

/** Revokes a widget token (`DELETE /api/v1/widgets/:widgetId/tokens/:tokenId`). */
export async function revokeToken(widgetId: string, tokenId: string): Promise<void> {
  await adminApi(
    'DELETE',
    `/widgets/${encodeURIComponent(widgetId)}/tokens/${encodeURIComponent(tokenId)}`,
  );
}

/** The outbox messages sent to `to` (a normalised identifier), newest first. */
export async function outbox(to: string): Promise<OutboxMessage[]> {
  const { serverUrl } = e2eEnvironment();
  const response = await fetch(`${serverUrl}/dev/outbox?to=${encodeURIComponent(to)}`);
  if (!response.ok) throw new Error(`GET /dev/outbox answered ${response.status}`);
  return (await response.json()) as OutboxMessage[];
}

/**
 * Waits until `to` has received at least `count` messages and returns them,
 * newest first. Delivery goes through a queue and a background worker, so a
 * message reaches the outbox shortly after the send API answers: poll.
 */
export async function waitForMessages(
  to: string,
  count = 1,
  timeoutMs = 5_000,
): Promise<OutboxMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await outbox(to);
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) {
      throw new Error(
        `Expected ${count} outbox message(s) to ${to} within ${timeoutMs} ms, found ${messages.length}: ${JSON.stringify(messages)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The code in a message: its first run of digits. */
export function codeOf(message: OutboxMessage): string {
  const code = message.text.match(/\d+/)?.[0];
  if (!code) throw new Error(`No code in outbox message: ${JSON.stringify(message)}`);
  return code;
}

/** The latest code sent to `to`, once at least `count` messages have arrived. */
export async function latestCode(to: string, count = 1): Promise<string> {
  const [newest] = await waitForMessages(to, count);
  return codeOf(newest!);
}

/** A code of the same length that is not `code`. */
export function wrongCode(code: string): string {
  return [...code].map((digit) => String((Number(digit) + 1) % 10)).join('');
}

let counter = 0;

/**
 * A mobile number no other test uses (a new send supersedes the previous
 * code for the same identifier): `national` for typing with country IN,
 * `full` as the outbox and the SDK write it.
 */
export function uniqueMobile(workerIndex: number): { national: string; full: string } {
  counter += 1;
  const national = `98${String(workerIndex % 1000).padStart(3, '0')}${String(counter).padStart(5, '0')}`;
  return { national, full: `91${national}` };
}

/**
 * A US mobile number no other test uses: `national` for typing with country
 * US (`4155550123`), `full` as the outbox writes it (`14155550123`).
 */
export function uniqueUsMobile(workerIndex: number): { national: string; full: string } {
  counter += 1;
  const exchange = 200 + (workerIndex % 800);
  const national = `628${exchange}${String(counter).padStart(4, '0')}`;
  return { national, full: `1${national}` };
}

/**
 * Expects no outbox message to `to`, after giving the delivery worker time
 * to deliver one (it runs shortly after the API answers).
 */
export async function expectNoMessages(to: string, settleMs = 1_500): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const messages = await outbox(to);
  if (messages.length > 0) {
    throw new Error(`Expected no outbox message to ${to}, found ${JSON.stringify(messages)}`);
  }
}

/** An email address no other test uses. */
export function uniqueEmail(workerIndex: number, label = 'user'): string {
  counter += 1;
  return `${label}-w${workerIndex}-${counter}@example.com`;
}
