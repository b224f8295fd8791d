import { afterEach, describe, expect, it } from 'vitest';
import { createAuthkey } from '../../core/accounts/authkeys.ts';
import { DeliveryError } from '../../core/delivery/index.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';
import { until } from '../../testing/processes.ts';
import { createLogger, maskIdentifier, redactValue, scrubText } from './logger.ts';

const API = '/api/v5/widget';
const PHONE = '919876543210';
const EMAIL = 'ana.lopez@example.com';
let h: Harness;
afterEach(() => h?.close());

/** A logger writing into an array, parsed line by line. */
function capturedLogger() {
  const lines: string[] = [];
  const log = createLogger({
    level: 'debug',
    destination: { write: (l: string) => lines.push(l) },
  });
  return { log, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('masking', () => {
  it('keeps the last four digits of a phone number and the domain of an email', () => {
    expect(maskIdentifier(PHONE)).toBe('********3210');
    expect(maskIdentifier(EMAIL)).toBe('a***@example.com');
    expect(
      scrubText(`to +${PHONE} and ${EMAIL} with otpk_abcDEF123_x and eyJhbGc.eyJzdWIi.sig`),
    ).toBe('to ********3210 and a***@example.com with otpk_[redacted] and [jwt]');
    // Ids keep their digits, however long the runs inside them: a logged id must stay greppable.
    expect(scrubText('request ab12345678cdef0123456789 of widget 0b04c6cdc175056947a21313')).toBe(
      'request ab12345678cdef0123456789 of widget 0b04c6cdc175056947a21313',
    );
  });
});

describe('redacting fields', () => {
  it('drops secret-named fields, masks identifier-named ones, and scrubs the rest', () => {
    const { log, entries } = capturedLogger();
    log.warn(`resend to ${PHONE}`, {
      code: '482913',
      otp: 482913,
      tokenAuth: 'abcT0123456789',
      to: PHONE,
      nested: { authkey: TEST_AUTHKEY, email: EMAIL, attempts: 3 },
      error: new Error(`gateway refused ${EMAIL}`),
      list: [PHONE],
    });
    const [line] = entries();
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'resend to ********3210',
      code: '[redacted]',
      otp: '[redacted]',
      tokenAuth: '[redacted]',
      to: '********3210',
      nested: { authkey: '[redacted]', email: 'a***@example.com', attempts: 3 },
      list: ['********3210'],
    });
    expect(String(line?.error)).toMatch(/^Error: gateway refused a\*\*\*@example\.com/);
    expect(redactValue('', { deep: { deeper: { deepest: { x: { y: { z: 1 } } } } } })).toEqual({
      deep: { deeper: { deepest: { x: { y: '[nested]' } } } },
    });
  });
});

