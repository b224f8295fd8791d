/**
 * The passkey chunk (`otp-passkeys.js`): WebAuthn in the browser through
 * @simplewebauthn/browser, fetched only by widgets that offer passkeys, so
 * code-only pages never download it. The popup, `window.registerPasskey` /
 * `window.signInWithPasskey` and the headless client all call these.
 */

import type { ErrorCode } from '@otpkit/protocol';
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import type {
  OtpError,
  Outcome,
  PasskeyRegistered,
  PasskeySignedIn,
  PasskeySignInOptions,
} from '../outcome.ts';

/** A widget-API POST with the widget's credentials added (the client's). */
export type PasskeyPost = (
  path: string,
  body: Record<string, unknown>,
) => Promise<Outcome<{ type: 'success' } & Record<string, unknown>>>;

const failure = (code: ErrorCode, message: string): OtpError => ({ type: 'error', code, message });

/** What a WebAuthn exception means to the caller. */
function fromWebAuthn(error: unknown): OtpError {
  const name = (error as { name?: string } | null)?.name;
  // NotAllowedError: the visitor closed the prompt, or it timed out; AbortError: cancelled by us.
  if (name === 'NotAllowedError' || name === 'AbortError') {
    return failure('PASSKEY_CANCELLED', 'The passkey prompt was closed.');
  }
  if (name === 'InvalidStateError') {
    return failure('PASSKEY_FAILED', 'This device already has a passkey for you here.');
  }
  return failure(
    'PASSKEY_FAILED',
    (error as Error | null)?.message || 'The passkey could not be used.',
  );
}

/** Whether this browser can use passkeys at all. */
export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

/** Whether this browser can offer passkeys in a field's autofill (conditional mediation). */
export function autofillSupported(): Promise<boolean> {
  return browserSupportsWebAuthnAutofill();
}

/** Stops a passkey prompt or autofill wait in progress (its call resolves `PASSKEY_CANCELLED`). */
export function cancelPasskey(): void {
  WebAuthnAbortService.cancelCeremony();
}

/**
 * Creates a passkey for the identifier a verified code proved (`ticket`: the
 * `passkeyTicket` of that `verifyOtp`).
 *
 * @example const made = await registerPasskey(post, verified.passkeyTicket);
 */
export async function registerPasskey(
  post: PasskeyPost,
  ticket: string | undefined,
): Promise<Outcome<PasskeyRegistered>> {
  if (!ticket) {
    return failure('PASSKEY_TICKET_INVALID', 'Verify a code first: a passkey is offered after it.');
  }
  if (!browserSupportsWebAuthn()) {
    return failure('PASSKEY_UNSUPPORTED', 'This browser cannot use passkeys.');
  }
  const options = await post('passkeys/registrationOptions', { passkeyTicket: ticket });
  if (options.type !== 'success') return options;
  let response: unknown;
  try {
    response = await startRegistration({ optionsJSON: options as never });
  } catch (error) {
    return fromWebAuthn(error);
  }
  const stored = await post('passkeys/register', { passkeyTicket: ticket, response });
  if (stored.type !== 'success') return stored;
  const passkeyId = String(stored.passkeyId ?? stored.message ?? '');
  return { type: 'success', message: passkeyId, passkeyId };
}

/**
 * Signs in with a passkey: the browser's passkey prompt (or, with
 * `autofill`, the field's autofill), then an access token like a code's.
 *
 * @example const signedIn = await signInWithPasskey(post); // message: the access token
 */
export async function signInWithPasskey(
  post: PasskeyPost,
  options: PasskeySignInOptions = {},
): Promise<Outcome<PasskeySignedIn>> {
  if (!browserSupportsWebAuthn() || (options.autofill && !(await autofillSupported()))) {
    return failure('PASSKEY_UNSUPPORTED', 'This browser cannot use passkeys here.');
  }
  const challenge = await post('passkeys/signInOptions', {});
  if (challenge.type !== 'success') return challenge;
  let response: unknown;
  try {
    response = await startAuthentication({
      optionsJSON: challenge as never,
      useBrowserAutofill: options.autofill === true,
      // The popup's field is in a shadow root, where a document-wide check cannot see it.
      verifyBrowserAutofillInput: false,
    });
  } catch (error) {
    return fromWebAuthn(error);
  }
  const signedIn = await post('passkeys/signIn', {
    response,
    ...(options.identifier ? { identifier: options.identifier } : {}),
  });
  if (signedIn.type !== 'success') return signedIn;
  const token = signedIn.message;
  if (typeof token !== 'string' || !token) {
    return failure('INTERNAL_ERROR', 'Something went wrong on our side.');
  }
  return {
    type: 'success',
    message: token,
    reqId: String(signedIn.reqId ?? ''),
    amr: Array.isArray(signedIn.amr) ? signedIn.amr.map(String) : [],
  };
}
