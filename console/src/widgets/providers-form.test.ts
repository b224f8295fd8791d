import type { ChannelProviders } from '@otpkit/protocol';
import { describe, expect, it } from 'vitest';
import {
  type CountryProvidersRow,
  channelProvidersFromLists,
  countryProviderRowsFrom,
  countryProvidersFromRows,
  moveItem,
  placeProviderIssue,
  providerListsFrom,
  validateCountryProviders,
} from './providers-form.ts';

describe('delivery providers in the widget form', () => {
  it('reads a single name as a list of one, and writes lists back', () => {
    const lists = providerListsFrom({ sms: 'twilio', email: ['smtp', 'ses'] });
    expect(lists).toEqual({
      sms: ['twilio'],
      whatsapp: [],
      telegram: [],
      voice: [],
      email: ['smtp', 'ses'],
    });
    expect(channelProvidersFromLists(lists)).toEqual({ sms: ['twilio'], email: ['smtp', 'ses'] });
    expect(channelProvidersFromLists(providerListsFrom(undefined))).toEqual({});
  });

  it('turns countryProviders into one row per country and channel, and back', () => {
    const byCountry: Record<string, ChannelProviders> = {
      IN: { sms: ['msg91', 'twilio'], whatsapp: 'whatsapp-cloud' },
      US: { sms: ['twilio'] },
    };
    const rows = countryProviderRowsFrom(byCountry);
    expect(rows).toEqual([
      { country: 'IN', channel: 'sms', providers: ['msg91', 'twilio'] },
      { country: 'IN', channel: 'whatsapp', providers: ['whatsapp-cloud'] },
      { country: 'US', channel: 'sms', providers: ['twilio'] },
    ]);
    expect(
      countryProvidersFromRows([
        ...rows,
        { country: ' gb', channel: 'voice', providers: ['plivo'] },
      ]),
    ).toEqual({
      IN: { sms: ['msg91', 'twilio'], whatsapp: ['whatsapp-cloud'] },
      US: { sms: ['twilio'] },
      GB: { voice: ['plivo'] },
    });
  });

  it('moves an item within the list and no further', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('finds rows with no country, a repeated country and channel, or no provider', () => {
    const errors: Record<string, string> = {};
    validateCountryProviders(
      [
        { country: 'IN', channel: 'sms', providers: ['msg91'] },
        { country: '', channel: 'sms', providers: ['twilio'] },
        { country: 'in', channel: 'sms', providers: ['twilio'] },
        { country: 'IN', channel: 'whatsapp', providers: [] },
      ],
      errors,
    );
    expect(errors).toEqual({
      'countryProviders.1': 'Choose a country',
      'countryProviders.2': 'This country already has a row for this channel',
      'countryProviders.3': 'Add at least one provider',
    });
  });

  it('places server issues on the channel’s list or the country’s row', () => {
    const rows: CountryProvidersRow[] = [
      { country: 'US', channel: 'sms', providers: ['twilio'] },
      { country: 'IN', channel: 'whatsapp', providers: ['twilio'] },
      { country: 'IN', channel: 'sms', providers: ['smtp'] },
    ];
    expect(placeProviderIssue('channelProviders.email', rows)).toEqual({
      key: 'channelProviders.email',
    });
    expect(placeProviderIssue('channelProviders.sms.1', rows)).toEqual({
      key: 'channelProviders.sms',
    });
    expect(placeProviderIssue('channelProviders.fax', rows)).toEqual({ key: 'channelProviders' });
    expect(placeProviderIssue('countryProviders.IN.sms.0', rows)).toEqual({
      key: 'countryProviders.2',
    });
    expect(placeProviderIssue('countryProviders.in', rows)).toEqual({ key: 'countryProviders.1' });
    expect(placeProviderIssue('countryProviders.ZZ', rows)).toEqual({ key: 'countryProviders' });
    expect(placeProviderIssue('captcha', rows)).toBeNull();
  });
});
