import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/harness.ts';

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

  it('does not exist when the outbox is off', async () => {
    const off = await createHarness({ env: { OTPKIT_DEV_OUTBOX: 'false' } });
    expect((await off.get('/dev/outbox')).status).toBe(404);
    await off.close();
  });
});
