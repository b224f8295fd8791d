/**
 * Passkeys after the first code. A verified code gives the browser a
 * short-lived, single-use ticket (`passkeyTicket`); with it the visitor may
 * register a passkey for the identifier they just proved, without a second
 * code. From then on a passkey assertion signs them in: the same kind of
 * access token as a code, with `channel: "passkey"` and RFC 8176 `amr`.
 *
 * The relying party is the customer's site: the RP ID is the registrable
 * domain of the calling page's origin, which must be one of the widget's
 * `allowedOrigins`. WebAuthn checks are SimpleWebAuthn's.
 */
import { createHmac } from 'node:crypto';
import type { Passkey } from '@otpkit/protocol';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { getDomain } from 'tldts';
import { checkDestination, parseIdentifier } from '../../model/identifier.ts';
import { sha256Hex } from '../../platform/crypto.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { PasskeyChallengeKind, PasskeyRecord, WidgetRecord } from '../../store/index.ts';
import { type CallEvent, recordCall, recordEvent } from '../events/index.ts';
import type { IdentifierReading, OtpDeps, RequestContext } from '../otp/index.ts';
import { accessTokenFor, signAccessToken } from '../tokens/access-token.ts';

/** How long a registration ticket, and a WebAuthn challenge, stay usable. */
export const PASSKEY_TICKET_TTL_MS = 5 * 60_000;
const CHALLENGE_TTL_MS = 5 * 60_000;
/** What the browser is asked to wait for a touch (WebAuthn `timeout`). */
const CEREMONY_TIMEOUT_MS = 120_000;

/** The longest credential ID WebAuthn allows (1,023 bytes), in base64url. */
const MAX_CREDENTIAL_ID_CHARS = 1364;

/** The relying party of a call: the page's origin and its registrable domain. */
export interface RelyingParty {
  origin: string;
  rpId: string;
}

/**
 * The relying party for a widget's passkeys on the calling page.
 *
 * Throws {@link RELYING_PARTY_ERRORS}.
 */
export function relyingParty(widget: WidgetRecord, origin: string | undefined): RelyingParty {
  if (!widget.settings.passkeys) throw new OtpkitError('PASSKEYS_NOT_ENABLED');
  if (!origin || !widget.settings.allowedOrigins.includes(origin)) {
    throw new OtpkitError(
      'ORIGIN_NOT_ALLOWED',
      'Passkeys work only on a page whose origin is one of the widget’s allowedOrigins.',
    );
  }
  const { hostname } = new URL(origin);
  // `localhost` has no registrable domain and is its own RP ID (browsers allow it for development).
  // Private suffixes count (alice.github.io is its own site): browsers refuse github.io as an RP ID.
  return { origin, rpId: getDomain(hostname, { allowPrivateDomains: true }) ?? hostname };
}

/**
 * Stores a single-use secret (a ticket, or the challenge of options just
 * made), hashed, valid for `ttlMs`.
 */
async function saveChallenge(
  deps: OtpDeps,
  secret: string,
  ttlMs: number,
  row: { kind: PasskeyChallengeKind; widgetId: string; origin: string | null } & Partial<
    Record<'identifier' | 'requestId', string | null>
  >,
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.passkeyChallenges.insert({
    identifier: null,
    requestId: null,
    ...row,
    id: sha256Hex(secret),
    expiresAt: now + ttlMs,
    createdAt: now,
  });
}

/**
 * Issues the ticket a verified code gives: it lets the browser register a
 * passkey for that identifier on that widget within 5 minutes, once.
 */
export async function issuePasskeyTicket(
  deps: OtpDeps,
  verified: { widget: WidgetRecord; requestId: string; identifier: string },
): Promise<string> {
  const ticket = deps.random.token(32);
  await saveChallenge(deps, ticket, PASSKEY_TICKET_TTL_MS, {
    kind: 'ticket',
    widgetId: verified.widget.id,
    origin: null,
    identifier: verified.identifier,
    requestId: verified.requestId,
  });
  return ticket;
}

