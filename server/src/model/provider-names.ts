/**
 * The names of the delivery providers (declared in `@otpkit/protocol`, which
 * the console shares): what a widget's `channelProviders` and
 * `countryProviders` may name, what each delivery records, and the
 * `/api/hooks/<name>` its reports arrive at.
 */
import {
  type Channel,
  PROVIDER_CHANNELS,
  PROVIDER_NAMES,
  type ProviderName,
} from '@otpkit/protocol';

export { PROVIDER_CHANNELS, PROVIDER_NAMES, type ProviderName } from '@otpkit/protocol';

/** The providers that can carry a channel. */
export function providersOfChannel(channel: Channel): ProviderName[] {
  return PROVIDER_NAMES.filter((name) => PROVIDER_CHANNELS[name].includes(channel));
}
