import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthkey } from '../../../core/accounts/authkeys.ts';
import {
  createOutboxProvider,
  DeliveryError,
  type DeliveryProvider,
} from '../../../core/delivery/index.ts';
import { exportLogs } from '../../../core/logs/export.ts';
import { purgeExpiredLogs } from '../../../core/logs/retention.ts';
import { LOG_FIELDS } from '../../../core/logs/view.ts';
import { cryptoRandom } from '../../../platform/runtime.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../../testing/harness.ts';

const API = '/api/v5/widget';
const auth = { authkey: TEST_AUTHKEY };
const OTHER_KEY = 'otpk_other_account_key_0123456789';

let h: Harness;
/** Recipients whose messages fail permanently. */
const failing = new Set<string>();
/** Recipients whose messages are accepted but never reported delivered. */
const quiet = new Set<string>();
const reqs: Record<string, string> = {};
let widgets: Record<'A' | 'B' | 'C', { widgetId: string; tokenAuth: string }>;
let start: number;

/** The outbox, except for the recipients in `failing`. */
const flakyProvider: DeliveryProvider = {
  name: 'flaky',
  channels: ['sms', 'voice', 'whatsapp', 'email'],
  send(message) {
    if (failing.has(message.to)) throw new DeliveryError('invalid number', { permanent: true });
    if (quiet.has(message.to)) return Promise.resolve({ providerMessageId: `quiet-${message.id}` });
    // The outbox reports each message delivered at once.
    return createOutboxProvider({
      store: h.services.store,
      clock: h.clock,
      random: cryptoRandom,
    }).send(message);
  },
};

const minute = () => h.clock.advance(60_000);
const send = (w: { widgetId: string; tokenAuth: string }, identifier: string) =>
  h.post(`${API}/sendOtpMobile`, { ...w, identifier });

/**
 * Six requests over three widgets and two channels:
 * r1 A sms verified (12 s) and token redeemed · r2 A email delivered ·
 * r3 B sms failed · r4 B sms, resent twice (voice, sms) · r5 C sms (US) sent, no report ·
 * r6 C sms verified (12 s), token not redeemed.
 */
async function seed(): Promise<void> {
  widgets = {
    A: await h.createWidget({ name: 'Alpha' }),
    B: await h.createWidget({ name: 'Beta', retryTime: 0 }),
    C: await h.createWidget({ name: 'Gamma' }),
  };
  start = h.clock.now();
  reqs.r1 = (await send(widgets.A, '919876543210')).body.message;
  h.clock.advance(12_000);
  const code1 = await h.lastCode('919876543210');
  const verified = await h.post(`${API}/verifyOtp`, { ...widgets.A, reqId: reqs.r1, otp: code1 });
  expect(verified.status).toBe(200);
  const redeemed = await h.post(`${API}/verifyAccessToken`, {
    authkey: TEST_AUTHKEY,
    'access-token': verified.body.message,
  });
  expect(redeemed.status).toBe(200);
  minute();
  reqs.r2 = (await send(widgets.A, 'Alice@Example.com')).body.message;
  minute();
  failing.add('919000000001');
  reqs.r3 = (await send(widgets.B, '919000000001')).body.message;
  minute();
  reqs.r4 = (await send(widgets.B, '919000000002')).body.message;
  expect(
    (await h.post(`${API}/retryOtp`, { ...widgets.B, reqId: reqs.r4, retryChannel: 4 })).status,
  ).toBe(200);
  expect(
    (await h.post(`${API}/retryOtp`, { ...widgets.B, reqId: reqs.r4, retryChannel: 11 })).status,
  ).toBe(200);
  minute();
  quiet.add('12124567890');
  reqs.r5 = (await send(widgets.C, '12124567890')).body.message;
  minute();
  reqs.r6 = (await send(widgets.C, '919876543210')).body.message;
  h.clock.advance(12_000);
  const code6 = await h.lastCode('919876543210');
  expect(
    (await h.post(`${API}/verifyOtp`, { ...widgets.C, reqId: reqs.r6, otp: code6 })).status,
  ).toBe(200);
  for (const id of Object.values(reqs)) expect(id).toMatch(/\S/);
}

