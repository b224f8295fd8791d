/**
 * Amazon's messaging services through the AWS SDK v3 (credentials from the
 * default chain: environment, shared files, instance or task role):
 *
 * - AWS End User Messaging SMS (`PinpointSMSVoiceV2` `SendTextMessage`) for
 *   SMS, from the configured origination identity (a number, sender ID,
 *   pool or their ARN). Its delivery events go to the configuration set's
 *   event destinations; otpkit reads those of an SNS destination, the topic
 *   subscribed over HTTPS to `/api/hooks/aws-sms/<token>` (see
 *   `readAwsSmsEvent`).
 * - Amazon SES v2 (`SendEmail`) for email. Bounce and delivery events come
 *   from an SNS topic subscribed over HTTPS to `/api/hooks/ses/<token>`
 *   (see `readSesEvent`).
 *
 * Both routes take only messages SNS signed for the configured topic
 * (`sns.ts`); the secret URL is an extra guard.
 *
 * The SDK's own retries are off: a passing failure goes to the next provider
 * at once, and the queue retries later. The SDK is loaded on the first send,
 * so a deployment without AWS never pays for loading it.
 */
import type { SendTextMessageCommandInput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import type { Channel } from '@otpkit/protocol';
import type { AwsSmsConfig, SesConfig } from '../../../platform/config/gateways.ts';
import {
  DeliveryError,
  type DeliveryProvider,
  type OutgoingMessage,
  transientStatus,
} from '../types.ts';
import { GATEWAY_TIMEOUT_MS } from './http.ts';

/** A lazily made value, made once. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

interface AwsError {
  name?: string;
  message?: string;
  Reason?: string;
  $metadata?: { httpStatusCode?: number };
  code?: string;
}

/** Whether an SDK error is a network failure or the service's passing trouble. */
function passing(e: AwsError): boolean {
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return true; // no answer: refused, reset or timed out
  return (
    transientStatus(status) ||
    /Throttl|TooManyRequests|LimitExceeded|InternalServ/.test(e.name ?? '')
  );
}

/** The client options both services take: no SDK retries (the queue and the next provider retry). */
function clientOptions(config: { region: string; endpoint?: string | undefined }) {
  return {
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    maxAttempts: 1,
  };
}

/** The part of an SDK client that a provider uses. */
interface SdkClient {
  send(command: object, options: { abortSignal: AbortSignal }): Promise<{ MessageId?: string }>;
  destroy(): void;
}

/**
 * What sets one AWS messaging service apart: which refusals are the
 * recipient's, its SDK module (loaded on the first send, so a deployment
 * without AWS never loads it), client and command, and the command's input
 * for a message.
 */
interface AwsService<C, Sdk, Input> {
  name: string;
  /** The service as error messages name it. */
  vendor: string;
  channels: readonly Channel[];
  /** The refusal's reason code to show, and whether the refusal is about the recipient. */
  refusal(e: AwsError): { reason?: string; recipient: boolean };
  sdk(): Promise<Sdk>;
  client(sdk: Sdk, options: ReturnType<typeof clientOptions>): SdkClient;
  command(sdk: Sdk, input: Input): object;
  input(config: C, message: OutgoingMessage): Input;
}

/**
 * A provider over an AWS SDK client: an SDK error is a {@link DeliveryError}
 * reading `<vendor> <error name> (<reason>): <message>`, permanent only when
 * it is about the recipient and not a passing failure.
 */
function awsProvider<C extends { region: string; endpoint?: string | undefined }, Sdk, Input>(
  service: AwsService<C, Sdk, Input>,
): (config: C) => DeliveryProvider & { close(): void } {
  return (config) => {
    let client: SdkClient | undefined;
    const connect = once(async () => {
      const sdk = await service.sdk();
      client = service.client(sdk, clientOptions(config));
      return { sdk, client };
    });
    return {
      name: service.name,
      channels: service.channels,
      async send(message) {
        const { sdk, client } = await connect();
        let id: string | undefined;
        try {
          const answer = await client.send(service.command(sdk, service.input(config, message)), {
            abortSignal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
          });
          id = answer.MessageId;
        } catch (error) {
          const e = error as AwsError;
          const { reason, recipient } = service.refusal(e);
          throw new DeliveryError(
            `${service.vendor} ${e.name ?? 'error'}${reason ? ` (${reason})` : ''}: ${e.message ?? ''}`,
            { permanent: !passing(e) && recipient },
          );
        }
        if (!id) throw new DeliveryError(`${service.vendor}: no MessageId`, { permanent: false });
        return { providerMessageId: id };
      },
      close: () => client?.destroy(),
    };
  };
}

/**
 * `SendTextMessage` refusals about the number (ValidationException and
 * ConflictException reasons of the API): opted out, blocked by a protect
 * configuration, or not verified for a sandbox account.
 */
const SMS_RECIPIENT_REASONS = /^DESTINATION_PHONE_NUMBER_|^DESTINATION_COUNTRY_BLOCKED/;

/** An AWS End User Messaging SMS provider. */
export const createAwsSmsProvider = awsProvider({
  name: 'aws-sms',
  vendor: 'AWS SMS',
  channels: ['sms'],
  refusal: (e) => ({ reason: e.Reason, recipient: SMS_RECIPIENT_REASONS.test(e.Reason ?? '') }),
  sdk: () => import('@aws-sdk/client-pinpoint-sms-voice-v2'),
  client: (sdk, options) => new sdk.PinpointSMSVoiceV2Client(options),
  command: (sdk, input: SendTextMessageCommandInput) => new sdk.SendTextMessageCommand(input),
  input: (config: AwsSmsConfig, message): SendTextMessageCommandInput => ({
    DestinationPhoneNumber: `+${message.to}`,
    OriginationIdentity: message.senderId ?? config.origination,
    MessageBody: message.text,
    MessageType: 'TRANSACTIONAL',
    Context: { otpkitMessageId: message.id },
    ...(message.dltTemplateId
      ? { DestinationCountryParameters: { IN_TEMPLATE_ID: message.dltTemplateId } }
      : {}),
  }),
});

/** An Amazon SES v2 email provider. */
export const createSesProvider = awsProvider({
  name: 'ses',
  vendor: 'SES',
  channels: ['email'],
  // A malformed or refused address is the recipient's; an unverified sender, a paused or
  // suspended account, throttling and outages are not.
  refusal: (e) => ({
    recipient:
      (e.name === 'BadRequestException' || e.name === 'MessageRejected') &&
      /address|recipient|destination/i.test(e.message ?? ''),
  }),
  sdk: () => import('@aws-sdk/client-sesv2'),
  client: (sdk, options) => new sdk.SESv2Client(options),
  command: (sdk, input: SendEmailCommandInput) => new sdk.SendEmailCommand(input),
  input: (config: SesConfig, message): SendEmailCommandInput => ({
    FromEmailAddress: config.from,
    Destination: { ToAddresses: [message.to] },
    Content: {
      Simple: {
        Subject: { Data: message.subject ?? '', Charset: 'UTF-8' },
        Body: {
          Text: { Data: message.text, Charset: 'UTF-8' },
          ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
        },
      },
    },
    EmailTags: [{ Name: 'otpkit_message', Value: message.id }],
  }),
});

/** A delivery outcome read from an event, or nothing to apply. */
export type AwsEventOutcome =
  | {
      kind: 'outcome';
      providerMessageId: string;
      status: 'delivered' | 'failed';
      /** A failure nothing but another channel or a later resend can help (an invalid number). */
      permanent?: boolean;
      error?: string;
    }
  | { kind: 'ignored' };

/**
 * The SES event (`Delivery`, `Bounce`, `Complaint`, `Reject`…) that a
 * verified SNS notification carries (its `Message`), as an outcome.
 * Throws a `TypeError` when it is not an SES event.
 */
export function readSesEvent(message: string): AwsEventOutcome {
  const event = JSON.parse(message) as {
    eventType?: string;
    notificationType?: string;
    mail?: { messageId?: string };
    bounce?: { bounceType?: string };
  };
  const type = event.eventType ?? event.notificationType;
  const id = event.mail?.messageId;
  if (!id) throw new TypeError('not an SES event');
  if (type === 'Delivery') return { kind: 'outcome', providerMessageId: id, status: 'delivered' };
  if (type === 'Bounce' || type === 'Reject' || type === 'Complaint') {
    const bounceType = event.bounce?.bounceType;
    return {
      kind: 'outcome',
      providerMessageId: id,
      status: 'failed',
      permanent: type !== 'Bounce' || bounceType === 'Permanent',
      error: `SES ${type}${bounceType ? ` (${bounceType})` : ''}`,
    };
  }
  return { kind: 'ignored' };
}

/**
 * End User Messaging SMS event types that end a message, and whether the
 * failures among them are permanent (the number or the text is refused:
 * another try cannot help) or transient (the phone or its carrier could not
 * be reached for now). From AWS's "Event types for SMS, MMS, and voice".
 * `TEXT_QUEUED`, `TEXT_PENDING` and `TEXT_SENT` are steps on the way.
 */
const SMS_EVENT_OUTCOMES: Record<string, { status: 'delivered' | 'failed'; permanent?: boolean }> =
  {
    TEXT_DELIVERED: { status: 'delivered' },
    TEXT_SUCCESSFUL: { status: 'delivered' },
    TEXT_INVALID: { status: 'failed', permanent: true },
    TEXT_INVALID_MESSAGE: { status: 'failed', permanent: true },
    TEXT_BLOCKED: { status: 'failed', permanent: true },
    TEXT_CARRIER_BLOCKED: { status: 'failed', permanent: true },
    TEXT_SPAM: { status: 'failed', permanent: true },
    TEXT_PROTECT_BLOCKED: { status: 'failed', permanent: true },
    TEXT_CARRIER_UNREACHABLE: { status: 'failed', permanent: false },
    TEXT_UNREACHABLE: { status: 'failed', permanent: false },
    TEXT_TTL_EXPIRED: { status: 'failed', permanent: false },
    TEXT_UNKNOWN: { status: 'failed', permanent: false },
  };

/**
 * The End User Messaging SMS event that a verified SNS notification carries
 * (its `Message`: `{eventType, isFinal, messageId, messageStatus,
 * messageStatusDescription, …}`, `messageId` being what `SendTextMessage`
 * answered), as an outcome. A failure that is not final yet (the service
 * still tries) is ignored. Throws a `TypeError` when it is not an SMS event.
 */
export function readAwsSmsEvent(message: string): AwsEventOutcome {
  const event = JSON.parse(message) as {
    eventType?: unknown;
    isFinal?: unknown;
    messageId?: unknown;
    messageStatus?: unknown;
    messageStatusDescription?: unknown;
  };
  if (typeof event?.eventType !== 'string' || typeof event.messageId !== 'string') {
    throw new TypeError('not an SMS event');
  }
  if (!event.eventType.startsWith('TEXT_')) return { kind: 'ignored' }; // voice, MMS
  const outcome = SMS_EVENT_OUTCOMES[event.eventType];
  if (!outcome) return { kind: 'ignored' };
  if (outcome.status === 'failed' && event.isFinal === false) return { kind: 'ignored' };
  if (outcome.status === 'delivered') {
    return { kind: 'outcome', providerMessageId: event.messageId, status: 'delivered' };
  }
  const description =
    typeof event.messageStatusDescription === 'string'
      ? `: ${event.messageStatusDescription.slice(0, 200)}`
      : '';
  return {
    kind: 'outcome',
    providerMessageId: event.messageId,
    status: 'failed',
    permanent: outcome.permanent === true,
    error: `AWS SMS ${event.eventType} (${outcome.permanent ? 'permanent' : 'transient'})${description}`,
  };
}
