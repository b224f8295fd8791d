/** The captchas: the built-in proof of work's cost, and where the third-party ones are verified and loaded from. */
import type { ThirdPartyCaptcha } from '@otpkit/protocol';
import { z } from 'zod';
import { type ConfigSlice, type EnvOf, envMeta } from './slice.ts';

const url = (fallback: string, description: string) =>
  z.url().default(fallback).register(envMeta, { description, allowed: 'URL' });

const env = {
  OTPKIT_POW_MAX_NUMBER: z.coerce
    .number()
    .int()
    .min(1000, 'must be 1000 to 100000000')
    .max(100_000_000, 'must be 1000 to 100000000')
    .default(1_000_000)
    .register(envMeta, {
      description:
        "The built-in proof-of-work captcha's base `maxnumber` (about half as many SHA-256 tries on average). A client network that keeps asking for challenges gets more: twice the base from its 11th challenge in an hour, doubling every 10 more, up to 32 times. Lower it only for tests: it is the captcha's whole cost.",
    }),
  OTPKIT_RECAPTCHA_VERIFY_URL: url(
    'https://www.google.com/recaptcha/api/siteverify',
    'reCAPTCHA siteverify endpoint.',
  ),
  OTPKIT_TURNSTILE_VERIFY_URL: url(
    'https://challenges.cloudflare.com/turnstile/v0/siteverify',
    'Turnstile siteverify endpoint.',
  ),
  OTPKIT_HCAPTCHA_VERIFY_URL: url(
    'https://api.hcaptcha.com/siteverify',
    'hCaptcha siteverify endpoint.',
  ),
  OTPKIT_RECAPTCHA_SCRIPT_URL: url(
    'https://www.google.com/recaptcha/api.js',
    'reCAPTCHA script the widget loads.',
  ),
  OTPKIT_TURNSTILE_SCRIPT_URL: url(
    'https://challenges.cloudflare.com/turnstile/v0/api.js',
    'Turnstile script the widget loads.',
  ),
  OTPKIT_HCAPTCHA_SCRIPT_URL: url(
    'https://js.hcaptcha.com/1/api.js',
    'hCaptcha script the widget loads.',
  ),
};

/** The captcha slice: `abuse.powMaxNumber` and the third-party captchas' URLs. */
export const captcha = {
  title: 'Captcha',
  env,
  read: (e: EnvOf<typeof env>) => ({
    abuse: {
      /** The proof-of-work captcha's base `maxnumber`. */
      powMaxNumber: e.OTPKIT_POW_MAX_NUMBER,
    },
    captcha: {
      verifyUrl: {
        'recaptcha-v3': e.OTPKIT_RECAPTCHA_VERIFY_URL,
        turnstile: e.OTPKIT_TURNSTILE_VERIFY_URL,
        hcaptcha: e.OTPKIT_HCAPTCHA_VERIFY_URL,
      } satisfies Record<ThirdPartyCaptcha, string>,
      scriptUrl: {
        'recaptcha-v3': e.OTPKIT_RECAPTCHA_SCRIPT_URL,
        turnstile: e.OTPKIT_TURNSTILE_SCRIPT_URL,
        hcaptcha: e.OTPKIT_HCAPTCHA_SCRIPT_URL,
      } satisfies Record<ThirdPartyCaptcha, string>,
    },
  }),
} satisfies ConfigSlice;
