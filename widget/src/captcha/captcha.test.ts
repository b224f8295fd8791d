// @vitest-environment happy-dom
import { createHash, randomBytes } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import type { PowChallenge, WidgetData } from '@otpkit/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOtpClient } from '../client.ts';
import { createInitSendOTP } from '../init.ts';
import { createCaptcha } from './index.ts';
import { lazyCaptcha } from './lazy.ts';
import { powPayload, searchRange, solvePow, WORKER_SOURCE } from './pow.ts';
import { recaptchaV3, renderedCaptcha } from './providers.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A challenge as the server makes one (ALTCHA v1), with its secret number. */
function makeChallenge(number = Math.floor(Math.random() * 2000), maxnumber = 2000) {
  const salt = `${randomBytes(12).toString('hex')}?expires=${Math.floor(Date.now() / 1000) + 300}&widget=w1`;
  const challenge: PowChallenge = {
    algorithm: 'SHA-256',
    challenge: sha256(salt + number),
    maxnumber,
    salt,
    signature: randomBytes(32).toString('hex'),
  };
  return { challenge, number };
}

/** Decodes a solution payload and checks it the way the server does. */
function checkPayload(payload: string) {
  const decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  expect(sha256(decoded.salt + decoded.number)).toBe(decoded.challenge);
  return decoded as PowChallenge & { number: number; took: number };
}

/** A fake worker that runs the real search in-process, as a Blob worker would. */
function inProcessWorker(): Worker {
  const worker = {
    onmessage: null as ((event: MessageEvent<number>) => void) | null,
    onerror: null,
    terminated: false,
    postMessage(data: [string, string, number, number]) {
      void searchRange(...data).then((n) => {
        if (!worker.terminated) worker.onmessage?.({ data: n } as MessageEvent<number>);
      });
    },
    terminate() {
      worker.terminated = true;
    },
  };
  return worker as unknown as Worker;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the proof-of-work solver', () => {
  it('finds the number on the main thread when workers are refused', async () => {
    const { challenge, number } = makeChallenge(1234);
    await expect(solvePow(challenge, { createWorker: () => null, yieldEvery: 100 })).resolves.toBe(
      number,
    );
  });

  it('splits the range over workers and stops the others once found', async () => {
    const { challenge, number } = makeChallenge(1999);
    const workers: Worker[] = [];
    const n = await solvePow(challenge, {
      workers: 3,
      createWorker: () => {
        const worker = inProcessWorker();
        workers.push(worker);
        return worker;
      },
    });
    expect(n).toBe(number);
    expect(workers).toHaveLength(3);
    expect(workers.every((w) => (w as unknown as { terminated: boolean }).terminated)).toBe(true);
  });

  it('falls back to the main thread when a worker fails to start (CSP)', async () => {
    const { challenge, number } = makeChallenge(77);
    const broken = {
      onmessage: null,
      onerror: null as ((event: Event) => void) | null,
      postMessage() {
        queueMicrotask(() => broken.onerror?.(new Event('error')));
      },
      terminate() {},
    };
    await expect(
      solvePow(challenge, { workers: 1, createWorker: () => broken as unknown as Worker }),
    ).resolves.toBe(number);
  });

  it('hashes in plain JS where crypto.subtle is missing (http: pages)', async () => {
    vi.stubGlobal('crypto', {});
    // Lengths around the padding boundaries (55, 56, 64 bytes) and a two-block message.
    for (const length of [0, 1, 40, 54, 55, 56, 63, 64, 100, 130]) {
      const salt = 'x'.repeat(length);
      const challenge = sha256(`${salt}7`);
      await expect(searchRange(salt, challenge, 0, 9)).resolves.toBe(7);
    }
    const { challenge, number } = makeChallenge(1500);
    await expect(solvePow(challenge, { createWorker: () => null })).resolves.toBe(number);
  });

  it('answers -1 when the number is out of range', async () => {
    const { challenge } = makeChallenge(50, 2000);
    await expect(searchRange(challenge.salt, challenge.challenge, 0, 49)).resolves.toBe(-1);
  });

  it('has a self-contained worker source', async () => {
    const { challenge, number } = makeChallenge(321);
    const posted = await new Promise<number>((resolve) => {
      const scope: Record<string, unknown> = {
        crypto: globalThis.crypto,
        TextEncoder,
        setTimeout,
        postMessage: resolve,
      };
      runInNewContext(WORKER_SOURCE, scope);
      (scope.onmessage as (event: { data: unknown }) => void)({
        data: [challenge.salt, challenge.challenge, 0, challenge.maxnumber],
      });
    });
    expect(posted).toBe(number);
  });

  it('encodes the solution as base64 ALTCHA JSON', () => {
    const { challenge, number } = makeChallenge(42);
    const decoded = checkPayload(powPayload(challenge, number, 15));
    expect(decoded).toEqual({
      algorithm: 'SHA-256',
      challenge: challenge.challenge,
      number: 42,
      salt: challenge.salt,
      signature: challenge.signature,
      took: 15,
    });
  });
});

