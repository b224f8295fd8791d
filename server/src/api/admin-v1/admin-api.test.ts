import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthkey } from '../../core/accounts/authkeys.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const auth = { authkey: TEST_AUTHKEY };

describe('admin API: widgets', () => {
  it('creates a widget with defaults and a first token', async () => {
    const res = await h.post('/api/v1/widgets', { name: 'Shop', contactPoints: ['email'] }, auth);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Shop',
      contactPoints: ['email'],
      otpLength: 6,
      expiryTime: 10,
      retryCount: 3,
      retryTime: 30,
      maxAttempts: 5,
      defaultCountry: 'IN',
    });
    expect(res.body.widgetId).toMatch(/^[0-9a-f]{24}$/);
    expect(typeof res.body.tokenAuth).toBe('string');
    const fetched = await h.get(`/api/v1/widgets/${res.body.widgetId}`, auth);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ widgetId: res.body.widgetId, name: 'Shop' });
    const tokens = await h.get(`/api/v1/widgets/${res.body.widgetId}/tokens`, auth);
    // Tokens are stored hashed: the list shows a prefix, never the token.
    expect(tokens.body.tokens.map((t: { prefix: string }) => t.prefix)).toEqual([
      res.body.tokenAuth.slice(0, 6),
    ]);
    expect(JSON.stringify(tokens.body)).not.toContain(res.body.tokenAuth);
  });

  it.each([
    [{ name: 'x', otpLength: 3 }, 'otpLength', 'must be 4 to 9'],
    [{ name: 'x', otpLength: 10 }, 'otpLength', 'must be 4 to 9'],
    [{ name: 'x', contactPoints: [] }, 'contactPoints', 'at least one'],
    [{ name: 'x', contactPoints: ['fax'] }, 'contactPoints.0', '"mobile"|"email"'],
    [{ name: 'x', defaultCountry: 'XX' }, 'defaultCountry', 'ISO 3166'],
    [{ name: 'x', retryTime: 601 }, 'retryTime', '0 to 600 seconds'],
    [{ name: 'x', expiryTime: 0 }, 'expiryTime', '1 to 1440 minutes'],
    [{ name: 'x', retryCount: 11 }, 'retryCount', '0 to 10'],
    [{ name: '' }, 'name', 'is required'],
  ])('refuses %j naming the field', async (settings, path, message) => {
    const res = await h.post('/api/v1/widgets', settings, auth);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    const field = res.body.fields.find((f: { path: string }) => f.path === path);
    expect(field, JSON.stringify(res.body)).toBeDefined();
    expect(field.message).toContain(message);
    expect(res.body.message).toContain(path);
  });

  it('ignores unknown settings', async () => {
    const res = await h.post('/api/v1/widgets', { name: 'x', colour: 'red' }, auth);
    expect(res.status).toBe(201);
    expect(res.body.colour).toBeUndefined();
  });

  it('makes more tokens, each usable by the widget API', async () => {
    const { widgetId } = await h.createWidget();
    const res = await h.post(`/api/v1/widgets/${widgetId}/tokens`, {}, auth);
    expect(res.status).toBe(201);
    const data = await h.get(
      `/api/v5/widget/getWidgetProcess?widgetId=${widgetId}&tokenAuth=${res.body.tokenAuth}`,
    );
    expect(data.status).toBe(200);
  });

  it('requires a valid authkey and hides other accounts’ widgets', async () => {
    const { widgetId } = await h.createWidget();
    expect((await h.get(`/api/v1/widgets/${widgetId}`)).body.code).toBe('INVALID_AUTHKEY');
    expect((await h.get(`/api/v1/widgets/${widgetId}`, { authkey: 'otpk_nope' })).status).toBe(401);
    await h.services.store.accounts.ensureDefault('other', 0);
    await createAuthkey(h.services, 'other', { authkey: 'otpk_other_key_0123456789' });
    const other = { authkey: 'otpk_other_key_0123456789' };
    const res = await h.get(`/api/v1/widgets/${widgetId}`, other);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('WIDGET_NOT_FOUND');
    expect((await h.post(`/api/v1/widgets/${widgetId}/tokens`, {}, other)).status).toBe(404);
    expect((await h.get('/api/v1/widgets', other)).body.widgets).toEqual([]);
  });
});

describe('admin API: delivery providers', () => {
  it('lists the configured providers with the channels a widget may choose them for', async () => {
    const g = await createHarness({
      env: {
        OTPKIT_MSG91_AUTHKEY: 'msg91-authkey-0123456789',
        OTPKIT_TELEGRAM_GATEWAY_TOKEN: 'telegram-token-0123456789',
      },
    });
    try {
      const res = await g.get('/api/v1/providers', auth);
      expect(res.status).toBe(200);
      // In the deployment's order; the test harness's recording outbox is no name a widget
      // may list, so it is left out; the development outbox (on outside production) is listed.
      expect(res.body).toEqual({
        providers: [
          { name: 'msg91', channels: ['sms'] },
          { name: 'telegram', channels: ['telegram'] },
          { name: 'outbox', channels: ['sms', 'whatsapp', 'telegram', 'voice', 'email'] },
        ],
      });
    } finally {
      await g.close();
    }
  });

  it('needs an authkey', async () => {
    const res = await h.get('/api/v1/providers');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_AUTHKEY');
  });
});
