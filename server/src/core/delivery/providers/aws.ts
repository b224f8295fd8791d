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
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AwsSmsConfig, SesConfig } from '../../../platform/config/gateways.ts';
import { DeliveryError, type DeliveryProvider, transientStatus } from '../types.ts';

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

/**
 * `SendTextMessage` refusals about the number (ValidationException and
 * ConflictException reasons of the API): opted out, blocked by a protect
 * configuration, or not verified for a sandbox account.
 */
const SMS_RECIPIENT_REASONS = /^DESTINATION_PHONE_NUMBER_|^DESTINATION_COUNTRY_BLOCKED/;

/** An AWS End User Messaging SMS provider. */
export function createAwsSmsProvider(config: AwsSmsConfig): DeliveryProvider & { close(): void } {
  let client: PinpointSMSVoiceV2Client | undefined;
  const sdk = once(async () => {
    const mod = await import('@aws-sdk/client-pinpoint-sms-voice-v2');
    client = new mod.PinpointSMSVoiceV2Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      maxAttempts: 1,
    });
    return { client, SendTextMessageCommand: mod.SendTextMessageCommand };
  });
  return {
    name: 'aws-sms',
    channels: ['sms'],
    async send(message) {
      const { client, SendTextMessageCommand } = await sdk();
      try {
        const answer = await client.send(
          new SendTextMessageCommand({
            DestinationPhoneNumber: `+${message.to}`,
            OriginationIdentity: message.senderId ?? config.origination,
            MessageBody: message.text,
            MessageType: 'TRANSACTIONAL',
            Context: { otpkitMessageId: message.id },
            ...(message.dltTemplateId
              ? { DestinationCountryParameters: { IN_TEMPLATE_ID: message.dltTemplateId } }
              : {}),
          }),
          { abortSignal: AbortSignal.timeout(15_000) },
        );
        if (!answer.MessageId)
          throw new DeliveryError('AWS SMS: no MessageId', { permanent: false });
        return { providerMessageId: answer.MessageId };
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        const e = error as AwsError;
        throw new DeliveryError(
          `AWS SMS ${e.name ?? 'error'}${e.Reason ? ` (${e.Reason})` : ''}: ${e.message ?? ''}`,
          { permanent: !passing(e) && SMS_RECIPIENT_REASONS.test(e.Reason ?? '') },
        );
      }
    },
    close: () => client?.destroy(),
  };
}

/** An Amazon SES v2 email provider. */
export function createSesProvider(config: SesConfig): DeliveryProvider & { close(): void } {
  let client: SESv2Client | undefined;
  const sdk = once(async () => {
    const mod = await import('@aws-sdk/client-sesv2');
    client = new mod.SESv2Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      maxAttempts: 1,
    });
    return { client, SendEmailCommand: mod.SendEmailCommand };
  });
  return {
    name: 'ses',
    channels: ['email'],
    async send(message) {
      const { client, SendEmailCommand } = await sdk();
      try {
        const answer = await client.send(
          new SendEmailCommand({
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
          { abortSignal: AbortSignal.timeout(15_000) },
        );
        if (!answer.MessageId) throw new DeliveryError('SES: no MessageId', { permanent: false });
        return { providerMessageId: answer.MessageId };
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        const e = error as AwsError;
        // A malformed or refused address is the recipient's; an unverified sender, a paused or
        // suspended account, throttling and outages are not.
        const permanent =
          !passing(e) &&
          (e.name === 'BadRequestException' || e.name === 'MessageRejected') &&
          /address|recipient|destination/i.test(e.message ?? '');
        throw new DeliveryError(`SES ${e.name ?? 'error'}: ${e.message ?? ''}`, { permanent });
      }
    },
    close: () => client?.destroy(),
  };
}

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
