import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';
import { createCircuitBreakers } from './routing.ts';
import { DeliveryError, type DeliveryProvider, type OutgoingMessage } from './types.ts';

const API = '/api/v5/widget';

/** A provider that answers from a script: `ok`, or a transient or permanent failure. */
function scripted(name: string) {
  const script: ('ok' | 'transient' | 'permanent')[] = [];
  const sent: OutgoingMessage[] = [];
  const provider: DeliveryProvider = {
    name,
    channels: ['sms', 'voice'],
    async send(message) {
      sent.push(message);
      const next = script.shift() ?? 'ok';
      if (next === 'ok') return { providerMessageId: `${name}-${sent.length}` };
      throw new DeliveryError(`${name} says ${next}`, { permanent: next === 'permanent' });
    },
  };
  return { provider, script, sent };
}

let h: Harness;
let a: ReturnType<typeof scripted>;
let b: ReturnType<typeof scripted>;
beforeEach(async () => {
  // Named as configured providers, so widget settings may list them.
  a = scripted('msg91');
  b = scripted('twilio');
  h = await createHarness({ providers: [a.provider, b.provider], recordOutbox: false });
});
afterEach(() => h.close());

describe('provider routing and failover', () => {
  it('a single name keeps working, and no list means the first provider alone', async () => {
    const one = await h.createWidget({ channelProviders: { sms: 'twilio' } });
    await h.post(`${API}/sendOtpMobile`, { ...one, identifier: '14155550100' });
    expect([a.sent.length, b.sent.length]).toEqual([0, 1]);
    const none = await h.createWidget();
    a.script.push('transient');
    const sent = await h.post(`${API}/sendOtpMobile`, { ...none, identifier: '14155550101' });
    expect([a.sent.length, b.sent.length]).toEqual([1, 1]);
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m?.status).toBe('pending');
  });

  it('moves a transient failure to the next provider at once, with the same code and idempotency key, and logs each attempt', async () => {
    const w = await h.createWidget({
      channelProviders: { sms: ['twilio'] },
      countryProviders: { in: { sms: ['msg91', 'twilio'] } },
    });
    a.script.push('transient');
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(a.sent).toHaveLength(1);
    expect(b.sent).toHaveLength(1);
    expect(b.sent[0]?.id).toBe(a.sent[0]?.id);
    expect(b.sent[0]?.code).toBe(a.sent[0]?.code);
    expect(b.sent[0]?.text).toBe(a.sent[0]?.text);
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ status: 'sent', provider: 'twilio', attempts: 1 });

    const entry = await h.get(`/api/v1/logs/${sent.body.message}`, { authkey: TEST_AUTHKEY });
    expect(entry.status).toBe(200);
    const deliveries = entry.body.messages[0].deliveries;
    expect(
      deliveries.map((d: { provider: string; status: string }) => [d.provider, d.status]),
    ).toEqual([
      ['msg91', 'failed'],
      ['twilio', 'sent'],
    ]);
    expect(deliveries[0].error).toContain('failed over to twilio');

    // Other countries follow channelProviders.
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '14155550100' });
    expect([a.sent.length, b.sent.length]).toEqual([1, 2]);
  });

  it('does not fail a permanent error over', async () => {
    const w = await h.createWidget({ channelProviders: { sms: ['msg91', 'twilio'] } });
    a.script.push('permanent');
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(b.sent).toHaveLength(0);
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ status: 'failed', provider: 'msg91' });
  });

  it('retries later when every provider of the list fails for a passing reason', async () => {
    const w = await h.createWidget({ channelProviders: { sms: ['msg91', 'twilio'] } });
    a.script.push('transient');
    b.script.push('transient');
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m?.status).toBe('pending');
    h.clock.advance(60_000);
    await h.deliver();
    const [done] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(done).toMatchObject({ status: 'sent', provider: 'msg91', attempts: 2 });
  });

  it('skips a provider that keeps failing while its circuit is open, shows it in /readyz and the metrics, and tries it again later', async () => {
    const w = await h.createWidget({ channelProviders: { sms: ['msg91', 'twilio'] } });
    for (let i = 0; i < 5; i++) {
      a.script.push('transient');
      await h.post(`${API}/sendOtpMobile`, { ...w, identifier: `91987654320${i}` });
    }
    expect(a.sent).toHaveLength(5);
    expect(b.sent).toHaveLength(5);
    const ready = await h.get('/readyz');
    expect(ready.body.checks.providers.circuits).toContainEqual(
      expect.objectContaining({ provider: 'msg91', state: 'open', consecutiveFailures: 5 }),
    );
    const metrics = await (await h.app.request('/metrics')).text();
    expect(metrics).toMatch(/otpkit_provider_circuit_open\{provider="msg91",state="open"\} 1/);
    expect(metrics).toMatch(
      /otpkit_provider_failovers_total\{from="msg91",to="twilio",channel="sms"\} 5/,
    );
    expect(metrics).toMatch(
      /otpkit_provider_sends_total\{provider="twilio",channel="sms",outcome="sent"\} 5/,
    );
    expect(metrics).toMatch(/otpkit_provider_delivery_latency_seconds_count\{provider="msg91"\} 5/);

    // Open: MSG91 is not asked.
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543299' });
    expect(a.sent).toHaveLength(5);
    expect(b.sent).toHaveLength(6);

    // After the cool-down one trial goes to MSG91; its success closes the circuit.
    h.clock.advance(31_000);
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543298' });
    expect(a.sent).toHaveLength(6);
    expect(h.services.delivery.breakers.state('msg91')).toBe('closed');
  });
});

describe('circuit breakers', () => {
  it('open after the threshold, let one trial through when half-open, and reopen when it fails', () => {
    let t = 0;
    const changes: string[] = [];
    const b = createCircuitBreakers(
      ['p'],
      () => t,
      { failureThreshold: 2, cooldownMs: 100 },
      (p, s) => changes.push(`${p}:${s}`),
    );
    b.failed('p');
    expect(b.state('p')).toBe('closed');
    b.failed('p');
    expect(b.state('p')).toBe('open');
    expect(b.allows('p')).toBe(false);
    t = 100;
    expect(b.state('p')).toBe('half-open');
    expect(b.allows('p')).toBe(true);
    expect(b.allows('p')).toBe(false);
    b.failed('p');
    expect(b.state('p')).toBe('open');
    t = 250;
    expect(b.allows('p')).toBe(true);
    b.succeeded('p');
    expect(b.view()).toEqual([
      { provider: 'p', state: 'closed', consecutiveFailures: 0, retryAt: null },
    ]);
    expect(changes).toEqual(['p:open', 'p:open', 'p:closed']);
  });
});
