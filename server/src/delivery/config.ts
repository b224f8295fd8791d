/**
 * The environment variables of the delivery gateways (MSG91, Telegram
 * Gateway, WhatsApp Cloud API, Vonage, Plivo, Infobip, AWS SMS, SES, Postmark): their schema, their
 * documentation, and the check that each comes as a complete set. Part of
 * `envSchema`, so `docs/configuration.md` lists them.
 */
import { z } from 'zod';
import type { ConfigProblem, EnvVarDoc } from '../platform/config-types.ts';

/** An SNS topic ARN, `arn:<partition>:sns:<region>:<account>:<name>`; group 1 is the region. */
export const SNS_TOPIC_ARN =
  /^arn:aws(?:-cn|-us-gov)?:sns:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

const snsTopicArn = z
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

/** The gateways' variables (spread into `envSchema`). */
export const GATEWAY_ENV = {
  OTPKIT_MSG91_AUTHKEY: z.string().min(8, 'must be at least 8 characters').optional(),
  OTPKIT_MSG91_SENDER: z
    .string()
    .regex(/^[A-Za-z0-9]{3,11}$/, 'must be a sender ID of 3 to 11 letters or digits, e.g. ACMEIN')
    .optional(),
  OTPKIT_MSG91_TEMPLATE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an MSG91 template (flow) id')
    .optional(),
  OTPKIT_MSG91_OTP_VARIABLE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'must be a variable name such as OTP or var1')
    .default('OTP'),
  OTPKIT_MSG91_BASE_URL: httpUrl('https://control.msg91.com'),
  OTPKIT_TELEGRAM_GATEWAY_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_TELEGRAM_GATEWAY_BASE_URL: httpUrl('https://gatewayapi.telegram.org'),
  OTPKIT_WHATSAPP_ACCESS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, 'must be the numeric phone number ID from the WhatsApp Manager')
    .optional(),
  OTPKIT_WHATSAPP_TEMPLATE: z
    .string()
    .regex(
      /^[a-z0-9_]{1,512}(:[A-Za-z_]{2,8})?$/,
      'must be an approved template name, optionally with its language: otp_code or otp_code:en_US',
    )
    .optional(),
  OTPKIT_WHATSAPP_APP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_WHATSAPP_VERIFY_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_WHATSAPP_BASE_URL: httpUrl('https://graph.facebook.com/v21.0'),
  OTPKIT_VONAGE_API_KEY: z.string().min(4).optional(),
  OTPKIT_VONAGE_API_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  OTPKIT_VONAGE_SIGNATURE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_VONAGE_FROM: z.string().min(1).max(15).optional(),
  OTPKIT_VONAGE_BASE_URL: httpUrl('https://rest.nexmo.com'),
  OTPKIT_PLIVO_AUTH_ID: z
    .string()
    .regex(/^[A-Z0-9]{10,40}$/, 'must be the Plivo auth ID (capital letters and digits)')
    .optional(),
  OTPKIT_PLIVO_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_PLIVO_FROM: z.string().min(1).max(20).optional(),
  OTPKIT_PLIVO_BASE_URL: httpUrl('https://api.plivo.com'),
  OTPKIT_INFOBIP_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_INFOBIP_FROM: z.string().min(1).max(15).optional(),
  OTPKIT_INFOBIP_BASE_URL: httpUrl('https://api.infobip.com'),
  OTPKIT_AWS_SMS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as ap-south-1')
    .optional(),
  OTPKIT_AWS_SMS_ORIGINATION: z.string().min(1).max(256).optional(),
  OTPKIT_AWS_SMS_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional(),
  OTPKIT_AWS_SMS_SNS_TOPIC_ARN: snsTopicArn,
  OTPKIT_SES_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .optional(),
  OTPKIT_SES_FROM: z.string().min(3).optional(),
  OTPKIT_SES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  OTPKIT_SES_SNS_TOPIC_ARN: snsTopicArn,
  OTPKIT_POSTMARK_SERVER_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTPKIT_POSTMARK_FROM: z.string().min(3).optional(),
  OTPKIT_POSTMARK_BASE_URL: httpUrl('https://api.postmarkapp.com'),
};

type GatewayEnv = z.output<z.ZodObject<typeof GATEWAY_ENV>>;

