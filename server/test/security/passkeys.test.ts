/**
 * The attack suite, passkey rows: each is an attack on the passkey routes
 * and the refusal it must meet. The suite prints its table (attack,
 * expected, got) at the end.
 */
import { expect } from 'vitest';
import { softAuthenticator } from '../../src/testing/authenticator.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite } from './suite.ts';

const API = '/api/v5/widget';
const SITE = 'https://shop.example.com';
type Widget = { widgetId: string; tokenAuth: string };
interface Outcome {
  status: number;
  code: string;
}

async function setUp(env: Record<string, string> = {}) {
  const h = await createHarness({ env: { OTPKIT_TRUST_PROXY: 'true', ...env } });
  const w = await h.createWidget({ allowedOrigins: [SITE], passkeys: true });
  return { h, w };
}

async function ticketFor(h: Harness, w: Widget, identifier: string): Promise<string> {
  const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier }, { origin: SITE });
  const res = await h.post(
    `${API}/verifyOtp`,
    { ...w, reqId: sent.body.message, otp: await h.lastCode(identifier) },
    { origin: SITE },
  );
  return res.body.passkeyTicket;
}

async function registered(h: Harness, w: Widget, identifier = '919876543210') {
  const authenticator = softAuthenticator();
  const passkeyTicket = await ticketFor(h, w, identifier);
  const options = await h.post(
    `${API}/passkeys/registrationOptions`,
    { ...w, passkeyTicket },
    { origin: SITE },
  );
  const response = authenticator.create(options.body, SITE);
  const res = await h.post(
    `${API}/passkeys/register`,
    { ...w, passkeyTicket, response },
    { origin: SITE },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return authenticator;
}

const answer = (res: { status: number; body: { code?: string } }): Outcome => ({
  status: res.status,
  code: res.body.code ?? 'success',
});

const attacks: Attack[] = [
  {
    attack: 'a passkey assertion replayed',
    expected: { status: 401, code: 'PASSKEY_FAILED' },
    async run() {
      const { h, w } = await setUp();
      const authenticator = await registered(h, w);
      const options = await h.post(`${API}/passkeys/signInOptions`, w, { origin: SITE });
      const response = authenticator.get(options.body, SITE);
      const first = await h.post(`${API}/passkeys/signIn`, { ...w, response }, { origin: SITE });
      expect(first.status).toBe(200);
      const replay = await h.post(`${API}/passkeys/signIn`, { ...w, response }, { origin: SITE });
      await h.close();
      return answer(replay);
    },
  },
  {
    attack: 'a cloned authenticator: a fresh challenge signed with an old counter',
    expected: { status: 401, code: 'PASSKEY_FAILED' },
    async run() {
      const { h, w } = await setUp();
      const authenticator = await registered(h, w);
      const credential = authenticator.credentials[0]!;
      const sign = async () => {
        const options = await h.post(`${API}/passkeys/signInOptions`, w, { origin: SITE });
        const response = authenticator.get(options.body, SITE);
        return h.post(`${API}/passkeys/signIn`, { ...w, response }, { origin: SITE });
      };
      expect((await sign()).status).toBe(200);
      expect((await sign()).status).toBe(200);
      credential.counter = 0; // The clone's counter lags behind the original's.
      const res = await sign();
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'a sign-in challenge issued to another widget',
    expected: { status: 401, code: 'PASSKEY_FAILED' },
    async run() {
      const { h, w } = await setUp();
      const other = await h.createWidget({ allowedOrigins: [SITE], passkeys: true });
      const authenticator = await registered(h, w);
      const options = await h.post(`${API}/passkeys/signInOptions`, other, { origin: SITE });
      const response = authenticator.get(options.body, SITE);
      const res = await h.post(`${API}/passkeys/signIn`, { ...w, response }, { origin: SITE });
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'a sign-in from an origin outside allowedOrigins',
    expected: { status: 403, code: 'ORIGIN_NOT_ALLOWED' },
    async run() {
      const { h, w } = await setUp();
      const authenticator = await registered(h, w);
      const evil = 'https://evil.example';
      const options = await h.post(`${API}/passkeys/signInOptions`, w, { origin: evil });
      const response = authenticator.get({ challenge: 'x', rpId: 'example.com' }, evil);
      const res = await h.post(`${API}/passkeys/signIn`, { ...w, response }, { origin: evil });
      await h.close();
      return options.status === 403 ? answer(res) : answer(options);
    },
  },
  {
    attack: 'an assertion made for another origin, sent from the allowed page',
    expected: { status: 401, code: 'PASSKEY_FAILED' },
    async run() {
      const { h, w } = await setUp();
      const authenticator = await registered(h, w);
      const options = await h.post(`${API}/passkeys/signInOptions`, w, { origin: SITE });
      // A phishing page relays the challenge; the browser puts its own origin in the client data.
      const response = authenticator.get(options.body, 'https://shop-example.evil');
      const res = await h.post(`${API}/passkeys/signIn`, { ...w, response }, { origin: SITE });
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'a passkey ticket used twice',
    expected: { status: 401, code: 'PASSKEY_TICKET_INVALID' },
    async run() {
      const { h, w } = await setUp();
      const passkeyTicket = await ticketFor(h, w, '919876543210');
      const register = async () => {
        const options = await h.post(
          `${API}/passkeys/registrationOptions`,
          { ...w, passkeyTicket },
          { origin: SITE },
        );
        if (options.status !== 200) return options;
        const response = softAuthenticator().create(options.body, SITE);
        return h.post(
          `${API}/passkeys/register`,
          { ...w, passkeyTicket, response },
          { origin: SITE },
        );
      };
      expect((await register()).status).toBe(200);
      const res = await register();
      await h.close();
      return answer(res);
    },
  },
  {
    attack: "a ticket for one identifier completing another identifier's registration",
    expected: { status: 401, code: 'PASSKEY_TICKET_INVALID' },
    async run() {
      const { h, w } = await setUp();
      const victim = await ticketFor(h, w, '919876543210');
      const mine = await ticketFor(h, w, '919876543211');
      // Options for the victim's identifier, completed with the attacker's own ticket.
      const options = await h.post(
        `${API}/passkeys/registrationOptions`,
        { ...w, passkeyTicket: victim },
        { origin: SITE },
      );
      const response = softAuthenticator().create(options.body, SITE);
      const res = await h.post(
        `${API}/passkeys/register`,
        { ...w, passkeyTicket: mine, response },
        { origin: SITE },
      );
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'a demo code (a shared pair) turned into a passkey that signs in as a real login',
    expected: { status: 401, code: 'PASSKEY_TICKET_INVALID' },
    async run() {
      const h = await createHarness({ env: { OTPKIT_TRUST_PROXY: 'true' } });
      const w = await h.createWidget({
        allowedOrigins: [SITE],
        passkeys: true,
        demoCredentials: [{ identifier: '14155550100', otp: '424242' }],
      });
      const sent = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '14155550100' },
        { origin: SITE },
      );
      const verified = await h.post(
        `${API}/verifyOtp`,
        { ...w, reqId: sent.body.message, otp: '424242' },
        { origin: SITE },
      );
      expect(verified.status).toBe(200);
      // With a ticket, the passkey's sign-ins would carry demo: false for the demo identifier.
      const options = await h.post(
        `${API}/passkeys/registrationOptions`,
        { ...w, passkeyTicket: verified.body.passkeyTicket },
        { origin: SITE },
      );
      await h.close();
      return answer(options);
    },
  },
  {
    attack:
      "a passkey made on one widget, used on another of the account that refuses its number's country",
    expected: { status: 401, code: 'PASSKEY_FAILED' },
    async run() {
      const { h, w } = await setUp();
      const usOnly = await h.createWidget({
        allowedOrigins: [SITE],
        passkeys: true,
        allowedCountries: ['US'],
        defaultCountry: 'US',
      });
      const authenticator = await registered(h, w, '919876543210');
      const options = await h.post(`${API}/passkeys/signInOptions`, usOnly, { origin: SITE });
      const response = authenticator.get(options.body, SITE);
      const res = await h.post(`${API}/passkeys/signIn`, { ...usOnly, response }, { origin: SITE });
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'a revoked passkey',
    expected: { status: 401, code: 'PASSKEY_FAILED' },
    async run() {
      const { h, w } = await setUp();
      const authenticator = await registered(h, w);
      const listed = await h.get('/api/v1/passkeys?identifier=919876543210', {
        authkey: TEST_AUTHKEY,
      });
      const passkeyId = listed.body.passkeys[0].passkeyId;
      const revoked = await h.app.request(`/api/v1/passkeys/${passkeyId}`, {
        method: 'DELETE',
        headers: { authkey: TEST_AUTHKEY },
      });
      expect(revoked.status).toBe(200);
      const options = await h.post(`${API}/passkeys/signInOptions`, w, { origin: SITE });
      const response = authenticator.get(options.body, SITE);
      const res = await h.post(`${API}/passkeys/signIn`, { ...w, response }, { origin: SITE });
      await h.close();
      return answer(res);
    },
  },
  {
    attack: 'a flood of passkey sign-ins from one network',
    expected: { status: 429, code: 'RATE_LIMITED' },
    async run() {
      const { h, w } = await setUp({ OTPKIT_LIMIT_VERIFY_IP: '5/60' });
      let last = { status: 0, body: {} as { code?: string } };
      for (let i = 0; i < 6; i++) {
        last = await h.post(`${API}/passkeys/signInOptions`, w, {
          origin: SITE,
          'x-forwarded-for': '198.51.100.7',
        });
      }
      await h.close();
      return answer(last);
    },
  },
];

attackSuite('Attack suite: passkeys', attacks);
