/**
 * An in-process otpkit for route tests: in-memory SQLite, a frozen clock
 * that tests move by hand, and the development outbox to read codes from.
 */

import type { Agent } from 'node:https';
import { createApp } from '../api/app.ts';
import { createServices } from '../compose.ts';
import {
  createOutboxProvider,
  type DeliveryProvider,
  type OutgoingMessage,
} from '../core/delivery/index.ts';
import { type Config, loadConfig } from '../platform/config/index.ts';
import { type Clock, cryptoRandom, type Logger, type Random } from '../platform/runtime.ts';
import { bootstrap } from '../server.ts';
import { openStore } from '../store/index.ts';
import { freshSchema } from '../store/postgres/test-database.ts';

export const TEST_AUTHKEY = 'otpk_test_authkey_0123456789abcdef';
export const TEST_ISSUER = 'http://otpkit.test';

/** A clock that only moves when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(start = Date.now()): ManualClock {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

export interface Harness {
  app: ReturnType<typeof createApp>;
  services: ReturnType<typeof createServices>;
  config: Config;
  clock: ManualClock;
  /** POSTs JSON to a path; returns status, headers and parsed body. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  /** Creates a widget through the admin API. */
  createWidget(
    settings?: Record<string, unknown>,
  ): Promise<{ widgetId: string; tokenAuth: string }>;
  /** Every message handed to a provider, oldest first, with all its fields. */
  sent: OutgoingMessage[];
  /** Runs the delivery worker until nothing is due. */
  deliver(): Promise<void>;
  /** The code in the newest outbox message to `to`. */
  lastCode(to: string): Promise<string>;
  outbox(to: string): Promise<{ channel: string; text: string }[]>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are checked field by field
  body: any;
}

export async function createHarness(
  options: {
    env?: Record<string, string>;
    random?: Random;
    /** Where the services log (default: nowhere). */
    log?: Logger;
    /** Deliver queued messages after each request (default); off for tests that drive the queue. */
    autoDeliver?: boolean;
    /** Providers tried before the recording outbox. */
    providers?: DeliveryProvider[];
    /**
     * Put the recording outbox (which carries every channel) in front of the
     * configured providers (default); off to exercise configured providers.
     */
    recordOutbox?: boolean;
    /** The delivery worker's options (its poll interval) when a test starts it. */
    worker?: { pollMs?: number };
    /** The HTTPS agent that reaches the SNS stand-in (`startSnsStandIn().agent`). */
    snsAgent?: Agent;
  } = {},
): Promise<Harness> {
  // OTPKIT_TEST_STORE=postgres runs the route tests on PostgreSQL, each harness in a schema of its own.
  const pgSchema = process.env.OTPKIT_TEST_STORE === 'postgres' ? freshSchema() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pgSchema?.url ?? 'sqlite::memory:',
    OTPKIT_PUBLIC_URL: TEST_ISSUER,
    OTPKIT_AUTHKEY: TEST_AUTHKEY,
    OTPKIT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...options.env,
  });
  const store = openStore(config.databaseUrl);
  const clock = manualClock();
  const random = options.random ?? cryptoRandom;
  const { secret } = await bootstrap(config, store, { clock, random });
  const sent: OutgoingMessage[] = [];
  const outbox = createOutboxProvider({ store, clock, random });
  const services = createServices(config, store, secret, {
    clock,
    random,
    ...(options.log ? { log: options.log } : {}),
    ...(options.worker ? { worker: options.worker } : {}),
    ...(options.snsAgent ? { snsAgent: options.snsAgent } : {}),
    providers: [...(options.providers ?? [])].concat(
      options.recordOutbox === false
        ? []
        : [
            {
              name: 'recording-outbox',
              channels: outbox.channels,
              send: (message) => {
                sent.push(message);
                return outbox.send(message);
              },
            },
          ],
    ),
  });
  // Every error code a route answers with must be one its services declare.
  const app = createApp(services, { auditErrorCodes: true });

  const autoDeliver = options.autoDeliver ?? true;
  const answer = async (response: Response): Promise<Answer> => {
    if (autoDeliver) await services.worker.drain();
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body };
  };

  const h: Harness = {
    app,
    services,
    config,
    clock,
    sent,
    deliver: () => services.worker.drain(),
    post: async (path, body, headers = {}) =>
      answer(
        await app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    get: async (path, headers = {}) => answer(await app.request(path, { headers })),
    async createWidget(settings = {}) {
      const res = await h.post(
        '/api/v1/widgets',
        // Route tests exercise the rules, not the captcha (which has its own tests).
        {
          name: 'Test shop',
          contactPoints: ['mobile', 'email'],
          captcha: { provider: 'none' },
          ...settings,
        },
        { authkey: TEST_AUTHKEY },
      );
      if (res.status !== 201) throw new Error(`widget not created: ${JSON.stringify(res.body)}`);
      return { widgetId: res.body.widgetId, tokenAuth: res.body.tokenAuth };
    },
    async outbox(to) {
      return (await h.get(`/dev/outbox?to=${encodeURIComponent(to)}`)).body;
    },
    async lastCode(to) {
      const [message] = await h.outbox(to);
      // A voice message spells the code digit by digit ("1, 2, 3, …").
      const code = message?.text.replace(/(\d), (?=\d)/g, '$1').match(/\d{4,9}/)?.[0];
      if (!code) throw new Error(`no code in the outbox for ${to}`);
      return code;
    },
    close: async () => {
      await store.close();
      await pgSchema?.drop();
    },
  };
  return h;
}
