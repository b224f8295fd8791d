/**
 * What the OTP services take, and the parsers the routes read it with: an
 * identifier read by the widget's rules, template variables, a request id,
 * a resend channel, a code. Pure functions, no I/O.
 */
import { type Channel, channelFromCode } from '@otpkit/protocol';
import { type Identifier, parseIdentifier } from '../../model/identifier.ts';
import { OtpkitError } from '../../platform/errors.ts';
import { identifierAsGiven } from '../events/index.ts';

/**
 * An identifier as the route read it: parsed, or the refusal the service
 * answers with, recorded with what the caller typed (refused sends show in
 * the console's log), either way with the identifier as given.
 */
export type IdentifierReading =
  | { ok: true; identifier: Identifier; asGiven: string | null }
  | { ok: false; error: OtpkitError; asGiven: string | null };

/**
 * Reads a send's identifier by the widget's rules (contact points, default
 * country). Never throws: a bad identifier is refused by the send.
 *
 * @example readIdentifier('919876543210', settings) // { ok: true, identifier: { value: '919876543210', … }, … }
 */
export function readIdentifier(
  raw: unknown,
  settings: Parameters<typeof parseIdentifier>[1],
): IdentifierReading {
  const asGiven = identifierAsGiven(raw);
  try {
    return { ok: true, identifier: parseIdentifier(raw, settings), asGiven };
  } catch (error) {
    if (!(error instanceof OtpkitError)) throw error;
    return { ok: false, error, asGiven };
  }
}

/** A parsed identifier, read already (the server API reads its own `mobile`). */
export const readAlready = (identifier: Identifier): IdentifierReading => ({
  ok: true,
  identifier,
  asGiven: identifier.value,
});

/** Template variables (`##name##` in a template), checked: names and text values. */
export type TemplateVariables = Readonly<Record<string, string>>;

const MAX_VARIABLES = 20;
const MAX_VARIABLE_CHARS = 500;
const VARIABLE_NAME = /^[A-Za-z_][\w-]{0,63}$/;

/**
 * Template variables from a request: an object of at most 20 strings,
 * numbers or booleans (as text), named like identifiers, each at most 500
 * characters. Absent is none.
 *
 * @throws OtpkitError `INVALID_REQUEST`
 * @example parseTemplateVariables({ name: 'Ravi', age: 30 }) // { name: 'Ravi', age: '30' }
 */
export function parseTemplateVariables(input: unknown): TemplateVariables {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new OtpkitError('INVALID_REQUEST', 'variables must be an object of strings.');
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > MAX_VARIABLES) {
    throw new OtpkitError('INVALID_REQUEST', `At most ${MAX_VARIABLES} template variables.`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (!VARIABLE_NAME.test(key)) {
      throw new OtpkitError(
        'INVALID_REQUEST',
        `Template variable name "${key.slice(0, 64)}" is invalid.`,
      );
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new OtpkitError('INVALID_REQUEST', `Template variable ${key} must be a string.`);
    }
    const text = String(value);
    if (text.length > MAX_VARIABLE_CHARS) {
      throw new OtpkitError(
        'INVALID_REQUEST',
        `Template variable ${key} is longer than ${MAX_VARIABLE_CHARS} characters.`,
      );
    }
    out[key] = text;
  }
  return out;
}

/**
 * A request id from a request; `field` names it in the refusal (`reqId`,
 * or `requestId` where the contract calls it so).
 *
 * @throws OtpkitError `INVALID_REQUEST` when it is missing, not text, or over 100 characters.
 */
export function readReqId(value: unknown, field: 'reqId' | 'requestId' = 'reqId'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 100) {
    throw new OtpkitError('INVALID_REQUEST', `${field} is required.`);
  }
  return value;
}

/**
 * A resend's channel from its wire code (`11`, `"4"`…); absent (undefined,
 * null, empty) is the widget's next retry channel.
 *
 * @throws OtpkitError `INVALID_REQUEST` for a code that names no channel.
 * @example readRetryChannel(4) // 'voice'
 */
export function readRetryChannel(value: unknown): Channel | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const channel = channelFromCode(value);
  if (!channel) {
    throw new OtpkitError(
      'INVALID_REQUEST',
      'retryChannel must be 11 (SMS), 4 (voice), 3 (email) or 12 (WhatsApp).',
    );
  }
  return channel;
}

/**
 * A code as typed: text, or a JSON number (which lost its leading zeros: the
 * verification pads it to the request's own length).
 */
export type CodeGuess = string | number;

/** A code from a request; anything but text or a number is no code (refused as `INVALID_OTP`). */
export function readCode(value: unknown): CodeGuess {
  return typeof value === 'string' || typeof value === 'number' ? value : '';
}
