/** Wires the services together from configuration and the injected outside world. */
import type { Services } from './app-types.ts';
import type { Config } from './config.ts';
import { createDelivery, createOutboxProvider, type DeliveryProvider } from './delivery/index.ts';
import {
  type Clock,
  cryptoRandom,
  type Logger,
  type Random,
  silentLogger,
  systemClock,
} from './deps.ts';
import type { Store } from './store/index.ts';
import { createKeyRing } from './tokens/keys.ts';

export interface ServiceOverrides {
  clock?: Clock;
  random?: Random;
  log?: Logger;
  /** Delivery providers; the development outbox is added when enabled. */
  providers?: DeliveryProvider[];
}

/**
 * Builds the services for a store and configuration.
 *
 * @param secret the code-hashing secret (from configuration, or persisted in development).
 */
export function createServices(
  config: Config,
  store: Store,
  secret: string,
  overrides: ServiceOverrides = {},
): Services {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  const log = overrides.log ?? silentLogger;
  const base = { store, clock, random };
  const providers = [...(overrides.providers ?? [])];
  if (config.devOutbox) providers.push(createOutboxProvider(base));
  const delivery = createDelivery({ ...base, log, providers });
  const keys = createKeyRing(base);
  const tokens = { ...base, keys, issuer: config.publicUrl };
  return {
    config,
    ...base,
    log,
    delivery,
    keys,
    tokens,
    widgets: base,
    otp: { ...base, delivery, log, secret, tokens },
  };
}
