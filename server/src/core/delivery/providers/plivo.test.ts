import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { startPlivoStandIn } from '../../../testing/plivo.ts';
import { plivoSignature } from './plivo.ts';

const AUTH_ID = 'MAXXXXXXXXXXXXXXXXXX';
const AUTH_TOKEN = 'plivo-auth-token-0123456789';
const API = '/api/v5/widget';

let plivo: Awaited<ReturnType<typeof startPlivoStandIn>>;
let h: Harness;
const inApp = (url: string, init?: RequestInit) =>
  Promise.resolve(h.app.request(url.slice(TEST_ISSUER.length), init));
beforeEach(async () => {
  plivo = await startPlivoStandIn({
    authId: AUTH_ID,
    authToken: AUTH_TOKEN,
    post: inApp,
    get: inApp,
  });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_PLIVO_AUTH_ID: AUTH_ID,
      OTPKIT_PLIVO_AUTH_TOKEN: AUTH_TOKEN,
      OTPKIT_PLIVO_FROM: '+14155550000',
      OTPKIT_PLIVO_BASE_URL: plivo.baseUrl,
    },
  });
});
afterEach(async () => {
  await h.close();
  await plivo.close();
});

describe('Plivo provider', () => {
  it('sends SMS with a status URL and applies signed callbacks', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '14155550123' });
    expect(plivo.requests[0]).toMatchObject({
      kind: 'Message',
      body: { src: '+14155550000', dst: '14155550123', url: `${TEST_ISSUER}/api/hooks/plivo` },
    });
    expect((await plivo.sendReports()).map((r) => r.status)).toEqual([204]);
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ provider: 'plivo', status: 'delivered' });
  });

  it('calls with an answer URL whose Plivo XML speaks the code, and the hangup marks it delivered', async () => {
    const w = await h.createWidget({ primaryChannel: { mobile: 'voice' }, language: 'hi' });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const call = plivo.requests[0]!;
    expect(call.kind).toBe('Call');
    expect(call.body.answer_url).toMatch(`${TEST_ISSUER}/api/hooks/plivo/answer/`);
    const xml = plivo.answers[0]!;
    expect(xml).toContain('<Speak language="hi-IN">');
    expect(xml.match(/(\d, ){5}\d/g)).toHaveLength(2);
    expect((await plivo.sendReports()).map((r) => r.status)).toEqual([204]);
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ channel: 'voice', provider: 'plivo', status: 'delivered' });
    // The answer URL stops speaking once it expires, and a made-up one says nothing.
    h.clock.advance(16 * 60_000);
    expect((await inApp(call.body.answer_url)).status).toBe(404);
    expect((await h.app.request('/api/hooks/plivo/answer/made-up')).status).toBe(404);
  });

  it('refuses unsigned and forged callbacks', async () => {
    const params = { MessageUUID: 'u-1', Status: 'failed' };
    const post = (headers: Record<string, string>) =>
      h.app.request('/api/hooks/plivo', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params).toString(),
      });
    expect((await post({})).status).toBe(401);
    const forged = plivoSignature('not-the-token', `${TEST_ISSUER}/api/hooks/plivo`, params, 'n1');
    expect(
      (await post({ 'x-plivo-signature-v3': forged, 'x-plivo-signature-v3-nonce': 'n1' })).status,
    ).toBe(401);
    const good = plivoSignature(AUTH_TOKEN, `${TEST_ISSUER}/api/hooks/plivo`, params, 'n1');
    expect(
      (await post({ 'x-plivo-signature-v3': `x,${good}`, 'x-plivo-signature-v3-nonce': 'n1' }))
        .status,
    ).toBe(204);
  });
});
