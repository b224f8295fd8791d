/**
 * The delivery gateways (MSG91, Telegram Gateway, WhatsApp Cloud API,
 * Vonage, Plivo, Infobip, AWS SMS, SES, Postmark): their variables, and
 * how each becomes a part of `Config.providers` when its set is complete.
 */
import { z } from 'zod';
import {
  type ConfigSlice,
  type EnvOf,
  envMeta,
  type Frozen,
  providerParts,
  requireAll,
} from './slice.ts';
import type { ConfigProblem } from './types.ts';

/** An SNS topic ARN, `arn:<partition>:sns:<region>:<account>:<name>`; group 1 is the region. */
export const SNS_TOPIC_ARN =
  /^arn:aws(?:-cn|-us-gov)?:sns:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

const snsTopicArn = () =>
  z
    .string()
    .regex(
      SNS_TOPIC_ARN,
      'must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:otpkit',
    )
    .optional();

/** An AWS region, with an example of one where the gateway is often used. */
const awsRegion = (example: string, description: string) =>
  z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, `must be an AWS region such as ${example}`)
    .optional()
    .register(envMeta, { example, description });

/** Another endpoint for an AWS API than the region's. */
const awsEndpoint = (description: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .register(envMeta, { description, defaultText: "the region's", allowed: 'http(s) URL' });

/** A credential of at least `min` characters (masked by `otpkit config check`). */
const credential = (description: string, min = 16) =>
  z
    .string()
    .min(min, `must be at least ${min} characters`)
    .optional()
    .register(envMeta, { description, secret: true });

/** A sender: a number or an alphanumeric ID of at most `max` characters. */
const sender = (max: number, example: string, description: string) =>
  z.string().min(1).max(max).optional().register(envMeta, { example, description });

const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(fallback)
    .transform((v) => v.replace(/\/+$/, ''));

/** A gateway's API base URL (a stand-in's, to test). */
const gatewayUrl = (fallback: string, description: string, example?: string) =>
  httpUrl(fallback).register(envMeta, {
    ...(example ? { example } : {}),
    description,
    allowed: 'http(s) URL',
  });

const env = {
  OTPKIT_MSG91_AUTHKEY: credential(
    "MSG91 Flow API (SMS, `POST /api/v5/flow`): the account authkey. Needs a template id (here or in each otpkit template's DLT template id). Delivery reports: `/api/hooks/msg91/<token>` (the URL is logged at start).",
    8,
  ),
  OTPKIT_MSG91_SENDER: z
    .string()
    .regex(/^[A-Za-z0-9]{3,11}$/, 'must be a sender ID of 3 to 11 letters or digits, e.g. ACMEIN')
    .optional()
    .register(envMeta, {
      example: 'ACMEIN',
      description: "MSG91 sender ID, when the otpkit template names none (else the flow's own).",
    }),
  OTPKIT_MSG91_TEMPLATE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an MSG91 template (flow) id')
    .optional()
    .register(envMeta, {
      example: '65f0c0ffee0123456789abcd',
      description:
        'MSG91 template (flow) id, when the otpkit template has no DLT template id of its own.',
    }),
  OTPKIT_MSG91_OTP_VARIABLE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'must be a variable name such as OTP or var1')
    .default('OTP')
    .register(envMeta, {
      description: 'The variable of the MSG91 template that carries the code.',
    }),
  OTPKIT_MSG91_BASE_URL: gatewayUrl(
    'https://control.msg91.com',
    "MSG91's API base URL (point it at a stand-in to test).",
  ),
  OTPKIT_TELEGRAM_GATEWAY_TOKEN: credential(
    'Telegram Gateway (the `telegram` channel): the API token. otpkit checks the number can get the code (`checkSendAbility`), sends its own code (`sendVerificationMessage`), and checks the signature of delivery reports at `/api/hooks/telegram`.',
  ),
  OTPKIT_TELEGRAM_GATEWAY_BASE_URL: gatewayUrl(
    'https://gatewayapi.telegram.org',
    "Telegram Gateway's API base URL (point it at a stand-in to test).",
  ),
  OTPKIT_WHATSAPP_ACCESS_TOKEN: credential(
    'Meta WhatsApp Cloud API (the `whatsapp` channel, provider `whatsapp-cloud`): a system-user access token. Needs the phone number ID and an authentication template.',
  ),
  OTPKIT_WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, 'must be the numeric phone number ID from the WhatsApp Manager')
    .optional()
    .register(envMeta, {
      example: '106540352242922',
      description: 'The WhatsApp business phone number ID.',
    }),
  OTPKIT_WHATSAPP_TEMPLATE: z
    .string()
    .regex(
      /^[a-z0-9_]{1,512}(:[A-Za-z_]{2,8})?$/,
      'must be an approved template name, optionally with its language: otp_code or otp_code:en_US',
    )
    .optional()
    .register(envMeta, {
      example: 'otp_code:en_US',
      description:
        'An approved authentication template with a copy-code (or one-tap) button, and its language (default: the message language).',
      allowed: '`name` or `name:language`',
    }),
  OTPKIT_WHATSAPP_APP_SECRET: credential(
    "The Meta app's secret: status webhooks at `/api/hooks/whatsapp-cloud` must carry a valid `X-Hub-Signature-256`.",
  ),
  OTPKIT_WHATSAPP_VERIFY_TOKEN: credential(
    'The verify token of the webhook subscription: `GET /api/hooks/whatsapp-cloud` answers the `hub.challenge` only when `hub.verify_token` matches.',
  ),
  OTPKIT_WHATSAPP_BASE_URL: gatewayUrl(
    'https://graph.facebook.com/v21.0',
    'The Graph API base URL with its version (point it at a stand-in to test).',
  ),
  OTPKIT_VONAGE_API_KEY: z.string().min(4).optional().register(envMeta, {
    description:
      'Vonage SMS API (`POST /sms/json`). Needs the API secret, the signature secret and a sender. Delivery receipts: `/api/hooks/vonage`, signed (turn on signed webhooks for the account).',
  }),
  OTPKIT_VONAGE_API_SECRET: credential('Vonage API secret.', 8),
  OTPKIT_VONAGE_SIGNATURE_SECRET: credential(
    'Vonage signature secret: delivery receipts must carry a valid `sig` (MD5 hash or HMAC-SHA256) and a recent `timestamp`.',
  ),
  OTPKIT_VONAGE_FROM: sender(15, 'Acme', 'Vonage sender (number or alphanumeric ID).'),
  OTPKIT_VONAGE_BASE_URL: gatewayUrl(
    'https://rest.nexmo.com',
    "Vonage's SMS API base URL (point it at a stand-in to test).",
  ),
  OTPKIT_PLIVO_AUTH_ID: z
    .string()
    .regex(/^[A-Z0-9]{10,40}$/, 'must be the Plivo auth ID (capital letters and digits)')
    .optional()
    .register(envMeta, {
      example: 'MAXXXXXXXXXXXXXXXXXX',
      description:
        'Plivo (SMS, and voice calls that speak the code through Plivo XML). Needs the auth token and a sender. Status callbacks: `/api/hooks/plivo`, signed (`X-Plivo-Signature-V3`).',
    }),
  OTPKIT_PLIVO_AUTH_TOKEN: credential(
    'Plivo auth token; also checks the signature of status callbacks.',
  ),
  OTPKIT_PLIVO_FROM: sender(
    20,
    '+14155550100',
    'Plivo sender: a number (voice and SMS) or a sender ID (SMS).',
  ),
  OTPKIT_PLIVO_BASE_URL: gatewayUrl(
    'https://api.plivo.com',
    "Plivo's API base URL (point it at a stand-in to test).",
  ),
  OTPKIT_INFOBIP_API_KEY: credential(
    "Infobip SMS (`POST /sms/2/text/advanced`, `Authorization: App <key>`). Delivery reports: `/api/hooks/infobip/<token>`, passed as each message's `notifyUrl`.",
  ),
  OTPKIT_INFOBIP_FROM: sender(15, 'Acme', 'Infobip sender (number or alphanumeric ID).'),
  OTPKIT_INFOBIP_BASE_URL: gatewayUrl(
    'https://api.infobip.com',
    "Your Infobip account's API base URL.",
    'https://xxxxx.api.infobip.com',
  ),
  OTPKIT_AWS_SMS_REGION: awsRegion(
    'ap-south-1',
    'AWS End User Messaging SMS (`SendTextMessage`), with credentials from the AWS default chain (environment, shared files, instance or task role). Needs the origination identity. Delivery events: see `OTPKIT_AWS_SMS_SNS_TOPIC_ARN`.',
  ),
  OTPKIT_AWS_SMS_ORIGINATION: z.string().min(1).max(256).optional().register(envMeta, {
    example: '+15555550100',
    description: 'The origination identity: a phone number, sender ID, pool, or their ARN.',
  }),
  OTPKIT_AWS_SMS_ENDPOINT: awsEndpoint(
    'Another endpoint for the SMS API (point it at a stand-in to test).',
  ),
  OTPKIT_AWS_SMS_SNS_TOPIC_ARN: snsTopicArn().register(envMeta, {
    description:
      "The SNS topic of the configuration set's event destination for SMS events: subscribe it (HTTPS) to `/api/hooks/aws-sms/<token>` (the URL is logged at start). Only messages SNS signed for this topic are read (and its subscription confirmed); `TEXT_DELIVERED`/`TEXT_SUCCESSFUL` deliver a message, blocked, invalid, unreachable or expired texts fail it. Unset: no SMS delivery events.",
    allowed: 'an SNS topic ARN',
  }),
  OTPKIT_SES_REGION: awsRegion(
    'eu-west-1',
    'Amazon SES v2 email (`SendEmail`), with credentials from the AWS default chain. Needs `OTPKIT_SES_FROM`. Bounce and delivery events: see `OTPKIT_SES_SNS_TOPIC_ARN`.',
  ),
  OTPKIT_SES_FROM: z.string().min(3).optional().register(envMeta, {
    example: 'Acme <no-reply@acme.example>',
    description: 'A verified SES sender.',
  }),
  OTPKIT_SES_ENDPOINT: awsEndpoint('Another endpoint for SES (point it at a stand-in to test).'),
  OTPKIT_SES_SNS_TOPIC_ARN: snsTopicArn().register(envMeta, {
    description:
      "The SNS topic that receives the SES configuration set's Delivery and Bounce events: subscribe it (HTTPS) to `/api/hooks/ses/<token>` (the URL is logged at start). Only messages SNS signed for this topic are read (and its subscription confirmed). Unset: no SES events.",
    allowed: 'an SNS topic ARN',
  }),
  OTPKIT_POSTMARK_SERVER_TOKEN: credential(
    'Postmark email (`POST /email`, `X-Postmark-Server-Token`). Bounce and delivery webhooks: `/api/hooks/postmark/<token>` (the URL is logged at start).',
  ),
  OTPKIT_POSTMARK_FROM: z.string().min(3).optional().register(envMeta, {
    example: 'Acme <no-reply@acme.example>',
    description: 'Postmark sender signature.',
  }),
  OTPKIT_POSTMARK_BASE_URL: gatewayUrl(
    'https://api.postmarkapp.com',
    "Postmark's API base URL (point it at a stand-in to test).",
  ),
};

