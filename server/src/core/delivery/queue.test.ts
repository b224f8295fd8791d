import type { Channel } from '@otpkit/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSealer } from '../../platform/crypto.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { until } from '../../testing/processes.ts';
import { DeliveryError, type DeliveryProvider, type OutgoingMessage } from './index.ts';

const API = '/api/v5/widget';

/** A provider under the test's control: each call takes the next scripted outcome. */
function scriptedProvider(
  channels: Channel[],
  script: ('ok' | 'transient' | 'permanent' | 'hang')[] = [],
) {
  const calls: OutgoingMessage[] = [];
  let release: () => void = () => {};
  const released = new Promise<void>((r) => {
    release = r;
  });
  const provider: DeliveryProvider = {
    name: 'scripted',
    channels,
    async send(message) {
      calls.push(message);
      const outcome = script.shift() ?? 'ok';
      if (outcome === 'hang') await released;
      if (outcome === 'transient') throw new DeliveryError('gateway timeout', { permanent: false });
      if (outcome === 'permanent') throw new DeliveryError('invalid number', { permanent: true });
      return { providerMessageId: `p-${calls.length}` };
    },
  };
  return { provider, calls, release: () => release() };
}

let h: Harness;
afterEach(() => h.close());

describe('durable send queue', () => {
  it('commits the message with the request, sealed, and erases it once sent', async () => {
    const sms = scriptedProvider(['sms']);
    h = await createHarness({ providers: [sms.provider], autoDeliver: false });
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(sms.calls).toHaveLength(0);
    const [queued] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(queued).toMatchObject({
      status: 'pending',
      attempts: 0,
      purpose: 'send',
      recipient: '919876543210',
    });
    await h.deliver();
    const code = sms.calls[0]?.text.match(/\d{6}/)?.[0];
    expect(code).toBeDefined();
    expect(queued?.payload).not.toContain(code);
    // Sealed under the queue's key: it opens to the message that was sent, code and all.
    expect(createSealer(h.services.otp.secret).open(queued!.payload)).toContain(code);
    const [done] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(done).toMatchObject({
      status: 'sent',
      payload: '',
      providerMessageId: 'p-1',
      attempts: 1,
    });
  });

  it('retries a provider that is down with growing, jittered delays, then delivers', async () => {
    const sms = scriptedProvider(['sms'], ['transient', 'transient', 'transient', 'ok']);
    h = await createHarness({ providers: [sms.provider], autoDeliver: false });
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = h.clock.now();
      await h.deliver();
      const [m] = await h.services.store.messages.listForRequest(sent.body.message);
      expect(m?.status).toBe('pending');
      delays.push(m!.nextAttemptAt - before);
      h.clock.advance(m!.nextAttemptAt - before);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThanOrEqual(1000);
    expect(delays[1]).toBeGreaterThanOrEqual(1000);
    expect(delays[2]).toBeGreaterThanOrEqual(2000);
    await h.deliver();
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ status: 'sent', attempts: 4 });
    expect(sms.calls).toHaveLength(4);
    expect(new Set(sms.calls.map((c) => c.id)).size).toBe(1);
  });

  it('fails a permanent error at once and never retries it', async () => {
    const sms = scriptedProvider(['sms'], ['permanent']);
    h = await createHarness({ providers: [sms.provider], autoDeliver: false });
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    await h.deliver();
    h.clock.advance(3600_000);
    await h.deliver();
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'invalid number',
      payload: '',
    });
    expect(sms.calls).toHaveLength(1);
  });

  it('gives up after the configured attempts', async () => {
    const sms = scriptedProvider(['sms'], Array(10).fill('transient'));
    h = await createHarness({
      providers: [sms.provider],
      autoDeliver: false,
      env: { OTPKIT_DELIVERY_MAX_ATTEMPTS: '3' },
    });
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    for (let i = 0; i < 5; i++) {
      await h.deliver();
      h.clock.advance(60_000);
    }
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('answers the HTTP request while a slow provider is still sending', async () => {
    const sms = scriptedProvider(['sms'], ['hang']);
    h = await createHarness({ providers: [sms.provider], autoDeliver: false });
    const w = await h.createWidget();
    const first = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const sending = h.services.worker.runOnce();
    // The worker reaches the provider after a store round trip (longer on PostgreSQL).
    for (let i = 0; i < 200 && sms.calls.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(sms.calls).toHaveLength(1);
    // The provider has not answered, yet another send is answered at once.
    const second = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
    expect(second.status).toBe(200);
    expect((await h.services.store.messages.listForRequest(first.body.message))[0]?.status).toBe(
      'pending',
    );
    sms.release();
    await sending;
    expect((await h.services.store.messages.listForRequest(first.body.message))[0]?.status).toBe(
      'sent',
    );
  });

  it('the running worker sends a message queued while another is still at the provider', async () => {
    const sms = scriptedProvider(['sms'], ['hang', 'ok']);
    h = await createHarness({ providers: [sms.provider], autoDeliver: false });
    const w = await h.createWidget();
    const status = async (reqId: string) =>
      (await h.services.store.messages.listForRequest(reqId))[0]?.status;
    h.services.worker.start();
    try {
      const first = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
      await until(() => sms.calls.length === 1);
      // The first call hangs; the second message, queued after it, still goes out
      // (with passes, it waited for the pass holding the first).
      const second = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
      await until(async () => (await status(second.body.message)) === 'sent');
      expect(sms.calls.map((c) => c.to)).toEqual(['919876543210', '919876543211']);
      expect(await status(second.body.message)).toBe('sent');
      expect(await status(first.body.message)).toBe('pending');
      sms.release();
      await until(async () => (await status(first.body.message)) === 'sent');
      expect(await status(first.body.message)).toBe('sent');
    } finally {
      sms.release();
      await h.services.worker.stop();
    }
  });

  it('the running worker sends a fallback as soon as it is due, and otherwise looks for fallbacks once per poll', async () => {
    const sms = scriptedProvider(['sms'], ['permanent']);
    // A poll far longer than the test: whatever happens in it, a kick or a failure caused.
    h = await createHarness({
      providers: [sms.provider],
      autoDeliver: false,
      worker: { pollMs: 600_000 },
    });
    const w = await h.createWidget({ autoRetry: true });
    const looks = vi.spyOn(h.services.store.messages, 'claimFallbacks');
    const channels = async (reqId: string) =>
      (await h.services.store.messages.listForRequest(reqId)).map((m) => [m.channel, m.status]);
    h.services.worker.start();
    try {
      // A permanent failure makes the voice fallback due now: it goes out without waiting for the poll.
      const failed = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
      await until(async () => (await channels(failed.body.message))[1]?.[1] === 'delivered');
      expect(await channels(failed.body.message)).toEqual([
        ['sms', 'failed'],
        ['voice', 'delivered'],
      ]);

      // Sends that succeed do not each cost a look for fallbacks.
      const before = looks.mock.calls.length;
      const sent: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const answer = await h.post(`${API}/sendOtpMobile`, {
          ...w,
          identifier: `91987654322${i}`,
        });
        sent.push(answer.body.message);
      }
      await until(async () =>
        (await Promise.all(sent.map(channels))).every((c) => c[0]?.[1] === 'sent'),
      );
      expect((await Promise.all(sent.map(channels))).map((c) => c[0])).toEqual(
        sent.map(() => ['sms', 'sent']),
      );
      expect(looks.mock.calls.length).toBe(before);

      // A failure report (the hooks route kicks the worker so) makes that message's fallback due now.
      const [reported] = await h.services.store.messages.listForRequest(sent[0]!);
      await h.services.store.messages.report('scripted', reported!.providerMessageId!, {
        status: 'failed',
        now: h.clock.now(),
      });
      h.services.delivery.kick('fallback');
      await until(async () => (await channels(sent[0]!))[1]?.[1] === 'delivered');
      expect(await channels(sent[0]!)).toEqual([
        ['sms', 'failed'],
        ['voice', 'delivered'],
      ]);
    } finally {
      await h.services.worker.stop();
    }
  });

  it('the running worker waits for its poll after a failed pass instead of trying again at once', async () => {
    h = await createHarness({ autoDeliver: false, worker: { pollMs: 600_000 } });
    const claims = vi
      .spyOn(h.services.store.messages, 'claimDue')
      .mockRejectedValue(new Error('database unavailable'));
    h.services.worker.start();
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(claims.mock.calls.length).toBe(1);
    } finally {
      await h.services.worker.stop();
    }
  });

  it('with autoRetry, a failed SMS is followed by a voice call whose code works', async () => {
    const sms = scriptedProvider(['sms'], ['permanent']);
    h = await createHarness({ providers: [sms.provider] });
    const w = await h.createWidget({ autoRetry: true });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const messages = await h.services.store.messages.listForRequest(sent.body.message);
    expect(messages.map((m) => [m.channel, m.purpose, m.status])).toEqual([
      ['sms', 'send', 'failed'],
      ['voice', 'fallback', 'delivered'],
    ]);
    const call = h.sent.find((m) => m.channel === 'voice');
    expect(call?.text).toMatch(/(\d, ){5}\d/);
    const request = await h.services.store.otpRequests.get(sent.body.message);
    expect(request).toMatchObject({ fallbackCount: 1, resendCount: 0 });
    const verified = await h.post(`${API}/verifyOtp`, {
      ...w,
      reqId: sent.body.message,
      otp: await h.lastCode('919876543210'),
    });
    expect(verified.status).toBe(200);
  });

  it('with autoRetry, an SMS without a delivery report in time gets the fallback, once', async () => {
    const sms = scriptedProvider(['sms']);
    h = await createHarness({
      providers: [sms.provider],
      env: { OTPKIT_DELIVERY_REPORT_TIMEOUT: '30' },
    });
    const w = await h.createWidget({ autoRetry: true, fallbackChannel: 'whatsapp' });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    h.clock.advance(29_000);
    await h.deliver();
    expect(await h.services.store.messages.listForRequest(sent.body.message)).toHaveLength(1);
    h.clock.advance(2_000);
    await h.deliver();
    h.clock.advance(60_000);
    await h.deliver();
    const messages = await h.services.store.messages.listForRequest(sent.body.message);
    expect(messages.map((m) => [m.channel, m.purpose])).toEqual([
      ['sms', 'send'],
      ['whatsapp', 'fallback'],
    ]);
  });

  it('sends no fallback when the delivery report arrives in time, or without autoRetry', async () => {
    const sms = scriptedProvider(['sms'], ['ok', 'permanent']);
    h = await createHarness({ providers: [sms.provider] });
    const auto = await h.createWidget({ autoRetry: true });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...auto, identifier: '919876543210' });
    await h.services.store.messages.report('scripted', 'p-1', {
      status: 'delivered',
      now: h.clock.now(),
    });
    h.clock.advance(60_000);
    await h.deliver();
    expect(await h.services.store.messages.listForRequest(sent.body.message)).toHaveLength(1);

    const manual = await h.createWidget({ autoRetry: false });
    const failed = await h.post(`${API}/sendOtpMobile`, { ...manual, identifier: '919876543211' });
    h.clock.advance(60_000);
    await h.deliver();
    expect(await h.services.store.messages.listForRequest(failed.body.message)).toHaveLength(1);
  });

  it('makes a fallback due at once when a failure is reported', async () => {
    const sms = scriptedProvider(['sms']);
    h = await createHarness({ providers: [sms.provider] });
    const w = await h.createWidget({ autoRetry: true });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    await h.services.store.messages.report('scripted', 'p-1', {
      status: 'failed',
      now: h.clock.now(),
    });
    await h.deliver();
    const messages = await h.services.store.messages.listForRequest(sent.body.message);
    expect(messages.map((m) => [m.channel, m.status])).toEqual([
      ['sms', 'failed'],
      ['voice', 'delivered'],
    ]);
  });
});

describe('stale messages', () => {
  it('are not sent once their request is verified, superseded or expired', async () => {
    const sms = scriptedProvider(['sms'], Array(5).fill('transient'));
    h = await createHarness({ providers: [sms.provider], autoDeliver: false });
    const w = await h.createWidget({ expiryTime: 1 });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    await h.deliver();
    expect(sms.calls).toHaveLength(1);
    h.clock.advance(61_000);
    await h.deliver();
    expect(sms.calls).toHaveLength(1);
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ status: 'failed', error: 'not sent: the request is expired' });
  });
});
