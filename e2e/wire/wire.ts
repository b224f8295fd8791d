/**
 * Measuring what Chromium downloads: every request of a page as the DevTools
 * protocol reports it (encoded bytes received, headers included; whether it
 * came from the cache), and the network and CPU emulation of a profile.
 */
import type { CDPSession, Page } from '@playwright/test';

/** A network and CPU profile (Chromium's emulation: latency per request, throughput, CPU slowdown). */
export interface Profile {
  name: string;
  /** Added round-trip time of every request, in ms (0: none). */
  latencyMs: number;
  /** Bits per second (0: unthrottled). */
  downKbps: number;
  upKbps: number;
  /** CPU slowdown factor (1: none). */
  cpu: number;
}

export const PROFILES: readonly Profile[] = [
  { name: 'unthrottled', latencyMs: 0, downKbps: 0, upKbps: 0, cpu: 1 },
  { name: '1.6 Mbps / 150 ms / CPU 4x', latencyMs: 150, downKbps: 1600, upKbps: 750, cpu: 4 },
  { name: '400 kbps / 400 ms / CPU 4x', latencyMs: 400, downKbps: 400, upKbps: 400, cpu: 4 },
];

/** One request as Chromium saw it. */
export interface WireRequest {
  url: string;
  /** Resource type (`Script`, `Fetch`, `Preflight`, `Document`…). */
  type: string;
  status?: number;
  /** `Content-Encoding` of the response. */
  encoding?: string;
  /** Bytes received from the network for it, headers included (0 when served from the cache). */
  encoded: number;
  fromCache: boolean;
  done: boolean;
  /** Chromium's monotonic clock (s) when it was sent and when it finished. */
  sentAt?: number;
  finishedAt?: number;
}

/** Records a page's requests through its own DevTools session. */
export class Wire {
  readonly requests = new Map<string, WireRequest>();
  private waiters: Array<() => void> = [];

  private constructor(readonly cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', (e) => {
      if (this.requests.has(e.requestId)) return; // A redirect: the same request goes on.
      if (!/^https?:/.test(e.request.url)) return; // data: and blob: URLs never reach a network.
      this.requests.set(e.requestId, {
        url: e.request.url,
        type: e.type ?? 'Other',
        encoded: 0,
        fromCache: false,
        done: false,
        sentAt: e.timestamp,
      });
    });
    cdp.on('Network.requestServedFromCache', (e) => {
      const request = this.requests.get(e.requestId);
      if (request) request.fromCache = true;
    });
    cdp.on('Network.responseReceived', (e) => {
      const request = this.requests.get(e.requestId);
      if (!request) return;
      request.status = e.response.status;
      const headers = Object.fromEntries(
        Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
      if (headers['content-encoding']) request.encoding = headers['content-encoding'];
      if (e.response.fromDiskCache || e.response.fromPrefetchCache) request.fromCache = true;
    });
    // A long poll may still be open when a mark is read: it counts with what it has received.
    cdp.on('Network.dataReceived', (e) => {
      const request = this.requests.get(e.requestId);
      if (request && !request.fromCache) request.encoded += e.encodedDataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const request = this.requests.get(e.requestId);
      if (!request) return;
      request.encoded = request.fromCache ? 0 : e.encodedDataLength;
      request.done = true;
      request.finishedAt = e.timestamp;
      this.wake();
    });
    cdp.on('Network.loadingFailed', (e) => {
      const request = this.requests.get(e.requestId);
      if (!request) return;
      request.done = true;
      this.wake();
    });
  }

  /** Starts recording `page` under `profile`. */
  static async attach(page: Page, profile: Profile): Promise<Wire> {
    const cdp = await page.context().newCDPSession(page);
    const wire = new Wire(cdp);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latencyMs,
      downloadThroughput: profile.downKbps ? (profile.downKbps * 1000) / 8 : -1,
      uploadThroughput: profile.upKbps ? (profile.upKbps * 1000) / 8 : -1,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    return wire;
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** The ids of the requests started so far. */
  mark(): string[] {
    return [...this.requests.keys()];
  }

  /**
   * Waits until every request in `ids` has finished (or failed), at most
   * `timeoutMs`: one still open then (a long poll) counts as far as it got.
   */
  async settled(ids: readonly string[], timeoutMs = 30_000): Promise<WireRequest[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const requests = ids.flatMap((id) => this.requests.get(id) ?? []);
      if (requests.every((r) => r.done) || Date.now() > deadline) return requests;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** Waits until no request has been running for `quietMs` (at most `timeoutMs`). */
  async quiet(quietMs = 500, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let count = -1;
    let since = Date.now();
    while (Date.now() < deadline) {
      const running = [...this.requests.values()].some((r) => !r.done);
      if (running || this.requests.size !== count) {
        count = this.requests.size;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The encoded bytes of `requests` that went to `origin` over the network. */
export function bytesTo(origin: string, requests: readonly WireRequest[]): number {
  return requests
    .filter((r) => r.url.startsWith(`${origin}/`) && !r.fromCache)
    .reduce((sum, r) => sum + r.encoded, 0);
}

/** Short names of the requests to `origin` (path only), with bytes, for reports. */
export function describe(origin: string, requests: readonly WireRequest[]): string[] {
  return requests
    .filter((r) => r.url.startsWith(`${origin}/`))
    .map((r) => {
      const path = new URL(r.url).pathname;
      const how = !r.done
        ? `open, ${r.encoded} B so far`
        : r.fromCache
          ? 'cache'
          : `${r.status ?? '?'}${r.encoding ? ` ${r.encoding}` : ''} ${r.encoded} B`;
      return `${r.type === 'Preflight' ? 'OPTIONS ' : ''}${path} (${how})`;
    });
}

/** Each request's start and end (ms) after the first one's start, for `OTPKIT_WIRE_TIMELINE=1`. */
export function timeline(requests: readonly WireRequest[]): string {
  const start = Math.min(...requests.map((r) => r.sentAt ?? Number.POSITIVE_INFINITY));
  const ms = (t: number | undefined): string =>
    t === undefined ? '?' : String(Math.round((t - start) * 1000));
  return requests
    .map(
      (r) =>
        `  ${ms(r.sentAt)}-${ms(r.finishedAt)} ms ${new URL(r.url).pathname}${r.fromCache ? ' (cache)' : ''}`,
    )
    .join('\n');
}

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
