import { describe, expect, it } from 'vitest';
import { createServices } from '../services.ts';
import { createHarness, TEST_AUTHKEY } from '../testing/harness.ts';

describe('signing keys across instances', () => {
  it('a token signed with a key another instance just rotated in still verifies here', async () => {
    const h = await createHarness();
    // A second instance over the same database, which has loaded (and cached) the old keys.
    const other = createServices(h.config, h.services.store, h.services.otp.secret, {
      clock: h.clock,
    });
    await other.keys.jwks();
    await h.post('/api/v1/keys/rotate', {}, { authkey: TEST_AUTHKEY });
    const w = await h.createWidget();
    const sent = await h.post('/api/v5/widget/sendOtpMobile', { ...w, identifier: '919876543210' });
    const verified = await h.post('/api/v5/widget/verifyOtp', {
      ...w,
      reqId: sent.body.message,
      otp: await h.lastCode('919876543210'),
    });
    const { readAccessToken } = await import('./access-token.ts');
    const claims = await readAccessToken(other.tokens, verified.body.message);
    expect(claims.sub).toBe('919876543210');
    await h.close();
  });
});
