import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { startTwilioStandIn } from '../../../testing/standins.ts';
import { twilioSignature } from './twilio.ts';

const SID = `AC${'a1'.repeat(16)}`;
const TOKEN = 'twilio-auth-token-123';
const API = '/api/v5/widget';

let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
let h: Harness;
beforeEach(async () => {
  twilio = await startTwilioStandIn({ accountSid: SID, authToken: TOKEN });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_TWILIO_ACCOUNT_SID: SID,
      OTPKIT_TWILIO_AUTH_TOKEN: TOKEN,
      OTPKIT_TWILIO_FROM: 'IN=+911140000000,*=+15005550006',
      OTPKIT_TWILIO_WHATSAPP_FROM: '+14155238886',
      OTPKIT_TWILIO_BASE_URL: twilio.baseUrl,
    },
  });
});
afterEach(async () => {
  await h.close();
  await twilio.close();
});

/** Posts a status callback the way Twilio does: form-encoded and signed. */
async function report(params: Record<string, string>, signature?: string) {
  const url = `${TEST_ISSUER}/api/hooks/twilio`;
  return h.app.request('/api/hooks/twilio', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? twilioSignature(TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
}

describe('twilio provider', () => {
  it('sends SMS through the Messages API with the country sender and a status callback', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(sent.status).toBe(200);
    const [request] = twilio.requests;
    expect(request).toMatchObject({
      kind: 'Messages',
      params: {
        To: '+919876543210',
        From: '+911140000000',
        StatusCallback: `${TEST_ISSUER}/api/hooks/twilio`,
      },
    });
    expect(request?.params.Body).toMatch(/^\d{6} is your Test shop verification code/);
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(message).toMatchObject({ status: 'sent', provider: 'twilio', payload: '' });
    expect(message?.providerMessageId).toMatch(/^SM/);
    expect(request?.idempotencyToken).toBe(message?.id);
  });

  it('sends WhatsApp from the WhatsApp number, and uses the default sender elsewhere', async () => {
    const w = await h.createWidget({ countryChannels: { US: 'whatsapp' } });
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '14155550123' });
    expect(twilio.requests[0]?.params).toMatchObject({
      To: 'whatsapp:+14155550123',
      From: 'whatsapp:+14155238886',
    });
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '447911123456' });
    expect(twilio.requests[1]?.params).toMatchObject({ To: '+447911123456', From: '+15005550006' });
  });

  it('calls with TwiML that reads the code digit by digit, twice, in the widget language, from the chosen caller ID', async () => {
    const w = await h.createWidget({
      primaryChannel: { mobile: 'voice' },
      language: 'hi',
      voiceCallerId: '+15005550009',
    });
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const call = twilio.requests[0]!;
    expect(call.kind).toBe('Calls');
    expect(call.params.From).toBe('+15005550009');
    expect(call.params.Twiml).toContain('<Say language="hi-IN">');
    const spoken = call.params.Twiml!.match(/(\d, ){5}\d/g);
    expect(spoken).toHaveLength(2);
    expect(spoken![0]).toBe(spoken![1]);
  });

  it("reads the code in the visitor's language with a Google voice, and in English where Twilio has no voice", async () => {
    const w = await h.createWidget({ primaryChannel: { mobile: 'voice' }, language: 'auto' });
    await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543210' },
      { 'accept-language': 'ta' },
    );
    const tamil = twilio.requests[0]!.params.Twiml!;
    expect(tamil).toContain('<Say language="ta-IN" voice="Google.ta-IN-Standard-A">');
    expect(tamil).toContain('சரிபார்ப்புக் குறியீடு');
    expect(tamil.match(/(\d, ){5}\d/g)).toHaveLength(2);
    // Urdu: no Twilio voice, so the call is written and spoken in English.
    await h.post(
      `${API}/sendOtpMobile`,
      { ...w, identifier: '919876543211' },
      { 'accept-language': 'ur' },
    );
    const urdu = twilio.requests[1]!.params.Twiml!;
    expect(urdu).toContain('<Say language="en-US">Your ');
    expect(urdu).not.toMatch(/[\u0600-\u06ff]/);
    // The SMS channel still speaks Urdu: only the call falls back.
    const sms = await h.createWidget({ language: 'ur' });
    await h.post(`${API}/sendOtpMobile`, { ...sms, identifier: '919876543212' });
    expect(twilio.requests[2]!.params.Body).toContain('تصدیقی کوڈ');
  });

  it('fails an invalid number at once (permanent), and retries a Twilio outage', async () => {
    const w = await h.createWidget();
    twilio.failures.push({
      status: 400,
      code: 21211,
      message: "The 'To' number is not a valid phone number.",
    });
    const bad = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [failed] = await h.services.store.messages.listForRequest(bad.body.message);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed?.error).toContain('21211');

    twilio.failures.push({ status: 503, code: 20500, message: 'Service unavailable' });
    const later = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
    const [waiting] = await h.services.store.messages.listForRequest(later.body.message);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    h.clock.advance(60_000);
    await h.deliver();
    const [done] = await h.services.store.messages.listForRequest(later.body.message);
    expect(done).toMatchObject({ status: 'sent', attempts: 2 });
    const attempts = await h.services.store.deliveries.listForRequest(later.body.message);
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'sent']);
  });

  it('accepts signed status callbacks and rejects forged ones', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    const params = {
      MessageSid: message!.providerMessageId!,
      MessageStatus: 'delivered',
      AccountSid: SID,
    };

    const forged = await report(params, 'bm90IGEgc2lnbmF0dXJl');
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe('INVALID_SIGNATURE');
    const unsigned = await h.app.request('/api/hooks/twilio', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(401);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('sent');

    expect((await report(params)).status).toBe(204);
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('delivered');
    // A late "sent" or "failed" never undoes "delivered".
    await report({ ...params, MessageStatus: 'failed' });
    expect((await h.services.store.messages.get(message!.id))?.status).toBe('delivered');
  });
});
