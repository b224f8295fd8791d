import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { startMsg91StandIn } from '../../../testing/msg91.ts';
import { hookToken } from './http.ts';

const AUTHKEY = 'msg91-authkey-0123456789';
const API = '/api/v5/widget';
const SECRET = 'test-secret-test-secret-test-secret-0123';

let msg91: Awaited<ReturnType<typeof startMsg91StandIn>>;
let h: Harness;
const reportPath = `/api/hooks/msg91/${hookToken(SECRET, 'msg91')}`;

beforeEach(async () => {
  msg91 = await startMsg91StandIn({
    authkey: AUTHKEY,
    reportUrl: `${TEST_ISSUER}${reportPath}`,
    // MSG91 posts to the public URL; in process, that is the app.
    post: (url, init) => Promise.resolve(h.app.request(url.slice(TEST_ISSUER.length), init)),
  });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_MSG91_AUTHKEY: AUTHKEY,
      OTPKIT_MSG91_SENDER: 'ACMEIN',
      OTPKIT_MSG91_TEMPLATE_ID: '65f0c0ffee0123456789abcd',
      OTPKIT_MSG91_BASE_URL: msg91.baseUrl,
    },
  });
});
afterEach(async () => {
  await h.close();
  await msg91.close();
});

describe('MSG91 provider', () => {
  it('sends through the Flow API with the authkey, the template, the sender and the code in its variable', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(sent.status).toBe(200);
    const [request] = msg91.requests;
    expect(request?.authkey).toBe(AUTHKEY);
    expect(request?.body).toMatchObject({
      template_id: '65f0c0ffee0123456789abcd',
      sender: 'ACMEIN',
      recipients: [{ mobiles: '919876543210', OTP: expect.stringMatching(/^\d{6}$/) }],
    });
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(message).toMatchObject({ status: 'sent', provider: 'msg91' });
    expect(message?.providerMessageId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('takes the template id and sender from the otpkit template (DLT)', async () => {
    const w = await h.createWidget();
    const created = await h.post(
      '/api/v1/templates',
      {
        name: 'DLT login',
        channel: 'sms',
        widgetId: w.widgetId,
        body: '##OTP## is your code',
        senderId: 'SHOPIN',
        dltTemplateId: '1107161234567890123',
      },
      { authkey: 'otpk_test_authkey_0123456789abcdef' },
    );
    expect(created.status).toBe(201);
    await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(msg91.requests[0]?.body).toMatchObject({
      template_id: '1107161234567890123',
      sender: 'SHOPIN',
    });
  });

  it('marks messages delivered from the version-2 webhook at the secret URL, and refuses a wrong URL', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const answers = await msg91.sendReports();
    expect(answers.map((a) => a.status)).toEqual([204]);
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(message?.status).toBe('delivered');

    const data = JSON.stringify([
      { requestId: 'x', report: [{ number: '919876543210', status: '2', desc: 'FAILED' }] },
    ]);
    for (const path of ['/api/hooks/msg91/not-the-token', '/api/hooks/msg91']) {
      const forged = await h.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ data }).toString(),
      });
      expect([401, 404]).toContain(forged.status);
    }
  });

  it('reads a failed report (blocked number) as a failure', async () => {
    msg91.outcomes.set('919876543210', '17');
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    await msg91.sendReports();
    const [message] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(message).toMatchObject({ status: 'failed' });
    expect(message?.error).toContain('blocked');
  });

  it('fails an invalid number at once, and retries when MSG91 is down', async () => {
    const w = await h.createWidget();
    msg91.failures.push({ status: 400, message: 'Invalid mobile number' });
    const bad = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [failed] = await h.services.store.messages.listForRequest(bad.body.message);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });

    msg91.failures.push({ status: 503, message: 'Service Unavailable' });
    const later = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
    const [waiting] = await h.services.store.messages.listForRequest(later.body.message);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
  });
});
