/** The passkey routes for the OpenAPI document. */

import { z } from 'zod';
import { AUTHENTICATE_ERRORS } from '../../core/accounts/authkeys.ts';
import {
  LIST_PASSKEYS_ERRORS,
  REGISTER_PASSKEY_ERRORS,
  REGISTRATION_OPTIONS_ERRORS,
  RELYING_PARTY_ERRORS,
  REVOKE_PASSKEY_ERRORS,
  SIGN_IN_WITH_PASSKEY_ERRORS,
} from '../../core/passkeys/service.ts';
import { AUTHORIZE_WIDGET_ERRORS, WIDGET_ACCESS_ERRORS } from '../../core/widgets/service.ts';
import { admin, errorsOf, ok, type RouteGroup } from '../http/openapi-registry.ts';
import { passkeyListQuery } from './routes.ts';
import {
  passkeyView,
  registerBody,
  registeredAnswer,
  registrationOptionsBody,
  signedInAnswer,
  signInBody,
  signInOptionsBody,
  webAuthnOptions,
} from './schemas.ts';

/** What any passkey call of the widget API can be refused with (as every widget API call). */
const WIDGET_LOOKUP = errorsOf(AUTHENTICATE_ERRORS, AUTHORIZE_WIDGET_ERRORS, WIDGET_ACCESS_ERRORS);

/** `/api/v5/widget/passkeys/*`. */
export const PASSKEY_WIDGET_DOCS: RouteGroup = {
  tag: 'Passkeys',
  description:
    'Passkeys after the first code (otpkit only). A widget with `passkeys` on gives `verifyOtp`’s success a `passkeyTicket`; with it the browser registers a passkey for the identifier it just proved, and from then on signs in with it. The relying party is the page: its origin must be one of the widget’s `allowedOrigins`, and the RP ID is its registrable domain.',
  prefix: '/api/v5/widget',
  routes: [
    {
      method: 'post',
      path: '/passkeys/registrationOptions',
      operationId: 'passkeyRegistrationOptions',
      summary: 'Options to create a passkey',
      description:
        'WebAuthn creation options for the ticket’s identifier (discoverable credential, user verification preferred, no attestation). The ticket is checked, not used.',
      security: ['tokenAuth'],
      body: registrationOptionsBody,
      response: ok('Pass to `navigator.credentials.create()`.', webAuthnOptions),
      errors: errorsOf(WIDGET_LOOKUP, REGISTRATION_OPTIONS_ERRORS),
    },
    {
      method: 'post',
      path: '/passkeys/register',
      operationId: 'passkeyRegister',
      summary: 'Store a new passkey',
      description:
        'Verifies the browser’s answer and stores the passkey; uses the challenge and the ticket.',
      security: ['tokenAuth'],
      body: registerBody,
      response: ok('The passkey is registered.', registeredAnswer),
      errors: errorsOf(WIDGET_LOOKUP, REGISTER_PASSKEY_ERRORS),
    },
    {
      method: 'post',
      path: '/passkeys/signInOptions',
      operationId: 'passkeySignInOptions',
      summary: 'Options to sign in with a passkey',
      description:
        'WebAuthn request options with an empty `allowCredentials` (discoverable credentials, usable for autofill), so the answer never says whether someone has a passkey.',
      security: ['tokenAuth'],
      body: signInOptionsBody,
      response: ok('Pass to `navigator.credentials.get()`.', webAuthnOptions),
      errors: errorsOf(WIDGET_LOOKUP, RELYING_PARTY_ERRORS),
    },
    {
      method: 'post',
      path: '/passkeys/signIn',
      operationId: 'passkeySignIn',
      summary: 'Sign in with a passkey',
      description:
        'Verifies the assertion (single-use challenge of this widget and page, signature counter forward, passkey not revoked) and answers with an access token, exactly as `verifyOtp` does; `verifyAccessToken` then says `channel: "passkey"` and the token’s `amr` says how.',
      security: ['tokenAuth'],
      body: signInBody,
      response: ok('Signed in.', signedInAnswer),
      errors: errorsOf(WIDGET_LOOKUP, SIGN_IN_WITH_PASSKEY_ERRORS),
    },
  ],
};

/** `/api/v1/passkeys`. */
export const PASSKEY_ADMIN_DOCS: RouteGroup = {
  tag: 'Admin: passkeys',
  description: 'The passkeys people registered through the account’s widgets.',
  prefix: '/api/v1',
  routes: [
    admin({
      method: 'get',
      path: '/passkeys',
      operationId: 'listPasskeys',
      summary: 'An identifier’s passkeys',
      query: passkeyListQuery,
      response: ok(
        'Newest first, revoked ones included.',
        z.object({ passkeys: z.array(passkeyView) }),
      ),
      errors: LIST_PASSKEYS_ERRORS,
    }),
    admin({
      method: 'delete',
      path: '/passkeys/:passkeyId',
      operationId: 'revokePasskey',
      summary: 'Revoke a passkey',
      description: 'Its next sign-in fails at once, on every instance.',
      params: { passkeyId: 'The passkey id (`GET /passkeys`).' },
      response: ok('The revoked passkey.', passkeyView),
      errors: REVOKE_PASSKEY_ERRORS,
    }),
  ],
};