type Env = EnvOf<typeof env>;

/** Whether any of the values is set: the gateway is meant to be used. */
const used = (...values: unknown[]) => values.some((v) => v !== undefined);

/**
 * The values of a gateway whose variables (`fields`: its config key → the
 * variable) all are required: none set is off (`undefined`); some set
 * requires the others (each missing one a problem).
 */
function requiredSet<F extends Record<string, keyof Env>>(
  e: Env,
  vendor: string,
  problems: ConfigProblem[],
  fields: F,
): { [K in keyof F]: NonNullable<Env[F[K]]> } | undefined {
  const set = Object.fromEntries(Object.values(fields).map((name) => [name, e[name]]));
  if (!used(...Object.values(set)) || !requireAll(vendor, set, problems)) return undefined;
  return Object.fromEntries(Object.entries(fields).map(([key, name]) => [key, e[name]])) as {
    [K in keyof F]: NonNullable<Env[F[K]]>;
  };
}

/** An AWS gateway's SNS topic set without the gateway (`names`) is a problem: nothing would read it. */
function topicAlone(
  e: Env,
  topic: keyof Env,
  names: readonly (keyof Env)[],
  problems: ConfigProblem[],
): void {
  if (e[topic] && !used(...names.map((name) => e[name]))) {
    problems.push({ variable: topic, message: `set it with ${names.join(' and ')}` });
  }
}

