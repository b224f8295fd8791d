/** Vonage and Infobip SMS against their stand-ins: the request, the answer, the receipts. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { startInfobipStandIn } from '../../../testing/infobip.ts';
import { startVonageStandIn } from '../../../testing/vonage.ts';
import { hookToken } from './http.ts';
import { vonageSignature } from './vonage.ts';

const API = '/api/v5/widget';
const SECRET = 'test-secret-test-secret-test-secret-0123';
const VONAGE = {
  apiKey: 'a1b2c3d4',
  apiSecret: 'vonage-secret-1',
  signatureSecret: 'vonage-signature-secret-0123',
};
const INFOBIP_KEY = 'infobip-api-key-0123456789abcdef';

let vonage: Awaited<ReturnType<typeof startVonageStandIn>>;
let infobip: Awaited<ReturnType<typeof startInfobipStandIn>>;
let h: Harness;
const inApp = (url: string, init: RequestInit) =>
  Promise.resolve(h.app.request(url.slice(TEST_ISSUER.length), init));

beforeEach(async () => {
  vonage = await startVonageStandIn({ ...VONAGE, post: inApp });
  infobip = await startInfobipStandIn({ apiKey: INFOBIP_KEY, post: inApp });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_VONAGE_API_KEY: VONAGE.apiKey,
      OTPKIT_VONAGE_API_SECRET: VONAGE.apiSecret,
      OTPKIT_VONAGE_SIGNATURE_SECRET: VONAGE.signatureSecret,
      OTPKIT_VONAGE_FROM: 'Acme',
      OTPKIT_VONAGE_BASE_URL: vonage.baseUrl,
      OTPKIT_INFOBIP_API_KEY: INFOBIP_KEY,
      OTPKIT_INFOBIP_FROM: 'InfoSMS',
      OTPKIT_INFOBIP_BASE_URL: infobip.baseUrl,
    },
  });
});
afterEach(async () => {
  await h.close();
  await vonage.close();
  await infobip.close();
});

describe('Vonage provider', () => {
  it('sends with the key, secret, client-ref and callback, and applies signed receipts', async () => {
    const w = await h.createWidget({ channelProviders: { sms: 'vonage' } });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '447911123456' });
    const [request] = vonage.requests;
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(request).toMatchObject({
      api_key: VONAGE.apiKey,
      api_secret: VONAGE.apiSecret,
      from: 'Acme',
      to: '447911123456',
      'client-ref': message!.id,
      callback: `${TEST_ISSUER}/api/hooks/vonage`,
    });
    expect(message).toMatchObject({ status: 'sent', provider: 'vonage' });
    expect((await vonage.sendReports()).map((r) => r.status)).toEqual([204]);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('delivered');
  });

  it('refuses unsigned, forged and stale receipts', async () => {
    const now = String(Math.floor(h.clock.now() / 1000));
    const receipt = { messageId: 'ABC', status: 'failed', timestamp: now, nonce: 'n1' };
    const send = (params: Record<string, string>) =>
      h.app.request(`/api/hooks/vonage?${new URLSearchParams(params)}`);
    expect((await send(receipt)).status).toBe(401);
    expect(
      (await send({ ...receipt, sig: vonageSignature('guess-guess-guess', receipt) })).status,
    ).toBe(401);
    const stale = { ...receipt, timestamp: String(Number(now) - 3600) };
    expect(
      (await send({ ...stale, sig: vonageSignature(VONAGE.signatureSecret, stale) })).status,
    ).toBe(401);
    // Signed with either algorithm, a receipt for an unknown message is accepted (and changes nothing).
    expect(
      (await send({ ...receipt, sig: vonageSignature(VONAGE.signatureSecret, receipt, 'sha256') }))
        .status,
    ).toBe(204);
  });

  it('fails a barred number at once and retries a throttled send', async () => {
    const w = await h.createWidget({ channelProviders: { sms: 'vonage' } });
    vonage.statuses.push('7');
    const barred = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '447911123456' });
    expect((await h.services.store.messages.listForRequest(barred.body.message))[0]).toMatchObject({
      status: 'failed',
    });
    vonage.statuses.push('1');
    const throttled = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '447911123457' });
    expect(
      (await h.services.store.messages.listForRequest(throttled.body.message))[0],
    ).toMatchObject({ status: 'pending' });
  });
});

describe('Infobip provider', () => {
  it('sends with App auth, the message id and a secret notify URL, and applies its reports', async () => {
    const w = await h.createWidget({ channelProviders: { sms: 'infobip' } });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '2348031234567' });
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(infobip.requests[0].messages[0]).toMatchObject({
      destinations: [{ to: '2348031234567', messageId: message!.id }],
      from: 'InfoSMS',
      notifyUrl: `${TEST_ISSUER}/api/hooks/infobip/${hookToken(SECRET, 'infobip')}`,
    });
    expect(message).toMatchObject({
      status: 'sent',
      provider: 'infobip',
      providerMessageId: message!.id,
    });
    expect((await infobip.sendReports()).map((r) => r.status)).toEqual([204]);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('delivered');

    const forged = await h.app.request('/api/hooks/infobip/wrong-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        results: [{ messageId: message!.id, status: { groupName: 'REJECTED' } }],
      }),
    });
    expect(forged.status).toBe(401);
  });

  it('fails a 503 over to the next provider', async () => {
    const w = await h.createWidget({ channelProviders: { sms: ['infobip', 'vonage'] } });
    infobip.failures.push(503);
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '2348031234567' });
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(message).toMatchObject({ status: 'sent', provider: 'vonage' });
  });
});
