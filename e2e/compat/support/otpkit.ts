/**
 * A real otpkit server for the compatibility suite: started in process on a
 * free port with a fresh SQLite database and the development outbox (where
 * the tests read the codes), and a clock the tests can move forward.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The server's library entry is the workspace's TypeScript (the npm package ships the CLI only).
import { type RunningServer, startServer } from '../../../server/src/index.ts';

export const AUTHKEY = 'otpk_compat_suite_authkey_0123456789abcdef';

export interface Otpkit {
  server: RunningServer;
  url: string;
  /** Moves the server's clock forward (resend intervals, expiry). */
  advance(ms: number): void;
  /** Calls the admin API with the authkey. */
  admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Creates a widget (captcha off: these are app and backend clients) and returns its credentials. */
  createWidget(
    settings?: Record<string, unknown>,
  ): Promise<{ widgetId: string; tokenAuth: string }>;
  /** The newest message sent to an identifier, from the dev outbox. */
  lastMessage(identifier: string): Promise<{ channel: string; text: string }>;
  /** The code in the newest message (a voice message spells it digit by digit). */
  lastCode(identifier: string): Promise<string>;
  close(): Promise<void>;
}

export async function startOtpkit(): Promise<Otpkit> {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-compat-'));
  writeFileSync(join(dir, 'otp-provider.js'), '');
  let offset = 0;
  const server = await startServer({
    env: {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir, 'otpkit.db')}`,
      OTPKIT_AUTHKEY: AUTHKEY,
      OTPKIT_WIDGET_FILE: join(dir, 'otp-provider.js'),
      OTPKIT_DATA_DIR: dir,
    },
    clock: { now: () => Date.now() + offset },
  });
  const url = server.url.replace('localhost', '127.0.0.1');

  const admin: Otpkit['admin'] = async (method, path, body) => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authkey: AUTHKEY, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`);
    return answer;
  };

  const lastMessage: Otpkit['lastMessage'] = async (identifier) => {
    // The worker delivers asynchronously: wait for the message to reach the outbox.
    for (let i = 0; i < 100; i++) {
      const response = await fetch(`${url}/dev/outbox?to=${encodeURIComponent(identifier)}`);
      const [message] = (await response.json()) as { channel: string; text: string }[];
      if (message) return message;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no message for ${identifier} in the outbox`);
  };

  return {
    server,
    url,
    advance: (ms) => {
      offset += ms;
    },
    admin,
    async createWidget(settings = {}) {
      const created = await admin('POST', '/widgets', {
        name: 'Compat app',
        contactPoints: ['mobile', 'email'],
        captcha: { provider: 'none' },
        ...settings,
      });
      return { widgetId: String(created.widgetId), tokenAuth: String(created.tokenAuth) };
    },
    lastMessage,
    async lastCode(identifier) {
      const message = await lastMessage(identifier);
      const code = message.text.replace(/(\d), (?=\d)/g, '$1').match(/\d{4,9}/)?.[0];
      if (!code) throw new Error(`no code in "${message.text}"`);
      return code;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the outbox has a message newer than `previous` for an
 * identifier (a resend lands beside the first message).
 */
export async function nextMessage(
  otpkit: Otpkit,
  identifier: string,
  previous: { text: string },
): Promise<{ channel: string; text: string }> {
  for (let i = 0; i < 100; i++) {
    const message = await otpkit.lastMessage(identifier);
    if (message.text !== previous.text) return message;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no new message for ${identifier}`);
}
