/**
 * Delivery: the providers this deployment has, which one carries a channel
 * (per widget where the owner chose), and the sealed payloads the queue holds.
 */
import type { Channel } from '@otpkit/protocol';
import type { Config } from '../../platform/config/index.ts';
import { createSealer } from '../../platform/crypto.ts';
import type { Clock, Random } from '../../platform/runtime.ts';
import type { Store, WidgetRecord } from '../../store/index.ts';
import { createAwsSmsProvider, createSesProvider } from './providers/aws.ts';
import { hookToken } from './providers/http.ts';
import { createInfobipProvider } from './providers/infobip.ts';
import { createMsg91Provider } from './providers/msg91.ts';
import { createOutboxProvider } from './providers/outbox.ts';
import {
  createPlivoProvider,
  PLIVO_ANSWER_PURPOSE,
  PLIVO_ANSWER_TTL_MS,
} from './providers/plivo.ts';
import { createPostmarkProvider } from './providers/postmark.ts';
import { createSmtpProvider } from './providers/smtp.ts';
import { createTelegramProvider } from './providers/telegram.ts';
import { createTwilioProvider } from './providers/twilio.ts';
import { createVonageProvider } from './providers/vonage.ts';
import { createWebhookProvider } from './providers/webhook.ts';
import { createWhatsAppCloudProvider } from './providers/whatsapp-cloud.ts';
import {
  type CircuitBreakers,
  type CircuitOptions,
  type CircuitState,
  chosenProviders,
  createCircuitBreakers,
  routeFor,
} from './routing.ts';
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
  /** Circuit breakers per provider (shown in `/readyz` and the metrics). */
  readonly breakers: CircuitBreakers;
  /**
   * The providers for a message, in the order to try them: the widget's
   * list for the country, else for the channel, else every provider of the
   * channel; those whose circuit is open go last.
   */
  route(channel: Channel, widget?: WidgetRecord, country?: string | null): DeliveryProvider[];
  /** The first provider of {@link Delivery.route}. */
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

/**
 * Report URLs that carry a secret, for the gateways that do not sign their
 * reports (the owner pastes the URL into the gateway's panel), and for the
 * SNS subscriptions of AWS events (signed, the secret an extra guard).
 */
export function secretReportUrls(config: Config, secret: string): Record<string, string> {
  const urls: Record<string, string> = {};
  if (config.providers.msg91) {
    urls.msg91 = `${config.publicUrl}/api/hooks/msg91/${hookToken(secret, 'msg91')}`;
  }
  if (config.providers.ses) {
    urls.ses = `${config.publicUrl}/api/hooks/ses/${hookToken(secret, 'ses')}`;
  }
  if (config.providers.awsSms?.snsTopicArn) {
    urls['aws-sms'] = `${config.publicUrl}/api/hooks/aws-sms/${hookToken(secret, 'aws-sms')}`;
  }
  if (config.providers.postmark) {
    urls.postmark = `${config.publicUrl}/api/hooks/postmark/${hookToken(secret, 'postmark')}`;
  }
  return urls;
}

/**
 * The providers the configuration names, in routing order when a widget
 * lists none: webhook, Twilio, MSG91, WhatsApp Cloud API, Telegram, Vonage,
 * Plivo, Infobip, AWS SMS, SMTP, SES, Postmark, then the dev outbox.
 */
export function providersFromConfig(
  config: Config,
  deps: { store: Store; clock: Clock; random: Random; secret: string },
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
  if (providers.msg91) list.push(createMsg91Provider(providers.msg91));
  if (providers.whatsappCloud) list.push(createWhatsAppCloudProvider(providers.whatsappCloud));
  if (providers.telegram) {
    list.push(createTelegramProvider(providers.telegram, { statusCallbackUrl: hook('telegram') }));
  }
  if (providers.vonage) {
    list.push(createVonageProvider(providers.vonage, { statusCallbackUrl: hook('vonage') }));
  }
  if (providers.plivo) {
    // The words of a call ride sealed in its answer URL, with an expiry.
    const sealer = createSealer(deps.secret, PLIVO_ANSWER_PURPOSE);
    list.push(
      createPlivoProvider(providers.plivo, {
        statusCallbackUrl: hook('plivo'),
        answerUrl: (text, language) =>
          `${hook('plivo')}/answer/${encodeURIComponent(
            sealer.seal(
              JSON.stringify({ text, language, exp: deps.clock.now() + PLIVO_ANSWER_TTL_MS }),
            ),
          )}`,
      }),
    );
  }
  if (providers.infobip) {
    const url = `${hook('infobip')}/${hookToken(deps.secret, 'infobip')}`;
    list.push(createInfobipProvider(providers.infobip, { statusCallbackUrl: url }));
  }
  if (providers.awsSms) list.push(createAwsSmsProvider(providers.awsSms));
  if (providers.smtp) list.push(createSmtpProvider(providers.smtp));
  if (providers.ses) list.push(createSesProvider(providers.ses));
  if (providers.postmark) list.push(createPostmarkProvider(providers.postmark));
  if (config.devOutbox) list.push(createOutboxProvider(deps));
  return list;
}

export function createDelivery(options: {
  providers: readonly DeliveryProvider[];
  secret: string;
  /** The clock the circuit breakers time their cool-down with. */
  now?: () => number;
  circuit?: CircuitOptions;
  /** Told when a provider's circuit opens or closes (metrics, log). */
  onCircuitChange?: (provider: string, state: CircuitState) => void;
}): Delivery {
  const sealer = createSealer(options.secret);
  let listener: ((what: 'message' | 'fallback') => void) | undefined;
  const breakers = createCircuitBreakers(
    [...new Set(options.providers.map((p) => p.name))],
    options.now ?? Date.now,
    options.circuit,
    options.onCircuitChange,
  );
  const route = (channel: Channel, widget?: WidgetRecord, country: string | null = null) =>
    routeFor(options.providers, channel, chosenProviders(widget, channel, country), breakers);
  const providerFor = (channel: Channel, widget?: WidgetRecord) => route(channel, widget)[0];
  return {
    providers: options.providers,
    breakers,
    route,
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
