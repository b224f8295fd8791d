import { gunzipSync } from 'node:zlib';
import { brandTheme } from '@otpkit/protocol';
import { describe, expect, it } from 'vitest';
import { API, h, retry, send, useWidgetApi, verify, widget } from '../../testing/widget-api.ts';

useWidgetApi();

describe('getWidgetProcess', () => {
  it('is sent gzipped to a browser that takes it (it is on every page load)', async () => {
    const res = await h.app.request(
      `${API}/getWidgetProcess?widgetId=${widget.widgetId}&tokenAuth=${widget.tokenAuth}`,
      { headers: { 'accept-encoding': 'gzip, deflate, br' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    const body = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString());
    expect(body.data.widgetId).toBe(widget.widgetId);
  });

  it('returns the widget in the WidgetData shape', async () => {
    const res = await h.get(
      `${API}/getWidgetProcess?widgetId=${widget.widgetId}&tokenAuth=${widget.tokenAuth}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', hasError: false, errors: [] });
    const data = res.body.data;
    expect(data).toMatchObject({
      widgetId: widget.widgetId,
      name: 'Test shop',
      processType: { value: '1' },
      otpLength: 6,
      retryTime: 30,
      retryCount: 2,
      expiryTime: 5,
      defaultCountry: { iso2: 'IN', dialCode: '91', name: 'India' },
      verificationType: { value: '1' },
    });
    const retryChannels = data.processes
      .filter((p: { processVia: { value: string } }) => p.processVia.value === '5')
      .map((p: { channel: { value: string } }) => p.channel.value);
    expect(retryChannels).toEqual(['11', '4', '3']);
    // The same retry processes, per contact point, as the popup offers them.
    expect(data.resendChannels).toEqual({ mobile: ['sms', 'voice'], email: ['email'] });
    expect(data.brandTheme).toBeNull();
  });

  it('lists no voice resend for a magic-link widget, and none for a contact point it lacks', async () => {
    const magic = await h.createWidget({
      verificationType: 'magic_link',
      contactPoints: ['mobile'],
      retryChannels: { mobile: ['voice', 'whatsapp', 'sms'] },
    });
    const res = await h.get(
      `${API}/getWidgetProcess?widgetId=${magic.widgetId}&tokenAuth=${magic.tokenAuth}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.resendChannels).toEqual({ mobile: ['sms', 'whatsapp'], email: [] });
  });

  it("works out the popup's theme from the brand colour, readable on and beside it", async () => {
    const branded = await h.createWidget({ brandColor: '#ffcc00' });
    const res = await h.get(
      `${API}/getWidgetProcess?widgetId=${branded.widgetId}&tokenAuth=${branded.tokenAuth}`,
    );
    expect(res.body.data.brandColor).toBe('#ffcc00');
    expect(res.body.data.brandTheme).toEqual(brandTheme('#ffcc00'));
    expect(res.body.data.brandTheme).toMatchObject({ accent: '#ffcc00', onAccent: '#111111' });
  });

  it('refuses a wrong token and an unknown widget with status error', async () => {
    const wrong = await h.get(`${API}/getWidgetProcess?widgetId=${widget.widgetId}&tokenAuth=nope`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({
      status: 'error',
      hasError: true,
      code: 'INVALID_TOKEN_AUTH',
    });
    const missing = await h.get(`${API}/getWidgetProcess?widgetId=ffff&tokenAuth=x`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('WIDGET_NOT_FOUND');
  });
});
describe('HTTP edges', () => {
  it('answers malformed JSON, oversized bodies and unknown routes with stable codes', async () => {
    const bad = await h.post(`${API}/sendOtpMobile`, '{"widgetId": ');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_JSON');
    const array = await h.post(`${API}/sendOtpMobile`, '[1,2]');
    expect(array.body.code).toBe('INVALID_REQUEST');
    const big = await h.post(`${API}/sendOtpMobile`, { ...widget, identifier: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    const nowhere = await h.get('/api/v5/widget/nothing');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.code).toBe('NOT_FOUND');
  });

  it('allows cross-origin calls from any page (CORS preflight)', async () => {
    const res = await h.app.request(`${API}/sendOtpMobile`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('records every call with its outcome', async () => {
    const sent = await send('919876543210');
    await verify(sent.body.message, '000000');
    await retry(sent.body.message);
    const events = await h.services.store.events.listForRequest(sent.body.message);
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([
      ['send', 'ok'],
      ['verify', 'OTP_MISMATCH'],
      ['retry', 'RETRY_TOO_SOON'],
    ]);
    expect((await h.services.store.otpRequests.get(sent.body.message))?.attempts).toBe(1);
  });
});