const powWidget = {
  widgetId: 'w1',
  status: { value: '1', name: 'Enabled' },
  mobileIntegration: false,
  captchaValidations: true,
  widgetMeta: { captcha_type: 'pow' },
} as unknown as WidgetData;

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fake otpkit server issuing real challenges; `sendAnswers` are used in order. */
function fakeServer(
  sendAnswers: Array<{ status: number; body: unknown }> = [],
  /** Awaited before answering any challenge after the first. */
  hold?: Promise<void>,
) {
  const issued: PowChallenge[] = [];
  const sends: Array<Record<string, unknown>> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const name = new URL(String(input)).pathname.split('/').pop();
    if (name === 'getWidgetProcess') {
      return json({ status: 'success', hasError: false, errors: [], data: powWidget });
    }
    if (name === 'captchaChallenge') {
      if (issued.length > 0) await hold;
      const { challenge } = makeChallenge();
      issued.push(challenge);
      return json(challenge);
    }
    sends.push(JSON.parse(String(init.body)));
    const answer = sendAnswers.shift() ?? {
      status: 200,
      body: { type: 'success', message: 'req-1', reqId: 'req-1' },
    };
    return json(answer.body, answer.status);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, issued, sends };
}

function setup(server: ReturnType<typeof fakeServer>) {
  const captcha = createCaptcha({
    challenge: () => client.getCaptchaChallenge(),
    container: () => null,
    solve: (challenge) => solvePow(challenge, { createWorker: () => null, yieldEvery: 1000 }),
  });
  const client = createOtpClient({
    baseUrl: 'https://otp.example.com',
    widgetId: 'w1',
    tokenAuth: 't1',
    fetch: server.fetch,
    captcha,
  });
  return { captcha, client };
}

const failedBody = { type: 'error', code: 'CAPTCHA_FAILED', message: 'The captcha check failed.' };

describe('the captcha on sends', () => {
  it('solves as soon as the widget data loads; each send and resend gets a new solution', async () => {
    const server = fakeServer();
    const { captcha, client } = setup(server);
    expect(captcha.ready()).toBe(false);
    await client.getWidgetData();
    await vi.waitFor(() => expect(captcha.ready()).toBe(true));
    expect(server.issued).toHaveLength(1);

    await client.sendOtp('919876543210');
    await client.retryOtp('11');
    await client.sendOtp('919876543210');
    const payloads = server.sends.map((body) => body.captcha as string);
    expect(payloads).toHaveLength(3);
    expect(new Set(payloads).size).toBe(3);
    const challenges = payloads.map((payload) => checkPayload(payload).challenge);
    expect(challenges).toEqual(server.issued.slice(0, 3).map((c) => c.challenge));
    // The next one is already being prepared in the background.
    await vi.waitFor(() => expect(captcha.ready()).toBe(true));
    expect(server.issued).toHaveLength(4);
  });

  it('makes a send that comes before the solution wait for it', async () => {
    const server = fakeServer();
    const { client } = setup(server);
    await client.getWidgetData();
    const sent = await client.sendOtp('919876543210');
    expect(sent.type).toBe('success');
    checkPayload(server.sends[0]?.captcha as string);
  });

  it('on CAPTCHA_FAILED fetches a fresh captcha and tries once more', async () => {
    const server = fakeServer([{ status: 403, body: failedBody }]);
    const { client } = setup(server);
    await client.getWidgetData();
    const sent = await client.sendOtp('919876543210');
    expect(sent).toMatchObject({ type: 'success', reqId: 'req-1' });
    expect(server.sends).toHaveLength(2);
    expect(server.sends[0]?.captcha).not.toBe(server.sends[1]?.captcha);
  });

  it('gives up after one retry', async () => {
    const server = fakeServer([
      { status: 400, body: { ...failedBody, code: 'CAPTCHA_REQUIRED' } },
      { status: 403, body: failedBody },
    ]);
    const { client } = setup(server);
    await client.getWidgetData();
    await client.sendOtp('919876543210');
    expect(server.sends).toHaveLength(2);
    const again = await client.retryOtp('11', 'req-1');
    expect(server.sends).toHaveLength(3); // The default answer: success, no retry needed.
    expect(again.type).toBe('success');
  });

  it('reports a failed retry as CAPTCHA_FAILED', async () => {
    const server = fakeServer([
      { status: 403, body: failedBody },
      { status: 403, body: failedBody },
    ]);
    const { client } = setup(server);
    await client.getWidgetData();
    const sent = await client.sendOtp('919876543210');
    expect(sent).toMatchObject({ type: 'error', code: 'CAPTCHA_FAILED' });
    expect(server.sends).toHaveLength(2);
  });

  it('sends no captcha, and is always verified, for a widget without one', async () => {
    const captcha = createCaptcha({ challenge: vi.fn(), container: () => null });
    captcha.configure({ ...powWidget, widgetMeta: { captcha_type: null } });
    expect(captcha.ready()).toBe(true);
    await expect(captcha.take()).resolves.toBeUndefined();
  });
});

