import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startRetentionJob } from '../../core/logs/retention.ts';
import { softAuthenticator } from '../../testing/authenticator.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';

const API = '/api/v5/widget';
const SITE = 'https://shop.example.com';
const page = { origin: SITE };
const auth = { authkey: TEST_AUTHKEY };

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Widget = { widgetId: string; tokenAuth: string };

async function passkeyWidget(settings: Record<string, unknown> = {}): Promise<Widget> {
  return h.createWidget({ allowedOrigins: [SITE], passkeys: true, ...settings });
}

/** Sends and verifies a code from the page; returns the verifyOtp answer. */
async function verifiedCode(w: Widget, identifier = '919876543210', origin = SITE) {
  const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier }, { origin });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  const code = await h.lastCode(identifier);
  const res = await h.post(
    `${API}/verifyOtp`,
    { ...w, reqId: sent.body.message, otp: code },
    { origin },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Registers a passkey on `authenticator` with a fresh code's ticket. */
async function register(
  w: Widget,
  authenticator = softAuthenticator(),
  identifier = '919876543210',
) {
  const { passkeyTicket } = await verifiedCode(w, identifier);
  const options = await h.post(
    `${API}/passkeys/registrationOptions`,
    { ...w, passkeyTicket },
    page,
  );
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  const response = authenticator.create(options.body, SITE);
  const res = await h.post(`${API}/passkeys/register`, { ...w, passkeyTicket, response }, page);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { authenticator, passkeyId: res.body.passkeyId as string, options: options.body };
}

async function signIn(
  w: Widget,
  authenticator: ReturnType<typeof softAuthenticator>,
  extra: Record<string, unknown> = {},
  origin = SITE,
) {
  const options = await h.post(`${API}/passkeys/signInOptions`, w, { origin });
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  const response = authenticator.get(options.body, origin);
  return h.post(`${API}/passkeys/signIn`, { ...w, response, ...extra }, { origin });
}

describe('passkeys: the widget setting', () => {
  it('is off by default, and needs allowedOrigins', async () => {
    h = await createHarness();
    const plain = await h.createWidget();
    const verified = await verifiedCode(plain);
    expect(verified.passkeyTicket).toBeUndefined();
    const refused = await h.post('/api/v1/widgets', { name: 'x', passkeys: true }, auth);
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toContainEqual({
      path: 'passkeys',
      message: 'needs allowedOrigins: a passkey belongs to the site it was made on',
    });
    const options = await h.post(`${API}/passkeys/signInOptions`, plain, page);
    expect(options.status).toBe(403);
    expect(options.body.code).toBe('PASSKEYS_NOT_ENABLED');
  });
});

describe('passkeys: register after a code, then sign in without one', () => {
  it('registers with the ticket verifyOtp gave, for the registrable domain of the page', async () => {
    h = await createHarness();
    const w = await passkeyWidget();
    const { passkeyId, options } = await register(w);
    expect(options).toMatchObject({
      rp: { id: 'example.com', name: 'Test shop' },
      user: { name: '+919876543210' },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    const listed = await h.get('/api/v1/passkeys?identifier=919876543210', auth);
    expect(listed.body.passkeys).toEqual([
      expect.objectContaining({
        passkeyId,
        identifier: '919876543210',
        widgetId: w.widgetId,
        rpId: 'example.com',
        deviceType: 'singleDevice',
        revokedAt: null,
      }),
    ]);
  });

  it('on a hosting suffix (github.io, vercel.app) the RP ID is the site’s own host, as browsers require', async () => {
    h = await createHarness();
    const sites = ['https://alice.github.io', 'https://shop.team.vercel.app'];
    const w = await h.createWidget({ allowedOrigins: sites, passkeys: true });
    const rpIds: string[] = [];
    for (const origin of sites) {
      const options = await h.post(`${API}/passkeys/signInOptions`, w, { origin });
      rpIds.push(options.body.rpId);
    }
    // Not github.io / vercel.app: a browser refuses a public suffix as RP ID, and one would span every tenant.
    expect(rpIds).toEqual(['alice.github.io', 'team.vercel.app']);
  });

  it('signs in with an access token like a code’s: channel passkey, amr hwk + user, no message sent', async () => {
    h = await createHarness();
    const w = await passkeyWidget();
    const { authenticator } = await register(w);
    const messagesBefore = (await h.outbox('919876543210')).length;

    const res = await signIn(w, authenticator);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ type: 'success', amr: ['hwk', 'user'] });
    expect(res.body['access-token']).toBe(res.body.message);
    expect(decodeJwt(res.body.message)).toMatchObject({
      sub: '919876543210',
      aud: w.widgetId,
      channel: 'passkey',
      amr: ['hwk', 'user'],
    });
    expect((await h.outbox('919876543210')).length).toBe(messagesBefore);

    const redeemed = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': res.body.message,
    });
    expect(redeemed.body).toMatchObject({
      type: 'success',
      identifier: '919876543210',
      channel: 'passkey',
      amr: ['hwk', 'user'],
    });
    // The log shows the sign-in, with no message.
    const entry = await h.get(`/api/v1/logs/${res.body.reqId}`, auth);
    expect(entry.body).toMatchObject({ channel: 'passkey', status: 'verified', channels: [] });
    // Analytics count the sign-in and the message it saved.
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    const analytics = await h.get(`/api/v1/analytics?from=${day}&to=${day}`, auth);
    expect(analytics.body.passkeys).toEqual({ signIns: 1, messagesSaved: 1 });
  });

  it('a synced passkey that verifies no user is swk alone; a code’s token says otp', async () => {
    h = await createHarness();
    const w = await passkeyWidget();
    const synced = softAuthenticator({ synced: true, verifiesUser: false, counts: false });
    const { passkeyId } = await register(w, synced);
    const res = await signIn(w, synced);
    expect(res.body.amr).toEqual(['swk']);
    // A passkey without a counter (always 0) keeps working.
    expect((await signIn(w, synced)).status).toBe(200);
    const listed = await h.get('/api/v1/passkeys?identifier=919876543210', auth);
    expect(listed.body.passkeys[0]).toMatchObject({
      passkeyId,
      deviceType: 'multiDevice',
      backedUp: true,
    });

    const code = await verifiedCode(w, '919876543211');
    expect(decodeJwt(code.message).amr).toEqual(['otp']);
  });

  it('signInWithPasskey(identifier) refuses someone else’s passkey', async () => {
    h = await createHarness();
    const w = await passkeyWidget();
    const { authenticator } = await register(w);
    const res = await signIn(w, authenticator, { identifier: '919876543211' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('PASSKEY_FAILED');
    expect((await signIn(w, authenticator, { identifier: '+91 98765 43210' })).status).toBe(200);
  });
});

describe('passkeys: tickets', () => {
  it('a ticket registers one passkey, once, within 5 minutes, for its own widget', async () => {
    h = await createHarness();
    const w = await passkeyWidget();
    const other = await passkeyWidget({ name: 'Other' });
    const { passkeyTicket } = await verifiedCode(w);

    const foreign = await h.post(
      `${API}/passkeys/registrationOptions`,
      { ...other, passkeyTicket },
      page,
    );
    expect(foreign.status).toBe(401);
    expect(foreign.body.code).toBe('PASSKEY_TICKET_INVALID');

    const options = await h.post(
      `${API}/passkeys/registrationOptions`,
      { ...w, passkeyTicket },
      page,
    );
    const authenticator = softAuthenticator();
    const response = authenticator.create(options.body, SITE);
    expect(
      (await h.post(`${API}/passkeys/register`, { ...w, passkeyTicket, response }, page)).status,
    ).toBe(200);
    // Used: neither new options nor a second registration.
    const again = await h.post(
      `${API}/passkeys/registrationOptions`,
      { ...w, passkeyTicket },
      page,
    );
    expect(again.body.code).toBe('PASSKEY_TICKET_INVALID');

    const late = await verifiedCode(w, '919876543212');
    h.clock.advance(5 * 60_000 + 1);
    const expired = await h.post(
      `${API}/passkeys/registrationOptions`,
      { ...w, passkeyTicket: late.passkeyTicket },
      page,
    );
    expect(expired.body.code).toBe('PASSKEY_TICKET_INVALID');
  });
});

describe('passkeys: expired challenges', () => {
  it('the hourly job deletes expired challenges and tickets (every popup asks for one; most go unused)', async () => {
    h = await createHarness();
    const w = await passkeyWidget();
    const { passkeyTicket } = await verifiedCode(w);
    const options = await h.post(`${API}/passkeys/signInOptions`, w, page);
    const store = h.services.store.passkeyChallenges;
    const id = (value: string) => createHash('sha256').update(value).digest('hex');
    const stored = async () => [
      await store.peek(id(options.body.challenge), 'sign-in', 0),
      await store.peek(id(passkeyTicket), 'ticket', 0),
    ];
    expect((await stored()).every(Boolean)).toBe(true);
    h.clock.advance(5 * 60_000 + 1);
    const job = startRetentionJob(h.services, h.config.logRetentionDays, 3_600_000);
    await job.stop();
    await job.runOnce();
    expect(await stored()).toEqual([undefined, undefined]);
  });
});

describe('passkeys: malformed registrations', () => {
  it('a credential ID longer than WebAuthn allows is PASSKEY_FAILED (not a 500 from the store’s index), and the ticket stays usable', async () => {
    h = await createHarness();
    const w = await passkeyWidget();
    const { passkeyTicket } = await verifiedCode(w);
    const options = await h.post(
      `${API}/passkeys/registrationOptions`,
      { ...w, passkeyTicket },
      page,
    );
    // 3,000 random bytes: past PostgreSQL's b-tree row limit once base64url-encoded.
    const response = softAuthenticator({ idBytes: 3000 }).create(options.body, SITE);
    const res = await h.post(`${API}/passkeys/register`, { ...w, passkeyTicket, response }, page);
    expect(res.status, JSON.stringify(res.body)).toBe(401);
    expect(res.body.code).toBe('PASSKEY_FAILED');
    const retry = await h.post(
      `${API}/passkeys/registrationOptions`,
      { ...w, passkeyTicket },
      page,
    );
    expect(retry.status).toBe(200);
  });
});

describe('passkeys: revocation and the admin API', () => {
  it('a revoked passkey fails at once; an unknown id is 404', async () => {
    h = await createHarness();
    const w = await passkeyWidget();
    const { authenticator, passkeyId } = await register(w);
    const revoked = await h.app.request(`/api/v1/passkeys/${passkeyId}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: unknown }).revokedAt).toEqual(
      expect.any(String),
    );
    const res = await signIn(w, authenticator);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('PASSKEY_FAILED');
    const unknown = await h.app.request('/api/v1/passkeys/nope', {
      method: 'DELETE',
      headers: auth,
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: unknown }).code).toBe('PASSKEY_NOT_FOUND');
    const missing = await h.get('/api/v1/passkeys', auth);
    expect(missing.status).toBe(400);
  });
});
