/**
 * Attack suite, hostile input: injection in identifiers and searches, markup
 * in names, oversized and malformed bodies, foreign origins and frames,
 * borrowed demo codes and probed request ids.
 */
import { TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { type Attack, attackSuite, codeFor, freshHarness } from './suite.ts';

const API = '/api/v5/widget';

const attacks: Attack[] = [
  {
    // A valid email address may hold quotes and hyphens, so this one reaches the SQL as it is.
    attack: "SQL injection in an email identifier (x'or'x'--@example.com) and a log search for it",
    expected: { status: 200, code: 'stored as given, found alone' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget();
      const injected = "x'or'x'--@example.com";
      await codeFor(h, w, 'someone@example.com');
      const { reqId } = await codeFor(h, w, injected);
      const stored = await h.services.store.otpRequests.get(reqId);
      const found = await h.get(`/api/v1/logs?identifier=${encodeURIComponent(injected)}`, {
        authkey: TEST_AUTHKEY,
      });
      await h.close();
      const ids = (found.body.entries as { reqId: string }[]).map((e) => e.reqId);
      const alone = stored?.identifier === injected && ids.length === 1 && ids[0] === reqId;
      return {
        status: found.status,
        code: alone ? 'stored as given, found alone' : JSON.stringify(ids),
      };
    },
  },
  {
    attack:
      'SQL and HTML in template variables and the widget name (kept as data, escaped when shown)',
    expected: { status: 200, code: 'stored as text, escaped in HTML' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({
        name: `<img src=x onerror=alert(1)>'); DROP TABLE widgets;--`,
      });
      const res = await h.post(`${API}/sendOtpMobile`, {
        ...w,
        identifier: '919876543210',
        variables: { name: "Robert'); DROP TABLE otp_requests;--" },
      });
      const page = await (await h.app.request('/dev/outbox/view')).text();
      const widgets = (await h.get('/api/v1/widgets', { authkey: TEST_AUTHKEY })).body.widgets;
      await h.close();
      const ok =
        res.status === 200 &&
        page.includes('&lt;img src=x onerror=alert(1)&gt;') &&
        !page.includes('<img src=x') &&
        widgets.length === 2;
      return { status: res.status, code: ok ? 'stored as text, escaped in HTML' : 'not escaped' };
    },
  },
  {
    attack: 'an oversized body',
    expected: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
    async run() {
      const h = await freshHarness();
      const res = await h.post(`${API}/sendOtpMobile`, { identifier: 'x'.repeat(20_000) });
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a malformed JSON body',
    expected: { status: 400, code: 'INVALID_JSON' },
    async run() {
      const h = await freshHarness();
      const res = await h.post(`${API}/verifyOtp`, '{"reqId": "abc", "otp": ');
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    // A page outside allowedOrigins frames the widget and names itself as the top page, so the
    // WebOTP line would hand the code to a frame on its page.
    attack: 'a framed widget claiming a top page outside allowedOrigins',
    expected: { status: 403, code: 'ORIGIN_NOT_ALLOWED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ iFrame: true, allowedOrigins: ['https://otp.example'] });
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210', topOrigin: 'https://evil.example' },
        { origin: 'https://otp.example' },
      );
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: 'a call from a forbidden origin',
    expected: { status: 403, code: 'ORIGIN_NOT_ALLOWED' },
    async run() {
      const h = await freshHarness();
      const w = await h.createWidget({ allowedOrigins: ['https://shop.example'] });
      const res = await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: '919876543210' },
        { origin: 'https://evil.example' },
      );
      await h.close();
      return { status: res.status, code: res.body.code };
    },
  },
  {
    attack: "another widget's demo code on a widget without demo credentials",
    expected: { status: 400, code: 'OTP_MISMATCH' },
    async run() {
      const h = await freshHarness();
      await h.createWidget({ demoCredentials: [{ identifier: '14155550100', otp: '123456' }] });
      const plain = await h.createWidget();
      const sent = await h.post(`${API}/sendOtpMobile`, { ...plain, identifier: '14155550100' });
      const delivered = (await h.outbox('14155550100')).length;
      const code = await h.lastCode('14155550100');
      const res = await h.post(`${API}/verifyOtp`, {
        ...plain,
        reqId: sent.body.message,
        otp: code === '123456' ? '654321' : '123456',
      });
      await h.close();
      return { status: res.status, code: delivered === 1 ? res.body.code : 'nothing delivered' };
    },
  },
  {
    attack: 'probing request ids: unknown and foreign ids answer alike',
    expected: { status: 404, code: 'REQUEST_NOT_FOUND' },
    async run() {
      const h = await freshHarness();
      const a = await h.createWidget();
      const b = await h.createWidget();
      const { reqId } = await codeFor(h, a, '919876543210');
      const foreign = await h.post(`${API}/verifyOtp`, { ...b, reqId, otp: '123456' });
      const unknown = await h.post(`${API}/verifyOtp`, {
        ...b,
        reqId: 'f'.repeat(24),
        otp: '123456',
      });
      await h.close();
      // Each answer carries its own HTTP request id (X-Request-Id); everything else must match.
      const { requestId: foreignId, ...foreignBody } = foreign.body;
      const { requestId: unknownId, ...unknownBody } = unknown.body;
      const same =
        foreignId !== unknownId &&
        JSON.stringify(foreignBody) === JSON.stringify(unknownBody) &&
        foreign.status === unknown.status;
      return { status: unknown.status, code: same ? unknown.body.code : 'answers differ' };
    },
  },
];

attackSuite('Attack suite: hostile input', attacks);
