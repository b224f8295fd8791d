/** Reading a request: who called (IP, page host, agent) and its body. */
import { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Language, matchLanguage } from '@otpkit/protocol';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { RequestContext } from '../../model/call.ts';
import { OtpkitError } from '../../platform/errors.ts';
import { fieldErrors } from '../../platform/validation.ts';

/** The caller's IP, page host and user agent. */
export function requestContext(c: Context, options: { trustProxy: number }): RequestContext {
  let ip: string | null = null;
  if (options.trustProxy > 0) {
    // Each trusted proxy appends the address it saw: count from the right, never from the left.
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    ip = hops[hops.length - options.trustProxy] ?? hops[0] ?? null;
  }
  if (!ip) {
    try {
      ip = getConnInfo(c).remote.address ?? null;
    } catch {
      ip = null; // in-process requests (tests) have no socket
    }
  }
  // Only the browser-set Origin names the calling page: a Referer is whatever the caller writes,
  // and the host ends up in SMS (the WebOTP line) and on the magic-link page.
  const pageUrl = c.req.header('origin');
  let host: string | null = null;
  if (pageUrl && pageUrl !== 'null') {
    try {
      host = new URL(pageUrl).host || null;
    } catch {
      host = null;
    }
  }
  return {
    ip,
    host,
    userAgent: c.req.header('user-agent')?.slice(0, 500) ?? null,
    language: preferredLanguage(c.req.header('accept-language')),
  };
}

/**
 * Whether the caller is this machine: its address (the socket's, or the
 * one a trusted proxy reports, as {@link requestContext} reads it under
 * `OTPKIT_TRUST_PROXY`) is a loopback address. An in-process request (the
 * CLI, tests) has no socket and counts as this machine. Behind a proxy on
 * the same machine without `OTPKIT_TRUST_PROXY`, every caller looks local:
 * set it there.
 */
export function isLoopbackClient(c: Context, options: { trustProxy: number }): boolean {
  const { ip } = requestContext(c, options);
  if (ip === null) return true;
  return isLoopback(ip);
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1, and 127.x written as an IPv4-mapped IPv6 address. */
export function isLoopback(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const family = isIP(address);
  if (family === 0) return false;
  return loopback.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The first of the languages otpkit speaks that `Accept-Language` names, by
 * preference, each tag walked from specific to general (`pt-BR` → `pt`).
 * The widget sends the language its popup shows here, so the message
 * matches the popup.
 *
 * @example preferredLanguage('ta-IN,ta;q=0.9,en;q=0.8') // 'ta'
 */
export function preferredLanguage(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .slice(0, 20) // A browser names a handful; a long header is not worth walking.
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const language = matchLanguage(tag);
    if (language) return language;
  }
  return null;
}

/**
 * Whether an error is the client hanging up before its request body was
 * complete: Node destroys the request and its body stream fails with
 * `ECONNRESET` ("aborted"). Judged by the request's own state, so a reset
 * of another connection (the database's) is never mistaken for it.
 */
export function isClientHangUp(error: unknown, c: Context): boolean {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return (
    incoming instanceof IncomingMessage &&
    incoming.destroyed &&
    !incoming.complete &&
    (error as { code?: unknown } | null)?.code === 'ECONNRESET'
  );
}

/**
 * The status a request the client abandoned is counted under (nginx's
 * 499 Client Closed Request): nobody receives it, and it is no server error.
 */
export const CLIENT_CLOSED_REQUEST = 499;

/** The API's body limit (app.ts's `bodyLimit`), checked again here when the body is read from Node directly. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * The body as text. Under @hono/node-server a body with a `Content-Length`
 * is read straight from Node's request: asking Hono for it builds a WHATWG
 * `Request` (an AbortController, a web stream over the socket) per call,
 * a measurable share of a send's CPU. A chunked body (no `Content-Length`,
 * which `bodyLimit` re-wraps with its own limit) and in-process tests
 * (`app.request`) go through Hono as before.
 *
 * @throws OtpkitError `PAYLOAD_TOO_LARGE`
 */
async function readText(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  const declared = c.req.header('content-length');
  if (
    !(incoming instanceof IncomingMessage) ||
    declared === undefined ||
    c.req.header('transfer-encoding') !== undefined ||
    incoming.readableDidRead ||
    incoming.readableEnded
  ) {
    return c.req.text();
  }
  if (Number(declared) > MAX_BODY_BYTES) throw new OtpkitError('PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Node's parser holds a body to its Content-Length; this bound holds whatever happens.
    if (size > MAX_BODY_BYTES) throw new OtpkitError('PAYLOAD_TOO_LARGE');
    chunks.push(chunk);
  }
  const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
  // A byte-order mark (.NET, PowerShell) is dropped, as WHATWG decoding (`c.req.text()`) drops it.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The refusal of an input holding a NUL character: no field takes one, and
 * PostgreSQL cannot even compare a text parameter holding one (it would be
 * a 500).
 */
export function nulRefused(): OtpkitError {
  return new OtpkitError(
    'INVALID_REQUEST',
    'The request holds a NUL character (\\u0000 or %00), which no field accepts.',
  );
}

/** Whether a parsed body holds a string with a NUL character, at any depth. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\0') || holdsNul(item)) return true;
  }
  return false;
}

/** Refuses a body holding a NUL character (the text is searched first: the walk is rarely needed). */
function checkNul(text: string, value: unknown): void {
  if (
    (text.includes('\\u0000') || text.includes('%00') || text.includes('\0')) &&
    holdsNul(value)
  ) {
    throw nulRefused();
  }
}

/**
 * The body as an object: JSON whatever the content type says (the SDKs vary),
 * or a form body when it is form-encoded. An empty body is `{}`.
 *
 * @throws OtpkitError `INVALID_REQUEST` (also for a NUL character in any field)
 */
export async function readBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  const text = await readText(c);
  if (text.trim() === '') return {};
  // curl and some SDKs label a JSON body as a form: a body that opens like JSON is JSON.
  if (type.startsWith('application/x-www-form-urlencoded') && !text.trimStart().startsWith('{')) {
    const form = Object.fromEntries(new URLSearchParams(text));
    checkNul(text, form);
    return form;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OtpkitError('INVALID_JSON', 'The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OtpkitError('INVALID_REQUEST', 'The body must be a JSON object.');
  }
  checkNul(text, value);
  return value as Record<string, unknown>;
}

/**
 * The body, read as {@link readBody} does, checked against the route's
 * schema (the one the OpenAPI document shows).
 *
 * @throws OtpkitError `INVALID_REQUEST` naming each bad field, or `INVALID_JSON`.
 */
export async function readBodyAs<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  return validate(schema, await readBody(c));
}

/**
 * The query string (first value of each parameter) checked against the route's schema.
 *
 * @throws OtpkitError `INVALID_REQUEST` naming each bad parameter.
 */
export function readQueryAs<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  return validate(schema, c.req.query());
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fieldErrors(parsed.error);
  return parsed.data;
}
