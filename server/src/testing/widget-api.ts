/**
 * The widget API tests' shared setup: a fresh harness and widget for each
 * test (resend after 30 s, 2 resends, 3 attempts, 5-minute codes), and the
 * calls they make. The bindings are live: `h` and `widget` are the current
 * test's.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

export const API = '/api/v5/widget';
export let h: Harness;
export let widget: { widgetId: string; tokenAuth: string };

/** Registers the per-test harness and widget (call once at the top of a test file). */
export function useWidgetApi(): void {
  beforeEach(async () => {
    h = await createHarness();
    widget = await h.createWidget({ retryTime: 30, retryCount: 2, maxAttempts: 3, expiryTime: 5 });
  });
  afterEach(() => h.close());
}

/** Makes the current test's widget one with these settings instead. */
export async function replaceWidget(settings: Record<string, unknown>): Promise<void> {
  widget = await h.createWidget(settings);
}

export const send = (identifier: string, w = widget, headers: Record<string, string> = {}) =>
  h.post(`${API}/sendOtpMobile`, { ...w, identifier }, headers);
export const verify = (reqId: string, otp: unknown, w = widget) =>
  h.post(`${API}/verifyOtp`, { ...w, reqId, otp });
export const retry = (reqId: string, retryChannel?: number | null, w = widget) =>
  h.post(`${API}/retryOtp`, { ...w, reqId, retryChannel });

/** A verified request's access token. */
export async function verifiedToken(identifier = '919876543210'): Promise<string> {
  const sent = await send(identifier);
  const res = await verify(sent.body.message, await h.lastCode(identifier));
  expect(res.status).toBe(200);
  return res.body.message;
}