/** The WebAuthn user handle of an identifier: stable per account, so a new passkey replaces the old on the authenticator. */
function userHandle(deps: OtpDeps, accountId: string, identifier: string): Uint8Array<ArrayBuffer> {
  const digest = createHmac('sha256', deps.secret)
    .update(`passkey user\0${accountId}\0${identifier}`)
    .digest();
  return new Uint8Array(digest.subarray(0, 16));
}

/** How the identifier shows in the passkey manager. */
function displayName(identifier: string): string {
  return identifier.includes('@') ? identifier : `+${identifier}`;
}

/** The challenge a browser's response answers (from its client data), or `undefined`. */
function challengeOf(response: unknown): string | undefined {
  const clientDataJSON = (response as { response?: { clientDataJSON?: unknown } } | null)?.response
    ?.clientDataJSON;
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return undefined;
  try {
    const challenge = (
      JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
        challenge?: unknown;
      }
    ).challenge;
    return typeof challenge === 'string' && challenge.length <= 256 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

const failed = (why: string) =>
  new OtpkitError('PASSKEY_FAILED', `The passkey could not be used: ${why}.`);

/**
 * Runs a SimpleWebAuthn verification: one that throws (a malformed or
 * mismatched response) is `PASSKEY_FAILED`, as is one that does not verify.
 */
async function verifiedBy<T extends { verified: boolean }>(
  verify: () => Promise<T>,
  notVerified: string,
): Promise<T & { verified: true }> {
  let verification: T;
  try {
    verification = await verify();
  } catch (error) {
    throw failed(error instanceof Error ? error.message : 'the response is malformed');
  }
  if (!verification.verified) throw failed(notVerified);
  return verification as T & { verified: true };
}

/**
 * What both ceremonies check a response against: the challenge it answers,
 * this page's origin and RP ID; neither demands user verification.
 */
const expectedFor = (challenge: string, rp: RelyingParty) => ({
  expectedChallenge: challenge,
  expectedOrigin: rp.origin,
  expectedRPID: rp.rpId,
  requireUserVerification: false,
});

/** Takes the single-use challenge a response answers, issued to this widget for this page. */
async function takeChallenge(
  deps: OtpDeps,
  kind: PasskeyChallengeKind,
  widget: WidgetRecord,
  rp: RelyingParty,
  response: unknown,
) {
  const challenge = challengeOf(response);
  const row =
    challenge === undefined
      ? undefined
      : await deps.store.passkeyChallenges.take(sha256Hex(challenge), kind, deps.clock.now());
  if (!row || challenge === undefined) throw failed('the challenge is unknown, used or expired');
  if (row.widgetId !== widget.id || row.origin !== rp.origin) {
    throw failed('the challenge was issued to another widget or page');
  }
  return { challenge, row };
}

/** What every passkey ceremony call brings: the widget, the calling page's origin, the caller. */
interface CeremonyInput {
  widget: WidgetRecord;
  origin: string | undefined;
  context: RequestContext;
}

/**
 * The widget's relying party for the calling page, once the caller is within
 * the verify limit (per client network): a browser that calls the passkey
 * routes too often is refused.
 */
async function relyingPartyWithinLimit(deps: OtpDeps, input: CeremonyInput): Promise<RelyingParty> {
  const rp = relyingParty(input.widget, input.origin);
  await deps.limits.consumeVerify(input.context.ip);
  return rp;
}

/**
 * Options for `navigator.credentials.create()`, for the identifier a ticket
 * proves. The ticket is checked, not used: a visitor who cancels the
 * browser's dialog may try again until it expires.
 *
 * Throws {@link REGISTRATION_OPTIONS_ERRORS}.
 */
export async function registrationOptions(
  deps: OtpDeps,
  input: CeremonyInput & { ticket: unknown },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { widget } = input;
  const rp = await relyingPartyWithinLimit(deps, input);
  const ticket =
    typeof input.ticket === 'string' && input.ticket.length <= 100
      ? await deps.store.passkeyChallenges.peek(sha256Hex(input.ticket), 'ticket', deps.clock.now())
      : undefined;
  if (!ticket || ticket.widgetId !== widget.id || !ticket.identifier) {
    throw new OtpkitError('PASSKEY_TICKET_INVALID');
  }
  const existing = (await deps.store.passkeys.listFor(widget.accountId, ticket.identifier)).filter(
    (p) => p.revokedAt === null && p.rpId === rp.rpId,
  );
  const options = await generateRegistrationOptions({
    rpName: widget.settings.name,
    rpID: rp.rpId,
    userName: displayName(ticket.identifier),
    userDisplayName: displayName(ticket.identifier),
    userID: userHandle(deps, widget.accountId, ticket.identifier),
    attestationType: 'none',
    // Discoverable, so the next sign-in needs no identifier (and can autofill); verification preferred.
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    timeout: CEREMONY_TIMEOUT_MS,
  });
  await saveChallenge(deps, options.challenge, CHALLENGE_TTL_MS, {
    kind: 'register',
    widgetId: widget.id,
    origin: rp.origin,
    identifier: ticket.identifier,
    requestId: ticket.requestId,
  });
  return options;
}

/** What a registration left behind. */
export interface RegisteredPasskey {
  passkeyId: string;
  identifier: string;
}

/**
 * Verifies a new passkey and stores it for the ticket's identifier; uses the
 * challenge, then the ticket (each once).
 *
 * Throws {@link REGISTER_PASSKEY_ERRORS}.
 */
export async function registerPasskey(
  deps: OtpDeps,
  input: CeremonyInput & { ticket: unknown; response: unknown },
): Promise<RegisteredPasskey> {
  const { widget } = input;
  const rp = await relyingPartyWithinLimit(deps, input);
  const { challenge, row } = await takeChallenge(deps, 'register', widget, rp, input.response);
  const verification = await verifiedBy(
    () =>
      verifyRegistrationResponse({
        response: input.response as RegistrationResponseJSON,
        ...expectedFor(challenge, rp),
      }),
    'the registration did not verify',
  );
  if (verification.registrationInfo.credential.id.length > MAX_CREDENTIAL_ID_CHARS) {
    throw failed('the credential ID is longer than WebAuthn allows');
  }
  const now = deps.clock.now();
  const ticket =
    typeof input.ticket === 'string' && input.ticket.length <= 100
      ? await deps.store.passkeyChallenges.take(sha256Hex(input.ticket), 'ticket', now)
      : undefined;
  if (
    !ticket?.identifier ||
    ticket.widgetId !== widget.id ||
    ticket.identifier !== row.identifier
  ) {
    throw new OtpkitError('PASSKEY_TICKET_INVALID');
  }
  const info = verification.registrationInfo;
  const passkey: PasskeyRecord = {
    id: deps.random.sortable(12),
    credentialId: info.credential.id,
    accountId: widget.accountId,
    widgetId: widget.id,
    identifier: ticket.identifier,
    rpId: rp.rpId,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  if (!(await deps.store.passkeys.insert(passkey))) {
    throw failed('this passkey is registered already');
  }
  await recordEvent(
    deps,
    {
      kind: 'passkey-register',
      requestId: ticket.requestId,
      widgetId: widget.id,
      context: input.context,
    },
    'ok',
  );
  return { passkeyId: passkey.id, identifier: passkey.identifier };
}

/**
 * Options for `navigator.credentials.get()`: discoverable credentials only,
 * so the answer never says whether an identifier has a passkey.
 *
 * Throws {@link RELYING_PARTY_ERRORS}.
 */
export async function signInOptions(
  deps: OtpDeps,
  input: CeremonyInput,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = await relyingPartyWithinLimit(deps, input);
  const options = await generateAuthenticationOptions({
    rpID: rp.rpId,
    userVerification: 'preferred',
    timeout: CEREMONY_TIMEOUT_MS,
  });
  await saveChallenge(deps, options.challenge, CHALLENGE_TTL_MS, {
    kind: 'sign-in',
    widgetId: input.widget.id,
    origin: rp.origin,
  });
  return options;
}

/** A passkey sign-in's result: what a verified code gives. */
export interface PasskeySignIn {
  reqId: string;
  accessToken: string;
  identifier: string;
  amr: string[];
}

/**
 * Verifies a passkey assertion and signs the person in: a request row with
 * channel `passkey` (so the log and analytics show it, with no message), and
 * an access token whose `amr` says how.
 *
 * Throws {@link SIGN_IN_WITH_PASSKEY_ERRORS}.
 */
export async function signInWithPasskey(
  deps: OtpDeps,
  input: CeremonyInput & {
    response: unknown;
    /** When given, the passkey must be this identifier's (read by the route with `readIdentifier`). */
    identifier?: IdentifierReading;
  },
): Promise<PasskeySignIn> {
  const { widget, context } = input;
  const now = deps.clock.now();
  const event: CallEvent = {
    kind: 'passkey-sign-in',
    widgetId: widget.id,
    requestId: null,
    context,
  };
  return recordCall(deps, event, async () => {
    const rp = await relyingPartyWithinLimit(deps, input);
    const { challenge } = await takeChallenge(deps, 'sign-in', widget, rp, input.response);
    const credentialId = (input.response as { id?: unknown } | null)?.id;
    const passkey =
      typeof credentialId === 'string' && credentialId.length <= MAX_CREDENTIAL_ID_CHARS
        ? await deps.store.passkeys.byCredentialId(credentialId)
        : undefined;
    if (!passkey || passkey.accountId !== widget.accountId || passkey.rpId !== rp.rpId) {
      throw failed('this passkey is not registered here, or was revoked');
    }
    if (input.identifier) {
      if (!input.identifier.ok) throw input.identifier.error;
      if (input.identifier.identifier.value !== passkey.identifier) {
        throw failed('this passkey belongs to someone else');
      }
    }
    // Made on another widget of the account: this widget must accept its identifier as it would a code's.
    let identifier: ReturnType<typeof parseIdentifier>;
    try {
      identifier = parseIdentifier(passkey.identifier, widget.settings);
      checkDestination(identifier, widget.settings);
    } catch (error) {
      if (!(error instanceof OtpkitError)) throw error;
      throw failed(`this widget does not verify its identifier (${error.message})`);
    }
    const verification = await verifiedBy(
      () =>
        verifyAuthenticationResponse({
          response: input.response as AuthenticationResponseJSON,
          ...expectedFor(challenge, rp),
          credential: {
            id: passkey.credentialId,
            publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
            counter: passkey.counter,
            transports: passkey.transports as never,
          },
        }),
      'the signature did not verify',
    );
    const info = verification.authenticationInfo;
    // Atomic: a replayed or cloned assertion (counter not forward) or a revocation meanwhile loses here.
    if (!(await deps.store.passkeys.recordUse(passkey.id, info.newCounter, now))) {
      throw failed('the signature counter did not move forward, or the passkey was revoked');
    }
    const amr = [
      info.credentialDeviceType === 'singleDevice' ? 'hwk' : 'swk',
      ...(info.userVerified ? ['user'] : []),
    ];
    const requestId = deps.random.sortable(12);
    event.requestId = requestId;
    const token = accessTokenFor(deps.tokens, {
      requestId,
      widgetId: widget.id,
      identifier: passkey.identifier,
      channel: 'passkey',
      demo: false,
      amr,
    });
    // The request, verified from the start, and its token: one transaction.
    await deps.store.otpRequests.createVerified(
      {
        id: requestId,
        verificationType: 'otp',
        widgetId: widget.id,
        identifier: passkey.identifier,
        contactPoint: identifier.contactPoint,
        channel: 'passkey',
        codeHashes: [],
        maxAttempts: 1,
        maxResends: 0,
        resendIntervalMs: 0,
        ttlMs: CHALLENGE_TTL_MS,
        lastSentAt: now,
        expiresAt: now + CHALLENGE_TTL_MS,
        ip: context.ip,
        host: context.host,
        userAgent: context.userAgent,
        variables: {},
        demo: false,
        country: identifier.country,
        language: context.language ?? 'en',
        createdAt: now,
      },
      token.record,
    );
    const accessToken = await signAccessToken(deps.tokens, token.claims);
    deps.metrics.verification('verified');
    return { reqId: requestId, accessToken, identifier: passkey.identifier, amr };
  });
}

/** A passkey as the admin API shows it (no key material): the protocol's `Passkey`. */
export type PasskeyView = Passkey;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The admin view of a passkey. */
/** `relyingParty` and `signInOptions`: passkeys off for the widget, or a page it does not allow. */
export const RELYING_PARTY_ERRORS = errorCodes('PASSKEYS_NOT_ENABLED', 'ORIGIN_NOT_ALLOWED');

/** `registrationOptions`: and a ticket that is wrong, used or expired. */
export const REGISTRATION_OPTIONS_ERRORS = errorCodes(
  ...RELYING_PARTY_ERRORS,
  'PASSKEY_TICKET_INVALID',
);

/** `registerPasskey`: and an answer that does not verify. */
export const REGISTER_PASSKEY_ERRORS = errorCodes(...REGISTRATION_OPTIONS_ERRORS, 'PASSKEY_FAILED');

/** `signInWithPasskey`. */
export const SIGN_IN_WITH_PASSKEY_ERRORS = errorCodes(
  ...RELYING_PARTY_ERRORS,
  'PASSKEY_FAILED',
  'INVALID_IDENTIFIER',
  'RATE_LIMITED',
);

/** `listPasskeys`: no identifier, or not a number or an email. */
export const LIST_PASSKEYS_ERRORS = errorCodes(
  'INVALID_REQUEST',
  'INVALID_IDENTIFIER',
  'COUNTRY_NOT_ALLOWED',
);

/** `revokePasskey`: no passkey of the account with this id. */
export const REVOKE_PASSKEY_ERRORS = errorCodes('PASSKEY_NOT_FOUND');

export function viewPasskey(p: PasskeyRecord): PasskeyView {
  return {
    passkeyId: p.id,
    identifier: p.identifier,
    widgetId: p.widgetId,
    rpId: p.rpId,
    deviceType: p.deviceType,
    backedUp: p.backedUp,
    createdAt: new Date(p.createdAt).toISOString(),
    lastUsedAt: iso(p.lastUsedAt),
    revokedAt: iso(p.revokedAt),
  };
}

/** An identifier's passkeys in an account, newest first (revoked ones too). Throws {@link LIST_PASSKEYS_ERRORS}. */
export async function listPasskeys(
  deps: Pick<OtpDeps, 'store'>,
  input: { accountId: string; identifier: unknown },
): Promise<PasskeyView[]> {
  if (typeof input.identifier !== 'string' || input.identifier.trim() === '') {
    throw new OtpkitError('INVALID_REQUEST', 'identifier is required.');
  }
  const identifier = parseIdentifier(input.identifier, {
    defaultCountry: 'IN',
    contactPoints: ['mobile', 'email'],
  });
  return (await deps.store.passkeys.listFor(input.accountId, identifier.value)).map(viewPasskey);
}

/**
 * Revokes a passkey: its next sign-in fails on every instance at once (no
 * instance caches passkeys). Throws {@link REVOKE_PASSKEY_ERRORS}.
 */
export async function revokePasskey(
  deps: Pick<OtpDeps, 'store' | 'clock'>,
  input: { accountId: string; passkeyId: string },
): Promise<PasskeyView> {
  const revoked = await deps.store.passkeys.revoke(
    input.accountId,
    input.passkeyId,
    deps.clock.now(),
  );
  if (!revoked) throw new OtpkitError('PASSKEY_NOT_FOUND');
  return viewPasskey(revoked);
}
