import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';

const API = '/api/v5/widget';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let h: Harness;
afterEach(async () => {
  await h.services.worker.stop();
  await h.close();
});

/** The value of one sample in Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (want.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}

async function scrape(headers: Record<string, string> = {}): Promise<string> {
  const res = await h.app.request('/metrics', {
    headers: { authorization: `Bearer ${METRICS_TOKEN}`, ...headers },
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe('/healthz and /readyz', () => {
  it('healthz answers while the process is up, whatever the checks say', async () => {
    h = await createHarness();
    const res = await h.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('readyz is 200 only when the store answers, the schema is current and the worker beats', async () => {
    h = await createHarness();
    // The harness drives the queue by hand: no worker loop yet.
    const idle = await h.get('/readyz');
    expect(idle.status).toBe(503);
    expect(idle.body).toMatchObject({
      status: 'not_ready',
      code: 'NOT_READY',
      checks: { store: { ok: true }, migrations: { ok: true }, worker: { ok: false } },
    });
    expect(idle.body.message).toContain('worker');
    expect(idle.body.requestId).toBe(idle.headers.get('x-request-id'));

    h.services.worker.start();
    await new Promise((r) => setTimeout(r, 20));
    const ready = await h.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: {
        store: { ok: true },
        migrations: { ok: true, pending: [] },
        worker: { ok: true, running: true },
        shutdown: { ok: true },
      },
    });

    // A worker stuck longer than its lease (60 s by default) is not alive.
    h.clock.advance(61_000);
    const stuck = await h.get('/readyz');
    expect(stuck.status).toBe(503);
    expect(stuck.body.checks.worker).toMatchObject({ ok: false, running: true });
    expect(stuck.body.checks.worker.error).toMatch(/no heartbeat/);
  });

  it('readyz reports a migration not applied, and a shutdown in progress', async () => {
    h = await createHarness({ env: { OTPKIT_DELIVERY_WORKER: 'false' } });
    expect((await h.get('/readyz')).status).toBe(200);
    const db = (h.services.store.rateLimitBackend() as { client: Database.Database }).client;
    db.prepare("DELETE FROM schema_migrations WHERE version = '008_blocked_events.sql'").run();
    const behind = await h.get('/readyz');
    expect(behind.status).toBe(503);
    expect(behind.body.checks.migrations).toEqual({
      ok: false,
      pending: ['008_blocked_events.sql'],
    });
    db.prepare(
      "INSERT INTO schema_migrations (version, applied_at) VALUES ('008_blocked_events.sql', 0)",
    ).run();
    expect((await h.get('/readyz')).status).toBe(200);

    h.services.lifecycle.beginShutdown();
    const draining = await h.get('/readyz');
    expect(draining.status).toBe(503);
    expect(draining.body.checks.shutdown).toEqual({ ok: false, error: 'shutting down' });
    // Liveness is not readiness: the process is still up.
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('readyz is 503, not 500, when the database does not answer', async () => {
    h = await createHarness({ env: { OTPKIT_DELIVERY_WORKER: 'false' } });
    const db = (h.services.store.rateLimitBackend() as { client: Database.Database }).client;
    db.close();
    const down = await h.app.request('/readyz');
    expect(down.status).toBe(503);
    expect(((await down.json()) as { checks: unknown }).checks).toMatchObject({
      store: { ok: false },
      migrations: { ok: false },
    });
    h.close = async () => {};
  });
});

describe('/metrics', () => {
  it('needs the bearer token when one is configured', async () => {
    h = await createHarness({ env: { OTPKIT_METRICS_TOKEN: METRICS_TOKEN } });
    const none = await h.get('/metrics');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 'INVALID_METRICS_TOKEN' });
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await h.get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}x` });
    expect(wrong.status).toBe(401);
    const authkey = await h.get('/metrics', { authkey: TEST_AUTHKEY });
    expect(authkey.status).toBe(401);
    const res = await h.app.request('/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'otpkit_http_requests_total',
      'otpkit_codes_sent_total',
      'otpkit_verifications_total',
      'otpkit_delivery_latency_seconds',
      'otpkit_queue_depth',
      'otpkit_queue_oldest_pending_age_seconds',
      'otpkit_rate_limited_total',
      'otpkit_captcha_failures_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('without a token, answers this machine only', async () => {
    h = await createHarness({ env: { OTPKIT_TRUST_PROXY: '1' } });
    const local = await h.get('/metrics', { 'x-forwarded-for': '127.0.0.1' });
    expect(local.status).toBe(200);
    const remote = await h.get('/metrics', { 'x-forwarded-for': '203.0.113.9' });
    expect(remote.status).toBe(401);
    expect(remote.body.message).toMatch(/OTPKIT_METRICS_TOKEN/);
  });

  it('counts requests by route pattern, sends, verifications and delivery latency', async () => {
    h = await createHarness({
      env: { OTPKIT_METRICS_TOKEN: METRICS_TOKEN },
      autoDeliver: false,
    });
    const w = await h.createWidget({ maxAttempts: 3 });
    let text = await scrape();
    expect(sample(text, 'otpkit_queue_depth')).toBe(0);
    expect(sample(text, 'otpkit_queue_oldest_pending_age_seconds')).toBe(0);

    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(sent.status).toBe(200);
    h.clock.advance(5000);
    text = await scrape();
    expect(sample(text, 'otpkit_queue_depth')).toBe(1);
    expect(sample(text, 'otpkit_queue_oldest_pending_age_seconds')).toBe(5);
    expect(sample(text, 'otpkit_codes_sent_total', { channel: 'sms', outcome: 'sent' })).toBe(0);

    await h.deliver();
    text = await scrape();
    expect(sample(text, 'otpkit_queue_depth')).toBe(0);
    expect(sample(text, 'otpkit_codes_sent_total', { channel: 'sms', outcome: 'sent' })).toBe(1);
    expect(sample(text, 'otpkit_delivery_latency_seconds_count')).toBe(1);
    expect(sample(text, 'otpkit_delivery_latency_seconds_sum')).toBe(5);
    expect(sample(text, 'otpkit_delivery_latency_seconds_bucket', { le: '2.5' })).toBe(0);
    expect(sample(text, 'otpkit_delivery_latency_seconds_bucket', { le: '5' })).toBe(1);
    expect(
      sample(text, 'otpkit_http_requests_total', {
        route: '/api/v5/widget/sendOtpMobile',
        method: 'POST',
        status: '200',
      }),
    ).toBe(1);

    const reqId = sent.body.message as string;
    const code = await h.lastCode('919876543210');
    const wrong = code === '000000' ? '111111' : '000000';
    await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: wrong });
    await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code });
    await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code });
    // A magic-link path counts under its pattern: the token never becomes a label.
    await h.get('/verify/not-a-real-token-but-long-enough-000000000000');
    await h.get('/no/such/page');
    // A method a client makes up is not a new label value each time.
    await h.app.request('/no/such/page', { method: 'BREW' });
    text = await scrape();
    expect(sample(text, 'otpkit_http_requests_total', { method: 'OTHER', status: '404' })).toBe(1);
    expect(text).not.toContain('BREW');
    expect(sample(text, 'otpkit_verifications_total', { outcome: 'OTP_MISMATCH' })).toBe(1);
    expect(sample(text, 'otpkit_verifications_total', { outcome: 'verified' })).toBe(1);
    expect(sample(text, 'otpkit_verifications_total', { outcome: 'ALREADY_VERIFIED' })).toBe(1);
    expect(
      sample(text, 'otpkit_http_requests_total', {
        route: '/api/v5/widget/verifyOtp',
        status: '400',
      }),
    ).toBe(1);
    expect(sample(text, 'otpkit_http_requests_total', { route: '/verify/:token' })).toBe(1);
    expect(text).not.toContain('not-a-real-token');
    expect(
      sample(text, 'otpkit_http_requests_total', {
        route: 'unmatched',
        method: 'GET',
        status: '404',
      }),
    ).toBe(1);
  });

  it('counts failed and retried deliveries by channel', async () => {
    let failures = 1;
    h = await createHarness({
      env: { OTPKIT_METRICS_TOKEN: METRICS_TOKEN },
      autoDeliver: false,
      providers: [
        {
          name: 'flaky',
          channels: ['email'],
          send: async () => {
            if (failures-- > 0) throw new Error('gateway busy');
            return { providerMessageId: 'ok-1' };
          },
        },
      ],
    });
    const w = await h.createWidget();
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'ana@example.com' });
    await h.services.worker.runOnce();
    let text = await scrape();
    expect(sample(text, 'otpkit_codes_sent_total', { channel: 'email', outcome: 'retried' })).toBe(
      1,
    );
    expect(sample(text, 'otpkit_queue_depth')).toBe(1);
    h.clock.advance(2000);
    await h.services.worker.runOnce();
    text = await scrape();
    expect(sample(text, 'otpkit_codes_sent_total', { channel: 'email', outcome: 'sent' })).toBe(1);
  });

  it('counts rate-limit refusals by scope and captcha failures by provider', async () => {
    h = await createHarness({
      env: { OTPKIT_METRICS_TOKEN: METRICS_TOKEN, OTPKIT_LIMIT_IDENTIFIER: '1/600' },
    });
    const w = await h.createWidget();
    const send = () => h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.body.requestId).toBe(limited.headers.get('x-request-id'));
    const pow = await h.createWidget({ captcha: { provider: 'pow' } });
    const noCaptcha = await h.post(`${API}/sendOtpMobile`, { ...pow, identifier: '919876543211' });
    expect(noCaptcha.body.code).toBe('CAPTCHA_REQUIRED');
    const badCaptcha = await h.post(`${API}/sendOtpMobile`, {
      ...pow,
      identifier: '919876543211',
      captcha: 'forged',
    });
    expect(badCaptcha.body.code).toBe('CAPTCHA_FAILED');
    const text = await scrape();
    expect(sample(text, 'otpkit_rate_limited_total', { scope: 'identifier' })).toBe(1);
    expect(sample(text, 'otpkit_rate_limited_total', { scope: 'ip' })).toBe(0);
    expect(sample(text, 'otpkit_captcha_failures_total', { provider: 'pow' })).toBe(2);
  });

  it('keeps each server’s counters apart', async () => {
    h = await createHarness({ env: { OTPKIT_METRICS_TOKEN: METRICS_TOKEN } });
    const other = await createHarness({ env: { OTPKIT_METRICS_TOKEN: METRICS_TOKEN } });
    await other.get('/healthz');
    await other.get('/healthz');
    expect(sample(await scrape(), 'otpkit_http_requests_total', { route: '/healthz' })).toBe(0);
    await other.close();
  });
});
