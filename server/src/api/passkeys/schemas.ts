/** Bodies and answers of the passkey routes (widget API and admin API). */
import { z } from 'zod';

const widgetId = z.string().max(200).describe('The widget id.');
const tokenAuth = z.unknown().optional().meta({ type: 'string', description: 'A widget token.' });
const ticket = z.unknown().optional().meta({
  type: 'string',
  description: 'The `passkeyTicket` of the `verifyOtp` success (5 minutes, once).',
});
const response = z.unknown().meta({
  type: 'object',
  description:
    'The browser’s WebAuthn answer as JSON (`RegistrationResponseJSON` or `AuthenticationResponseJSON`, as @simplewebauthn/browser returns it).',
});

/** `POST passkeys/registrationOptions` body. */
export const registrationOptionsBody = z.looseObject({
  widgetId,
  tokenAuth,
  passkeyTicket: ticket,
});

/** `POST passkeys/register` body. */
export const registerBody = z.looseObject({ widgetId, tokenAuth, passkeyTicket: ticket, response });

/** `POST passkeys/signInOptions` body. */
export const signInOptionsBody = z.looseObject({ widgetId, tokenAuth });

/** `POST passkeys/signIn` body. */
export const signInBody = z.looseObject({
  widgetId,
  tokenAuth,
  response,
  identifier: z
    .unknown()
    .optional()
    .meta({
      type: ['string', 'number'],
      description: 'When given, the passkey must be this identifier’s.',
    }),
});

/** WebAuthn options for the browser (`PublicKeyCredentialCreationOptionsJSON` / `…RequestOptionsJSON`). */
export const webAuthnOptions = z.looseObject({
  challenge: z.string(),
  rpId: z.string().optional(),
  rp: z.looseObject({ id: z.string().optional(), name: z.string() }).optional(),
  timeout: z.number().optional(),
});

export const registeredAnswer = z.object({
  type: z.literal('success'),
  message: z.string().describe('The passkey id.'),
  passkeyId: z.string(),
});

export const signedInAnswer = z.object({
  type: z.literal('success'),
  message: z.string().describe('The access token, as `verifyOtp` answers.'),
  'access-token': z.string(),
  reqId: z.string(),
  amr: z.array(z.string()).describe('RFC 8176 methods: `hwk` or `swk`, plus `user`.'),
});

export const passkeyView = z.object({
  passkeyId: z.string(),
  identifier: z.string(),
  widgetId: z.string(),
  rpId: z.string(),
  deviceType: z.string().describe('`singleDevice` or `multiDevice` (synced).'),
  backedUp: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
