import { describe, expect, it } from 'vitest';
import { createAuthkey } from '../../core/accounts/authkeys.ts';
import { TEST_AUTHKEY } from '../../testing/harness.ts';
import { API, h, useWidgetApi, verifiedToken, widget } from '../../testing/widget-api.ts';

useWidgetApi();

describe('verifyAccessToken', () => {
  it('confirms a token once, with the identifier', async () => {
    const token = await verifiedToken();
    const res = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: 'success',
      message: '919876543210',
      identifier: '919876543210',
      widgetId: widget.widgetId,
      channel: 'sms',
      verifiedAt: new Date(h.clock.now()).toISOString(),
    });
    const again = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TOKEN_ALREADY_VERIFIED');
  });

  it('refuses a wrong authkey, a tampered token, and an expired one', async () => {
    const token = await verifiedToken();
    const badKey = await h.post(`${API}/verifyAccessToken`, {
      authkey: 'otpk_nope',
      'access-token': token,
    });
    expect(badKey.status).toBe(401);
    expect(badKey.body.code).toBe('INVALID_AUTHKEY');

    const [head, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: '919999999999' })).toString('base64url')}.${signature}`;
    const tampered = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': forged,
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.code).toBe('TOKEN_INVALID');

    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(
      (await h.post(`${API}/verifyAccessToken`, { authkey: TEST_AUTHKEY, 'access-token': none }))
        .body.code,
    ).toBe('TOKEN_INVALID');

    h.clock.advance(5 * 60_000 + 1000);
    const expired = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
    });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('TOKEN_EXPIRED');
  });

  it("refuses another account's token as invalid", async () => {
    const token = await verifiedToken();
    const store = h.services.store;
    await store.accounts.ensureDefault('other', h.clock.now());
    await createAuthkey(h.services, 'other', { authkey: 'otpk_other_account_key_123' });
    const res = await h.post(`${API}/verifyAccessToken`, {
      authkey: 'otpk_other_account_key_123',
      'access-token': token,
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('refuses a token of another widget when the caller names its widgetId, without using it up', async () => {
    const token = await verifiedToken();
    const other = await h.createWidget();
    const wrong = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
      widgetId: other.widgetId,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('TOKEN_INVALID');
    const right = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
      widgetId: widget.widgetId,
    });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ widgetId: widget.widgetId, demo: false });
    const typo = await h.post(`${API}/verifyAccessToken`, {
      authkey: TEST_AUTHKEY,
      'access-token': token,
      widgetId: 42,
    });
    expect(typo.status).toBe(400);
    expect(typo.body.fields).toEqual([{ path: 'widgetId', message: 'must be a string' }]);
  });

  it('succeeds exactly once for 20 simultaneous calls', async () => {
    const token = await verifiedToken();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.post(`${API}/verifyAccessToken`, { authkey: TEST_AUTHKEY, 'access-token': token }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body.code === 'TOKEN_ALREADY_VERIFIED')).toHaveLength(19);
  });
});
