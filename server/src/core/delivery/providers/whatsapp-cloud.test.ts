import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { startWhatsAppCloudStandIn } from '../../../testing/whatsapp-cloud.ts';
import { hubSignature } from './whatsapp-cloud.ts';

const TOKEN = 'EAAG-whatsapp-access-token-0123';
const PHONE_ID = '106540352242922';
const APP_SECRET = 'meta-app-secret-0123456789';
const VERIFY = 'verify-token-0123456789';
const API = '/api/v5/widget';

let wa: Awaited<ReturnType<typeof startWhatsAppCloudStandIn>>;
let h: Harness;
beforeEach(async () => {
  wa = await startWhatsAppCloudStandIn({
    accessToken: TOKEN,
    phoneNumberId: PHONE_ID,
    appSecret: APP_SECRET,
    webhookUrl: `${TEST_ISSUER}/api/hooks/whatsapp-cloud`,
    post: (url, init) => Promise.resolve(h.app.request(url.slice(TEST_ISSUER.length), init)),
  });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_WHATSAPP_ACCESS_TOKEN: TOKEN,
      OTPKIT_WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      OTPKIT_WHATSAPP_TEMPLATE: 'otp_login',
      OTPKIT_WHATSAPP_APP_SECRET: APP_SECRET,
      OTPKIT_WHATSAPP_VERIFY_TOKEN: VERIFY,
      OTPKIT_WHATSAPP_BASE_URL: wa.baseUrl,
    },
  });
});
afterEach(async () => {
  await h.close();
  await wa.close();
});

const whatsappWidget = () => h.createWidget({ primaryChannel: { mobile: 'whatsapp' } });

describe('WhatsApp Cloud API provider', () => {
  it('sends the authentication template with the code in the body and the copy-code button', async () => {
    const w = await whatsappWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(sent.status).toBe(200);
    const [request] = wa.requests;
    expect(request?.phoneNumberId).toBe(PHONE_ID);
    expect(request?.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: '919876543210',
      type: 'template',
      template: { name: 'otp_login', language: { code: 'en_US' } },
    });
    const code = request?.body.template.components[0].parameters[0].text;
    expect(request?.body.template.components[1]).toEqual({
      type: 'button',
      sub_type: 'url',
      index: '0',
      parameters: [{ type: 'text', text: code }],
    });
    const verified = await h.post(`${API}/verifyOtp`, {
      ...w,
      reqId: sent.body.message,
      otp: code,
    });
    expect(verified.body.type).toBe('success');
  });

  it('answers the subscription handshake only with the verify token', async () => {
    const ok = await h.app.request(
      `/api/hooks/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await h.app.request(
      '/api/hooks/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1',
    );
    expect(wrong.status).toBe(401);
  });

  it('applies signed status webhooks and refuses forged and unsigned ones', async () => {
    wa.notOnWhatsApp.add('919876543211');
    const w = await whatsappWidget();
    const ok = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const gone = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
    const [okMessage] = await h.services.store.messages.listForRequest(ok.body.message);
    const forged = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          changes: [
            { value: { statuses: [{ id: okMessage!.providerMessageId, status: 'failed' }] } },
          ],
        },
      ],
    });
    for (const signature of [undefined, hubSignature('not-the-secret', forged)]) {
      const res = await h.app.request('/api/hooks/whatsapp-cloud', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
        body: forged,
      });
      expect(res.status).toBe(401);
    }
    expect((await h.services.store.messages.get(okMessage!.id))?.status).toBe('sent');

    expect((await wa.sendReports()).map((r) => r.status)).toEqual([200, 200]);
    expect((await h.services.store.messages.get(okMessage!.id))?.status).toBe('delivered');
    const [goneMessage] = await h.services.store.messages.listForRequest(gone.body.message);
    expect(goneMessage).toMatchObject({ status: 'failed' });
    expect(goneMessage?.error).toContain('131026');
  });

  it('fails an invalid number at once, and treats rate limits as passing', async () => {
    const w = await whatsappWidget();
    wa.failures.push({ status: 400, code: 131009, message: 'Parameter value is not valid' });
    const bad = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [failed] = await h.services.store.messages.listForRequest(bad.body.message);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    wa.failures.push({ status: 400, code: 130429, message: 'Rate limit hit' });
    const later = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543212' });
    const [waiting] = await h.services.store.messages.listForRequest(later.body.message);
    expect(waiting).toMatchObject({ status: 'pending' });
  });
});
