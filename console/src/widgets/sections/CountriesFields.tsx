/** Advanced, countries and limits: the country-wise channel, allowed and default countries, attempts and language. */

import type { MobileChannel } from '@otpkit/protocol';
import type { JSX } from 'preact';
import { Field, FieldGroup, SelectField } from '../../ui/components.tsx';
import { countries, countryName, NON_GEOGRAPHIC } from '../../ui/countries.ts';
import { AddButton, bind, NumberField, RemoveButton, TextField } from '../../ui/fields.tsx';
import { parseCountryList } from '../form.ts';
import { LANGUAGES, MOBILE_CHANNELS, type SectionProps } from './shared.ts';

export function CountriesFields(props: SectionProps): JSX.Element {
  const { form, set, err, blur } = props.f;
  return (
    <>
      {form.mobile && (
        <FieldGroup
          name="countryChannels"
          legend="Country-wise primary channel"
          hint="Send the first code over another channel to some countries, e.g. WhatsApp where it is cheaper than SMS."
          error={err('countryChannels')}
        >
          {form.countryChannels.length > 0 && (
            <ul class="rows">
              {form.countryChannels.map((row, i) => {
                const rowKey = `countryChannels.${i}`;
                const rowError = err(rowKey);
                return (
                  <li key={i} class="row">
                    <Field
                      name={`${rowKey}.country`}
                      label={`Country, row ${i + 1}`}
                      hideLabel
                      error={rowError}
                      onBlurField={() => blur(rowKey)}
                      class="row__grow"
                    >
                      {(a) => (
                        <select
                          {...a}
                          value={row.country}
                          onChange={(e) => {
                            const next = [...form.countryChannels];
                            next[i] = { ...row, country: e.currentTarget.value };
                            set('countryChannels', next, rowKey);
                          }}
                        >
                          <option value="">Choose a country…</option>
                          {countries().map((c) => (
                            <option key={c.code} value={c.code}>
                              {c.name} ({c.code})
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <Field name={`${rowKey}.channel`} label={`Channel, row ${i + 1}`} hideLabel>
                      {(a) => (
                        <select
                          {...a}
                          value={row.channel}
                          onChange={(e) => {
                            const next = [...form.countryChannels];
                            next[i] = {
                              ...row,
                              channel: e.currentTarget.value as MobileChannel,
                            };
                            set('countryChannels', next, rowKey);
                          }}
                        >
                          {MOBILE_CHANNELS.map((c) => (
                            <option key={c.value} value={c.value}>
                              {c.label}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <RemoveButton
                      label={`Remove country row ${i + 1}`}
                      onClick={() =>
                        set(
                          'countryChannels',
                          form.countryChannels.filter((_, j) => j !== i),
                          rowKey,
                        )
                      }
                    />
                  </li>
                );
              })}
            </ul>
          )}
          <AddButton
            onClick={() =>
              set('countryChannels', [
                ...form.countryChannels,
                { country: '', channel: 'whatsapp' },
              ])
            }
          >
            Add country
          </AddButton>
        </FieldGroup>
      )}
      <div class="grid-2">
        <TextField
          {...bind(props.f, 'allowedCountries')}
          label="Allowed countries"
          hint={(() => {
            const codes = parseCountryList(form.allowedCountries).filter(
              (c) => /^[A-Z]{2}$/.test(c) || c === NON_GEOGRAPHIC,
            );
            return codes.length > 0
              ? `Only numbers from: ${codes.map(countryName).join(', ')}.`
              : `ISO codes such as IN, US. Empty: numbers from every country. Satellite and international-network numbers (+870, +881, +882…: costly, favoured by SMS fraud) are refused unless you add ${NON_GEOGRAPHIC}.`;
          })()}
          type="text"
          autoComplete="off"
          spellcheck={false}
          placeholder="IN, US"
        />
        <SelectField
          name="defaultCountry"
          label="Default country"
          error={err('defaultCountry')}
          onBlurField={blur}
          hint="Preselected in the phone number field."
          value={form.defaultCountry}
          options={countries().map((c) => ({
            value: c.code,
            label: `${c.name} (${c.code})`,
          }))}
          onChange={(v) => set('defaultCountry', v, 'defaultCountry')}
        />
        <NumberField
          {...bind(props.f, 'maxAttempts')}
          label="Max attempts"
          hint="1 to 20 wrong codes before a new code is needed."
          min={1}
          max={20}
        />
        <SelectField
          name="language"
          label="Popup language"
          error={err('language')}
          hint="The language the popup and the messages speak. Automatic: the first of the visitor’s browser languages that otpkit speaks, else English."
          value={form.language}
          options={LANGUAGES}
          onChange={(v) => set('language', v, 'language')}
        />
      </div>
    </>
  );
}
