/**
 * The development outbox: a provider that keeps messages in the store
 * instead of sending them, so codes can be read at `/dev/outbox`. Never
 * enabled in production.
 */
import { CHANNELS } from '@otpkit/protocol';
import type { Clock, Random } from '../../../platform/runtime.ts';
import type { Store } from '../../../store/index.ts';
import type { DeliveryProvider } from '../types.ts';

/** A provider that stores every message in the outbox table; it reports them delivered at once. */
export function createOutboxProvider(deps: {
  store: Store;
  clock: Clock;
  random: Random;
}): DeliveryProvider {
  return {
    name: 'outbox',
    channels: CHANNELS,
    async send(message) {
      const id = deps.random.hex(12);
      await deps.store.outbox.insert({
        id,
        requestId: message.requestId,
        to: message.to,
        channel: message.channel,
        subject: message.subject ?? null,
        text: message.text,
        createdAt: deps.clock.now(),
      });
      return { providerMessageId: id, delivered: true };
    },
  };
}
