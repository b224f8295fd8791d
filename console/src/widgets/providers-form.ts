/**
 * The widget editor's delivery providers: per channel an ordered list of
 * provider names (`channelProviders`), and per country and channel an
 * ordered list that overrides it (`countryProviders`), as the editor holds
 * them and as the admin API takes them. A single name from the server reads
 * as a list of one. Error keys: `channelProviders.<channel>`,
 * `countryProviders.<row>`.
 */
import {
  CHANNELS,
  type Channel,
  type ChannelProviders,
  type ProviderChoice,
  type ProviderName,
} from '@otpkit/protocol';
import type { FieldErrors } from '../ui/field-errors.ts';

/** Per channel, the providers in the order to try them (empty: the deployment's first). */
export type ProviderLists = Record<Channel, ProviderName[]>;

/** One override: for `country`, messages on `channel` go through `providers` in order. */
export interface CountryProvidersRow {
  country: string;
  channel: Channel;
  providers: ProviderName[];
}

const listOf = (choice: ProviderChoice | undefined): ProviderName[] =>
  choice === undefined ? [] : typeof choice === 'string' ? [choice] : [...choice];

/** `{sms: 'twilio'}` → `{sms: ['twilio'], whatsapp: [], …}` (every channel, in CHANNELS order). */
export function providerListsFrom(choices: ChannelProviders | undefined): ProviderLists {
  return Object.fromEntries(
    CHANNELS.map((channel) => [channel, listOf(choices?.[channel])]),
  ) as ProviderLists;
}

/** `{IN: {sms: ['msg91', 'twilio']}}` → one row per country and channel. */
export function countryProviderRowsFrom(
  byCountry: Record<string, ChannelProviders> | undefined,
): CountryProvidersRow[] {
  return Object.entries(byCountry ?? {}).flatMap(([country, choices]) =>
    CHANNELS.filter((channel) => choices[channel] !== undefined).map((channel) => ({
      country,
      channel,
      providers: listOf(choices[channel]),
    })),
  );
}

/** The lists as `channelProviders` takes them: channels with no list left out. */
export function channelProvidersFromLists(lists: ProviderLists): ChannelProviders {
  return Object.fromEntries(
    CHANNELS.filter((channel) => lists[channel].length > 0).map((channel) => [
      channel,
      [...lists[channel]],
    ]),
  );
}

/** The rows as `countryProviders` takes them (rows with no country left out). */
export function countryProvidersFromRows(
  rows: readonly CountryProvidersRow[],
): Record<string, ChannelProviders> {
  const out: Record<string, ChannelProviders> = {};
  for (const row of rows) {
    const country = row.country.trim().toUpperCase();
    if (!country) continue;
    out[country] = { ...out[country], [row.channel]: [...row.providers] };
  }
  return out;
}

/** `list` with the item at `index` moved by `delta` places (kept inside the list). */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(target, 0, item as T);
  return next;
}

/** The overrides' obvious mistakes, before a round trip. */
export function validateCountryProviders(
  rows: readonly CountryProvidersRow[],
  errors: FieldErrors,
): void {
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const key = `countryProviders.${i}`;
    const country = row.country.trim().toUpperCase();
    const pair = `${country} ${row.channel}`;
    if (!/^[A-Z]{2}$/.test(country)) errors[key] = 'Choose a country';
    else if (seen.has(pair)) errors[key] = 'This country already has a row for this channel';
    else if (row.providers.length === 0) errors[key] = 'Add at least one provider';
    seen.add(pair);
  });
}

/**
 * Where a server issue about providers goes: `channelProviders.sms.1` on the
 * SMS list, `countryProviders.IN.sms` on the row for India and SMS (else the
 * first row for India, else the section); null for other paths.
 */
export function placeProviderIssue(
  path: string,
  rows: readonly CountryProvidersRow[],
): { key: string } | null {
  const [head, second, third] = path.split('.');
  if (head === 'channelProviders') {
    return second && (CHANNELS as readonly string[]).includes(second)
      ? { key: `channelProviders.${second}` }
      : { key: 'channelProviders' };
  }
  if (head !== 'countryProviders') return null;
  const country = second?.toUpperCase();
  const sameCountry = (r: CountryProvidersRow): boolean =>
    r.country.trim().toUpperCase() === country;
  const exact = rows.findIndex((r) => sameCountry(r) && r.channel === third);
  const row = exact >= 0 ? exact : rows.findIndex(sameCountry);
  return row >= 0 ? { key: `countryProviders.${row}` } : { key: 'countryProviders' };
}
