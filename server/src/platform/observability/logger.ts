/**
 * Structured logs: pino writing one JSON line per entry, and redaction of
 * everything a log must never hold: codes, widget tokens, authkeys, JWTs,
 * secrets, and full phone numbers or email addresses. The HTTP layer puts
 * the request id on the lines it writes (the access line, an unexpected
 * error); the services' own lines name the OTP request (`requestId` there
 * is the `reqId`). There is no AsyncLocalStorage scope per request: on
 * Node 20 it turns on promise hooks for every promise, which cost 7.8 % of
 * a send's CPU in a profile.
 */
import pino, { type DestinationStream, type Level } from 'pino';
import type { Logger } from '../runtime.ts';

/** Field names whose values are secrets: never written, whatever they hold. */
const SECRET_KEY =
  /^(code|codes|otp|otps|token|tokens|tokenauth|token_auth|accesstoken|access_token|authkey|authorization|jwt|secret|password|captcha|payload|text|html|body|cookie)$/i;
/** Field names whose values identify a person: written masked. */
const IDENTIFIER_KEY = /^(identifier|recipient|to|phone|mobile|email|number|destination)$/i;

const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const AUTHKEY = /otpk_[\w-]+/g;
const EMAIL = /([^\s@"'<>(),;:]+)@([\w.-]+\.[a-z]{2,})/gi;
// Seven digits or more (with an optional +) standing alone: a phone number, never a count or a
// code, nor the digits inside a hex id (a request or widget id must stay greppable).
const LONG_NUMBER = /(?<![\w+])\+?\d{7,}(?!\w)/g;

/**
 * An identifier as it may appear in a log: a phone number keeps its last four
 * digits, an email its first letter and domain.
 *
 * @example maskIdentifier('919876543210') // '********3210'
 * @example maskIdentifier('jane@example.com') // 'j***@example.com'
 */
export function maskIdentifier(value: string): string {
  const at = value.lastIndexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 4) return '****';
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** Whether a text may hold anything scrubText changes (one test instead of four replaces). */
const SUSPECT = /eyJ|otpk_|@|\d{7}/;

/** Removes secrets and full identifiers from free text (error messages, stacks). */
export function scrubText(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return text
    .replace(JWT, '[jwt]')
    .replace(AUTHKEY, 'otpk_[redacted]')
    .replace(EMAIL, (_, local: string, domain: string) => `${local[0]}***@${domain}`)
    .replace(LONG_NUMBER, (n) => maskIdentifier(n));
}

/** A log field value with secrets removed and identifiers masked. */
export function redactValue(key: string, value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (IDENTIFIER_KEY.test(key) && (typeof value === 'string' || typeof value === 'number')) {
    return maskIdentifier(String(value));
  }
  if (typeof value === 'string') return scrubText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Error) return scrubText(value.stack ?? value.message);
  if (depth > 4) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => redactValue('', v, depth + 1));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactValue(k, v, depth + 1)]),
    );
  }
  return String(value);
}

/** The levels `LOG_LEVEL` accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  /**
   * Where lines go. Default: stdout, written asynchronously — lines logged
   * while a write is under way go out together in the next one. Written
   * synchronously (one `write` system call per line) the access lines took
   * 12.7 % of the CPU of the simplest API call (`getWidgetProcess`) in a
   * profile. An unexpected exception, a signal and a normal exit
   * flush what is buffered ({@link ServerLogger.flush}); a `kill -9` can lose
   * the lines of its last few milliseconds.
   */
  destination?: DestinationStream;
}

/** A {@link Logger} that can also flush what it buffered (at exit). */
export interface ServerLogger extends Logger {
  flush(): void;
}

/**
 * The server's logger: pino JSON lines, every field redacted.
 *
 * @example createLogger({ level: 'info' }).info('listening', { port: 8787 })
 */
export function createLogger(options: LoggerOptions = {}): ServerLogger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const base = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const write = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (!base.isLevelEnabled(level)) return;
    const clean = fields ? (redactValue('', fields) as Record<string, unknown>) : {};
    base[level](clean, scrubText(message));
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    flush: () => {
      // Synchronously when the stream can (at exit there is no later turn to finish a write in).
      const stream = destination as DestinationStream & { flushSync?: () => void };
      if (typeof stream.flushSync !== 'function') return base.flush();
      try {
        stream.flushSync();
      } catch {
        // Not open yet (nothing was written) or already closed: nothing to flush.
      }
    },
  };
}
