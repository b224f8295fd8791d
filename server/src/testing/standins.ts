/**
 * Local stand-ins that speak the real protocols of the outside services,
 * started by tests: Twilio's REST API (Messages and Calls), an SMS-gateway
 * webhook receiver that checks otpkit's signature, and an SMTP server.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '../core/delivery/providers/webhook.ts';
import { readBody, sendJson, serveStandIn } from './stand-in.ts';

/** What the Twilio stand-in received. */
export interface TwilioRequest {
  kind: 'Messages' | 'Calls';
  params: Record<string, string>;
  idempotencyToken: string | undefined;
}

/**
 * A stand-in for `api.twilio.com`: checks Basic auth, answers Twilio-shaped
 * JSON (201 with a `sid`; errors as `{code, message, more_info, status}`),
 * and returns the same resource again for a repeated idempotency token.
 */
export async function startTwilioStandIn(options: { accountSid: string; authToken: string }) {
  const requests: TwilioRequest[] = [];
  const byToken = new Map<string, string>();
  /** Set to make the next answers fail: a Twilio error code and HTTP status. */
  const failures: { status: number; code: number; message: string }[] = [];
  let counter = 0;
  const server = await serveStandIn(async (req, res) => {
    const answer = (status: number, body: unknown) => sendJson(res, status, body);
    const match = req.url?.match(/^\/2010-04-01\/Accounts\/(AC\w+)\/(Messages|Calls)\.json$/);
    const expected = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
    if (req.method !== 'POST' || !match)
      return answer(404, {
        code: 20404,
        message: 'The requested resource was not found',
        status: 404,
      });
    if (req.headers.authorization !== expected || match[1] !== options.accountSid) {
      return answer(401, {
        code: 20003,
        message: 'Authentication Error - invalid username',
        status: 401,
      });
    }
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const kind = match[2] as 'Messages' | 'Calls';
    const token = req.headers['i-twilio-idempotency-token'] as string | undefined;
    requests.push({ kind, params, idempotencyToken: token });
    const failure = failures.shift();
    if (failure) {
      return answer(failure.status, {
        ...failure,
        more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
      });
    }
    if (!params.To || !/^(whatsapp:)?\+\d{6,15}$/.test(params.To)) {
      return answer(400, {
        code: 21211,
        message: `The 'To' number ${params.To} is not a valid phone number.`,
        status: 400,
      });
    }
    const known = token ? byToken.get(token) : undefined;
    const sid = known ?? `${kind === 'Calls' ? 'CA' : 'SM'}${String(++counter).padStart(32, '0')}`;
    if (token) byToken.set(token, sid);
    answer(201, {
      sid,
      account_sid: options.accountSid,
      to: params.To,
      from: params.From ?? null,
      status: 'queued',
    });
  });
  return {
    baseUrl: server.origin,
    requests,
    failures,
    /** Distinct resources created (a repeated idempotency token creates none). */
    created: () => counter,
    close: server.close,
  };
}

/** What the webhook receiver got, after checking its signature. */
export interface WebhookDelivery {
  idempotencyKey: string | undefined;
  signatureValid: boolean;
  body: Record<string, unknown>;
}

/**
 * An SMS-gateway stand-in for the webhook provider: checks the
 * `X-Otpkit-Signature`, deduplicates by `Idempotency-Key`, and can be told to
 * fail, or to hold answers until released.
 */
export async function startWebhookReceiver(options: { secret: string }) {
  const deliveries: WebhookDelivery[] = [];
  const seen = new Set<string>();
  const control = {
    /** HTTP statuses to answer next (then 200). */
    statuses: [] as number[],
    /** While set, requests wait for this promise before answering. */
    hold: undefined as Promise<void> | undefined,
  };
  const server = await serveStandIn(async (req, res) => {
    const raw = await readBody(req);
    const key = req.headers['idempotency-key'] as string | undefined;
    const signatureValid = verifyWebhookSignature(
      options.secret,
      req.headers['x-otpkit-signature'] as string | undefined,
      raw,
      Math.floor(Date.now() / 1000),
    );
    deliveries.push({
      idempotencyKey: key,
      signatureValid,
      body: JSON.parse(raw) as Record<string, unknown>,
    });
    if (control.hold) await control.hold;
    if (!signatureValid) {
      res.writeHead(401).end();
      return;
    }
    const status = control.statuses.shift() ?? 200;
    if (status === 200 && key) seen.add(key);
    sendJson(
      res,
      status,
      status === 200 ? { providerMessageId: `gw-${key}` } : { error: 'gateway says no' },
    );
  });
  return {
    url: `${server.origin}/sms`,
    deliveries,
    control,
    /** Distinct messages the gateway accepted. */
    accepted: () => seen.size,
    close: server.close,
  };
}

