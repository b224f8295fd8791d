/** Who the server says it is, the secrets it keys and seals with, and who may call it from a browser. */
import { z } from 'zod';
import type { ServerEnv } from './server.ts';
import { booleanish, type ConfigSlice, type EnvOf, envMeta } from './slice.ts';

const env = {
  OTPKIT_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .register(envMeta, {
      example: 'https://otp.example.com',
      description:
        "The server's public URL: the access tokens' issuer, magic links, delivery-report URLs.",
      defaultText: '`http://localhost:$PORT` outside production',
      allowed: 'http(s) URL',
      production: {
        required: true,
        why: "the address clients reach otpkit at (the access tokens' issuer, magic links, delivery reports), e.g. OTPKIT_PUBLIC_URL=https://otp.example.com",
      },
    }),
  OTPKIT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .register(envMeta, {
      description: 'Keys code hashes and seals secrets at rest.',
      defaultText: 'generated and kept in the database in development',
      secret: true,
      production: {
        required: true,
        strong: true,
        why: 'keys code hashes and seals secrets at rest',
      },
    }),
  OTPKIT_AUTHKEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        'If the account has no authkey yet, this becomes it; otherwise the first start creates one and prints it once. Authkeys are stored hashed.',
      secret: true,
      production: { strong: true, why: "the account's first authkey" },
    }),
  OTPKIT_ALLOW_ANY_ORIGIN: booleanish().default(false).register(envMeta, {
    description:
      'In production a browser may use a widget only from a site on its `allowedOrigins`: a widget with none answers browser calls (those with an `Origin` header) with `ORIGIN_NOT_ALLOWED`. `true` lets such widgets be used from any site, as in development. Calls without an `Origin` (mobile apps, servers) are not affected.',
  }),
};

/** The public address and secrets slice: `publicUrl`, `secret`, `authkey`, `allowAnyOrigin`. */
export const security = {
  title: 'Public address and secrets',
  env,
  read: (e: EnvOf<typeof env> & Pick<ServerEnv, 'NODE_ENV' | 'PORT'>) => ({
    /** Where the server is reached from outside, without a trailing slash; the JWT issuer. */
    publicUrl: (e.OTPKIT_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    /** Whether `publicUrl` came from `OTPKIT_PUBLIC_URL` (otherwise it follows the bound port). */
    publicUrlSet: e.OTPKIT_PUBLIC_URL !== undefined,
    /** Keys code hashes; `undefined` until the store supplies one in development. */
    secret: e.OTPKIT_SECRET,
    authkey: e.OTPKIT_AUTHKEY,
    /**
     * Whether browsers may use a widget that lists no `allowedOrigins`: always
     * outside production, and in production only with `OTPKIT_ALLOW_ANY_ORIGIN=true`.
     */
    allowAnyOrigin: e.NODE_ENV !== 'production' || e.OTPKIT_ALLOW_ANY_ORIGIN,
  }),
} satisfies ConfigSlice;
