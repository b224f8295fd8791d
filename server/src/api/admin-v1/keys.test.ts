import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const auth = { authkey: TEST_AUTHKEY };
const del = (path: string, headers: Record<string, string> = auth) =>
  h.app.request(path, { method: 'DELETE', headers });

describe('widget tokens', () => {
  it('lists several tokens with id, label and last use; a revoked one fails on the next request', async () => {
    const { widgetId, tokenAuth } = await h.createWidget();
    const second = await h.post(
      `/api/v1/widgets/${widgetId}/tokens`,
      { label: 'Android app' },
      auth,
    );
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      tokenId: expect.any(String),
      label: 'Android app',
      lastUsedAt: null,
    });

    h.clock.advance(1000);
    const used = await h.get(
      `/api/v5/widget/getWidgetProcess?widgetId=${widgetId}&tokenAuth=${tokenAuth}`,
    );
    expect(used.status).toBe(200);
    const list = (await h.get(`/api/v1/widgets/${widgetId}/tokens`, auth)).body.tokens;
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      prefix: tokenAuth.slice(0, 6),
      label: 'First token',
      lastUsedAt: new Date(h.clock.now()).toISOString(),
    });
    expect(list[1].lastUsedAt).toBeNull();

    expect((await del(`/api/v1/widgets/${widgetId}/tokens/${list[0].tokenId}`)).status).toBe(204);
    const refused = await h.post('/api/v5/widget/sendOtpMobile', {
      widgetId,
      tokenAuth,
      identifier: '919876543210',
    });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('INVALID_TOKEN_AUTH');
    const still = await h.post('/api/v5/widget/sendOtpMobile', {
      widgetId,
      tokenAuth: second.body.tokenAuth,
      identifier: '919876543210',
    });
    expect(still.status).toBe(200);
    expect((await del(`/api/v1/widgets/${widgetId}/tokens/${list[0].tokenId}`)).status).toBe(404);
  });

  it("cannot revoke another widget's token", async () => {
    const a = await h.createWidget();
    const b = await h.createWidget();
    const [tokenOfB] = (await h.get(`/api/v1/widgets/${b.widgetId}/tokens`, auth)).body.tokens;
    const res = await del(`/api/v1/widgets/${a.widgetId}/tokens/${tokenOfB.tokenId}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('TOKEN_NOT_FOUND');
  });
});

describe('authkeys', () => {
  it('creates keys shown once, lists them without secrets, revokes any but the last', async () => {
    const created = await h.post('/api/v1/authkeys', { label: 'CI' }, auth);
    expect(created.status).toBe(201);
    expect(created.body.authkey).toMatch(/^otpk_/);
    expect(created.body.prefix).toBe(created.body.authkey.slice(0, 9));
    const newKey = { authkey: created.body.authkey };

    const list = (await h.get('/api/v1/authkeys', newKey)).body.authkeys;
    expect(list).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain(created.body.authkey);
    expect(list.find((k: { current: boolean }) => k.current).authkeyId).toBe(
      created.body.authkeyId,
    );
    const first = list.find((k: { current: boolean }) => !k.current);
    expect(first).toMatchObject({ label: 'OTPKIT_AUTHKEY', prefix: TEST_AUTHKEY.slice(0, 9) });

    // The key is stored hashed: nothing in the database holds it.
    const rows = await h.services.store.authkeys.list('default');
    expect(JSON.stringify(rows)).not.toContain(created.body.authkey);

    expect((await del(`/api/v1/authkeys/${first.authkeyId}`, newKey)).status).toBe(204);
    expect((await h.get('/api/v1/widgets', auth)).body.code).toBe('INVALID_AUTHKEY');
    const last = await del(`/api/v1/authkeys/${created.body.authkeyId}`, newKey);
    expect(last.status).toBe(409);
    expect(((await last.json()) as { code: string }).code).toBe('LAST_AUTHKEY');
    expect((await h.get('/api/v1/widgets', newKey)).status).toBe(200);
    expect((await del('/api/v1/authkeys/nope', newKey)).status).toBe(404);
  });
});