/** A received email. */
export interface CaughtMail {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP server (a mail catcher) that can refuse recipients or be stopped and started. */
export async function startSmtpCatcher(options: { rejectRecipients?: RegExp; port?: number } = {}) {
  const mails: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (auth, _session, cb) => cb(null, { user: auth.username }),
    onRcptTo: (address, _session, cb) => {
      if (options.rejectRecipients?.test(address.address)) {
        const error = new Error('Mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        return cb(error);
      }
      cb();
    },
    onData: (stream, session, cb) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve()),
  );
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://user:pass@127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** What a captcha stand-in's answer says about a token, as the provider would have seen it solved. */
export interface CaptchaSolve {
  /** The page's hostname (default `shop.example`); `null` leaves the field out. */
  hostname?: string | null;
  /** reCAPTCHA v3 and Turnstile: the action (default `otp`); `null` leaves it out. */
  action?: string | null;
  /** reCAPTCHA v3: the score (default 0.9); `null` leaves it out. */
  score?: number | string | null;
}

/** Where each provider's siteverify lives on the stand-in (paths as on the real hosts). */
const SITEVERIFY_PATHS = {
  'recaptcha-v3': '/recaptcha/api/siteverify',
  turnstile: '/turnstile/v0/siteverify',
  hcaptcha: '/siteverify',
} as const;

type CaptchaProvider = keyof typeof SITEVERIFY_PATHS;

/**
 * A stand-in for the siteverify endpoints of reCAPTCHA v3
 * (`www.google.com/recaptcha/api/siteverify`), Turnstile
 * (`challenges.cloudflare.com/turnstile/v0/siteverify`) and hCaptcha
 * (`api.hcaptcha.com/siteverify`). Takes the form body they take (`secret`,
 * `response`, `remoteip`, hCaptcha's `sitekey`) and answers the fields each
 * documents: `success`, `challenge_ts`, `hostname`, `error-codes`, plus
 * reCAPTCHA v3's `score` and `action`, Turnstile's `action` and `cdata`, and
 * hCaptcha's `credit`. Tokens come from {@link solve} and work once
 * (`timeout-or-duplicate` after); a wrong secret is `invalid-input-secret`.
 */
export async function startCaptchaStandIn(options: { secret: string; siteKey?: string }) {
  const tokens = new Map<string, { provider: CaptchaProvider; solve: CaptchaSolve }>();
  const used = new Set<string>();
  /** Every form body received, per provider. */
  const requests: { provider: CaptchaProvider; form: Record<string, string> }[] = [];
  let counter = 0;
  const server = await serveStandIn(async (req, res) => {
    const answer = (body: Record<string, unknown>) => sendJson(res, 200, body);
    const provider = (Object.keys(SITEVERIFY_PATHS) as CaptchaProvider[]).find(
      (p) => SITEVERIFY_PATHS[p] === req.url,
    );
    if (req.method !== 'POST' || !provider) {
      res.writeHead(404).end();
      return;
    }
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    requests.push({ provider, form });
    const failed = (code: string) => answer({ success: false, 'error-codes': [code] });
    if (form.secret !== options.secret) return failed('invalid-input-secret');
    if (!form.response) return failed('missing-input-response');
    const token = tokens.get(form.response);
    if (!token || token.provider !== provider) return failed('invalid-input-response');
    if (used.has(form.response)) return failed('timeout-or-duplicate');
    used.add(form.response);
    if (provider === 'hcaptcha' && form.sitekey && form.sitekey !== options.siteKey) {
      return failed('sitekey-secret-mismatch');
    }
    const { hostname = 'shop.example', action = 'otp', score = 0.9 } = token.solve;
    const body: Record<string, unknown> = {
      success: true,
      challenge_ts: new Date().toISOString(),
      'error-codes': [],
    };
    if (hostname !== null) body.hostname = hostname;
    if (provider === 'recaptcha-v3') {
      if (score !== null) body.score = score;
      if (action !== null) body.action = action;
    } else if (provider === 'turnstile') {
      if (action !== null) body.action = action;
      body.cdata = '';
    } else {
      body.credit = false;
    }
    answer(body);
  });
  const base = server.origin;
  return {
    /** The env that points otpkit's siteverify calls here. */
    env: {
      OTPKIT_RECAPTCHA_VERIFY_URL: `${base}${SITEVERIFY_PATHS['recaptcha-v3']}`,
      OTPKIT_TURNSTILE_VERIFY_URL: `${base}${SITEVERIFY_PATHS.turnstile}`,
      OTPKIT_HCAPTCHA_VERIFY_URL: `${base}${SITEVERIFY_PATHS.hcaptcha}`,
    },
    requests,
    /** A token as a visitor solving `provider` on a page would get it. */
    solve(provider: CaptchaProvider, solve: CaptchaSolve = {}): string {
      const token = `${provider}-token-${++counter}`;
      tokens.set(token, { provider, solve });
      return token;
    },
    close: server.close,
  };
}
