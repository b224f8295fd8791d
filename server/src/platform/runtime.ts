/**
 * What the services need from the outside world, passed in so tests can
 * freeze time, control randomness and capture messages.
 */
import { randomBytes, randomFillSync, randomInt } from 'node:crypto';

/** The current time, in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** Randomness: uniform integers and random identifiers. */
export interface Random {
  /** A uniform integer in `[min, max)` (no modulo bias). */
  int(min: number, max: number): number;
  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string;
  /** `bytes` random bytes as base64url. */
  token(bytes: number): string;
  /**
   * A `bytes`-byte id as lower-case hex whose first 4 bytes are the current
   * second (Unix time) and the rest random: ids of a later second sort
   * later. A table keyed by such ids grows at its end (only the current
   * second's rows interleave), so the rows a group commit adds share pages
   * instead of each landing on a page of its own. A 12-byte id keeps 64
   * random bits.
   */
  sortable(bytes: number): string;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Random bytes drawn from the system a page at a time (as nanoid does): one
 * system call serves hundreds of ids. Every byte is handed out once only.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomSlice(bytes: number): Buffer {
  if (bytes > 256) return randomBytes(bytes);
  if (poolOffset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return slice;
}

/** Cryptographically secure randomness from node:crypto. */
export const cryptoRandom: Random = {
  int: (min, max) => randomInt(min, max),
  hex: (bytes) => randomSlice(bytes).toString('hex'),
  token: (bytes) => randomSlice(bytes).toString('base64url'),
  sortable: (bytes) => sortableId(Math.floor(Date.now() / 1000), randomSlice(bytes - 4)),
};

/** 4 bytes of `seconds` (big-endian) then `random`, as hex. */
export function sortableId(seconds: number, random: Buffer): string {
  return (seconds >>> 0).toString(16).padStart(8, '0') + random.toString('hex');
}

/**
 * Where the server reports what happens (pino JSON lines in a running
 * server, see `observability/logger.ts`; nothing in tests).
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that keeps nothing (tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The outside world a server runs with: the given parts, else the real clock and randomness, and no log. */
export function runtimeOf(given: { clock?: Clock; random?: Random; log?: Logger }): {
  clock: Clock;
  random: Random;
  log: Logger;
} {
  return {
    clock: given.clock ?? systemClock,
    random: given.random ?? cryptoRandom,
    log: given.log ?? silentLogger,
  };
}