function msg91Of(e: Env, problems: ConfigProblem[]) {
  if (!used(e.OTPKIT_MSG91_AUTHKEY, e.OTPKIT_MSG91_SENDER, e.OTPKIT_MSG91_TEMPLATE_ID)) return;
  if (!requireAll('MSG91', { OTPKIT_MSG91_AUTHKEY: e.OTPKIT_MSG91_AUTHKEY }, problems)) return;
  return {
    authkey: e.OTPKIT_MSG91_AUTHKEY!,
    sender: e.OTPKIT_MSG91_SENDER,
    templateId: e.OTPKIT_MSG91_TEMPLATE_ID,
    otpVariable: e.OTPKIT_MSG91_OTP_VARIABLE,
    baseUrl: e.OTPKIT_MSG91_BASE_URL,
  };
}

function telegramOf(e: Env) {
  if (!e.OTPKIT_TELEGRAM_GATEWAY_TOKEN) return;
  return { token: e.OTPKIT_TELEGRAM_GATEWAY_TOKEN, baseUrl: e.OTPKIT_TELEGRAM_GATEWAY_BASE_URL };
}

function whatsappCloudOf(e: Env, problems: ConfigProblem[]) {
  const set = {
    OTPKIT_WHATSAPP_ACCESS_TOKEN: e.OTPKIT_WHATSAPP_ACCESS_TOKEN,
    OTPKIT_WHATSAPP_PHONE_NUMBER_ID: e.OTPKIT_WHATSAPP_PHONE_NUMBER_ID,
    OTPKIT_WHATSAPP_TEMPLATE: e.OTPKIT_WHATSAPP_TEMPLATE,
  };
  if (!used(...Object.values(set), e.OTPKIT_WHATSAPP_APP_SECRET)) return;
  if (!requireAll('WhatsApp', set, problems)) return;
  const [template, language] = e.OTPKIT_WHATSAPP_TEMPLATE!.split(':') as [string, string?];
  return {
    accessToken: e.OTPKIT_WHATSAPP_ACCESS_TOKEN!,
    phoneNumberId: e.OTPKIT_WHATSAPP_PHONE_NUMBER_ID!,
    template,
    /** The template's language, when fixed (else the message's language). */
    templateLanguage: language,
    appSecret: e.OTPKIT_WHATSAPP_APP_SECRET,
    verifyToken: e.OTPKIT_WHATSAPP_VERIFY_TOKEN,
    baseUrl: e.OTPKIT_WHATSAPP_BASE_URL,
  };
}

