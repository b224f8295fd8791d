import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('development outbox', () => {
  it('lists messages newest first, filtered by recipient in any spelling', async () => {
    const w = await h.createWidget();
    for (const identifier of ['919876543210', 'ana@example.com', '919876543211']) {
      await h.post('/api/v5/widget/sendOtpMobile', { ...w, identifier });
      h.clock.advance(1000);
    }
    const all = (await h.get('/dev/outbox')).body;
    expect(all.map((m: { to: string }) => m.to)).toEqual([
      '919876543211',
      'ana@example.com',
      '919876543210',
    ]);
    expect(all[0]).toMatchObject({
      channel: 'sms',
      createdAt: expect.any(String),
      text: expect.any(String),
    });
    const one = (await h.get('/dev/outbox?to=%2B91%2098765%2043210')).body;
    expect(one).toHaveLength(1);
    expect(one[0].to).toBe('919876543210');
    expect((await h.get('/dev/outbox?to=ANA@example.com')).body).toHaveLength(1);
  });

  it('shows an HTML page that escapes what it prints', async () => {
    const w = await h.createWidget({ name: '<script>alert(1)</script>' });
    await h.post('/api/v5/widget/sendOtpMobile', { ...w, identifier: '919876543210' });
    const res = await h.app.request('/dev/outbox/view');
    const html = await res.text();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Development outbox');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  /** A request as @hono/node-server hands it over: from a socket with this peer address. */
  const fromSocket = (harness: Harness, path: string, remoteAddress: string, headers = {}) =>
    harness.app.request(path, { headers }, { incoming: { socket: { remoteAddress } } });

  it.each(['/dev/outbox', '/dev/outbox/view', '/dev/outbox?to=919876543210'])(
    'answers %s to this machine only',
    async (path) => {
      const w = await h.createWidget();
      await h.post('/api/v5/widget/sendOtpMobile', { ...w, identifier: '919876543210' });
      for (const local of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1']) {
        expect((await fromSocket(h, path, local)).status, local).toBe(200);
      }
      for (const remote of ['203.0.113.9', '10.0.0.2', '::ffff:192.0.2.1', '2001:db8::1']) {
        const res = await fromSocket(h, path, remote);
        expect(res.status, remote).toBe(404);
        const body = (await res.json()) as { code: string; message: string };
        expect(body.code).toBe('NOT_FOUND');
        expect(body.message).toContain('only this machine');
      }
    },
  );

  it('reads the client address as OTPKIT_TRUST_PROXY says, like /metrics', async () => {
    // Without a trusted proxy, X-Forwarded-For is whatever the caller wrote: the socket decides.
    const forged = await fromSocket(h, '/dev/outbox', '203.0.113.9', {
      'x-forwarded-for': '127.0.0.1',
    });
    expect(forged.status).toBe(404);
    // Behind a trusted proxy on this machine, the address the proxy saw decides.
    const proxied = await createHarness({ env: { OTPKIT_TRUST_PROXY: '1' } });
    const remote = await fromSocket(proxied, '/dev/outbox', '127.0.0.1', {
      'x-forwarded-for': '127.0.0.1, 198.51.100.7',
    });
    expect(remote.status).toBe(404);
    const local = await fromSocket(proxied, '/dev/outbox', '127.0.0.1', {
      'x-forwarded-for': '127.0.0.1',
    });
    expect(local.status).toBe(200);
    await proxied.close();
  });

  it('does not exist when the outbox is off', async () => {
    const off = await createHarness({ env: { OTPKIT_DEV_OUTBOX: 'false' } });
    expect((await off.get('/dev/outbox')).status).toBe(404);
    await off.close();
  });
});
