/** The provider interface every delivery channel implements. */
import type { Channel } from '@otpkit/protocol';

/** A message ready to go out. */
export interface OutgoingMessage {
  requestId: string;
  widgetId: string;
  channel: Channel;
  /** Normalised identifier: E.164 digits without `+`, or an email address. */
  to: string;
  /** Email subject. */
  subject?: string;
  /** Plain text (SMS, WhatsApp, email text part) or the words a voice call speaks. */
  text: string;
  /** Email HTML part. */
  html?: string;
  /** BCP 47 language of the text (voice providers pick a voice from it). */
  language: string;
  /** SMS: send as Unicode (UCS-2). */
  unicode?: boolean;
  /** SMS: sender ID from the template. */
  senderId?: string;
  /** SMS: Indian DLT template id from the template. */
  dltTemplateId?: string;
  /** The template the text came from (`null`: built-in). */
  templateId?: string | null;
}

/** Something that delivers messages on one or more channels (outbox, SMTP, Twilio, webhook). */
export interface DeliveryProvider {
  /** Short name recorded with each delivery (`outbox`, `smtp`, …). */
  readonly name: string;
  /** Channels this provider carries. */
  readonly channels: readonly Channel[];
  /** Hands the message to the provider; resolves with the provider's message id. */
  send(message: OutgoingMessage): Promise<{ providerMessageId: string }>;
}
