/** The refused calls the log keeps: what the limits and the captcha refused, per account. */
import { describe, expect, it } from 'vitest';
import { createAuthkey } from '../../src/core/accounts/authkeys.ts';
import { TEST_AUTHKEY } from '../../src/testing/harness.ts';
import { freshHarness } from './suite.ts';

const API = '/api/v5/widget';

describe('refused calls in the log', () => {
  it('lists what the limits and the captcha refused, with the identifier asked for, for the account only', async () => {
    const h = await freshHarness({ OTPKIT_LIMIT_IP: '2/3600' });
    const w = await h.createWidget();
    const pow = await h.createWidget({ captcha: { provider: 'pow' } });
    for (let i = 0; i < 3; i++) {
      await h.post(
        `${API}/sendOtpMobile`,
        { ...w, identifier: `91987654321${i}` },
        { 'x-forwarded-for': '198.51.100.9' },
      );
    }
    await h.post(`${API}/sendOtpMobile`, { ...pow, identifier: '919876500000' });
    const refused = (await h.get('/api/v1/logs/refused', { authkey: TEST_AUTHKEY })).body.entries;
    expect(
      refused.map((e: { code: string; identifier: string }) => [e.code, e.identifier]),
    ).toEqual([
      ['CAPTCHA_REQUIRED', '919876500000'],
      ['RATE_LIMITED', '919876543212'],
    ]);
    expect(refused[1]).toMatchObject({ kind: 'send', ip: '198.51.100.9', widgetId: w.widgetId });
    const page = await h.get('/api/v1/logs/refused?limit=1', { authkey: TEST_AUTHKEY });
    expect(page.body.entries).toHaveLength(1);
    const next = await h.get(`/api/v1/logs/refused?limit=1&cursor=${page.body.nextCursor}`, {
      authkey: TEST_AUTHKEY,
    });
    expect(next.body.entries[0].code).toBe('RATE_LIMITED');
    await h.services.store.accounts.ensureDefault('other', 0);
    await createAuthkey(h.services.widgets, 'other', { authkey: 'otpk_other_account_key_42' });
    expect(
      (await h.get('/api/v1/logs/refused', { authkey: 'otpk_other_account_key_42' })).body.entries,
    ).toEqual([]);
    await h.close();
  });
});
