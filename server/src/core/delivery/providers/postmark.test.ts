import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { startPostmarkStandIn } from '../../../testing/postmark.ts';
import { hookToken } from './http.ts';

const TOKEN = 'postmark-server-token-0123456789';
const SECRET = 'test-secret-test-secret-test-secret-0123';
const API = '/api/v5/widget';
const hookPath = `/api/hooks/postmark/${hookToken(SECRET, 'postmark')}`;

let postmark: Awaited<ReturnType<typeof startPostmarkStandIn>>;
let h: Harness;
beforeEach(async () => {
  postmark = await startPostmarkStandIn({
    serverToken: TOKEN,
    webhookUrl: `${TEST_ISSUER}${hookPath}`,
    post: (url, init) => Promise.resolve(h.app.request(url.slice(TEST_ISSUER.length), init)),
  });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_POSTMARK_SERVER_TOKEN: TOKEN,
      OTPKIT_POSTMARK_FROM: 'Acme <no-reply@acme.example>',
      OTPKIT_POSTMARK_BASE_URL: postmark.baseUrl,
    },
  });
});
afterEach(async () => {
  await h.close();
  await postmark.close();
});

describe('Postmark provider', () => {
  it('sends the template’s parts with the server token, and applies delivery and bounce webhooks', async () => {
    postmark.bouncing.add('bob@example.com');
    const w = await h.createWidget({ contactPoints: ['email'] });
    const ok = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'alice@example.com' });
    const bounced = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'bob@example.com' });
    expect(postmark.requests[0]).toMatchObject({
      From: 'Acme <no-reply@acme.example>',
      To: 'alice@example.com',
      MessageStream: 'outbound',
    });
    expect(postmark.requests[0].HtmlBody).toContain('verification code');
    expect((await postmark.sendReports()).map((r) => r.status)).toEqual([200, 200]);
    const [a] = await h.services.store.messages.listForRequest(ok.body.message);
    const [b] = await h.services.store.messages.listForRequest(bounced.body.message);
    expect(a).toMatchObject({ provider: 'postmark', status: 'delivered' });
    expect(b).toMatchObject({ provider: 'postmark', status: 'failed' });
    expect(b?.error).toContain('HardBounce');
  });

  it('refuses webhooks at a wrong URL, and fails an inactive recipient at once', async () => {
    const forged = await h.app.request('/api/hooks/postmark/guess', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ RecordType: 'Bounce', MessageID: 'x' }),
    });
    expect(forged.status).toBe(401);
    postmark.inactive.add('carol@example.com');
    const w = await h.createWidget({ contactPoints: ['email'] });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'carol@example.com' });
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ status: 'failed', attempts: 1 });
    expect(m?.error).toContain('406');
  });
});