function vonageOf(e: Env, problems: ConfigProblem[]) {
  const set = requiredSet(e, 'Vonage', problems, {
    apiKey: 'OTPKIT_VONAGE_API_KEY',
    apiSecret: 'OTPKIT_VONAGE_API_SECRET',
    signatureSecret: 'OTPKIT_VONAGE_SIGNATURE_SECRET',
    from: 'OTPKIT_VONAGE_FROM',
  });
  return set && { ...set, baseUrl: e.OTPKIT_VONAGE_BASE_URL };
}

function plivoOf(e: Env, problems: ConfigProblem[]) {
  const set = requiredSet(e, 'Plivo', problems, {
    authId: 'OTPKIT_PLIVO_AUTH_ID',
    authToken: 'OTPKIT_PLIVO_AUTH_TOKEN',
    from: 'OTPKIT_PLIVO_FROM',
  });
  return set && { ...set, baseUrl: e.OTPKIT_PLIVO_BASE_URL };
}

function infobipOf(e: Env, problems: ConfigProblem[]) {
  if (!used(e.OTPKIT_INFOBIP_API_KEY, e.OTPKIT_INFOBIP_FROM)) return;
  if (!requireAll('Infobip', { OTPKIT_INFOBIP_API_KEY: e.OTPKIT_INFOBIP_API_KEY }, problems))
    return;
  return {
    apiKey: e.OTPKIT_INFOBIP_API_KEY!,
    from: e.OTPKIT_INFOBIP_FROM,
    baseUrl: e.OTPKIT_INFOBIP_BASE_URL,
  };
}

