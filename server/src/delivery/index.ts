/**
 * Delivery: the providers this deployment has, which one carries a channel
 * (per widget where the owner chose), and the sealed payloads the queue holds.
 */
import type { Channel } from '@otpkit/protocol';
import type { Config } from '../config.ts';
import type { Clock, Random } from '../deps.ts';
import type { Store, WidgetRecord } from '../store/index.ts';
import { createOutboxProvider } from './providers/outbox.ts';
import { createSmtpProvider } from './providers/smtp.ts';
import { createTwilioProvider } from './providers/twilio.ts';
import { createWebhookProvider } from './providers/webhook.ts';
import { createSealer } from './seal.ts';
import type { DeliveryProvider, OutgoingMessage } from './types.ts';

export { createOutboxProvider } from './providers/outbox.ts';
export {
  DeliveryError,
  type DeliveryProvider,
  type OutgoingMessage,
  type SendReceipt,
} from './types.ts';

/** A message's content as it waits in the queue (everything but its ids). */
export type QueuedPayload = Omit<
  OutgoingMessage,
  'id' | 'requestId' | 'widgetId' | 'channel' | 'to'
>;

/** The deployment's providers and how a channel finds one. */
export interface Delivery {
  readonly providers: readonly DeliveryProvider[];
  /** The provider for a channel: the widget's choice when it made one and it is configured, else the first that carries it. */
  providerFor(channel: Channel, widget?: WidgetRecord): DeliveryProvider | undefined;
  /** Whether a channel can be delivered for a widget. */
  supports(channel: Channel, widget?: WidgetRecord): boolean;
  seal(payload: QueuedPayload): string;
  open(sealed: string): QueuedPayload;
  /**
   * Wakes the worker: a message was queued, or (`'fallback'`) an autoRetry
   * fallback may have come due now (a failure report).
   */
  kick(what?: 'message' | 'fallback'): void;
  /** Set by the worker so `kick` reaches it. */
  onKick(listener: (what: 'message' | 'fallback') => void): void;
  close(): void;
}

/** The providers the configuration names, in routing order: webhook, Twilio, SMTP, then the dev outbox. */
export function providersFromConfig(
  config: Config,
  deps: { store: Store; clock: Clock; random: Random },
): DeliveryProvider[] {
  const { providers } = config;
  const list: DeliveryProvider[] = [];
  const hook = (name: string) => `${config.publicUrl}/api/hooks/${name}`;
  if (providers.webhook) {
    list.push(
      createWebhookProvider(providers.webhook, {
        statusCallbackUrl: hook('webhook'),
        now: deps.clock.now,
      }),
    );
  }
  if (providers.twilio)
    list.push(createTwilioProvider(providers.twilio, { statusCallbackUrl: hook('twilio') }));
  if (providers.smtp) list.push(createSmtpProvider(providers.smtp));
  if (config.devOutbox) list.push(createOutboxProvider(deps));
  return list;
}

export function createDelivery(options: {
  providers: readonly DeliveryProvider[];
  secret: string;
}): Delivery {
  const sealer = createSealer(options.secret);
  let listener: ((what: 'message' | 'fallback') => void) | undefined;
  const providerFor = (channel: Channel, widget?: WidgetRecord) => {
    const chosen = widget?.settings.channelProviders[channel];
    const preferred =
      chosen && options.providers.find((p) => p.name === chosen && p.channels.includes(channel));
    return preferred ?? options.providers.find((p) => p.channels.includes(channel));
  };
  return {
    providers: options.providers,
    providerFor,
    supports: (channel, widget) => providerFor(channel, widget) !== undefined,
    seal: (payload) => sealer.seal(JSON.stringify(payload)),
    open: (sealed) => JSON.parse(sealer.open(sealed)) as QueuedPayload,
    kick: (what = 'message') => listener?.(what),
    onKick: (l) => {
      listener = l;
    },
    close() {
      for (const p of options.providers) (p as { close?: () => void }).close?.();
    },
  };
}