describe('the logs of real flows', () => {
  it('hold no code, token, authkey, JWT or full identifier, and a request id on every request line', async () => {
    const { log, lines, entries } = capturedLogger();
    // A gateway that echoes what it refused (some do): the code and number are in its error.
    let emailFailures = 1;
    h = await createHarness({
      log,
      providers: [
        {
          name: 'echoing-gateway',
          channels: ['email'],
          send: async (m) => {
            if (emailFailures-- > 0) {
              throw new DeliveryError(`refused "${m.text}" for ${m.to}`, { permanent: false });
            }
            throw new DeliveryError(`mailbox ${m.to} is full`, { permanent: true });
          },
        },
      ],
    });
    const secrets: string[] = [TEST_AUTHKEY, PHONE, EMAIL];
    const requestIds = new Set<string>();
    const track = <T extends { headers: Headers }>(res: T): T => {
      const id = res.headers.get('x-request-id');
      expect(id).toBeTruthy();
      requestIds.add(id!);
      return res;
    };

    const w = track(
      await h.post(
        '/api/v1/widgets',
        {
          name: 'Log shop',
          captcha: { provider: 'none' },
          contactPoints: ['mobile', 'email'],
          retryTime: 0,
        },
        { authkey: TEST_AUTHKEY },
      ),
    );
    const widget = { widgetId: w.body.widgetId as string, tokenAuth: w.body.tokenAuth as string };
    secrets.push(widget.tokenAuth);
    track(await h.get('/api/v1/widgets', { authkey: TEST_AUTHKEY }));
    const extra = await createAuthkey(h.services, 'default', { label: 'second' });
    secrets.push(extra.authkey);
    track(await h.get('/api/v1/authkeys', { authkey: extra.authkey }));
    track(await h.get('/api/v1/widgets', { authkey: `${TEST_AUTHKEY}-wrong` }));

    // Send, resend, a wrong code, the right code, the token checked twice.
    const sent = track(await h.post(`${API}/sendOtpMobile`, { ...widget, identifier: PHONE }));
    expect(sent.status).toBe(200);
    const reqId = sent.body.message as string;
    secrets.push(await h.lastCode(PHONE));
    h.clock.advance(1000);
    const resent = track(await h.post(`${API}/retryOtp`, { ...widget, reqId, retryChannel: 11 }));
    expect(resent.status).toBe(200);
    const code = await h.lastCode(PHONE);
    secrets.push(code);
    const wrong = code === '000000' ? '111111' : '000000';
    track(await h.post(`${API}/verifyOtp`, { ...widget, reqId, otp: wrong }));
    const verified = track(await h.post(`${API}/verifyOtp`, { ...widget, reqId, otp: code }));
    expect(verified.status).toBe(200);
    const jwt = verified.body.message as string;
    secrets.push(jwt);
    for (let i = 0; i < 2; i++) {
      track(
        await h.post(`${API}/verifyAccessToken`, { authkey: TEST_AUTHKEY, 'access-token': jwt }),
      );
    }
    track(
      await h.post(`${API}/verifyAccessToken`, {
        authkey: TEST_AUTHKEY,
        'access-token': `${jwt}x`,
      }),
    );
    // An email the gateway refuses, then refuses for good.
    track(await h.post(`${API}/sendOtpMobile`, { ...widget, identifier: EMAIL }));
    h.clock.advance(5000);
    await h.deliver();
    // Failures: bad JSON, a bad identifier, an unknown page, a rejected widget token.
    track(await h.post(`${API}/sendOtpMobile`, '{"identifier": "9198', {}));
    track(await h.post(`${API}/sendOtpMobile`, { ...widget, identifier: 'not a number' }));
    track(await h.get(`/verify/${widget.tokenAuth}`));
    track(
      await h.post(`${API}/sendOtpMobile`, {
        ...widget,
        tokenAuth: `${widget.tokenAuth}x`,
        identifier: PHONE,
      }),
    );

    const all = lines.join('\n');
    for (const secret of secrets)
      expect(all, `found ${secret.slice(0, 12)}…`).not.toContain(secret);
    // Every code any message carried (the email codes too) stays out.
    for (const m of h.sent) {
      for (const digits of m.text.match(/\b\d{4,9}\b/g) ?? []) expect(all).not.toContain(digits);
    }
    const mailCodes = (await h.outbox(EMAIL)).length;
    expect(mailCodes).toBe(0);

    const logged = entries();
    const accessLines = logged.filter((e) => e.msg === 'request');
    // One access line per request (the harness's own outbox reads included), each with its id.
    for (const id of requestIds) {
      expect(accessLines.filter((l) => l.requestId === id)).toHaveLength(1);
    }
    for (const line of accessLines) {
      expect(line).toMatchObject({
        level: 'info',
        requestId: expect.stringMatching(/^[0-9a-f]{16}$/),
        method: expect.any(String),
        route: expect.any(String),
        status: expect.any(Number),
        durationMs: expect.any(Number),
      });
    }
    // The magic-link path is logged as its pattern, never with the token in it.
    expect(accessLines.map((l) => l.route)).toContain('/verify/:token');
    // The gateway's errors were logged (masked), outside any request.
    const retried = logged.find((e) => e.msg === 'delivery will be retried');
    expect(retried?.error).toBe('refused "[message]" for a***@example.com');
    expect(retried?.requestId).toBeUndefined();
    const failed = logged.find((e) => e.msg === 'delivery failed');
    expect(failed?.error).toBe('mailbox a***@example.com is full');
  });

  it('logs an unexpected error with the request id the client got, and no details to the client', async () => {
    const { log, entries } = capturedLogger();
    h = await createHarness({ log });
    h.app.get('/boom', () => {
      throw new Error(`exploded while sending to ${PHONE}`);
    });
    const res = await h.get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      type: 'error',
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side.',
      requestId: res.headers.get('x-request-id'),
    });
    const lines = entries();
    const error = lines.find((e) => e.msg === 'unexpected error');
    expect(error).toMatchObject({ level: 'error', requestId: res.body.requestId, route: '/boom' });
    expect(String(error?.error)).toContain('exploded while sending to ********3210');
    expect(JSON.stringify(lines)).not.toContain(PHONE);
    expect(lines.find((e) => e.msg === 'request')).toMatchObject({
      requestId: res.body.requestId,
      status: 500,
    });
  });
});

describe('writing', () => {
  it('writes asynchronously, and flush() writes everything buffered before it returns', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const pino = (await import('pino')).default;
    const dir = mkdtempSync(join(tmpdir(), 'otpkit-log-'));
    const file = join(dir, 'out.log');
    const destination = pino.destination({ dest: file, sync: false });
    await new Promise((resolve) => destination.once('ready', resolve));
    const log = createLogger({ destination });
    for (let i = 0; i < 50; i++) log.info('line', { i });
    // Nothing is written in the call itself…
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeLessThan(50);
    // …and everything buffered once flushed, as at exit.
    log.flush();
    const written = () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { i: number }).i)
        .sort((x, y) => x - y);
    const all = Array.from({ length: 50 }, (_, i) => i);
    // The first line's write began at once, asynchronously, before the others were buffered: it
    // alone may still be under way; every buffered line is on disk when flush() returns…
    expect(written().filter((i) => i !== 0)).toEqual(all.slice(1));
    // …and the one under way lands too, once.
    await until(() => written().length === 50);
    expect(written()).toEqual(all);
    destination.end();
    rmSync(dir, { recursive: true, force: true });
  });
});
