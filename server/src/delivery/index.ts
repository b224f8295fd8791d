/**
 * Delivery: picks the provider for a channel, hands it the message and
 * records the attempt.
 */
import type { Channel } from '@otpkit/protocol';
import type { Clock, Logger, Random } from '../deps.ts';
import { OtpkitError } from '../errors.ts';
import type { DeliveryRecord, Store } from '../store/index.ts';
import type { DeliveryProvider, OutgoingMessage } from './types.ts';

export { createOutboxProvider } from './outbox.ts';
export type { DeliveryProvider, OutgoingMessage } from './types.ts';

/** Sends messages through the configured providers. */
export interface Delivery {
  /** Whether some provider carries `channel`. */
  supports(channel: Channel): boolean;
  /** Sends and records one message. @throws OtpkitError `DELIVERY_FAILED` */
  send(message: OutgoingMessage): Promise<DeliveryRecord>;
}

/**
 * Routes each channel to the first provider that carries it.
 *
 * @example createDelivery({ store, clock, random, log, providers: [createOutboxProvider(deps)] })
 */
export function createDelivery(deps: {
  store: Store;
  clock: Clock;
  random: Random;
  log: Logger;
  providers: readonly DeliveryProvider[];
}): Delivery {
  const providerFor = (channel: Channel) =>
    deps.providers.find((p) => p.channels.includes(channel));
  return {
    supports: (channel) => providerFor(channel) !== undefined,
    async send(message) {
      const provider = providerFor(message.channel);
      const base = {
        id: deps.random.hex(12),
        requestId: message.requestId,
        channel: message.channel,
        createdAt: deps.clock.now(),
      };
      if (!provider) {
        throw new OtpkitError(
          'CHANNEL_NOT_ALLOWED',
          `No provider delivers ${message.channel} here.`,
        );
      }
      try {
        const { providerMessageId } = await provider.send(message);
        const record: DeliveryRecord = {
          ...base,
          provider: provider.name,
          providerMessageId,
          status: 'sent',
          error: null,
        };
        await deps.store.deliveries.insert(record);
        return record;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        deps.log.error('delivery failed', {
          requestId: message.requestId,
          channel: message.channel,
          provider: provider.name,
          reason,
        });
        await deps.store.deliveries.insert({
          ...base,
          provider: provider.name,
          providerMessageId: null,
          status: 'failed',
          error: reason.slice(0, 500),
        });
        throw new OtpkitError('DELIVERY_FAILED');
      }
    },
  };
}
