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
  optional,
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

const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(fallback)
    .transform((v) => v.replace(/\/+$/, ''));

const env = {
  OTPKIT_MSG91_AUTHKEY: z
    .string()
    .min(8, 'must be at least 8 characters')
    .optional()
    .register(envMeta, {
      description:
        "MSG91 Flow API (SMS, `POST /api/v5/flow`): the account authkey. Needs a template id (here or in each otpkit template's DLT template id). Delivery reports: `/api/hooks/msg91/<token>` (the URL is logged at start).",
      secret: true,
    }),
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
  OTPKIT_MSG91_BASE_URL: httpUrl('https://control.msg91.com').register(envMeta, {
    description: "MSG91's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  }),
  OTPKIT_TELEGRAM_GATEWAY_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        'Telegram Gateway (the `telegram` channel): the API token. otpkit checks the number can get the code (`checkSendAbility`), sends its own code (`sendVerificationMessage`), and checks the signature of delivery reports at `/api/hooks/telegram`.',
      secret: true,
    }),
  OTPKIT_TELEGRAM_GATEWAY_BASE_URL: httpUrl('https://gatewayapi.telegram.org').register(envMeta, {
    description: "Telegram Gateway's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  }),
  OTPKIT_WHATSAPP_ACCESS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        'Meta WhatsApp Cloud API (the `whatsapp` channel, provider `whatsapp-cloud`): a system-user access token. Needs the phone number ID and an authentication template.',
      secret: true,
    }),
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
  OTPKIT_WHATSAPP_APP_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        "The Meta app's secret: status webhooks at `/api/hooks/whatsapp-cloud` must carry a valid `X-Hub-Signature-256`.",
      secret: true,
    }),
  OTPKIT_WHATSAPP_VERIFY_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        'The verify token of the webhook subscription: `GET /api/hooks/whatsapp-cloud` answers the `hub.challenge` only when `hub.verify_token` matches.',
      secret: true,
    }),
  OTPKIT_WHATSAPP_BASE_URL: httpUrl('https://graph.facebook.com/v21.0').register(envMeta, {
    description: 'The Graph API base URL with its version (point it at a stand-in to test).',
    allowed: 'http(s) URL',
  }),
  OTPKIT_VONAGE_API_KEY: z.string().min(4).optional().register(envMeta, {
    description:
      'Vonage SMS API (`POST /sms/json`). Needs the API secret, the signature secret and a sender. Delivery receipts: `/api/hooks/vonage`, signed (turn on signed webhooks for the account).',
  }),
  OTPKIT_VONAGE_API_SECRET: z
    .string()
    .min(8, 'must be at least 8 characters')
    .optional()
    .register(envMeta, { description: 'Vonage API secret.', secret: true }),
  OTPKIT_VONAGE_SIGNATURE_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        'Vonage signature secret: delivery receipts must carry a valid `sig` (MD5 hash or HMAC-SHA256) and a recent `timestamp`.',
      secret: true,
    }),
  OTPKIT_VONAGE_FROM: z.string().min(1).max(15).optional().register(envMeta, {
    example: 'Acme',
    description: 'Vonage sender (number or alphanumeric ID).',
  }),
  OTPKIT_VONAGE_BASE_URL: httpUrl('https://rest.nexmo.com').register(envMeta, {
    description: "Vonage's SMS API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  }),
  OTPKIT_PLIVO_AUTH_ID: z
    .string()
    .regex(/^[A-Z0-9]{10,40}$/, 'must be the Plivo auth ID (capital letters and digits)')
    .optional()
    .register(envMeta, {
      example: 'MAXXXXXXXXXXXXXXXXXX',
      description:
        'Plivo (SMS, and voice calls that speak the code through Plivo XML). Needs the auth token and a sender. Status callbacks: `/api/hooks/plivo`, signed (`X-Plivo-Signature-V3`).',
    }),
  OTPKIT_PLIVO_AUTH_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description: 'Plivo auth token; also checks the signature of status callbacks.',
      secret: true,
    }),
  OTPKIT_PLIVO_FROM: z.string().min(1).max(20).optional().register(envMeta, {
    example: '+14155550100',
    description: 'Plivo sender: a number (voice and SMS) or a sender ID (SMS).',
  }),
  OTPKIT_PLIVO_BASE_URL: httpUrl('https://api.plivo.com').register(envMeta, {
    description: "Plivo's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  }),
  OTPKIT_INFOBIP_API_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        "Infobip SMS (`POST /sms/2/text/advanced`, `Authorization: App <key>`). Delivery reports: `/api/hooks/infobip/<token>`, passed as each message's `notifyUrl`.",
      secret: true,
    }),
  OTPKIT_INFOBIP_FROM: z.string().min(1).max(15).optional().register(envMeta, {
    example: 'Acme',
    description: 'Infobip sender (number or alphanumeric ID).',
  }),
  OTPKIT_INFOBIP_BASE_URL: httpUrl('https://api.infobip.com').register(envMeta, {
    example: 'https://xxxxx.api.infobip.com',
    description: "Your Infobip account's API base URL.",
    allowed: 'http(s) URL',
  }),
  OTPKIT_AWS_SMS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as ap-south-1')
    .optional()
    .register(envMeta, {
      example: 'ap-south-1',
      description:
        'AWS End User Messaging SMS (`SendTextMessage`), with credentials from the AWS default chain (environment, shared files, instance or task role). Needs the origination identity. Delivery events: see `OTPKIT_AWS_SMS_SNS_TOPIC_ARN`.',
    }),
  OTPKIT_AWS_SMS_ORIGINATION: z.string().min(1).max(256).optional().register(envMeta, {
    example: '+15555550100',
    description: 'The origination identity: a phone number, sender ID, pool, or their ARN.',
  }),
  OTPKIT_AWS_SMS_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .register(envMeta, {
      description: 'Another endpoint for the SMS API (point it at a stand-in to test).',
      defaultText: "the region's",
      allowed: 'http(s) URL',
    }),
  OTPKIT_AWS_SMS_SNS_TOPIC_ARN: snsTopicArn().register(envMeta, {
    description:
      "The SNS topic of the configuration set's event destination for SMS events: subscribe it (HTTPS) to `/api/hooks/aws-sms/<token>` (the URL is logged at start). Only messages SNS signed for this topic are read (and its subscription confirmed); `TEXT_DELIVERED`/`TEXT_SUCCESSFUL` deliver a message, blocked, invalid, unreachable or expired texts fail it. Unset: no SMS delivery events.",
    allowed: 'an SNS topic ARN',
  }),
  OTPKIT_SES_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .optional()
    .register(envMeta, {
      example: 'eu-west-1',
      description:
        'Amazon SES v2 email (`SendEmail`), with credentials from the AWS default chain. Needs `OTPKIT_SES_FROM`. Bounce and delivery events: see `OTPKIT_SES_SNS_TOPIC_ARN`.',
    }),
  OTPKIT_SES_FROM: z.string().min(3).optional().register(envMeta, {
    example: 'Acme <no-reply@acme.example>',
    description: 'A verified SES sender.',
  }),
  OTPKIT_SES_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .register(envMeta, {
      description: 'Another endpoint for SES (point it at a stand-in to test).',
      defaultText: "the region's",
      allowed: 'http(s) URL',
    }),
  OTPKIT_SES_SNS_TOPIC_ARN: snsTopicArn().register(envMeta, {
    description:
      "The SNS topic that receives the SES configuration set's Delivery and Bounce events: subscribe it (HTTPS) to `/api/hooks/ses/<token>` (the URL is logged at start). Only messages SNS signed for this topic are read (and its subscription confirmed). Unset: no SES events.",
    allowed: 'an SNS topic ARN',
  }),
  OTPKIT_POSTMARK_SERVER_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .register(envMeta, {
      description:
        'Postmark email (`POST /email`, `X-Postmark-Server-Token`). Bounce and delivery webhooks: `/api/hooks/postmark/<token>` (the URL is logged at start).',
      secret: true,
    }),
  OTPKIT_POSTMARK_FROM: z.string().min(3).optional().register(envMeta, {
    example: 'Acme <no-reply@acme.example>',
    description: 'Postmark sender signature.',
  }),
  OTPKIT_POSTMARK_BASE_URL: httpUrl('https://api.postmarkapp.com').register(envMeta, {
    description: "Postmark's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  }),
};

type Env = EnvOf<typeof env>;

/** Whether any of the values is set: the gateway is meant to be used. */
const used = (...values: unknown[]) => values.some((v) => v !== undefined);

/**
 * Whether a gateway whose `names` all are required is on: none set is off;
 * some set requires the others (each missing one a problem).
 */
function configured(
  e: Env,
  vendor: string,
  names: readonly (keyof Env)[],
  problems: ConfigProblem[],
): boolean {
  const set = Object.fromEntries(names.map((name) => [name, e[name]]));
  return used(...Object.values(set)) && requireAll(vendor, set, problems);
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
  const names = [
    'OTPKIT_VONAGE_API_KEY',
    'OTPKIT_VONAGE_API_SECRET',
    'OTPKIT_VONAGE_SIGNATURE_SECRET',
    'OTPKIT_VONAGE_FROM',
  ] as const;
  if (!configured(e, 'Vonage', names, problems)) return;
  return {
    apiKey: e.OTPKIT_VONAGE_API_KEY!,
    apiSecret: e.OTPKIT_VONAGE_API_SECRET!,
    signatureSecret: e.OTPKIT_VONAGE_SIGNATURE_SECRET!,
    from: e.OTPKIT_VONAGE_FROM!,
    baseUrl: e.OTPKIT_VONAGE_BASE_URL,
  };
}

function plivoOf(e: Env, problems: ConfigProblem[]) {
  const names = ['OTPKIT_PLIVO_AUTH_ID', 'OTPKIT_PLIVO_AUTH_TOKEN', 'OTPKIT_PLIVO_FROM'] as const;
  if (!configured(e, 'Plivo', names, problems)) return;
  return {
    authId: e.OTPKIT_PLIVO_AUTH_ID!,
    authToken: e.OTPKIT_PLIVO_AUTH_TOKEN!,
    from: e.OTPKIT_PLIVO_FROM!,
    baseUrl: e.OTPKIT_PLIVO_BASE_URL,
  };
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

function awsSmsOf(e: Env, problems: ConfigProblem[]) {
  const names = ['OTPKIT_AWS_SMS_REGION', 'OTPKIT_AWS_SMS_ORIGINATION'] as const;
  topicAlone(e, 'OTPKIT_AWS_SMS_SNS_TOPIC_ARN', names, problems);
  if (!configured(e, 'AWS SMS', names, problems)) return;
  return {
    region: e.OTPKIT_AWS_SMS_REGION!,
    origination: e.OTPKIT_AWS_SMS_ORIGINATION!,
    endpoint: e.OTPKIT_AWS_SMS_ENDPOINT,
    /** The SNS topic whose signed messages carry the SMS events (unset: none are read). */
    snsTopicArn: e.OTPKIT_AWS_SMS_SNS_TOPIC_ARN,
  };
}

function sesOf(e: Env, problems: ConfigProblem[]) {
  const names = ['OTPKIT_SES_REGION', 'OTPKIT_SES_FROM'] as const;
  topicAlone(e, 'OTPKIT_SES_SNS_TOPIC_ARN', names, problems);
  if (!configured(e, 'SES', names, problems)) return;
  return {
    region: e.OTPKIT_SES_REGION!,
    from: e.OTPKIT_SES_FROM!,
    endpoint: e.OTPKIT_SES_ENDPOINT,
    /** The SNS topic whose signed messages carry the SES events (unset: none are read). */
    snsTopicArn: e.OTPKIT_SES_SNS_TOPIC_ARN,
  };
}

function postmarkOf(e: Env, problems: ConfigProblem[]) {
  const names = ['OTPKIT_POSTMARK_SERVER_TOKEN', 'OTPKIT_POSTMARK_FROM'] as const;
  if (!configured(e, 'Postmark', names, problems)) return;
  return {
    serverToken: e.OTPKIT_POSTMARK_SERVER_TOKEN!,
    from: e.OTPKIT_POSTMARK_FROM!,
    baseUrl: e.OTPKIT_POSTMARK_BASE_URL,
  };
}

/** The gateways' slice: their parts of `providers`. */
export const gateways = {
  title: 'Delivery gateways',
  intro:
    "Each gateway is used once its variables are set; setting some of a gateway's variables but not the ones it needs stops the start.",
  env,
  read: (e: Env, problems: ConfigProblem[]) => ({
    providers: {
      ...optional('msg91', msg91Of(e, problems)),
      ...optional('telegram', telegramOf(e)),
      ...optional('whatsappCloud', whatsappCloudOf(e, problems)),
      ...optional('vonage', vonageOf(e, problems)),
      ...optional('plivo', plivoOf(e, problems)),
      ...optional('infobip', infobipOf(e, problems)),
      ...optional('awsSms', awsSmsOf(e, problems)),
      ...optional('ses', sesOf(e, problems)),
      ...optional('postmark', postmarkOf(e, problems)),
    },
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
