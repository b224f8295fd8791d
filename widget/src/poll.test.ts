import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinkStatus, OtpClient, OtpError, Outcome } from './client.ts';
import { createOtpClient } from './client.ts';
import { exposeMethods } from './expose.ts';
import { POLL_INTERVAL_MS, waitForLink } from './poll.ts';

const pending: LinkStatus = { type: 'success', verified: false };
const verified: LinkStatus = { type: 'success', verified: true, message: 'jwt' };
const expired: OtpError = { type: 'error', code: 'OTP_EXPIRED', message: 'expired' };
const offline: OtpError = { type: 'error', code: 'NETWORK_ERROR', message: 'offline' };

function clientAnswering(...answers: Outcome<LinkStatus>[]): OtpClient {
  const linkStatus = vi.fn(async () => answers.shift() ?? pending);
  return { linkStatus } as unknown as OtpClient;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('waitForLink', () => {
  it('polls every 2 s until the link is confirmed, then reports the token once', async () => {
    const client = clientAnswering(pending, offline, pending, verified);
    const onVerified = vi.fn();
    const onFailed = vi.fn();
    waitForLink(client, 'r1', { onVerified, onFailed });
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS - 1);
    expect(client.linkStatus).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 4);
    expect(client.linkStatus).toHaveBeenCalledTimes(4);
    expect(client.linkStatus).toHaveBeenCalledWith('r1');
    expect(onVerified).toHaveBeenCalledExactlyOnceWith({ type: 'success', message: 'jwt' });
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 5);
    expect(client.linkStatus).toHaveBeenCalledTimes(4);
    expect(onFailed).not.toHaveBeenCalled();
  });

  it('stops on expiry and reports it', async () => {
    const client = clientAnswering(pending, expired);
    const onFailed = vi.fn();
    waitForLink(client, 'r1', { onVerified: vi.fn(), onFailed });
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 6);
    expect(client.linkStatus).toHaveBeenCalledTimes(2);
    expect(onFailed).toHaveBeenCalledExactlyOnceWith(expired);
  });

  it('stops when told to (the popup closed)', async () => {
    const client = clientAnswering();
    const stop = waitForLink(client, 'r1', { onVerified: vi.fn(), onFailed: vi.fn() });
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 2);
    stop();
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 5);
    expect(client.linkStatus).toHaveBeenCalledTimes(2);
  });
});

describe('linkStatus and exposeMethods with a magic-link widget', () => {
  it('sends the contract body and calls the configuration success when verified', async () => {
    const bodies: Record<string, unknown>[] = [];
    let polls = 0;
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body));
      bodies.push(body);
      const answer = url.endsWith('/sendOtpMobile')
        ? { type: 'success', message: 'r9', reqId: 'r9' }
        : ++polls < 2
          ? { type: 'success', verified: false }
          : { type: 'success', verified: true, message: 'jwt-9' };
      return new Response(JSON.stringify(answer), { status: 200 });
    });
    const client = createOtpClient({
      baseUrl: 'https://otp.example',
      widgetId: 'w1',
      tokenAuth: 't1',
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    const success = vi.fn();
    const sendSuccess = vi.fn();
    const target = {};
    const methods = exposeMethods(
      client,
      {
        widgetData: () => ({ verificationType: { value: '2', name: 'Magic Link' } }) as never,
        success,
      },
      target,
    );
    await methods.sendOtp('ana@example.com', sendSuccess);
    expect(sendSuccess).toHaveBeenCalledWith(expect.objectContaining({ message: 'r9' }));
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3);
    expect(bodies[1]).toEqual({ requestId: 'r9', widgetId: 'w1', tokenAuth: 't1' });
    expect(fetch.mock.calls[1]?.[0]).toBe(
      'https://otp.example/api/v5/widget/isOneTapAuthenticated',
    );
    expect(success).toHaveBeenCalledExactlyOnceWith({ type: 'success', message: 'jwt-9' });
  });

  it('hands the caller the match number (send and poll), and reports LINK_EXPIRED to failure', async () => {
    const fetch = vi.fn(async (url: string) => {
      const answer = url.endsWith('/sendOtpMobile')
        ? { type: 'success', message: 'r7', reqId: 'r7', matchNumber: 64 }
        : { type: 'error', code: 'LINK_EXPIRED', message: 'ended' };
      return new Response(JSON.stringify(answer), {
        status: url.endsWith('/sendOtpMobile') ? 200 : 410,
      });
    });
    const client = createOtpClient({
      baseUrl: 'https://otp.example',
      widgetId: 'w1',
      tokenAuth: 't1',
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    const failure = vi.fn();
    const sendSuccess = vi.fn();
    const methods = exposeMethods(
      client,
      {
        widgetData: () => ({ verificationType: { value: '2', name: 'Magic Link' } }) as never,
        failure,
      },
      {},
    );
    await methods.sendOtp('ana@example.com', sendSuccess);
    expect(sendSuccess).toHaveBeenCalledWith(expect.objectContaining({ matchNumber: 64 }));
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 2);
    expect(failure).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ type: 'error', code: 'LINK_EXPIRED' }),
    );
  });

  it('linkStatus carries the match number while the link waits', async () => {
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify({ type: 'success', verified: false, matchNumber: 31 }), {
          status: 200,
        }),
    );
    const client = createOtpClient({
      baseUrl: 'https://otp.example',
      widgetId: 'w1',
      tokenAuth: 't1',
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    expect(await client.linkStatus('r1')).toEqual({
      type: 'success',
      verified: false,
      matchNumber: 31,
    });
  });
});
