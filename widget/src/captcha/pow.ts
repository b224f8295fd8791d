/**
 * The built-in captcha: an ALTCHA (v1) proof of work. The browser looks for
 * the integer `n` in `[0, maxnumber]` with `hex(SHA-256(salt + n)) ===
 * challenge`, using `crypto.subtle`, in Web Workers made from a Blob URL (so
 * they work on any page, whatever origin this script came from). A page
 * whose CSP forbids `blob:` workers gets the same search on the main thread,
 * yielding to the page between small chunks.
 */
import type { PowChallenge } from '@otpkit/protocol';

/**
 * Searches `[start, end]` for the number; -1 when it isn't there.
 *
 * This function is also stringified into the worker's source, so it must
 * stay self-contained: no imports, no outer variables, only globals that
 * workers have. It hashes with `crypto.subtle`; a page that isn't a secure
 * context (plain `http:` other than localhost) has none, and gets the small
 * SHA-256 below instead. With `yieldEvery`, it lets the event loop run every
 * that many hashes (the main-thread fallback).
 */
export async function searchRange(
  salt: string,
  challenge: string,
  start: number,
  end: number,
  yieldEvery?: number,
): Promise<number> {
  const encoder = new TextEncoder();
  const target = challenge.toLowerCase();
  const subtle = globalThis.crypto?.subtle;
  const hex = (words: ArrayLike<number>, bytes: number): string => {
    let out = '';
    for (let i = 0; i < words.length; i++) {
      out += ((words[i]! >>> 0) + 2 ** (bytes * 8)).toString(16).slice(1);
    }
    return out;
  };
  // SHA-256 in plain JS (FIPS 180-4): constants from the primes' roots, as the standard defines them.
  const K: number[] = [];
  const H: number[] = [];
  for (let c = 2; K.length < 64; c++) {
    let prime = true;
    for (let d = 2; d * d <= c; d++) if (c % d === 0) prime = false;
    if (!prime) continue;
    if (H.length < 8) H.push(((c ** (1 / 2) % 1) * 2 ** 32) | 0);
    K.push(((c ** (1 / 3) % 1) * 2 ** 32) | 0);
  }
  const sha256 = (data: Uint8Array): string => {
    const length = data.length;
    const words = new Int32Array(((length + 72) >> 6) << 4);
    for (let i = 0; i < length; i++) words[i >> 2]! |= data[i]! << (24 - (i & 3) * 8);
    words[length >> 2]! |= 0x80 << (24 - (length & 3) * 8);
    words[words.length - 1] = length * 8;
    const h = H.slice();
    const w = new Int32Array(64);
    for (let j = 0; j < words.length; j += 16) {
      let [a, b, c, d, e, f, g, k] = h as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      for (let i = 0; i < 64; i++) {
        if (i < 16) w[i] = words[j + i]!;
        else {
          const x = w[i - 15]!;
          const y = w[i - 2]!;
          w[i] =
            (w[i - 16]! +
              (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
              w[i - 7]! +
              (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) |
            0;
        }
        const t1 =
          (k +
            (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
            ((e & f) ^ (~e & g)) +
            K[i]! +
            w[i]!) |
          0;
        const t2 =
          ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
            ((a & b) ^ (a & c) ^ (b & c))) |
          0;
        k = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      [a, b, c, d, e, f, g, k].forEach((v, i) => {
        h[i] = (h[i]! + v) | 0;
      });
    }
    return hex(h, 4);
  };
  for (let n = start; n <= end; n++) {
    const data = encoder.encode(salt + n);
    const digest = subtle
      ? hex(new Uint8Array(await subtle.digest('SHA-256', data)), 1)
      : sha256(data);
    if (digest === target) return n;
    if (yieldEvery && (n - start) % yieldEvery === yieldEvery - 1) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  return -1;
}

/** The worker: `[salt, challenge, start, end]` in, the number (or -1; -2 if it failed) out. */
export const WORKER_SOURCE = `const s=${searchRange};onmessage=async e=>{try{postMessage(await s(...e.data))}catch{postMessage(-2)}}`;

/** How a solve may run; tests replace the pieces. */
export interface SolveOptions {
  /** Workers to split the range over (default: the CPU count, 1 to 4). */
  workers?: number;
  /** Creates a worker; default a Blob-URL worker, or null when the page can't have one. */
  createWorker?: () => Worker | null;
  /** Hashes between yields on the main thread (default 500). */
  yieldEvery?: number;
}

let blobUrl: string | undefined;

function blobWorker(): Worker | null {
  try {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined') return null;
    blobUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    return new Worker(blobUrl);
  } catch {
    return null; // CSP (`worker-src`) may forbid it: solve on the main thread.
  }
}

/** Finds the number on the main thread, in small chunks. */
async function solveOnMainThread(challenge: PowChallenge, yieldEvery: number): Promise<number> {
  return searchRange(challenge.salt, challenge.challenge, 0, challenge.maxnumber, yieldEvery);
}

/** Splits the range over workers; rejects if any of them fails (CSP refusal, crash). */
function solveInWorkers(challenge: PowChallenge, workers: Worker[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const size = Math.ceil((challenge.maxnumber + 1) / workers.length);
    let pending = workers.length;
    const stop = (): void => {
      for (const worker of workers) worker.terminate();
    };
    workers.forEach((worker, i) => {
      worker.onmessage = (event: MessageEvent<number>) => {
        pending--;
        if (event.data === -2) {
          stop();
          reject(new Error('worker failed'));
        } else if (event.data >= 0) {
          stop();
          resolve(event.data);
        } else if (pending === 0) {
          stop();
          resolve(-1);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        stop();
        reject(new Error('worker failed'));
      };
      const start = i * size;
      worker.postMessage([
        challenge.salt,
        challenge.challenge,
        start,
        Math.min(challenge.maxnumber, start + size - 1),
      ]);
    });
  });
}

/**
 * Finds the secret number of a challenge, or -1 if it isn't in range.
 *
 * @example const n = await solvePow(challenge); // 51234
 */
export async function solvePow(
  challenge: PowChallenge,
  options: SolveOptions = {},
): Promise<number> {
  const count =
    options.workers ??
    Math.max(
      1,
      Math.min(4, (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1),
    );
  const create = options.createWorker ?? blobWorker;
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const worker = create();
    if (!worker) break;
    workers.push(worker);
  }
  if (workers.length === count) {
    try {
      return await solveInWorkers(challenge, workers);
    } catch {
      // A CSP that forbids blob: workers reports it as an error event: fall through.
    }
  } else {
    for (const worker of workers) worker.terminate();
  }
  return solveOnMainThread(challenge, options.yieldEvery ?? 500);
}

/**
 * The solution as the server wants it: base64 of the ALTCHA payload JSON.
 *
 * @example powPayload(challenge, 51234, 180) // 'eyJhbGdvcml0aG0iOiJTSEEtMjU2Ii…'
 */
export function powPayload(challenge: PowChallenge, number: number, took: number): string {
  return btoa(
    JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number,
      salt: challenge.salt,
      signature: challenge.signature,
      took,
    }),
  );
}
