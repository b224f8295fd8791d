/**
 * Which providers carry a message, in order: the widget's list for the
 * destination country (`countryProviders`), else its list for the channel
 * (`channelProviders`), else the first configured provider of the channel. Providers whose circuit is open go to the back, so a
 * provider that keeps failing is skipped while it cools down and tried
 * again afterwards.
 */
import type { Channel } from '@otpkit/protocol';
import type { WidgetRecord } from '../../store/index.ts';
import type { DeliveryProvider } from './types.ts';

/** A widget's choice for a channel: one provider name or an ordered list. */
export type ProviderChoice = string | readonly string[] | undefined;

/** A choice as a list (`"twilio"` → `["twilio"]`, nothing → `[]`). */
export function providerList(choice: ProviderChoice): readonly string[] {
  if (choice === undefined) return [];
  return typeof choice === 'string' ? [choice] : choice;
}

/** The provider names a widget lists for a channel and country (empty: the deployment's order). */
export function chosenProviders(
  widget: WidgetRecord | undefined,
  channel: Channel,
  country: string | null,
): readonly string[] {
  const settings = widget?.settings as
    | {
        channelProviders?: Partial<Record<Channel, ProviderChoice>>;
        countryProviders?: Record<string, Partial<Record<Channel, ProviderChoice>>>;
      }
    | undefined;
  const byCountry = country ? settings?.countryProviders?.[country]?.[channel] : undefined;
  const list = providerList(byCountry);
  return list.length > 0 ? list : providerList(settings?.channelProviders?.[channel]);
}

/** How a provider's circuit stands. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Transient failures in a row that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit skips the provider before one trial send. */
  cooldownMs: number;
}

export const DEFAULT_CIRCUIT: CircuitOptions = { failureThreshold: 5, cooldownMs: 30_000 };

/** One provider's circuit breaker, as `/readyz` and the metrics show it. */
export interface CircuitView {
  provider: string;
  state: CircuitState;
  consecutiveFailures: number;
  /** When an open circuit lets a trial send through (ms since the epoch), else null. */
  retryAt: number | null;
}

/**
 * Circuit breakers per provider: `failureThreshold` transient failures in a
 * row open a provider's circuit for `cooldownMs`; then it is half-open and
 * the next send is a trial: a success closes it, a failure opens it again.
 * Kept in memory per instance (each instance learns of an outage itself).
 */
export interface CircuitBreakers {
  state(provider: string): CircuitState;
  /** Whether a send should go to this provider now (closed, or half-open with no trial under way). */
  allows(provider: string): boolean;
  succeeded(provider: string): void;
  failed(provider: string): void;
  view(): CircuitView[];
}

export function createCircuitBreakers(
  names: readonly string[],
  now: () => number,
  options: CircuitOptions = DEFAULT_CIRCUIT,
  onChange?: (provider: string, state: CircuitState) => void,
): CircuitBreakers {
  const circuits = new Map(
    names.map((n) => [n, { failures: 0, openedAt: null as number | null, trial: false }]),
  );
  const get = (provider: string) => {
    let c = circuits.get(provider);
    if (!c) {
      c = { failures: 0, openedAt: null, trial: false };
      circuits.set(provider, c);
    }
    return c;
  };
  const state = (provider: string): CircuitState => {
    const c = get(provider);
    if (c.openedAt === null) return 'closed';
    return now() - c.openedAt >= options.cooldownMs ? 'half-open' : 'open';
  };
  return {
    state,
    allows(provider) {
      const s = state(provider);
      if (s === 'closed') return true;
      if (s === 'open') return false;
      // Half-open: one trial at a time.
      const c = get(provider);
      if (c.trial) return false;
      c.trial = true;
      return true;
    },
    succeeded(provider) {
      const c = get(provider);
      const was = state(provider);
      c.failures = 0;
      c.openedAt = null;
      c.trial = false;
      if (was !== 'closed') onChange?.(provider, 'closed');
    },
    failed(provider) {
      const c = get(provider);
      c.failures++;
      const wasHalfOpen = state(provider) === 'half-open';
      c.trial = false;
      if (wasHalfOpen || (c.openedAt === null && c.failures >= options.failureThreshold)) {
        c.openedAt = now();
        onChange?.(provider, 'open');
      }
    },
    view: () =>
      [...circuits.keys()].map((provider) => {
        const c = get(provider);
        return {
          provider,
          state: state(provider),
          consecutiveFailures: c.failures,
          retryAt: c.openedAt === null ? null : c.openedAt + options.cooldownMs,
        };
      }),
  };
}

/**
 * The providers for one message, in the order to try them: the widget's
 * list (names that are not configured or do not carry the channel are left
 * out), else the first provider of the channel alone; those whose circuit
 * is open go last, so they are tried only when the others fail too.
 */
export function routeFor(
  providers: readonly DeliveryProvider[],
  channel: Channel,
  chosen: readonly string[],
  breakers?: CircuitBreakers,
): DeliveryProvider[] {
  const carriers = providers.filter((p) => p.channels.includes(channel));
  const ordered = chosen.flatMap((name) => carriers.filter((p) => p.name === name).slice(0, 1));
  // With no list (or one naming no configured provider), the first provider of the channel alone:
  // failing over is the owner's choice, made by listing the providers in order.
  const list = ordered.length > 0 ? ordered : carriers.slice(0, 1);
  if (!breakers) return list;
  const ready = list.filter((p) => breakers.state(p.name) !== 'open');
  const cooling = list.filter((p) => breakers.state(p.name) === 'open');
  return [...ready, ...cooling];
}
