/**
 * Magic links: the confirmation page's facts (GET, which changes nothing),
 * the confirmation itself (POST: one atomic store operation, once), and the
 * asking tab's poll (`isOneTapAuthenticated`). Links are sent by the OTP
 * service (`sendOtp`/`retryOtp` of a `magic_link` widget).
 */
import { timingSafeEqual } from 'node:crypto';
import type { ErrorCode, EventOutcome, IsOneTapAuthenticatedSuccess } from '@otpkit/protocol';
import { decodeJwt } from 'jose';
import type { RequestContext } from '../../model/call.ts';
import { createSealer } from '../../platform/crypto.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { Metrics } from '../../platform/observability/metrics.ts';
import type { Clock, Logger } from '../../platform/runtime.ts';
import type { MagicLink, OtpRequest, Store, WidgetRecord } from '../../store/index.ts';
import { recordEvent } from '../events/index.ts';
import { issueAccessToken, type TokenDeps } from '../tokens/access-token.ts';
import { csrfTokenFor, hashLinkToken, isLinkTokenShape } from './links.ts';

/**
 * What the magic-link services run on: the part of the OTP services' deps
 * they use, declared here so that magic links need nothing from otp/ (which
 * sends them).
 */
export interface MagicLinkDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Server secret: keys link-token and CSRF hashes; seals the access token a link holds. */
  secret: string;
  tokens: TokenDeps;
  metrics: Metrics;
}

/**
 * Why a link cannot be confirmed (each has its own page). `ended`: a wrong
 * match number was typed on the page of one of the request's links.
 */
export type LinkProblem = 'invalid' | 'used' | 'expired' | 'replaced' | 'ended';

/** A link that can be confirmed, with what the page shows about the request. */
export interface OpenLink {
  link: MagicLink;
  request: OtpRequest;
  widget: WidgetRecord;
  /** The form's CSRF token. */
  csrf: string;
}

export type LinkLookup =
  | ({ ok: true } & OpenLink)
  | { ok: false; problem: LinkProblem; widget?: WidgetRecord; request?: OtpRequest };

/** Where the browser goes after a confirmation. */
export interface Confirmed {
  request: OtpRequest;
  widget: WidgetRecord;
  /** The widget's `redirectUrl` with the outcome, when it has one on its allowed origins. */
  redirectTo: string | null;
}

/** The access token waits for the asking tab sealed under its own key. */
const sealerFor = (secret: string) => createSealer(secret, 'magic link access token');

/** A confirmed request whose token was never kept (a crash in between) gets one after this long. */
const MINT_GRACE_MS = 10_000;

const PROBLEM_CODES: Record<LinkProblem, ErrorCode> = {
  invalid: 'REQUEST_NOT_FOUND',
  used: 'ALREADY_VERIFIED',
  expired: 'OTP_EXPIRED',
  replaced: 'OTP_EXPIRED',
  ended: 'LINK_EXPIRED',
};

/** A link request whose match number was typed wrong: its attempts are spent. */
const isEnded = (request: OtpRequest): boolean =>
  request.verificationType === 'magic_link' &&
  request.status === 'pending' &&
  request.attempts >= request.maxAttempts;

/** Records a link's opening or confirmation; a confirmation counts as a verification too. */
async function record(
  deps: MagicLinkDeps,
  kind: 'link-opened' | 'link-verified',
  outcome: EventOutcome,
  ids: { requestId: string | null; widgetId: string | null },
  context: RequestContext,
): Promise<void> {
  if (kind === 'link-verified') deps.metrics.verification(outcome === 'ok' ? 'verified' : outcome);
  await recordEvent(deps, { kind, ...ids, context }, outcome);
}

/** Finds a link by its token and says whether it can still be confirmed. */
async function lookUp(deps: MagicLinkDeps, token: string): Promise<LinkLookup> {
  if (!isLinkTokenShape(token)) return { ok: false, problem: 'invalid' };
  const tokenHash = hashLinkToken(deps.secret, token);
  const link = await deps.store.magicLinks.get(tokenHash);
  if (!link) return { ok: false, problem: 'invalid' };
  const [request, widget] = await Promise.all([
    deps.store.otpRequests.get(link.requestId),
    deps.store.widgets.get(link.widgetId),
  ]);
  if (!request || !widget) return { ok: false, problem: 'invalid' };
  const now = deps.clock.now();
  // An ended request says so on every link of it, the one the wrong number was typed on too.
  const problem: LinkProblem | null = isEnded(request)
    ? 'ended'
    : link.usedAt !== null || request.status === 'verified'
      ? 'used'
      : request.status === 'superseded'
        ? 'replaced'
        : link.expiresAt <= now || request.expiresAt <= now
          ? 'expired'
          : null;
  if (problem) return { ok: false, problem, widget, request };
  return { ok: true, link, request, widget, csrf: csrfTokenFor(deps.secret, tokenHash) };
}

