/**
 * Delivery providers: per channel, the configured providers in the order to
 * try them (`channelProviders`; the next takes over when one fails for a
 * passing reason), and per country and channel a list that overrides it
 * (`countryProviders`).
 */

import {
  type Channel,
  type ConfiguredProvider,
  MOBILE_CHANNELS,
  type ProviderName,
} from '@otpkit/protocol';
import type { JSX } from 'preact';
import { api } from '../../auth/session.ts';
import { FieldGroup, Notice, Section, SelectField } from '../../ui/components.tsx';
import { RemoveButton, RowList } from '../../ui/fields.tsx';
import { channelName } from '../../ui/format.ts';
import { useLoad } from '../../ui/use-load.ts';
import { type CountryProvidersRow, moveItem } from '../providers-form.ts';
import { rowCountry, rowsOf, type SectionProps } from './shared.ts';

export function ProvidersSection(props: SectionProps): JSX.Element {
  const { form, set, err } = props.f;
  const configured = useLoad(() => api.listProviders(), []);
  const providers = configured.data ?? [];
  const channels: Channel[] = [
    ...(form.mobile ? MOBILE_CHANNELS : []),
    ...(form.email ? (['email'] as const) : []),
  ];
  const rows = rowsOf(props.f, 'countryProviders');
  const setRow = (i: number, patch: Partial<CountryProvidersRow>): void =>
    rows.update(i, patch, `countryProviders.${i}`);
  return (
    <Section id="section-providers" title="Delivery providers" card>
      <p class="muted small">
        Which of the deployment’s providers carry each channel, in order: when one fails for a
        passing reason (timeout, server error, rate limit) the next sends the same message at once.
        With no list, the deployment’s first provider for the channel sends alone.
      </p>
      {configured.error && (
        <Notice tone="warning" title="Could not load the configured providers">
          <p>{configured.error.message}</p>
        </Notice>
      )}
      {channels.map((channel) => (
        <ProviderList
          key={channel}
          name={`channelProviders.${channel}`}
          legend={`${channelName(channel)} providers`}
          channel={channel}
          list={form.channelProviders[channel]}
          providers={providers}
          error={
            err(`channelProviders.${channel}`) ??
            (channel === channels[0] ? err('channelProviders') : undefined)
          }
          onChange={(list) =>
            set(
              'channelProviders',
              { ...form.channelProviders, [channel]: list },
              `channelProviders.${channel}`,
            )
          }
        />
      ))}
      <RowList
        name="countryProviders"
        legend="Providers by country"
        hint="For numbers of one country, another order on one channel, e.g. MSG91 then Twilio for SMS to India."
        error={err('countryProviders')}
        rows={form.countryProviders}
        noun="override"
        rowClass="provider-row"
        addLabel="Add override for a country"
        onAdd={() => rows.add({ country: '', channel: 'sms', providers: [] }, null)}
        onRemove={(i, rowKey) => rows.remove(i, rowKey)}
      >
        {(row, i, rowKey) => (
          <>
            <SelectField
              {...rowCountry(props.f, rowKey, `Override country, row ${i + 1}`)}
              value={row.country}
              onChange={(country) => setRow(i, { country })}
            />
            <SelectField
              name={`${rowKey}.channel`}
              label={`Override channel, row ${i + 1}`}
              hideLabel
              value={row.channel}
              options={[...MOBILE_CHANNELS, 'email' as const].map((c) => ({
                value: c,
                label: channelName(c),
              }))}
              onChange={(channel) => setRow(i, { channel, providers: [] })}
            />
            <div class="row__grow">
              <ProviderList
                name={`${rowKey}.providers`}
                legend={`Override providers, row ${i + 1}`}
                channel={row.channel}
                list={row.providers}
                providers={providers}
                onChange={(list) => setRow(i, { providers: list })}
              />
            </div>
          </>
        )}
      </RowList>
    </Section>
  );
}

/**
 * One ordered list of providers for a channel: move up, move down, remove,
 * and add one of the configured providers that carry the channel. A name the
 * deployment has not configured (kept from before) is marked; the server
 * skips it.
 */
function ProviderList(props: {
  name: string;
  legend: string;
  channel: Channel;
  list: readonly ProviderName[];
  providers: readonly ConfiguredProvider[];
  error?: string | undefined;
  onChange: (list: ProviderName[]) => void;
}): JSX.Element {
  const { list, onChange } = props;
  const carriers = props.providers.filter((p) => p.channels.includes(props.channel));
  const addable = carriers.filter((p) => !list.includes(p.name));
  const known = new Set(carriers.map((p) => p.name));
  return (
    <FieldGroup name={props.name} legend={props.legend} error={props.error}>
      {list.length === 0 ? (
        <p class="muted small">
          {carriers[0]
            ? `None chosen: ${carriers[0].name}, the deployment’s first.`
            : 'None chosen, and no provider configured for it.'}
        </p>
      ) : (
        <ol class="provider-list" aria-label={props.legend}>
          {list.map((name, i) => (
            <li key={name} class="provider-list__item">
              <span class="mono">{name}</span>
              {!known.has(name) && <span class="muted small"> (not configured)</span>}
              <span class="provider-list__actions">
                <button
                  type="button"
                  class="button button--small button--ghost"
                  aria-label={`Move ${name} up`}
                  disabled={i === 0}
                  onClick={() => onChange(moveItem(list, i, -1))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="button button--small button--ghost"
                  aria-label={`Move ${name} down`}
                  disabled={i === list.length - 1}
                  onClick={() => onChange(moveItem(list, i, 1))}
                >
                  ↓
                </button>
                <RemoveButton
                  label={`Remove ${name}`}
                  onClick={() => onChange(list.filter((n) => n !== name))}
                />
              </span>
            </li>
          ))}
        </ol>
      )}
      {addable.length > 0 && (
        <SelectField
          name={`${props.name}.add`}
          label={`Add to ${props.legend}`}
          hideLabel
          value=""
          placeholder="Add a provider…"
          options={addable.map((p) => ({ value: p.name, label: p.name }))}
          // The options are the configured providers' names.
          onChange={(name) => {
            if (name) onChange([...list, name]);
          }}
        />
      )}
    </FieldGroup>
  );
}