/** How the configuration reference describes each gateway variable. */
export const GATEWAY_ENV_DOCS: { readonly [K in keyof typeof GATEWAY_ENV]: EnvVarDoc } = {
  OTPKIT_MSG91_AUTHKEY: {
    description:
      "MSG91 Flow API (SMS, `POST /api/v5/flow`): the account authkey. Needs a template id (here or in each otpkit template's DLT template id). Delivery reports: `/api/hooks/msg91/<token>` (the URL is logged at start).",
    secret: true,
  },
  OTPKIT_MSG91_SENDER: {
    description: "MSG91 sender ID, when the otpkit template names none (else the flow's own).",
  },
  OTPKIT_MSG91_TEMPLATE_ID: {
    description:
      'MSG91 template (flow) id, when the otpkit template has no DLT template id of its own.',
  },
  OTPKIT_MSG91_OTP_VARIABLE: {
    description: 'The variable of the MSG91 template that carries the code.',
  },
  OTPKIT_MSG91_BASE_URL: {
    description: "MSG91's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  },
  OTPKIT_TELEGRAM_GATEWAY_TOKEN: {
    description:
      'Telegram Gateway (the `telegram` channel): the API token. otpkit checks the number can get the code (`checkSendAbility`), sends its own code (`sendVerificationMessage`), and checks the signature of delivery reports at `/api/hooks/telegram`.',
    secret: true,
  },
  OTPKIT_TELEGRAM_GATEWAY_BASE_URL: {
    description: "Telegram Gateway's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  },
  OTPKIT_WHATSAPP_ACCESS_TOKEN: {
    description:
      'Meta WhatsApp Cloud API (the `whatsapp` channel, provider `whatsapp-cloud`): a system-user access token. Needs the phone number ID and an authentication template.',
    secret: true,
  },
  OTPKIT_WHATSAPP_PHONE_NUMBER_ID: { description: 'The WhatsApp business phone number ID.' },
  OTPKIT_WHATSAPP_TEMPLATE: {
    description:
      'An approved authentication template with a copy-code (or one-tap) button, and its language (`otp_code:en_US`; default: the message language).',
    allowed: '`name` or `name:language`',
  },
  OTPKIT_WHATSAPP_APP_SECRET: {
    description:
      "The Meta app's secret: status webhooks at `/api/hooks/whatsapp-cloud` must carry a valid `X-Hub-Signature-256`.",
    secret: true,
  },
  OTPKIT_WHATSAPP_VERIFY_TOKEN: {
    description:
      'The verify token of the webhook subscription: `GET /api/hooks/whatsapp-cloud` answers the `hub.challenge` only when `hub.verify_token` matches.',
    secret: true,
  },
  OTPKIT_WHATSAPP_BASE_URL: {
    description: 'The Graph API base URL with its version (point it at a stand-in to test).',
    allowed: 'http(s) URL',
  },
  OTPKIT_VONAGE_API_KEY: {
    description:
      'Vonage SMS API (`POST /sms/json`). Needs the API secret, the signature secret and a sender. Delivery receipts: `/api/hooks/vonage`, signed (turn on signed webhooks for the account).',
  },
  OTPKIT_VONAGE_API_SECRET: { description: 'Vonage API secret.', secret: true },
  OTPKIT_VONAGE_SIGNATURE_SECRET: {
    description:
      'Vonage signature secret: delivery receipts must carry a valid `sig` (MD5 hash or HMAC-SHA256) and a recent `timestamp`.',
    secret: true,
  },
  OTPKIT_VONAGE_FROM: { description: 'Vonage sender (number or alphanumeric ID).' },
  OTPKIT_VONAGE_BASE_URL: {
    description: "Vonage's SMS API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  },
  OTPKIT_PLIVO_AUTH_ID: {
    description:
      'Plivo (SMS, and voice calls that speak the code through Plivo XML). Needs the auth token and a sender. Status callbacks: `/api/hooks/plivo`, signed (`X-Plivo-Signature-V3`).',
  },
  OTPKIT_PLIVO_AUTH_TOKEN: {
    description: 'Plivo auth token; also checks the signature of status callbacks.',
    secret: true,
  },
  OTPKIT_PLIVO_FROM: {
    description: 'Plivo sender: a number (voice and SMS) or a sender ID (SMS).',
  },
  OTPKIT_PLIVO_BASE_URL: {
    description: "Plivo's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  },
  OTPKIT_INFOBIP_API_KEY: {
    description:
      "Infobip SMS (`POST /sms/2/text/advanced`, `Authorization: App <key>`). Delivery reports: `/api/hooks/infobip/<token>`, passed as each message's `notifyUrl`.",
    secret: true,
  },
  OTPKIT_INFOBIP_FROM: { description: 'Infobip sender (number or alphanumeric ID).' },
  OTPKIT_INFOBIP_BASE_URL: {
    description: "Your Infobip account's API base URL (`https://xxxxx.api.infobip.com`).",
    allowed: 'http(s) URL',
  },
  OTPKIT_AWS_SMS_REGION: {
    description:
      'AWS End User Messaging SMS (`SendTextMessage`), with credentials from the AWS default chain (environment, shared files, instance or task role). Needs the origination identity. Delivery events: see `OTPKIT_AWS_SMS_SNS_TOPIC_ARN`.',
  },
  OTPKIT_AWS_SMS_ORIGINATION: {
    description: 'The origination identity: a phone number, sender ID, pool, or their ARN.',
  },
  OTPKIT_AWS_SMS_ENDPOINT: {
    description: 'Another endpoint for the SMS API (point it at a stand-in to test).',
    defaultText: "the region's",
    allowed: 'http(s) URL',
  },
  OTPKIT_AWS_SMS_SNS_TOPIC_ARN: {
    description:
      "The SNS topic of the configuration set's event destination for SMS events: subscribe it (HTTPS) to `/api/hooks/aws-sms/<token>` (the URL is logged at start). Only messages SNS signed for this topic are read (and its subscription confirmed); `TEXT_DELIVERED`/`TEXT_SUCCESSFUL` deliver a message, blocked, invalid, unreachable or expired texts fail it. Unset: no SMS delivery events.",
    allowed: 'an SNS topic ARN',
  },
  OTPKIT_SES_REGION: {
    description:
      'Amazon SES v2 email (`SendEmail`), with credentials from the AWS default chain. Needs `OTPKIT_SES_FROM`. Bounce and delivery events: see `OTPKIT_SES_SNS_TOPIC_ARN`.',
  },
  OTPKIT_SES_FROM: { description: 'A verified SES sender, e.g. `Acme <no-reply@acme.example>`.' },
  OTPKIT_SES_ENDPOINT: {
    description: 'Another endpoint for SES (point it at a stand-in to test).',
    defaultText: "the region's",
    allowed: 'http(s) URL',
  },
  OTPKIT_SES_SNS_TOPIC_ARN: {
    description:
      "The SNS topic that receives the SES configuration set's Delivery and Bounce events: subscribe it (HTTPS) to `/api/hooks/ses/<token>` (the URL is logged at start). Only messages SNS signed for this topic are read (and its subscription confirmed). Unset: no SES events.",
    allowed: 'an SNS topic ARN',
  },
  OTPKIT_POSTMARK_SERVER_TOKEN: {
    description:
      'Postmark email (`POST /email`, `X-Postmark-Server-Token`). Bounce and delivery webhooks: `/api/hooks/postmark/<token>` (the URL is logged at start).',
    secret: true,
  },
  OTPKIT_POSTMARK_FROM: {
    description: 'Postmark sender signature, e.g. `Acme <no-reply@acme.example>`.',
  },
  OTPKIT_POSTMARK_BASE_URL: {
    description: "Postmark's API base URL (point it at a stand-in to test).",
    allowed: 'http(s) URL',
  },
};

export interface Msg91Config {
  readonly authkey: string;
  readonly sender: string | undefined;
  readonly templateId: string | undefined;
  readonly otpVariable: string;
  readonly baseUrl: string;
}
export interface TelegramGatewayConfig {
  readonly token: string;
  readonly baseUrl: string;
}
export interface WhatsAppCloudConfig {
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly template: string;
  /** The template's language, when fixed (else the message's language). */
  readonly templateLanguage: string | undefined;
  readonly appSecret: string | undefined;
  readonly verifyToken: string | undefined;
  readonly baseUrl: string;
}
export interface VonageConfig {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly signatureSecret: string;
  readonly from: string;
  readonly baseUrl: string;
}
export interface PlivoConfig {
  readonly authId: string;
  readonly authToken: string;
  readonly from: string;
  readonly baseUrl: string;
}
export interface InfobipConfig {
  readonly apiKey: string;
  readonly from: string | undefined;
  readonly baseUrl: string;
}
export interface AwsSmsConfig {
  readonly region: string;
  readonly origination: string;
  readonly endpoint: string | undefined;
  /** The SNS topic whose signed messages carry the SMS events (unset: none are read). */
  readonly snsTopicArn: string | undefined;
}
export interface SesConfig {
  readonly region: string;
  readonly from: string;
  readonly endpoint: string | undefined;
  /** The SNS topic whose signed messages carry the SES events (unset: none are read). */
  readonly snsTopicArn: string | undefined;
}
export interface PostmarkConfig {
  readonly serverToken: string;
  readonly from: string;
  readonly baseUrl: string;
}

/** The gateways configured for the deployment. */
export interface GatewaysConfig {
  readonly msg91?: Msg91Config;
  readonly telegram?: TelegramGatewayConfig;
  readonly whatsappCloud?: WhatsAppCloudConfig;
  readonly vonage?: VonageConfig;
  readonly plivo?: PlivoConfig;
  readonly infobip?: InfobipConfig;
  readonly awsSms?: AwsSmsConfig;
  readonly ses?: SesConfig;
  readonly postmark?: PostmarkConfig;
}

/** Reads the gateways from the parsed environment; a half-configured one is a problem. */
export function gatewaysOf(e: GatewayEnv, problems: ConfigProblem[]): GatewaysConfig {
  const out: { -readonly [K in keyof GatewaysConfig]: GatewaysConfig[K] } = {};
  const need = (what: string, values: Record<string, unknown>): boolean => {
    const gaps = Object.entries(values).filter(([, v]) => v === undefined);
    for (const [variable] of gaps)
      problems.push({ variable, message: `required with the other ${what} settings` });
    return gaps.length === 0;
  };
  if (e.OTPKIT_MSG91_AUTHKEY || e.OTPKIT_MSG91_SENDER || e.OTPKIT_MSG91_TEMPLATE_ID) {
    if (need('MSG91', { OTPKIT_MSG91_AUTHKEY: e.OTPKIT_MSG91_AUTHKEY })) {
      out.msg91 = {
        authkey: e.OTPKIT_MSG91_AUTHKEY!,
        sender: e.OTPKIT_MSG91_SENDER,
        templateId: e.OTPKIT_MSG91_TEMPLATE_ID,
        otpVariable: e.OTPKIT_MSG91_OTP_VARIABLE,
        baseUrl: e.OTPKIT_MSG91_BASE_URL,
      };
    }
  }
  if (e.OTPKIT_TELEGRAM_GATEWAY_TOKEN) {
    out.telegram = {
      token: e.OTPKIT_TELEGRAM_GATEWAY_TOKEN,
      baseUrl: e.OTPKIT_TELEGRAM_GATEWAY_BASE_URL,
    };
  }
  const whatsapp = {
    OTPKIT_WHATSAPP_ACCESS_TOKEN: e.OTPKIT_WHATSAPP_ACCESS_TOKEN,
    OTPKIT_WHATSAPP_PHONE_NUMBER_ID: e.OTPKIT_WHATSAPP_PHONE_NUMBER_ID,
    OTPKIT_WHATSAPP_TEMPLATE: e.OTPKIT_WHATSAPP_TEMPLATE,
  };
  if (Object.values(whatsapp).some(Boolean) || e.OTPKIT_WHATSAPP_APP_SECRET) {
    if (need('WhatsApp', whatsapp)) {
      const [template, language] = e.OTPKIT_WHATSAPP_TEMPLATE!.split(':') as [string, string?];
      out.whatsappCloud = {
        accessToken: e.OTPKIT_WHATSAPP_ACCESS_TOKEN!,
        phoneNumberId: e.OTPKIT_WHATSAPP_PHONE_NUMBER_ID!,
        template,
        templateLanguage: language,
        appSecret: e.OTPKIT_WHATSAPP_APP_SECRET,
        verifyToken: e.OTPKIT_WHATSAPP_VERIFY_TOKEN,
        baseUrl: e.OTPKIT_WHATSAPP_BASE_URL,
      };
    }
  }
  const vonage = {
    OTPKIT_VONAGE_API_KEY: e.OTPKIT_VONAGE_API_KEY,
    OTPKIT_VONAGE_API_SECRET: e.OTPKIT_VONAGE_API_SECRET,
    OTPKIT_VONAGE_SIGNATURE_SECRET: e.OTPKIT_VONAGE_SIGNATURE_SECRET,
    OTPKIT_VONAGE_FROM: e.OTPKIT_VONAGE_FROM,
  };
  if (Object.values(vonage).some(Boolean) && need('Vonage', vonage)) {
    out.vonage = {
      apiKey: e.OTPKIT_VONAGE_API_KEY!,
      apiSecret: e.OTPKIT_VONAGE_API_SECRET!,
      signatureSecret: e.OTPKIT_VONAGE_SIGNATURE_SECRET!,
      from: e.OTPKIT_VONAGE_FROM!,
      baseUrl: e.OTPKIT_VONAGE_BASE_URL,
    };
  }
  const plivo = {
    OTPKIT_PLIVO_AUTH_ID: e.OTPKIT_PLIVO_AUTH_ID,
    OTPKIT_PLIVO_AUTH_TOKEN: e.OTPKIT_PLIVO_AUTH_TOKEN,
    OTPKIT_PLIVO_FROM: e.OTPKIT_PLIVO_FROM,
  };
  if (Object.values(plivo).some(Boolean) && need('Plivo', plivo)) {
    out.plivo = {
      authId: e.OTPKIT_PLIVO_AUTH_ID!,
      authToken: e.OTPKIT_PLIVO_AUTH_TOKEN!,
      from: e.OTPKIT_PLIVO_FROM!,
      baseUrl: e.OTPKIT_PLIVO_BASE_URL,
    };
  }
  if (e.OTPKIT_INFOBIP_API_KEY || e.OTPKIT_INFOBIP_FROM) {
    if (need('Infobip', { OTPKIT_INFOBIP_API_KEY: e.OTPKIT_INFOBIP_API_KEY })) {
      out.infobip = {
        apiKey: e.OTPKIT_INFOBIP_API_KEY!,
        from: e.OTPKIT_INFOBIP_FROM,
        baseUrl: e.OTPKIT_INFOBIP_BASE_URL,
      };
    }
  }
  const awsSms = {
    OTPKIT_AWS_SMS_REGION: e.OTPKIT_AWS_SMS_REGION,
    OTPKIT_AWS_SMS_ORIGINATION: e.OTPKIT_AWS_SMS_ORIGINATION,
  };
  if (Object.values(awsSms).some(Boolean) && need('AWS SMS', awsSms)) {
    out.awsSms = {
      region: e.OTPKIT_AWS_SMS_REGION!,
      origination: e.OTPKIT_AWS_SMS_ORIGINATION!,
      endpoint: e.OTPKIT_AWS_SMS_ENDPOINT,
      snsTopicArn: e.OTPKIT_AWS_SMS_SNS_TOPIC_ARN,
    };
  }
  if (e.OTPKIT_AWS_SMS_SNS_TOPIC_ARN && !Object.values(awsSms).some(Boolean)) {
    problems.push({
      variable: 'OTPKIT_AWS_SMS_SNS_TOPIC_ARN',
      message: 'set it with OTPKIT_AWS_SMS_REGION and OTPKIT_AWS_SMS_ORIGINATION',
    });
  }
  const ses = { OTPKIT_SES_REGION: e.OTPKIT_SES_REGION, OTPKIT_SES_FROM: e.OTPKIT_SES_FROM };
  if (Object.values(ses).some(Boolean) && need('SES', ses)) {
    out.ses = {
      region: e.OTPKIT_SES_REGION!,
      from: e.OTPKIT_SES_FROM!,
      endpoint: e.OTPKIT_SES_ENDPOINT,
      snsTopicArn: e.OTPKIT_SES_SNS_TOPIC_ARN,
    };
  }
  if (e.OTPKIT_SES_SNS_TOPIC_ARN && !Object.values(ses).some(Boolean)) {
    problems.push({
      variable: 'OTPKIT_SES_SNS_TOPIC_ARN',
      message: 'set it with OTPKIT_SES_REGION and OTPKIT_SES_FROM',
    });
  }
  const postmark = {
    OTPKIT_POSTMARK_SERVER_TOKEN: e.OTPKIT_POSTMARK_SERVER_TOKEN,
    OTPKIT_POSTMARK_FROM: e.OTPKIT_POSTMARK_FROM,
  };
  if (Object.values(postmark).some(Boolean) && need('Postmark', postmark)) {
    out.postmark = {
      serverToken: e.OTPKIT_POSTMARK_SERVER_TOKEN!,
      from: e.OTPKIT_POSTMARK_FROM!,
      baseUrl: e.OTPKIT_POSTMARK_BASE_URL,
    };
  }
  return out;
}
