/**
 * What the services need from the outside world, passed in so tests can
 * freeze time, control randomness and capture messages.
 */
import { randomBytes, randomInt } from 'node:crypto';

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
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Cryptographically secure randomness from node:crypto. */
export const cryptoRandom: Random = {
  int: (min, max) => randomInt(min, max),
  hex: (bytes) => randomBytes(bytes).toString('hex'),
  token: (bytes) => randomBytes(bytes).toString('base64url'),
};

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
