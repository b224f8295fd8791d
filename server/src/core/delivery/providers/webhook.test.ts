import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../testing/harness.ts';
import { until } from '../../../testing/processes.ts';
import { startWebhookReceiver } from '../../../testing/standins.ts';
import { signWebhook, verifyWebhookSignature } from './webhook.ts';

const SECRET = 'webhook-secret-0123456789';
const API = '/api/v5/widget';

let gateway: Awaited<ReturnType<typeof startWebhookReceiver>>;
let h: Harness;
beforeEach(async () => {
  gateway = await startWebhookReceiver({ secret: SECRET });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_WEBHOOK_URL: gateway.url,
      OTPKIT_WEBHOOK_SECRET: SECRET,
      OTPKIT_WEBHOOK_CHANNELS: 'sms,whatsapp',
    },
  });
});
afterEach(async () => {
  await h.close();
  await gateway.close();
});

const signed = (body: unknown, secret = SECRET, at = Math.floor(Date.now() / 1000)) => {
  const raw = JSON.stringify(body);
  return h.app.request('/api/hooks/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-otpkit-signature': signWebhook(secret, raw, at),
    },
    body: raw,
  });
};

describe('webhook provider', () => {
  it('posts a signed JSON message with its idempotency key; other channels stay on their providers', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(gateway.deliveries).toHaveLength(1);
    const [delivery] = gateway.deliveries;
    expect(delivery?.signatureValid).toBe(true);
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(delivery?.idempotencyKey).toBe(message?.id);
    expect(delivery?.body).toMatchObject({
      id: message?.id,
      channel: 'sms',
      to: '+919876543210',
      requestId: sent.body.message,
    });
    expect(String(delivery?.body.text)).toMatch(/^\d{6} is your Test shop verification code/);
    expect(message).toMatchObject({
      status: 'sent',
      provider: 'webhook',
      providerMessageId: `gw-${message?.id}`,
    });

    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'ana@example.com' });
    expect(gateway.deliveries).toHaveLength(1);
    expect(await h.outbox('ana@example.com')).toHaveLength(1);
  });

  it('treats 4xx as permanent and 5xx as transient', async () => {
    const w = await h.createWidget();
    gateway.control.statuses.push(422);
    const bad = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect((await h.services.store.messages.listForRequest(bad.body.message))[0]?.status).toBe(
      'failed',
    );
    gateway.control.statuses.push(502);
    const retry = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
    expect((await h.services.store.messages.listForRequest(retry.body.message))[0]?.status).toBe(
      'pending',
    );
    h.clock.advance(10_000);
    await h.deliver();
    expect((await h.services.store.messages.listForRequest(retry.body.message))[0]?.status).toBe(
      'sent',
    );
  });

  it('takes signed delivery reports and rejects forged, stale or unsigned ones', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    const body = { providerMessageId: message!.providerMessageId, status: 'delivered' };

    expect((await signed(body, 'wrong-secret-0123456789')).status).toBe(401);
    expect((await signed(body, SECRET, Math.floor(Date.now() / 1000) - 3600)).status).toBe(401);
    const unsigned = await h.app.request('/api/hooks/webhook', {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('sent');

    expect((await signed(body)).status).toBe(204);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('delivered');
  });

  it('applies a report that arrives before the worker has recorded the send', async () => {
    await h.close();
    h = await createHarness({
      recordOutbox: false,
      autoDeliver: false,
      env: { OTPKIT_WEBHOOK_URL: gateway.url, OTPKIT_WEBHOOK_SECRET: SECRET },
    });
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    // The gateway has the message but has not answered: otpkit does not know its id yet.
    let answer = () => {};
    gateway.control.hold = new Promise<void>((r) => {
      answer = r;
    });
    const delivering = h.deliver();
    await until(() => gateway.deliveries.length === 1);
    const report = { providerMessageId: `gw-${message!.id}`, status: 'delivered' };
    expect((await signed(report)).status).toBe(204);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('pending');
    gateway.control.hold = undefined;
    answer();
    await delivering;
    await until(
      async () => (await h.services.store.messages.get(message!.id))?.status === 'delivered',
    );
  });

  it('a signed failure report makes the running worker send the autoRetry fallback at once', async () => {
    await h.close();
    // A poll far longer than the test: only the report's kick can bring the fallback out in time.
    h = await createHarness({
      recordOutbox: false,
      autoDeliver: false,
      worker: { pollMs: 600_000 },
      env: {
        OTPKIT_WEBHOOK_URL: gateway.url,
        OTPKIT_WEBHOOK_SECRET: SECRET,
        OTPKIT_WEBHOOK_CHANNELS: 'sms,whatsapp',
      },
    });
    const w = await h.createWidget({ autoRetry: true, fallbackChannel: 'whatsapp' });
    h.services.worker.start();
    try {
      const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
      await until(() => gateway.deliveries.length === 1);
      const [message] = await h.services.store.messages.listForRequest(sent.body.message);
      await until(
        async () => (await h.services.store.messages.get(message!.id))?.status === 'sent',
      );
      const sms = await h.services.store.messages.get(message!.id);
      expect(sms?.status).toBe('sent');
      const report = { providerMessageId: sms!.providerMessageId, status: 'failed', error: 'x' };
      expect((await signed(report)).status).toBe(204);
      await until(() => gateway.deliveries.length === 2);
      expect(gateway.deliveries.map((d) => d.body.channel)).toEqual(['sms', 'whatsapp']);
    } finally {
      await h.services.worker.stop();
    }
  });

  it('documents a signature any receiver can check', () => {
    const header = signWebhook(SECRET, '{"a":1}', 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, header, '{"a":1}', 1_700_000_100)).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, '{"a":2}', 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, '{"a":1}', 1_700_001_000)).toBe(false);
  });
});
