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

/** Where the server reports what happens; `console` by default. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger writing one JSON line per entry to stdout/stderr. */
export function jsonLogger(): Logger {
  const write =
    (level: string, out: NodeJS.WriteStream) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      out.write(
        `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
      );
  return {
    info: write('info', process.stdout),
    warn: write('warn', process.stderr),
    error: write('error', process.stderr),
  };
}

/** A logger that keeps nothing (tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
