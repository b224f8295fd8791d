/** The provider interface every delivery channel implements. */
import type { Channel } from '@otpkit/protocol';

/** A message ready to go out. */
export interface OutgoingMessage {
  /** The queued message's id: the idempotency key every attempt carries. */
  id: string;
  requestId: string;
  widgetId: string;
  channel: Channel;
  /** Normalised identifier: E.164 digits without `+`, or an email address. */
  to: string;
  /** ISO country of a mobile recipient (picks a sender number). */
  country: string | null;
  /** Email subject. */
  subject?: string;
  /** Plain text (SMS, WhatsApp, email text part) or the words a voice call speaks. */
  text: string;
  /** Email HTML part. */
  html?: string;
  /** Language of the text, one of `SUPPORTED_LANGUAGES` (voice providers pick a voice from it). */
  language: string;
  /** SMS: send as Unicode (UCS-2). */
  unicode?: boolean;
  /** SMS: sender ID from the template. */
  senderId?: string;
  /** SMS: Indian DLT template id from the template. */
  dltTemplateId?: string;
  /** Voice: the caller ID the widget owner picked (else the provider's default for the country). */
  callerId?: string;
  /** The template the text came from (`null`: built-in). */
  templateId?: string | null;
  /**
   * The code itself, for providers that take it apart from the text
   * (Telegram's Gateway, WhatsApp authentication templates, MSG91 flow
   * variables). Absent for magic links.
   */
  code?: string;
}

/** What a provider answers when it has taken a message. */
export interface SendReceipt {
  providerMessageId: string;
  /** The provider knows it arrived (the outbox); others report later. */
  delivered?: boolean;
}

/** Something that delivers messages on one or more channels (outbox, SMTP, Twilio, webhook). */
export interface DeliveryProvider {
  /** Short name recorded with each delivery and used in `/api/hooks/<name>`. */
  readonly name: string;
  /** Channels this provider carries. */
  readonly channels: readonly Channel[];
  /**
   * Voice: whether the provider's text-to-speech speaks a language. A call in
   * a language it doesn't speak is written and spoken in English. Absent: it
   * takes any language (a webhook's own speech service, the dev outbox).
   */
  speaks?(language: string): boolean;
  /**
   * Hands the message to the provider. Throws {@link DeliveryError}: permanent
   * failures are not retried, transient ones are.
   */
  send(message: OutgoingMessage): Promise<SendReceipt>;
}

/** What a provider's delivery report says of one message it took. */
export interface DeliveryOutcome {
  providerMessageId: string;
  status: 'delivered' | 'failed';
  /** Why it failed, as the vendor said (`Twilio undelivered (30003)`). */
  error?: string;
}

/** A report that the message arrived. */
export function deliveredOutcome(providerMessageId: string): DeliveryOutcome {
  return { providerMessageId, status: 'delivered' };
}

/** A report that the message failed, and why. */
export function failedOutcome(providerMessageId: string, error: string): DeliveryOutcome {
  return { providerMessageId, status: 'failed', error };
}

/**
 * A failed hand-over. `permanent` when trying again cannot help (invalid
 * number, rejected address): the message fails at once, with no other
 * provider. Otherwise it is transient (timeout, 5xx, 429, refused
 * connection): the next provider of the route takes the message at once,
 * and the queue retries it later when none could.
 *
 * `unreachable` (permanent): the recipient cannot be reached on this channel
 * at all (a number with no Telegram account), so the request moves on to
 * its next channel at once.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly permanent: boolean;
  readonly unreachable: boolean;

  constructor(message: string, options: { permanent: boolean; unreachable?: boolean }) {
    super(message);
    this.permanent = options.permanent || options.unreachable === true;
    this.unreachable = options.unreachable === true;
  }
}

/**
 * Reads a gateway's HTTP status as transient or permanent: 408, 425, 429 and
 * 5xx pass; other 4xx do not.
 */
export function transientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}
