/**
 * Waits for a magic link: asks `isOneTapAuthenticated` every 2 s until the
 * link is confirmed (the access token), the request fails (expired,
 * replaced…), or the caller stops. A network blip is retried, not reported.
 */
import type { LinkStatus, OtpError, OtpVerified, Outcome } from './outcome.ts';

/** What a wait ends with. */
export interface PollHandlers {
  onVerified(result: OtpVerified): void;
  onFailed(error: OtpError): void;
}

/** Milliseconds between two polls. */
export const POLL_INTERVAL_MS = 2000;

/**
 * Polls the link of `reqId` until it settles; returns the function that stops it.
 *
 * @example
 * const stop = waitForLink(client, sent.reqId, { onVerified: (r) => success(r), onFailed: failure });
 */
export function waitForLink(
  client: { linkStatus(reqId: string): Promise<Outcome<LinkStatus>> },
  reqId: string,
  handlers: PollHandlers,
  intervalMs = POLL_INTERVAL_MS,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async (): Promise<void> => {
    const status = await client.linkStatus(reqId);
    if (stopped) return;
    if (status.type === 'success' && status.verified) {
      stopped = true;
      handlers.onVerified({ type: 'success', message: status.message });
    } else if (status.type === 'error' && status.code !== 'NETWORK_ERROR') {
      stopped = true;
      handlers.onFailed(status);
    } else {
      timer = setTimeout(tick, intervalMs);
    }
  };
  timer = setTimeout(tick, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Whether widget data describes a magic-link widget (`verificationType` "2"). */
export function isMagicLink(data: { verificationType?: { value?: unknown } } | null): boolean {
  return data?.verificationType?.value === '2';
}