/**
 * An AWS gateway: its required variables (`fields`), then the endpoint and
 * the SNS topic whose signed messages carry its events (unset: none are
 * read), named after its `prefix`.
 */
function awsGatewayOf<F extends Record<string, keyof Env>>(
  e: Env,
  problems: ConfigProblem[],
  vendor: string,
  prefix: 'OTPKIT_AWS_SMS' | 'OTPKIT_SES',
  fields: F,
) {
  const topic = `${prefix}_SNS_TOPIC_ARN` as const;
  topicAlone(e, topic, Object.values(fields), problems);
  const set = requiredSet(e, vendor, problems, fields);
  return set && { ...set, endpoint: e[`${prefix}_ENDPOINT`], snsTopicArn: e[topic] };
}

const awsSmsOf = (e: Env, problems: ConfigProblem[]) =>
  awsGatewayOf(e, problems, 'AWS SMS', 'OTPKIT_AWS_SMS', {
    region: 'OTPKIT_AWS_SMS_REGION',
    origination: 'OTPKIT_AWS_SMS_ORIGINATION',
  });

const sesOf = (e: Env, problems: ConfigProblem[]) =>
  awsGatewayOf(e, problems, 'SES', 'OTPKIT_SES', {
    region: 'OTPKIT_SES_REGION',
    from: 'OTPKIT_SES_FROM',
  });

function postmarkOf(e: Env, problems: ConfigProblem[]) {
  const set = requiredSet(e, 'Postmark', problems, {
    serverToken: 'OTPKIT_POSTMARK_SERVER_TOKEN',
    from: 'OTPKIT_POSTMARK_FROM',
  });
  return set && { ...set, baseUrl: e.OTPKIT_POSTMARK_BASE_URL };
}

/** The gateways' slice: their parts of `providers`. */
export const gateways = {
  title: 'Delivery gateways',
  intro:
    "Each gateway is used once its variables are set; setting some of a gateway's variables but not the ones it needs stops the start.",
  env,
  read: providerParts({
    msg91: msg91Of,
    telegram: telegramOf,
    whatsappCloud: whatsappCloudOf,
    vonage: vonageOf,
    plivo: plivoOf,
    infobip: infobipOf,
    awsSms: awsSmsOf,
    ses: sesOf,
    postmark: postmarkOf,
  }),
} satisfies ConfigSlice;

/** The gateways configured for the deployment, each there only when its set is complete. */
export type GatewaysConfig = Frozen<ReturnType<typeof gateways.read>['providers']>;
export type Msg91Config = NonNullable<GatewaysConfig['msg91']>;
export type TelegramGatewayConfig = NonNullable<GatewaysConfig['telegram']>;
export type WhatsAppCloudConfig = NonNullable<GatewaysConfig['whatsappCloud']>;
export type VonageConfig = NonNullable<GatewaysConfig['vonage']>;
export type PlivoConfig = NonNullable<GatewaysConfig['plivo']>;
export type InfobipConfig = NonNullable<GatewaysConfig['infobip']>;
export type AwsSmsConfig = NonNullable<GatewaysConfig['awsSms']>;
export type SesConfig = NonNullable<GatewaysConfig['ses']>;
export type PostmarkConfig = NonNullable<GatewaysConfig['postmark']>;