/**
 * The confirmation page's facts for a link. Verifies nothing: mail
 * scanners and previews open links too. Records the first opening.
 */
export async function openLink(
  deps: MagicLinkDeps,
  input: { token: string; context: RequestContext },
): Promise<LinkLookup> {
  const found = await lookUp(deps, input.token);
  const ids = {
    requestId: found.ok ? found.request.id : (found.request?.id ?? null),
    widgetId: found.widget?.id ?? null,
  };
  await record(
    deps,
    'link-opened',
    found.ok ? 'ok' : PROBLEM_CODES[found.problem],
    ids,
    input.context,
  );
  if (found.ok) {
    await deps.store.magicLinks.markOpened(found.link.tokenHash, deps.clock.now());
    deps.log.info('magic link opened', ids);
  }
  return found;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The widget's redirect with the outcome, only to one of its allowed origins (never from the request). */
function redirectFor(widget: WidgetRecord, request: OtpRequest): string | null {
  const { redirectUrl, allowedOrigins } = widget.settings;
  if (!redirectUrl) return null;
  const url = new URL(redirectUrl);
  if (!allowedOrigins.includes(url.origin)) return null;
  url.searchParams.set('otpkit', 'verified');
  url.searchParams.set('reqId', request.id);
  return url.toString();
}

/** Mints and keeps the access token of a confirmed link request (once); returns the kept one. */
async function accessTokenOf(deps: MagicLinkDeps, request: OtpRequest): Promise<string | null> {
  const sealer = sealerFor(deps.secret);
  if (request.accessToken) return sealer.open(request.accessToken.sealed);
  const accessToken = await issueAccessToken(deps.tokens, {
    requestId: request.id,
    widgetId: request.widgetId,
    identifier: request.identifier,
    channel: request.channel,
    demo: request.demo,
  });
  const kept = await deps.store.magicLinks.attachAccessToken(request.id, {
    sealed: sealer.seal(accessToken),
    jti: String(decodeJwt(accessToken).jti),
  });
  if (kept) return accessToken;
  const again = await deps.store.otpRequests.get(request.id);
  return again?.accessToken ? sealer.open(again.accessToken.sealed) : null;
}

/** The shape of a typed match number: two digits (spaces around are forgiven). */
function typedNumber(value: string | undefined): string | null {
  if (value === undefined) return null;
  const typed = value.trim();
  return /^[0-9]{2}$/.test(typed) ? typed : null;
}

/**
 * Whether the typed number is the request's, compared in constant time. A
 * request from before number matching (no number) asks for none.
 */
function numberMatches(request: OtpRequest, typed: string | null): boolean {
  if (request.matchNumber === null) return true;
  return typed !== null && sameToken(typed, String(request.matchNumber));
}

/**
 * Confirms a link: checks the form's CSRF token and the match number the
 * visitor typed, then uses the link and verifies its request in one atomic
 * step (one caller wins), and mints the access token the asking tab collects.
 * A wrong number (one try) uses the link and ends its request instead: the
 * asking tab's poll then fails with `LINK_EXPIRED`.
 *
 * @returns the outcome; the problem that stopped it; or `retype` when the
 *   number is missing or not two digits (nothing changed: the page asks again)
 * @throws OtpkitError `INVALID_REQUEST` for a missing or wrong CSRF token
 */
export async function confirmLink(
  deps: MagicLinkDeps,
  input: {
    token: string;
    /** The form's CSRF token, as posted. */
    csrf: string | undefined;
    /** The match number, as typed. */
    match?: string | undefined;
    context: RequestContext;
  },
): Promise<
  | ({ ok: true } & Confirmed)
  | Extract<LinkLookup, { ok: false }>
  | ({ ok: false; retype: true } & OpenLink)
> {
  const found = await lookUp(deps, input.token);
  const ids = {
    requestId: found.request?.id ?? null,
    widgetId: found.widget?.id ?? null,
  };
  if (!found.ok) {
    await record(deps, 'link-verified', PROBLEM_CODES[found.problem], ids, input.context);
    return found;
  }
  if (typeof input.csrf !== 'string' || !sameToken(input.csrf, found.csrf)) {
    await record(deps, 'link-verified', 'INVALID_REQUEST', ids, input.context);
    throw new OtpkitError('INVALID_REQUEST', 'The confirmation form is not valid.');
  }
  const typed = typedNumber(input.match);
  if (found.request.matchNumber !== null && typed === null) {
    // Not a try: nothing to compare (an empty or mistyped field), so the page asks again.
    const { link, request, widget, csrf } = found;
    return { ok: false, retype: true, link, request, widget, csrf };
  }
  if (!numberMatches(found.request, typed)) {
    const ended = await deps.store.magicLinks.refuse(found.link.tokenHash, deps.clock.now());
    const problem: LinkProblem = ended
      ? 'ended'
      : await lookUp(deps, input.token).then((now) => (now.ok ? 'used' : now.problem));
    await record(deps, 'link-verified', PROBLEM_CODES[problem], ids, input.context);
    if (ended) deps.log.warn('magic link ended: wrong match number', ids);
    return { ok: false, problem, widget: found.widget, request: ended ?? found.request };
  }
  const verified = await deps.store.magicLinks.confirm(found.link.tokenHash, deps.clock.now());
  if (!verified) {
    // Another tab or a resend won the race, or time ran out: explain from a fresh read.
    const now = await lookUp(deps, input.token);
    const problem = now.ok ? 'used' : now.problem;
    await record(deps, 'link-verified', PROBLEM_CODES[problem], ids, input.context);
    return { ok: false, problem, widget: found.widget, request: found.request };
  }
  await record(deps, 'link-verified', 'ok', ids, input.context);
  deps.log.info('magic link verified', ids);
  await accessTokenOf(deps, verified);
  return {
    ok: true,
    request: verified,
    widget: found.widget,
    redirectTo: redirectFor(found.widget, verified),
  };
}

/**
 * `linkStatus`: no request id, no such request of the widget, a link
 * superseded or expired (`OTP_EXPIRED`), ended by a wrong match number
 * (`LINK_EXPIRED`), or a code request or a token already collected.
 */
export const LINK_STATUS_ERRORS = errorCodes(
  'INVALID_REQUEST',
  'REQUEST_NOT_FOUND',
  'OTP_EXPIRED',
  'LINK_EXPIRED',
  'ALREADY_VERIFIED',
);

/**
 * `isOneTapAuthenticated`: `verified:false` while the link waits, then the
 * access token (the same one on every poll) until it is redeemed or expires.
 * Throws {@link LINK_STATUS_ERRORS}.
 */
export async function linkStatus(
  deps: MagicLinkDeps,
  input: { widget: WidgetRecord; reqId: string },
): Promise<IsOneTapAuthenticatedSuccess> {
  const { reqId } = input;
  const request = await deps.store.otpRequests.get(reqId);
  if (!request || request.widgetId !== input.widget.id) throw new OtpkitError('REQUEST_NOT_FOUND');
  const now = deps.clock.now();
  if (request.status === 'superseded') {
    throw new OtpkitError('OTP_EXPIRED', 'A newer link was sent; use the latest one.');
  }
  if (request.status === 'pending') {
    if (isEnded(request)) throw new OtpkitError('LINK_EXPIRED');
    if (request.expiresAt <= now) {
      throw new OtpkitError('OTP_EXPIRED', 'The link has expired. Request a new one.');
    }
    return { type: 'success', verified: false, ...matchOf(request) };
  }
  if (!request.accessToken) {
    if (request.verificationType !== 'magic_link') throw new OtpkitError('ALREADY_VERIFIED');
    // The confirming request is still minting the token; recover only if it never will.
    if (now - (request.verifiedAt ?? now) < MINT_GRACE_MS) {
      return { type: 'success', verified: false };
    }
  } else {
    const token = await deps.store.accessTokens.get(request.accessToken.jti);
    if (!token || token.verifiedAt !== null || token.expiresAt <= now) {
      throw new OtpkitError('ALREADY_VERIFIED', 'The access token was already collected.');
    }
  }
  const accessToken = await accessTokenOf(deps, request);
  if (!accessToken) return { type: 'success', verified: false, ...matchOf(request) };
  return {
    type: 'success',
    verified: true,
    message: accessToken,
    'access-token': accessToken,
    ...matchOf(request),
  };
}

/** The request's match number as the poll carries it (absent for requests without one). */
function matchOf(request: OtpRequest): { matchNumber?: number } {
  return request.matchNumber === null ? {} : { matchNumber: request.matchNumber };
}