describe('isCaptchaVerified (exposeMethods)', () => {
  it('is true once solved, false right after a send, then true again', async () => {
    let release = (): void => {};
    const server = fakeServer([], new Promise<void>((resolve) => (release = resolve)));
    vi.stubGlobal('fetch', server.fetch);
    vi.stubGlobal('Worker', undefined); // The main-thread fallback, as under a strict CSP.
    // What otp-provider.js does, with the captcha chunk imported from source.
    window.initSendOTP = createInitSendOTP({
      defaultBaseUrl: 'https://otp.example.com',
      loadPopup: vi.fn(),
      loadCaptcha: () => import('./index.ts'),
    });
    window.initSendOTP({ widgetId: 'w1', tokenAuth: 't1', exposeMethods: true });
    expect(window.isCaptchaVerified?.()).toBe(false);
    await vi.waitFor(() => expect(window.isCaptchaVerified?.()).toBe(true));
    await window.sendOtp?.('919876543210');
    checkPayload(server.sends[0]?.captcha as string);
    expect(window.isCaptchaVerified?.()).toBe(false); // Used; the next one is on its way.
    release();
    await vi.waitFor(() => expect(window.isCaptchaVerified?.()).toBe(true));
    for (const key of ['initSendOTP', 'sendOtp', 'retryOtp', 'verifyOtp', 'getWidgetData']) {
      delete (window as unknown as Record<string, unknown>)[key];
    }
    delete window.isCaptchaVerified;
  });
});

/** Intercepts the provider's `<script>`: defines the global as the real script would. */
function fakeScripts(define: () => void) {
  const loaded: string[] = [];
  vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
    for (const node of nodes) {
      const script = node as HTMLScriptElement;
      loaded.push(script.src);
      queueMicrotask(() => {
        define();
        script.onload?.(new Event('load'));
      });
    }
  });
  return loaded;
}

