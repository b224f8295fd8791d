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
 * workers have. With `yieldEvery`, it lets the event loop run every that
 * many hashes (the main-thread fallback).
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
  for (let n = start; n <= end; n++) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(salt + n)));
    let hex = '';
    for (let i = 0; i < digest.length; i++) {
      hex += (digest[i]! < 16 ? '0' : '') + digest[i]!.toString(16);
      // Most candidates differ in the first byte: stop comparing early.
      if (hex.length === 2 && hex !== target.slice(0, 2)) break;
    }
    if (hex === target) return n;
    if (yieldEvery && (n - start) % yieldEvery === yieldEvery - 1) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  return -1;
}

/** The worker: `[salt, challenge, start, end]` in, the number (or -1) out. */
export const WORKER_SOURCE = `const s=${searchRange};onmessage=async e=>postMessage(await s(...e.data))`;

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
        if (event.data >= 0) {
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