async function otherAccount(): Promise<{ authkey: string }> {
  await h.services.store.accounts.ensureDefault('other', 0);
  await createAuthkey(h.services, 'other', { authkey: OTHER_KEY });
  return { authkey: OTHER_KEY };
}

const logs = async (query = '', headers: Record<string, string> = auth) =>
  h.get(`/api/v1/logs${query}`, headers);
const ids = (res: { body: { entries: { reqId: string }[] } }) =>
  res.body.entries.map((e) => e.reqId);

beforeEach(async () => {
  failing.clear();
  quiet.clear();
  h = await createHarness({ providers: [flakyProvider] });
  await seed();
});
afterEach(() => h.close());

describe('GET /api/v1/logs', () => {
  it('lists every request newest first, with its derived status and facts', async () => {
    const res = await logs();
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([reqs.r6, reqs.r5, reqs.r4, reqs.r3, reqs.r2, reqs.r1]);
    expect(res.body.nextCursor).toBeNull();
    const byId = Object.fromEntries(res.body.entries.map((e: { reqId: string }) => [e.reqId, e]));
    expect(byId[reqs.r1!]).toMatchObject({
      widgetId: widgets.A.widgetId,
      widgetName: 'Alpha',
      identifier: '919876543210',
      contactPoint: 'mobile',
      country: 'IN',
      channels: ['sms'],
      status: 'verified',
      resendCount: 0,
      otpVerified: true,
      tokenVerified: true,
      demo: false,
      createdAt: new Date(start).toISOString(),
    });
    expect(byId[reqs.r2!]).toMatchObject({
      identifier: 'alice@example.com',
      channels: ['email'],
      status: 'delivered',
      country: null,
    });
    expect(byId[reqs.r3!]).toMatchObject({ status: 'failed', otpVerified: false });
    expect(byId[reqs.r4!]).toMatchObject({
      status: 'retry',
      resendCount: 2,
      channels: ['sms', 'voice'],
      channel: 'sms',
    });
    expect(byId[reqs.r5!]).toMatchObject({ status: 'pending', country: 'US' });
    expect(byId[reqs.r6!]).toMatchObject({
      status: 'verified',
      otpVerified: true,
      tokenVerified: false,
    });
  });

  it.each([
    ['identifier without country code', '?identifier=9876543210', ['r6', 'r1']],
    ['identifier with + and spaces', '?identifier=%2B91%2098765%2043210', ['r6', 'r1']],
    ['identifier with a trunk 0', '?identifier=09876543210', ['r6', 'r1']],
    ['email in any case', '?identifier=ALICE@example.COM', ['r2']],
    ['unknown identifier', '?identifier=5550000', []],
    ['channel', '?channel=voice', ['r4']],
    ['several channels, comma list', '?channel=email,voice', ['r4', 'r2']],
    ['several channels, repeated', '?channel=email&channel=voice', ['r4', 'r2']],
    ['resend count greater than', '?resendCount=1&resendOp=gt', ['r4']],
    ['resend count less than', '?resendCount=1&resendOp=lt', ['r6', 'r5', 'r3', 'r2', 'r1']],
    ['resend count equal (default op)', '?resendCount=2', ['r4']],
    ['OTP verified', '?otpVerified=true', ['r6', 'r1']],
    ['OTP not verified', '?otpVerified=false', ['r5', 'r4', 'r3', 'r2']],
    ['token verified', '?tokenVerified=true', ['r1']],
    ['token not verified', '?tokenVerified=false', ['r6', 'r5', 'r4', 'r3', 'r2']],
    ['resend > 1 and not verified', '?resendCount=1&resendOp=gt&otpVerified=false', ['r4']],
  ])('filters by %s', async (_name, query, want) => {
    const res = await logs(query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(ids(res)).toEqual(want.map((k) => reqs[k]));
  });

  it('filters by widget, reqId and date range', async () => {
    expect(ids(await logs(`?widgetId=${widgets.B.widgetId}`))).toEqual([reqs.r4, reqs.r3]);
    expect(ids(await logs(`?reqId=${reqs.r3}`))).toEqual([reqs.r3]);
    const from = new Date(start + 60_000).toISOString();
    const to = start + 3 * 60_000 + 12_000; // epoch ms works too
    expect(ids(await logs(`?from=${from}&to=${to}`))).toEqual([reqs.r4, reqs.r3, reqs.r2]);
    const day = new Date(start).toISOString().slice(0, 10);
    const all = ['r6', 'r5', 'r4', 'r3', 'r2', 'r1'].map((k) => reqs[k]);
    expect(ids(await logs(`?from=${day}&to=${day}`))).toEqual(all);
    const dayBefore = new Date(start - 86_400_000).toISOString().slice(0, 10);
    expect(ids(await logs(`?from=${dayBefore}&to=${dayBefore}`))).toEqual([]);
  });

  it('pages with a cursor, without repeats, including entries created at the same time', async () => {
    for (let i = 0; i < 5; i++) await send(widgets.A, `same${i}@example.com`);
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const res = await logs(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeLessThanOrEqual(3);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
    expect(seen.slice(-6)).toEqual([reqs.r6, reqs.r5, reqs.r4, reqs.r3, reqs.r2, reqs.r1]);
  });

  it.each([
    ['?from=yesterday', 'from'],
    ['?to=2025-13-45', 'to'],
    ['?from=2025-02-01&to=2025-01-01', 'to'],
    ['?channel=fax', 'channel'],
    ['?resendCount=-1', 'resendCount'],
    ['?resendCount=1&resendOp=ge', 'resendOp'],
    ['?resendOp=gt', 'resendCount'],
    ['?otpVerified=yes', 'otpVerified'],
    ['?tokenVerified=1', 'tokenVerified'],
    ['?limit=0', 'limit'],
    ['?limit=501', 'limit'],
    ['?cursor=nonsense', 'cursor'],
    ['?reqId=a&reqId=b', 'reqId'],
    ['?colour=red', 'colour'],
  ])('refuses %s naming %s', async (query, param) => {
    const res = await logs(query);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    expect(res.body.fields[0].path).toBe(param);
    expect(res.body.message).toContain(param);
  });

  it('shows one account nothing of another’s', async () => {
    const other = await otherAccount();
    expect((await logs('', other)).body).toEqual({ entries: [], nextCursor: null });
    expect(ids(await logs(`?widgetId=${widgets.A.widgetId}`, other))).toEqual([]);
    expect(ids(await logs(`?reqId=${reqs.r1}`, other))).toEqual([]);
    expect(ids(await logs('?identifier=919876543210', other))).toEqual([]);
    const detail = await h.get(`/api/v1/logs/${reqs.r1}`, other);
    expect(detail.status).toBe(404);
    expect(detail.body.code).toBe('REQUEST_NOT_FOUND');
    const exported = await h.get('/api/v1/logs/export?format=json', other);
    expect(exported.body).toEqual([]);
    const report = await h.get('/api/v1/analytics', other);
    expect(report.body.totals).toMatchObject({ requests: 0, sent: 0, verified: 0 });
    expect((await logs('', {})).status).toBe(401);
  });
});

describe('GET /api/v1/logs/:reqId', () => {
  it('shows the delivery attempts behind a request', async () => {
    const res = await h.get(`/api/v1/logs/${reqs.r4}`, auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reqId: reqs.r4, status: 'retry', resendCount: 2 });
    expect(res.body.messages.map((m: { channel: string }) => m.channel)).toEqual([
      'sms',
      'voice',
      'sms',
    ]);
    expect(res.body.messages.map((m: { purpose: string }) => m.purpose)).toEqual([
      'send',
      'retry',
      'retry',
    ]);
    expect(res.body.messages[0].deliveries).toEqual([
      expect.objectContaining({ attempt: 1, status: 'sent', provider: 'flaky' }),
    ]);
    expect(res.body.events.map((e: { kind: string }) => e.kind)).toEqual([
      'send',
      'retry',
      'retry',
    ]);

    const failed = await h.get(`/api/v1/logs/${reqs.r3}`, auth);
    expect(failed.body.messages[0]).toMatchObject({ status: 'failed', error: 'invalid number' });
    expect(failed.body.messages[0].deliveries[0]).toMatchObject({
      status: 'failed',
      error: 'invalid number',
    });
    expect((await h.get('/api/v1/logs/nope', auth)).status).toBe(404);
  });
});

describe('GET /api/v1/logs/export', () => {
  it('streams CSV with the filters, chosen fields and masked identifiers', async () => {
    const res = await h.app.request(
      '/api/v1/logs/export?format=csv&fields=reqId,identifier,status,channels&maskIdentifiers=true&otpVerified=false',
      { headers: auth },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="otpkit-logs-\d{8}-\d{6}\.csv"$/,
    );
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('reqId,identifier,status,channels');
    expect(lines.slice(1)).toEqual([
      `${reqs.r5},12*****7890,pending,sms`,
      `${reqs.r4},91******0002,retry,sms|voice`,
      `${reqs.r3},91******0001,failed,sms`,
      `${reqs.r2},a***@example.com,delivered,email`,
    ]);
  });

  it('exports JSON with every field by default', async () => {
    const res = await h.get(`/api/v1/logs/export?format=json&widgetId=${widgets.A.widgetId}`, auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/\.json"$/);
    expect(res.body.map((e: { reqId: string }) => e.reqId)).toEqual([reqs.r2, reqs.r1]);
    expect(Object.keys(res.body[0])).toEqual([...LOG_FIELDS]);
    expect(res.body[1].identifier).toBe('919876543210');
  });

  it('reads the store a page at a time and writes each page as it comes', async () => {
    const stream = exportLogs(
      h.services.store,
      { accountId: await accountOf() },
      { format: 'csv', fields: ['reqId'], maskIdentifiers: false, pageSize: 2 },
    );
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    for await (const chunk of stream) chunks.push(decoder.decode(chunk));
    expect(chunks).toHaveLength(3);
    expect(chunks.join('').trim().split('\n')).toHaveLength(7);
  });

  it.each([
    ['?format=xml', 'format'],
    ['?fields=reqId,secret', 'fields'],
    ['?maskIdentifiers=maybe', 'maskIdentifiers'],
    ['?channel=fax', 'channel'],
  ])('refuses %s naming %s', async (query, param) => {
    const res = await h.get(`/api/v1/logs/export${query}`, auth);
    expect(res.status).toBe(400);
    expect(res.body.fields[0].path).toBe(param);
  });
});

async function accountOf(): Promise<string> {
  const widget = await h.services.store.widgets.get(widgets.A.widgetId);
  return widget!.accountId;
}

describe('GET /api/v1/analytics', () => {
  it('counts sends, deliveries, failures and verifications, per day, channel and country', async () => {
    const res = await h.get('/api/v1/analytics', auth);
    expect(res.status).toBe(200);
    expect(res.body.groupBy).toBe('day');
    expect(res.body.totals).toEqual({
      requests: 6,
      sent: 7,
      delivered: 6,
      failed: 1,
      verified: 2,
      conversionRate: 0.3333,
      medianVerifySeconds: 12.5,
    });
    expect(res.body.series.length).toBeGreaterThanOrEqual(30);
    const busy = res.body.series.filter((b: { requests: number }) => b.requests > 0);
    expect(busy.reduce((n: number, b: { requests: number }) => n + b.requests, 0)).toBe(6);
    const channels = Object.fromEntries(
      res.body.channels.map((c: { channel: string }) => [c.channel, c]),
    );
    expect(channels.sms).toMatchObject({ requests: 5, sent: 5, failed: 1, verified: 2 });
    expect(channels.voice).toMatchObject({ requests: 0, sent: 1, verified: 0 });
    expect(channels.email).toMatchObject({ requests: 1, sent: 1, delivered: 1 });
    expect(channels.sms.series).toHaveLength(res.body.series.length);
    const countries = Object.fromEntries(
      res.body.countries.map((c: { country: string | null }) => [String(c.country), c]),
    );
    expect(countries.IN).toMatchObject({ requests: 4, verified: 2, conversionRate: 0.5 });
    expect(countries.US).toMatchObject({ requests: 1, sent: 1 });
    expect(countries.null).toMatchObject({ requests: 1, delivered: 1 });
  });

  it('groups by hour, narrows to a widget and a range', async () => {
    const from = new Date(start).toISOString();
    const to = new Date(start + 3_600_000).toISOString();
    const res = await h.get(
      `/api/v1/analytics?groupBy=hour&from=${from}&to=${to}&widget=${widgets.B.widgetId}`,
      auth,
    );
    expect(res.status).toBe(200);
    expect(res.body.series.length).toBeGreaterThanOrEqual(1);
    expect(res.body.series.length).toBeLessThanOrEqual(3);
    expect(res.body.totals).toMatchObject({ requests: 2, sent: 3, failed: 1, verified: 0 });
    const later = await h.get(
      `/api/v1/analytics?from=${start + 10 * 86_400_000}&to=${start + 11 * 86_400_000}`,
      auth,
    );
    expect(later.body.totals.requests).toBe(0);
  });

  it('exports the report as CSV', async () => {
    const res = await h.get('/api/v1/analytics/export?format=csv', auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/otpkit-analytics-.*\.csv"$/);
    const lines = String(res.body).trim().split('\n');
    expect(lines[0]).toBe(
      'section,key,bucket,requests,sent,delivered,failed,verified,conversionRate,medianVerifySeconds,failovers,meanLatencyMs',
    );
    expect(lines[1]).toBe('total,all,,6,7,6,1,2,0.3333,12.5');
    expect(lines.some((l) => l.startsWith('channel,sms,,5,5,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('country,US,'))).toBe(true);
    expect(lines).toContain('provider,flaky/sms,,,5,4,1,,,,0,0');
  });

  it('has a table per delivery provider and channel', async () => {
    const res = await h.get('/api/v1/analytics', auth);
    expect(res.status).toBe(200);
    const sms = res.body.providers.find(
      (p: { provider: string; channel: string }) => p.provider === 'flaky' && p.channel === 'sms',
    );
    // r3's invalid number failed; r5 was accepted but never reported delivered.
    expect(sms).toEqual({
      provider: 'flaky',
      channel: 'sms',
      sent: 5,
      failed: 1,
      failovers: 0,
      delivered: 4,
      meanLatencyMs: 0,
    });
  });

  it.each([
    ['?groupBy=week', 'groupBy'],
    ['?from=2025-01-01&to=2024-01-01', 'to'],
    ['?groupBy=hour&from=2025-01-01&to=2025-03-01', 'from'],
    ['?from=soon', 'from'],
    ['?region=EU', 'region'],
  ])('refuses %s naming %s', async (query, param) => {
    const res = await h.get(`/api/v1/analytics${query}`, auth);
    expect(res.status).toBe(400);
    expect(res.body.fields[0].path).toBe(param);
  });
});

describe('retention', () => {
  it('purges entries older than the retention, with their messages, and keeps the analytics', async () => {
    h.clock.advance(89 * 86_400_000);
    const recent = (await send(widgets.A, 'recent@example.com')).body.message;
    expect(await purgeExpiredLogs(h.services, 90)).toBe(0);
    h.clock.advance(86_400_000 + 60_000);
    expect(await purgeExpiredLogs(h.services, 90)).toBe(6);
    expect(ids(await logs())).toEqual([recent]);
    expect(await h.services.store.messages.listForRequest(reqs.r4!)).toEqual([]);
    expect(await h.services.store.deliveries.listForRequest(reqs.r4!)).toEqual([]);
    expect(await h.services.store.events.listForRequest(reqs.r1!)).toEqual([]);
    expect((await h.get(`/api/v1/logs/${reqs.r1}`, auth)).status).toBe(404);
    const report = await h.get(
      `/api/v1/analytics?from=${start - 86_400_000}&to=${start + 86_400_000}`,
      auth,
    );
    expect(report.body.totals.requests).toBe(6);
  });

  it('reads its number of days from OTPKIT_LOG_RETENTION_DAYS (default 90)', async () => {
    expect(h.config.logRetentionDays).toBe(90);
    const short = await createHarness({ env: { OTPKIT_LOG_RETENTION_DAYS: '7' } });
    expect(short.config.logRetentionDays).toBe(7);
    await short.close();
    await expect(createHarness({ env: { OTPKIT_LOG_RETENTION_DAYS: '0' } })).rejects.toThrow(
      /OTPKIT_LOG_RETENTION_DAYS/,
    );
  });
});
