/**
 * Talking to the running otpkit server from the tests: the admin API (to make
 * widgets with special settings) and the development outbox (to read codes).
 */
import { e2eEnvironment } from './environment.ts';

/** Widget settings the admin API accepts (all optional but the name). */
export interface WidgetSettingsInput {
  name: string;
  contactPoints?: Array<'mobile' | 'email'>;
  primaryChannel?: { mobile?: 'sms' | 'whatsapp' | 'voice'; email?: 'email' };
  retryChannels?: { mobile?: Array<'sms' | 'whatsapp' | 'voice'>; email?: Array<'email'> };
  otpLength?: number;
  expiryTime?: number;
  retryCount?: number;
  retryTime?: number;
  maxAttempts?: number;
  defaultCountry?: string;
  language?: 'en' | 'hi';
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

/** Creates a widget through the admin API (`POST /api/v1/widgets`). */
export async function createWidget(settings: WidgetSettingsInput): Promise<WidgetCredentials> {
  const { serverUrl, authkey } = e2eEnvironment();
  const response = await fetch(`${serverUrl}/api/v1/widgets`, {
    method: 'POST',
    headers: { authkey, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  const body = (await response.json()) as Partial<WidgetCredentials>;
  if (response.status !== 201 || !body.widgetId || !body.tokenAuth) {
    throw new Error(
      `POST /api/v1/widgets answered ${response.status}: ${JSON.stringify(body)} for ${JSON.stringify(settings)}`,
    );
  }
  return { widgetId: body.widgetId, tokenAuth: body.tokenAuth };
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
 * newest first. Messages are stored before the API answers, so this rarely
 * waits; the polling only makes the tests robust.
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

/** An email address no other test uses. */
export function uniqueEmail(workerIndex: number, label = 'user'): string {
  counter += 1;
  return `${label}-w${workerIndex}-${counter}@example.com`;
}
