/**
 * The autofill lines end to end through the widget API and the admin API:
 * the frame form of the WebOTP line (`topOrigin`), the app hash for calls
 * without a page, and the 140-byte check when a widget or template is saved.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { smsBytes } from '../../core/templates/sms-autofill.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';

const API = '/api/v5/widget';
const auth = { authkey: TEST_AUTHKEY };
const HASH = 'FA+9qCX9VSu';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** `PATCH /api/v1/widgets/:id`: the status and the answer's body. */
async function patch(
  widgetId: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await h.app.request(`/api/v1/widgets/${widgetId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function lastSms(to: string): Promise<string> {
  const messages = await h.outbox(to);
  return messages.find((m) => m.channel === 'sms')!.text; // Newest first.
}

describe('WebOTP line for a widget in a cross-origin frame', () => {
  const frame = { origin: 'https://otp-frame.example' };

  it('ends the SMS with @top-host #code @frame-host, on sends and resends', async () => {
    const w = await h.createWidget({ iFrame: true, retryTime: 0 });
    const sent = await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543210', topOrigin: 'https://shop.example' },
      frame,
    );
    expect(sent.status).toBe(200);
    const code = await h.lastCode('919876543210');
    expect(
      (await lastSms('919876543210')).endsWith(`\n\n@shop.example #${code} @otp-frame.example`),
    ).toBe(true);

    const resent = await h.post(
      `${API}/retryOtp`,
      { ...w, reqId: sent.body.message, retryChannel: 11, topOrigin: 'https://www.shop.example' },
      frame,
    );
    expect(resent.status).toBe(200);
    const again = await h.lastCode('919876543210');
    expect(await lastSms('919876543210')).toMatch(
      new RegExp(`\\n\\n@www\\.shop\\.example #${again} @otp-frame\\.example$`),
    );
  });

  it('names only plain hostnames: a top page with a port or an IP address gets the plain line', async () => {
    const w = await h.createWidget({ iFrame: true });
    for (const [i, topOrigin] of ['https://shop.example:8443', 'http://203.0.113.7'].entries()) {
      const to = `91987654322${i}`;
      await h.post(`${API}/sendOtpMobile`, { ...w, identifier: to, topOrigin }, frame);
      const code = await h.lastCode(to);
      expect((await lastSms(to)).endsWith(`\n\n@otp-frame.example #${code}`)).toBe(true);
    }
  });

  it('keeps the plain line when the widget may not run in frames (iFrame off)', async () => {
    const w = await h.createWidget();
    await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543211', topOrigin: 'https://shop.example' },
      frame,
    );
    const code = await h.lastCode('919876543211');
    expect((await lastSms('919876543211')).endsWith(`\n\n@otp-frame.example #${code}`)).toBe(true);
  });

  it('refuses a top page outside allowedOrigins, and a topOrigin that is no origin', async () => {
    const w = await h.createWidget({ iFrame: true, allowedOrigins: ['https://otp-frame.example'] });
    const outside = await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543212', topOrigin: 'https://phish.example' },
      frame,
    );
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('ORIGIN_NOT_ALLOWED');
    for (const topOrigin of [
      'shop.example',
      'https://shop.example/login',
      'javascript:alert(1)',
      42,
    ]) {
      const bad = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543212', topOrigin },
        frame,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_REQUEST');
    }
  });
});

describe('androidAppHash (SMS Retriever)', () => {
  it('ends the SMS of a call without a page with the hash, within 140 bytes', async () => {
    const w = await h.createWidget({ androidAppHash: HASH });
    // A mobile SDK: a widget token and no Origin.
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543213' });
    expect(sent.status).toBe(200);
    const text = await lastSms('919876543213');
    expect(text.endsWith(`\n\n${HASH}`)).toBe(true);
    expect(text).toContain(await h.lastCode('919876543213'));
    expect(smsBytes(text)).toBeLessThanOrEqual(140);
    // A browser page on the same widget gets the WebOTP line last instead.
    await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543214' },
      { origin: 'https://shop.example' },
    );
    expect(await lastSms('919876543214')).toMatch(/\n\n@shop\.example #\d{6}$/);
  });

  it('is validated: 11 characters of the base64 alphabet, shown back, null to remove', async () => {
    for (const bad of ['short', 'FA+9qCX9VSuX', 'FA_9qCX9VSu', 42]) {
      const res = await h.post('/api/v1/widgets', { name: 'App', androidAppHash: bad }, auth);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_REQUEST');
      expect(JSON.stringify(res.body)).toContain('androidAppHash');
    }
    const w = await h.createWidget({ androidAppHash: HASH });
    const shown = await h.get(`/api/v1/widgets/${w.widgetId}`, auth);
    expect(shown.body.androidAppHash).toBe(HASH);
    const removed = await patch(w.widgetId, { androidAppHash: null });
    expect(removed.status).toBe(200);
    expect(removed.body.androidAppHash).toBeNull();
  });

  it('refuses at save time a widget whose SMS cannot fit 140 bytes with the hash', async () => {
    const long = 'A widget name long enough that the default SMS no longer fits';
    const res = await h.post('/api/v1/widgets', { name: long, androidAppHash: HASH }, auth);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('APP_HASH_MESSAGE_TOO_LONG');
    expect(res.body.message).toMatch(/takes \d+ bytes.*at most 140/);
    // The same name without a hash is fine; adding the hash later is refused the same way.
    const w = await h.createWidget({ name: long });
    const later = await patch(w.widgetId, { androidAppHash: HASH });
    expect(later.status).toBe(400);
    expect(later.body.code).toBe('APP_HASH_MESSAGE_TOO_LONG');
  });

  it('refuses an SMS template too long for a widget with a hash that would use it', async () => {
    const w = await h.createWidget({ androidAppHash: HASH });
    const body = `##OTP## ${'is the code you asked for, please type it in the app. '.repeat(3)}`;
    for (const widgetId of [w.widgetId, null]) {
      const res = await h.post(
        '/api/v1/templates',
        { name: 'Long', channel: 'sms', body, widgetId },
        auth,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('APP_HASH_MESSAGE_TOO_LONG');
    }
    // A short one is taken, and used.
    const ok = await h.post(
      '/api/v1/templates',
      { name: 'Short', channel: 'sms', body: 'Code: ##OTP##', widgetId: w.widgetId },
      auth,
    );
    expect(ok.status).toBe(201);
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543215' });
    const code = await h.lastCode('919876543215');
    expect(await lastSms('919876543215')).toBe(`Code: ${code}\n\n${HASH}`);
  });
});