describe('third-party providers', () => {
  it('reCAPTCHA v3: loads api.js?render=<siteKey> and executes the otp action', async () => {
    let count = 0;
    const execute = vi.fn(async () => `token-${++count}`);
    const loaded = fakeScripts(() =>
      vi.stubGlobal('grecaptcha', { ready: (callback: () => void) => callback(), execute }),
    );
    const source = recaptchaV3({
      siteKey: 'site-1',
      scriptUrl: 'http://127.0.0.1:9999/recaptcha/api.js',
      container: () => null,
    });
    await vi.waitFor(() => expect(source.ready()).toBe(true));
    expect(loaded).toEqual(['http://127.0.0.1:9999/recaptcha/api.js?render=site-1']);
    expect(execute).toHaveBeenCalledWith('site-1', { action: 'otp' });
    await expect(source.token()).resolves.toBe('token-1');
    expect(source.ready()).toBe(false);
    await expect(source.token()).resolves.toBe('token-2'); // Not prefetched: executed on demand.
  });

  it('Turnstile: renders explicitly into the container, uses each token once, then resets', async () => {
    let callback: ((token: string) => void) | undefined;
    const turnstile = {
      render: vi.fn((_el: HTMLElement, options: { callback: (token: string) => void }) => {
        callback = options.callback;
        return 'widget-1';
      }),
      reset: vi.fn(),
    };
    const loaded = fakeScripts(() => vi.stubGlobal('turnstile', turnstile));
    const container = document.createElement('div');
    const source = renderedCaptcha('turnstile', {
      siteKey: 'site-2',
      scriptUrl: 'http://127.0.0.1:9999/turnstile/v0/api.js',
      container: () => container,
    });
    const first = source.token(); // Waits for the visitor.
    await vi.waitFor(() => expect(turnstile.render).toHaveBeenCalled());
    expect(loaded).toEqual(['http://127.0.0.1:9999/turnstile/v0/api.js?render=explicit']);
    expect(turnstile.render).toHaveBeenCalledWith(
      container,
      expect.objectContaining({ sitekey: 'site-2' }),
    );
    callback?.('t-1');
    await expect(first).resolves.toBe('t-1');
    source.next();
    await vi.waitFor(() => expect(turnstile.reset).toHaveBeenCalledWith('widget-1'));
    expect(source.ready()).toBe(false);
    callback?.('t-2');
    expect(source.ready()).toBe(true);
    await expect(source.token()).resolves.toBe('t-2');
  });

  it('hCaptcha without a container: invisible, executed', async () => {
    const hcaptcha = {
      render: vi.fn((_el: HTMLElement, options: { callback: (token: string) => void }) => {
        queueMicrotask(() => options.callback('h-1'));
        return 'h-widget';
      }),
      reset: vi.fn(),
      execute: vi.fn(),
    };
    fakeScripts(() => vi.stubGlobal('hcaptcha', hcaptcha));
    const source = renderedCaptcha('hcaptcha', {
      siteKey: 'site-3',
      scriptUrl: 'https://js.hcaptcha.com/1/api.js',
      container: () => null,
    });
    await expect(source.token()).resolves.toBe('h-1');
    expect(hcaptcha.render).toHaveBeenCalledWith(
      expect.any(HTMLElement),
      expect.objectContaining({ sitekey: 'site-3', size: 'invisible' }),
    );
    expect(hcaptcha.execute).toHaveBeenCalledWith('h-widget');
  });

  it('picks the provider from widgetMeta and sends its token', async () => {
    const execute = vi.fn(async () => 'rc-token');
    fakeScripts(() =>
      vi.stubGlobal('grecaptcha', { ready: (callback: () => void) => callback(), execute }),
    );
    const captcha = createCaptcha({ challenge: vi.fn(), container: () => null });
    captcha.configure({
      ...powWidget,
      widgetMeta: {
        captcha_type: 'recaptcha_v3',
        captcha_site_key: 'k',
        captcha_script_url: 'http://127.0.0.1:1/api.js',
      },
    });
    await expect(captcha.take()).resolves.toBe('rc-token');
  });
});

describe('lazyCaptcha (the core script holds no solver)', () => {
  const options = { challenge: vi.fn(), container: () => null };

  it('never loads the captcha chunk for a widget without a captcha', async () => {
    const load = vi.fn();
    const captcha = lazyCaptcha(load, options);
    captcha.configure({ ...powWidget, widgetMeta: { captcha_type: null } });
    expect(captcha.ready()).toBe(true);
    await expect(captcha.take()).resolves.toBeUndefined();
    captcha.configure({ ...powWidget, captchaValidations: false });
    expect(load).not.toHaveBeenCalled();
  });

  it('loads it once for a pow widget and hands over its tokens', async () => {
    const inner = {
      configure: vi.fn(),
      ready: () => true,
      take: vi.fn(async () => 'token-1'),
      next: vi.fn(),
      dispose: vi.fn(),
    };
    const load = vi.fn(async () => ({ createCaptcha: () => inner }));
    const captcha = lazyCaptcha(load, options);
    expect(captcha.ready()).toBe(false);
    captcha.configure(powWidget);
    await expect(captcha.take()).resolves.toBe('token-1');
    expect(inner.configure).toHaveBeenCalledWith(powWidget);
    expect(captcha.ready()).toBe(true);
    captcha.next();
    expect(inner.next).toHaveBeenCalledTimes(1);
    captcha.dispose();
    expect(inner.dispose).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('rejects with NETWORK_ERROR when the chunk cannot be fetched, and tries again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const load = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValue({
        createCaptcha: () => ({
          configure() {},
          ready: () => true,
          take: async () => 'token-2',
          next() {},
          dispose() {},
        }),
      });
    const captcha = lazyCaptcha(load, options);
    captcha.configure(powWidget);
    await expect(captcha.take()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(captcha.take()).resolves.toBe('token-2');
    expect(load).toHaveBeenCalledTimes(2);
  });
});
