/**
 * The built-in delivery providers: SMTP for email, Twilio for SMS, voice
 * and WhatsApp, and a signed webhook to a gateway of your own. (The other
 * gateways are in `gateways.ts`.)
 */
import { z } from 'zod';
import {
  type ConfigSlice,
  type EnvOf,
  envMeta,
  optional,
  providerParts,
  requireAll,
} from './slice.ts';
import type { ConfigProblem } from './types.ts';

const env = {
  OTPKIT_SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      error: 'must be smtp://user:pass@host:587 or smtps://user:pass@host:465',
    })
    .optional()
    .register(envMeta, {
      example: 'smtps://otpkit:password@smtp.example.com:465',
      description:
        'Email through SMTP (STARTTLS when offered on `smtp://`). Needs `OTPKIT_EMAIL_FROM`.',
      secret: true,
    }),
  OTPKIT_EMAIL_FROM: z.string().min(3).optional().register(envMeta, {
    example: 'Acme <no-reply@acme.example>',
    description: 'Sender of emails. Needs `OTPKIT_SMTP_URL`.',
  }),
  OTPKIT_TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits')
    .optional()
    .register(envMeta, {
      example: 'AC0123456789abcdef0123456789abcdef',
      description: 'Twilio account (SMS, voice, WhatsApp). Needs the auth token and a sender.',
    }),
  OTPKIT_TWILIO_AUTH_TOKEN: z.string().min(8).optional().register(envMeta, {
    description: 'Twilio auth token; also checks the signature of delivery reports.',
    secret: true,
  }),
  OTPKIT_TWILIO_FROM: z
    .string()
    .regex(
      /^(\+\d{6,15}|MG[0-9a-fA-F]{32})$|^([A-Z]{2}|\*)=\+\d{6,15}(,([A-Z]{2}|\*)=\+\d{6,15})*$/,
      'must be +15005550006, a messaging service SID (MG…), or per-country numbers like US=+15005550006,IN=+911234567890,*=+15005550006',
    )
    .optional()
    .register(envMeta, {
      example: 'US=+15005550006,*=+15005550006',
      description: 'Twilio sender: a number, a messaging service SID, or per-country numbers.',
    }),
  OTPKIT_TWILIO_WHATSAPP_FROM: z
    .string()
    .regex(/^\+\d{6,15}$/, 'must be a number like +14155238886')
    .optional()
    .register(envMeta, { example: '+14155238886', description: 'Twilio WhatsApp sender number.' }),
  OTPKIT_TWILIO_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .default('https://api.twilio.com')
    .register(envMeta, {
      description: "Twilio's API base URL (point it at a stand-in to test).",
      allowed: 'http(s) URL',
    }),
  OTPKIT_WEBHOOK_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .register(envMeta, {
      example: 'https://sms-gateway.example.com/send',
      description:
        'A signed JSON POST to your own gateway per message. Needs `OTPKIT_WEBHOOK_SECRET`.',
      allowed: 'http(s) URL',
    }),
  OTPKIT_WEBHOOK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description: 'Signs webhook requests and checks the signature of delivery reports.',
      secret: true,
      production: { strong: true, why: 'signs webhook requests' },
    }),
  OTPKIT_WEBHOOK_CHANNELS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.enum(['sms', 'whatsapp', 'voice', 'email'], {
            error: 'must list sms, whatsapp, voice or email',
          }),
        )
        .min(1),
    )
    .default(['sms'])
    .register(envMeta, {
      example: 'sms,voice',
      description: 'The channels the webhook provider carries, comma-separated.',
      allowed: 'comma-separated `sms`, `whatsapp`, `voice`, `email`',
    }),
};

type Env = EnvOf<typeof env>;

/** A Twilio sender list: `*` for the default, else per country. */
function twilioSenders(from: string | undefined): Record<string, string> {
  if (!from) return {};
  if (!from.includes('=')) return { '*': from };
  return Object.fromEntries(from.split(',').map((pair) => pair.split('=') as [string, string]));
}

function smtpOf(e: Env, problems: ConfigProblem[]) {
  if (!e.OTPKIT_SMTP_URL && !e.OTPKIT_EMAIL_FROM) return undefined;
  const set = { OTPKIT_SMTP_URL: e.OTPKIT_SMTP_URL, OTPKIT_EMAIL_FROM: e.OTPKIT_EMAIL_FROM };
  if (!requireAll('SMTP', set, problems)) return undefined;
  return { url: e.OTPKIT_SMTP_URL!, from: e.OTPKIT_EMAIL_FROM! };
}

function twilioOf(e: Env, problems: ConfigProblem[]) {
  const used =
    e.OTPKIT_TWILIO_ACCOUNT_SID ||
    e.OTPKIT_TWILIO_AUTH_TOKEN ||
    e.OTPKIT_TWILIO_FROM ||
    e.OTPKIT_TWILIO_WHATSAPP_FROM;
  if (!used) return undefined;
  const set = {
    OTPKIT_TWILIO_ACCOUNT_SID: e.OTPKIT_TWILIO_ACCOUNT_SID,
    OTPKIT_TWILIO_AUTH_TOKEN: e.OTPKIT_TWILIO_AUTH_TOKEN,
    // Either sender will do; without both, the SMS one is the one named.
    OTPKIT_TWILIO_FROM: e.OTPKIT_TWILIO_FROM ?? e.OTPKIT_TWILIO_WHATSAPP_FROM,
  };
  if (!requireAll('Twilio', set, problems)) return undefined;
  return {
    accountSid: e.OTPKIT_TWILIO_ACCOUNT_SID!,
    authToken: e.OTPKIT_TWILIO_AUTH_TOKEN!,
    /** Default sender, a messaging service SID, or per-country numbers (`*` for the rest). */
    from: twilioSenders(e.OTPKIT_TWILIO_FROM),
    ...optional('whatsappFrom', e.OTPKIT_TWILIO_WHATSAPP_FROM),
    baseUrl: e.OTPKIT_TWILIO_BASE_URL.replace(/\/+$/, ''),
  };
}

function webhookOf(e: Env, problems: ConfigProblem[]) {
  if (!e.OTPKIT_WEBHOOK_URL && !e.OTPKIT_WEBHOOK_SECRET) return undefined;
  const set = {
    OTPKIT_WEBHOOK_URL: e.OTPKIT_WEBHOOK_URL,
    OTPKIT_WEBHOOK_SECRET: e.OTPKIT_WEBHOOK_SECRET,
  };
  if (!requireAll('webhook', set, problems)) return undefined;
  return {
    url: e.OTPKIT_WEBHOOK_URL!,
    secret: e.OTPKIT_WEBHOOK_SECRET!,
    channels: e.OTPKIT_WEBHOOK_CHANNELS as readonly string[],
  };
}

/** The built-in providers' slice: `providers.smtp`, `.twilio` and `.webhook`. */
export const providers = {
  title: 'Delivery providers: SMTP, Twilio, webhook',
  intro:
    'These variables come as sets: setting one of a set requires the others (Twilio needs `OTPKIT_TWILIO_FROM` or `OTPKIT_TWILIO_WHATSAPP_FROM`).',
  env,
  /** Delivery providers configured for the deployment (with the gateways, from theirs). */
  read: providerParts({ smtp: smtpOf, twilio: twilioOf, webhook: webhookOf }),
} satisfies ConfigSlice;
